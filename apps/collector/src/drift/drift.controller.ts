import { Controller, Get, Param, Query } from '@nestjs/common';
import { DriftFeedPage, DriftService, DriftTimelinePage, SnapshotView } from '@driftwatch/scans';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../openapi/api-responses';
import * as views from '../openapi/api-views';
import { FleetDriftQuery, HostDriftQuery, SnapshotAtQuery } from './drift-queries';

/**
 * Drift people act on: a host's timeline of changes, the fleet-wide feed since a cursor, and
 * the state a host was in at a moment. Registered before HostsController so that
 * `hosts/:name/snapshots/at` is never taken for a snapshot id.
 */
@ApiTags('drift')
@Controller('api/v1')
export class DriftController {
  constructor(private readonly drift: DriftService) {}

  @Get('hosts/:name/drift')
  @ApiOkResponse({ type: views.DriftTimelineView })
  @ApiErrors(400, 404)
  timeline(@Param('name') name: string, @Query() query: HostDriftQuery): Promise<DriftTimelinePage> {
    return this.drift.timeline(name, query);
  }

  @Get('drift')
  @ApiOkResponse({ type: views.DriftFeedView })
  @ApiErrors(400)
  feed(@Query() query: FleetDriftQuery): Promise<DriftFeedPage> {
    return this.drift.feed(query.since, query.limit);
  }

  @Get('hosts/:name/snapshots/at')
  @ApiOkResponse({ type: views.SnapshotView })
  @ApiErrors(400, 404)
  stateAt(@Param('name') name: string, @Query() query: SnapshotAtQuery): Promise<SnapshotView> {
    return this.drift.stateAt(name, query.time);
  }
}
