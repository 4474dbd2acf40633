import { Controller, Get, Param, Query } from '@nestjs/common';
import { DriftFeedPage, DriftService, DriftTimelinePage, SnapshotView } from '@driftwatch/scans';
import { FleetDriftQuery, HostDriftQuery, SnapshotAtQuery } from './drift-queries';

/**
 * Drift people act on: a host's timeline of changes, the fleet-wide feed since a cursor, and
 * the state a host was in at a moment. Registered before HostsController so that
 * `hosts/:name/snapshots/at` is never taken for a snapshot id.
 */
@Controller('api/v1')
export class DriftController {
  constructor(private readonly drift: DriftService) {}

  @Get('hosts/:name/drift')
  timeline(@Param('name') name: string, @Query() query: HostDriftQuery): Promise<DriftTimelinePage> {
    return this.drift.timeline(name, query);
  }

  @Get('drift')
  feed(@Query() query: FleetDriftQuery): Promise<DriftFeedPage> {
    return this.drift.feed(query.since, query.limit);
  }

  @Get('hosts/:name/snapshots/at')
  stateAt(@Param('name') name: string, @Query() query: SnapshotAtQuery): Promise<SnapshotView> {
    return this.drift.stateAt(name, query.time);
  }
}
