import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { renderMarkdown } from '@driftwatch/report';
import { ReportService } from '@driftwatch/scans';
import type { Response } from 'express';
import { ReportQuery } from './report-query';

/**
 * The diagnostic report of a host's state, to paste when asking for help with mod_wsgi:
 * `text/markdown` by default, the same model as JSON with `?format=json`.
 */
@Controller('api/v1/hosts')
export class ReportController {
  constructor(private readonly reports: ReportService) {}

  @Get(':name/report')
  async report(@Param('name') name: string, @Query() query: ReportQuery, @Res({ passthrough: true }) res: Response): Promise<unknown> {
    const report = await this.reports.report(name, { snapshotId: query.snapshot, redact: query.redact === 'true' });
    if (query.format === 'json') return report;
    res.type('text/markdown; charset=utf-8');
    return renderMarkdown(report);
  }
}
