import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ScanRunProgress, ScanRunsService } from '@driftwatch/scans';
import { IdPipe } from '../http/id.pipe';
import { ScanRequest } from '../http/queries';

@Controller('api/v1/scans')
export class ScansController {
  constructor(private readonly runs: ScanRunsService) {}

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
}
