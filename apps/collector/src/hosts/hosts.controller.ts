import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { CreateHostInput, HistoryService, HostView, HostsService, ScanOutcome, ScanService, UpdateHostInput, renderDiffViewText, toHostView } from '@driftwatch/scans';
import type { Response } from 'express';
import { DiffQuery, PageQuery } from '../http/queries';

@Controller('api/v1/hosts')
export class HostsController {
  constructor(
    private readonly hosts: HostsService,
    private readonly scanner: ScanService,
    private readonly history: HistoryService,
  ) {}

  @Post()
  async create(@Body() body: CreateHostInput): Promise<HostView> {
    return toHostView(await this.hosts.create(body));
  }

  @Get()
  async list(): Promise<HostView[]> {
    return (await this.hosts.list()).map(toHostView);
  }

  @Get(':name')
  async get(@Param('name') name: string): Promise<HostView> {
    return toHostView(await this.hosts.get(name));
  }

  @Patch(':name')
  async update(@Param('name') name: string, @Body() body: UpdateHostInput): Promise<HostView> {
    return toHostView(await this.hosts.update(name, body));
  }

  @Delete(':name')
  @HttpCode(204)
  async remove(@Param('name') name: string): Promise<void> {
    await this.hosts.remove(name);
  }

  /** Scans now and answers when the scan is over. */
  @Post(':name/scan')
  @HttpCode(200)
  async scan(@Param('name') name: string): Promise<ScanOutcome> {
    return this.scanner.scanHost(await this.hosts.get(name));
  }

  @Get(':name/snapshots')
  snapshots(@Param('name') name: string, @Query() query: PageQuery) {
    return this.history.snapshots(name, query.limit, query.offset);
  }

  @Get(':name/scans')
  scans(@Param('name') name: string, @Query() query: PageQuery) {
    return this.history.scanHistory(name, query.limit, query.offset);
  }

  @Get(':name/snapshots/latest')
  latest(@Param('name') name: string) {
    return this.history.latest(name);
  }

  @Get(':name/findings')
  findings(@Param('name') name: string) {
    return this.history.findings(name);
  }

  /** JSON by default; `format=text` answers a unified, readable text/plain diff. */
  @Get(':name/diff')
  async diff(@Param('name') name: string, @Query() query: DiffQuery, @Res({ passthrough: true }) res: Response) {
    const diff = await this.history.diff(name, query.from, query.to);
    if (query.format !== 'text') return diff;
    res.type('text/plain; charset=utf-8');
    return renderDiffViewText(diff);
  }
}
