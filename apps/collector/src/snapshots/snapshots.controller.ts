import { Controller, Get, Param } from '@nestjs/common';
import { HistoryService, RawView, SnapshotView } from '@driftwatch/scans';
import { IdPipe } from '../http/id.pipe';

@Controller('api/v1/snapshots')
export class SnapshotsController {
  constructor(private readonly history: HistoryService) {}

  @Get(':id')
  get(@Param('id', new IdPipe('id')) id: number): Promise<SnapshotView> {
    return this.history.snapshot(id);
  }

  @Get(':id/raw')
  raw(@Param('id', new IdPipe('id')) id: number): Promise<RawView> {
    return this.history.raw(id);
  }
}
