import { Body, Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ScanRunProgress, ScanRunsService } from '@driftwatch/scans';
import type { Request, Response } from 'express';
import { ApiAcceptedResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { IdPipe } from '../http/id.pipe';
import { ApiErrors } from '../openapi/api-responses';
import * as views from '../openapi/api-views';
import { ScanRequest } from '../http/queries';
import { ScanRunEventsStream } from './scan-run-events';

@ApiTags('scans')
@Controller('api/v1/scans')
export class ScansController {
  constructor(
    private readonly runs: ScanRunsService,
    private readonly stream: ScanRunEventsStream,
  ) {}

  /** Starts a scan of the selected hosts (all when none given) and answers at once. */
  @Post()
  @HttpCode(202)
  @ApiAcceptedResponse({ type: views.ScanRunProgressView })
  @ApiErrors(400)
  async start(@Body() body: ScanRequest): Promise<ScanRunProgress> {
    const run = await this.runs.start({ hosts: body.hosts, labels: body.labels });
    return this.runs.progress(run.id);
  }

  @Get(':id')
  @ApiOkResponse({ type: views.ScanRunProgressView })
  @ApiErrors(400, 404)
  progress(@Param('id', new IdPipe('id')) id: number): Promise<ScanRunProgress> {
    return this.runs.progress(id);
  }

  /** Server-Sent Events: one `host` event per host finished, then `done`. */
  @Get(':id/events')
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description:
      'a stream of `host` events (data: {hostId, host, status, changed, durationMs, error?, progress: {total, done, pending, counts, changed}}), one per host of the run, then one `done` event with the run\'s counts; a finished run gets only `done`',
    schema: { type: 'string' },
  })
  @ApiErrors(400, 404)
  events(@Param('id', new IdPipe('id')) id: number, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.stream.serve(id, req, res);
  }
}
