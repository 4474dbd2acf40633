import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Min } from 'class-validator';

export const REPORT_FORMATS = ['markdown', 'json'] as const;

export class ReportQuery {
  @IsOptional() @IsIn(REPORT_FORMATS, { message: 'format must be "markdown" or "json"' })
  format: (typeof REPORT_FORMATS)[number] = 'markdown';

  @IsOptional() @Type(() => Number) @IsInt({ message: 'snapshot must be a snapshot id' }) @Min(1, { message: 'snapshot must be a snapshot id' })
  snapshot?: number;

  @IsOptional() @IsIn(['true', 'false'], { message: 'redact must be "true" or "false"' })
  redact?: 'true' | 'false';
}
