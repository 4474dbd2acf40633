import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import {
  HistoryService,
  HostImportService,
  HostView,
  HostsService,
  ImportReport,
  ScanOutcome,
  ScanRunsService,
  renderDiffViewText,
  toHostView,
} from '@driftwatch/scans';
import { ApiBadGatewayResponse, ApiServiceUnavailableResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DiffQuery, PageQuery } from '../http/queries';
import { CreateHostInput, ImportHostsInput, UpdateHostInput } from '../openapi/api-inputs';
import { ApiErrors } from '../openapi/api-responses';
import * as views from '../openapi/api-views';

@ApiTags('hosts')
@Controller('api/v1/hosts')
export class HostsController {
  constructor(
    private readonly hosts: HostsService,
    private readonly runs: ScanRunsService,
    private readonly history: HistoryService,
    private readonly importer: HostImportService,
  ) {}

  /** Registers an inventory's hosts; importing the same inventory again changes nothing. */
  @Post('import')
  @HttpCode(200)
  @ApiOkResponse({ type: views.ImportReportView })
  @ApiErrors(400)
  import(@Body() body: ImportHostsInput): Promise<ImportReport> {
    return this.importer.import(body.format, body.content, { ...(body.defaultUser ? { username: body.defaultUser } : {}) });
  }

  @Post()
  @ApiCreatedResponse({ type: views.HostView })
  @ApiErrors(400, 409)
  async create(@Body() body: CreateHostInput): Promise<HostView> {
    return toHostView(await this.hosts.create(body));
  }

  @Get()
  @ApiOkResponse({ type: [views.HostView] })
  async list(): Promise<HostView[]> {
    return (await this.hosts.list()).map(toHostView);
  }

  @Get(':name')
  @ApiOkResponse({ type: views.HostView })
  @ApiErrors(404)
  async get(@Param('name') name: string): Promise<HostView> {
    return toHostView(await this.hosts.get(name));
  }

  @Patch(':name')
  @ApiOkResponse({ type: views.HostView })
  @ApiErrors(400, 404)
  async update(@Param('name') name: string, @Body() body: UpdateHostInput): Promise<HostView> {
    return toHostView(await this.hosts.update(name, body));
  }

  @Delete(':name')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'removed with its history' })
  @ApiErrors(404)
  async remove(@Param('name') name: string): Promise<void> {
    await this.hosts.remove(name);
  }

  /** Scans now and answers when the scan is over (scanned by a worker with REDIS_URL). */
  @Post(':name/scan')
  @HttpCode(200)
  @ApiOkResponse({ type: views.ScanOutcomeView })
  @ApiBadGatewayResponse({ type: views.ErrorView, description: 'the host cannot be scanned now' })
  @ApiServiceUnavailableResponse({ type: views.ErrorView, description: 'with REDIS_URL: no worker finished the scan in time' })
  @ApiErrors(404)
  async scan(@Param('name') name: string): Promise<ScanOutcome> {
    return this.runs.scanOne(await this.hosts.get(name));
  }

  @Get(':name/snapshots')
  @ApiOkResponse({ type: views.SnapshotPageView })
  @ApiErrors(400, 404)
  snapshots(@Param('name') name: string, @Query() query: PageQuery) {
    return this.history.snapshots(name, query.limit, query.offset);
  }

  @Get(':name/scans')
  @ApiOkResponse({ type: views.ScanPageView })
  @ApiErrors(400, 404)
  scans(@Param('name') name: string, @Query() query: PageQuery) {
    return this.history.scanHistory(name, query.limit, query.offset);
  }

  @Get(':name/snapshots/latest')
  @ApiOkResponse({ type: views.SnapshotView })
  @ApiErrors(404)
  latest(@Param('name') name: string) {
    return this.history.latest(name);
  }

  @Get(':name/findings')
  @ApiOkResponse({ type: views.FindingsView })
  @ApiErrors(404)
  findings(@Param('name') name: string) {
    return this.history.findings(name);
  }

  /** JSON by default; `format=text` answers a unified, readable text/plain diff. */
  @Get(':name/diff')
  @ApiProduces('application/json', 'text/plain')
  @ApiOkResponse({ type: views.DiffView, description: 'JSON, or with format=text a unified text diff' })
  @ApiErrors(400, 404)
  async diff(@Param('name') name: string, @Query() query: DiffQuery, @Res({ passthrough: true }) res: Response) {
    const diff = await this.history.diff(name, query.from, query.to);
    if (query.format !== 'text') return diff;
    res.type('text/plain; charset=utf-8');
    return renderDiffViewText(diff);
  }
}
