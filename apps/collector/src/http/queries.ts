import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

export class PageQuery {
  @IsOptional() @Type(() => Number) @IsInt({ message: 'limit must be an integer' }) @Min(1) @Max(500)
  limit: number = 50;

  @IsOptional() @Type(() => Number) @IsInt({ message: 'offset must be an integer' }) @Min(0)
  offset: number = 0;
}

export class DiffQuery {
  @IsOptional() @Type(() => Number) @IsInt({ message: 'from must be a snapshot id' }) @Min(1)
  from?: number;

  @IsOptional() @Type(() => Number) @IsInt({ message: 'to must be a snapshot id' }) @Min(1)
  to?: number;

  @IsOptional() @IsIn(['json', 'text'], { message: 'format must be json or text' })
  format?: 'json' | 'text';
}

export class ScanRequest {
  @IsOptional() @IsArray() @ArrayMaxSize(10000) @IsString({ each: true })
  hosts?: string[];

  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true })
  labels?: string[];
}
