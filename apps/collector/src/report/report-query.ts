import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Min } from 'class-validator';

export const REPORT_FORMATS = ['markdown', 'json'] as const;

export class ReportQuery {
  @ApiPropertyOptional({ enum: REPORT_FORMATS, default: 'markdown' })
  @IsOptional() @IsIn(REPORT_FORMATS, { message: 'format must be "markdown" or "json"' })
  format: (typeof REPORT_FORMATS)[number] = 'markdown';

  @ApiPropertyOptional({ description: 'a snapshot id of this host; default its current state' })
  @IsOptional() @Type(() => Number) @IsInt({ message: 'snapshot must be a snapshot id' }) @Min(1, { message: 'snapshot must be a snapshot id' })
  snapshot?: number;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: host names, addresses, users and homes replaced' })
  @IsOptional() @IsIn(['true', 'false'], { message: 'redact must be "true" or "false"' })
  redact?: 'true' | 'false';
}
