import { Controller, Get, Param } from '@nestjs/common';
import { HistoryService, RawView, SnapshotView } from '@driftwatch/scans';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { IdPipe } from '../http/id.pipe';
import { ApiErrors } from '../openapi/api-responses';
import * as views from '../openapi/api-views';

@ApiTags('snapshots')
@Controller('api/v1/snapshots')
export class SnapshotsController {
  constructor(private readonly history: HistoryService) {}

  @Get(':id')
  @ApiOkResponse({ type: views.SnapshotView })
  @ApiErrors(400, 404)
  get(@Param('id', new IdPipe('id')) id: number): Promise<SnapshotView> {
    return this.history.snapshot(id);
  }

  @Get(':id/raw')
  @ApiOkResponse({ type: views.RawView, description: "each check's stdout, stderr, exit code and duration" })
  @ApiErrors(400, 404)
  raw(@Param('id', new IdPipe('id')) id: number): Promise<RawView> {
    return this.history.raw(id);
  }
}
