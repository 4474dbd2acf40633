import { Type } from 'class-transformer';
import { IsIn, IsISO8601, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { Severity } from '@driftwatch/checks';
import { CATEGORIES, Category, SEVERITY_LEVELS } from '@driftwatch/drift';
import { PageQuery } from '../http/queries';

const ISO_TIME = { strict: true, strictSeparator: true };

export class HostDriftQuery extends PageQuery {
  @IsOptional() @IsISO8601(ISO_TIME, { message: 'since must be an ISO 8601 time (e.g. 2026-11-20T00:00:00Z)' })
  since?: string;

  @IsOptional() @IsIn(CATEGORIES, { message: `category must be one of: ${CATEGORIES.join(', ')}` })
  category?: Category;

  @IsOptional() @IsIn(SEVERITY_LEVELS, { message: `severity must be one of: ${SEVERITY_LEVELS.join(', ')}` })
  severity?: Severity;
}

export class FleetDriftQuery {
  @IsOptional() @IsString({ message: 'since must be a cursor returned by GET /api/v1/drift' }) @MaxLength(100, { message: 'since must be a cursor returned by GET /api/v1/drift' })
  since?: string;

  @IsOptional() @Type(() => Number) @IsInt({ message: 'limit must be an integer' }) @Min(1) @Max(1000)
  limit: number = 500;
}

export class SnapshotAtQuery {
  @IsISO8601(ISO_TIME, { message: 'time must be an ISO 8601 time (e.g. 2026-11-20T12:00:00Z)' })
  time: string;
}
