import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsISO8601, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { Severity } from '@driftwatch/checks';
import { CATEGORIES, Category, SEVERITY_LEVELS } from '@driftwatch/drift';
import { PageQuery } from '../http/queries';

const ISO_TIME = { strict: true, strictSeparator: true };

export class HostDriftQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'date-time', description: 'only events detected at or after this time' })
  @IsOptional() @IsISO8601(ISO_TIME, { message: 'since must be an ISO 8601 time (e.g. 2026-11-20T00:00:00Z)' })
  since?: string;

  @ApiPropertyOptional({ enum: CATEGORIES })
  @IsOptional() @IsIn(CATEGORIES, { message: `category must be one of: ${CATEGORIES.join(', ')}` })
  category?: Category;

  @ApiPropertyOptional({ enum: SEVERITY_LEVELS, description: 'the minimum level' })
  @IsOptional() @IsIn(SEVERITY_LEVELS, { message: `severity must be one of: ${SEVERITY_LEVELS.join(', ')}` })
  severity?: Severity;
}

export class FleetDriftQuery {
  @ApiPropertyOptional({ description: 'the cursor of the previous answer; from the beginning when absent' })
  @IsOptional() @IsString({ message: 'since must be a cursor returned by GET /api/v1/drift' }) @MaxLength(100, { message: 'since must be a cursor returned by GET /api/v1/drift' })
  since?: string;

  @ApiPropertyOptional({ default: 500, minimum: 1, maximum: 1000 })
  @IsOptional() @Type(() => Number) @IsInt({ message: 'limit must be an integer' }) @Min(1) @Max(1000)
  limit: number = 500;
}

export class SnapshotAtQuery {
  @ApiProperty({ format: 'date-time' })
  @IsISO8601(ISO_TIME, { message: 'time must be an ISO 8601 time (e.g. 2026-11-20T12:00:00Z)' })
  time: string;
}
