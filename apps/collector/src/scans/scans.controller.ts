import { Body, Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ScanRunProgress, ScanRunsService } from '@driftwatch/scans';
import type { Request, Response } from 'express';
import { IdPipe } from '../http/id.pipe';
import { ScanRequest } from '../http/queries';
import { ScanRunEventsStream } from './scan-run-events';

@Controller('api/v1/scans')
export class ScansController {
  constructor(
    private readonly runs: ScanRunsService,
    private readonly stream: ScanRunEventsStream,
  ) {}

  /** Starts a scan of the selected hosts (all when none given) and answers at once. */
  @Post()
  @HttpCode(202)
  async start(@Body() body: ScanRequest): Promise<ScanRunProgress> {
    const run = await this.runs.start({ hosts: body.hosts, labels: body.labels });
    return this.runs.progress(run.id);
  }

  @Get(':id')
  progress(@Param('id', new IdPipe('id')) id: number): Promise<ScanRunProgress> {
    return this.runs.progress(id);
  }

  /** Server-Sent Events: one `host` event per host finished, then `done`. */
  @Get(':id/events')
  events(@Param('id', new IdPipe('id')) id: number, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.stream.serve(id, req, res);
  }
}
