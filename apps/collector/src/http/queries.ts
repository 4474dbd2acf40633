import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

export class PageQuery {
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 500 })
  @IsOptional() @Type(() => Number) @IsInt({ message: 'limit must be an integer' }) @Min(1) @Max(500)
  limit: number = 50;

  @ApiPropertyOptional({ default: 0, minimum: 0 })
  @IsOptional() @Type(() => Number) @IsInt({ message: 'offset must be an integer' }) @Min(0)
  offset: number = 0;
}

export class DiffQuery {
  @ApiPropertyOptional({ description: 'snapshot id; default the state before `to`' })
  @IsOptional() @Type(() => Number) @IsInt({ message: 'from must be a snapshot id' }) @Min(1)
  from?: number;

  @ApiPropertyOptional({ description: 'snapshot id; default the current state' })
  @IsOptional() @Type(() => Number) @IsInt({ message: 'to must be a snapshot id' }) @Min(1)
  to?: number;

  @ApiPropertyOptional({ enum: ['json', 'text'], default: 'json', description: 'text: a unified text diff as text/plain' })
  @IsOptional() @IsIn(['json', 'text'], { message: 'format must be json or text' })
  format?: 'json' | 'text';
}

export class ScanRequest {
  @ApiPropertyOptional({ type: [String], description: 'host names; all hosts when neither hosts nor labels is given' })
  @IsOptional() @IsArray() @ArrayMaxSize(10000) @IsString({ each: true })
  hosts?: string[];

  @ApiPropertyOptional({ type: [String], description: 'hosts with any of these labels' })
  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true })
  labels?: string[];
}
