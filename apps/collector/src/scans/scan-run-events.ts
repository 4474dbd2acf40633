import { Injectable } from '@nestjs/common';
import { ScansRepository } from '@driftwatch/persistence';
import { HostsService, ScanEvent, ScanEvents, ScanRunsService } from '@driftwatch/scans';
import type { Request, Response } from 'express';
import { FinishedScan, RunTally } from './run-tally';

/** How often a stream checks whether its run ended without every host reporting (interrupted). */
const RUN_STATUS_POLL_MS = 1000;
/** A comment line this often keeps proxies from closing a stream while slow hosts are scanned. */
const KEEP_ALIVE_EVERY_POLLS = 15;

/**
 * GET /api/v1/scans/:id/events: Server-Sent Events for one scan run. Every host of the run
 * gets exactly one `host` event (hosts that finished before the client connected are replayed
 * from the database first), each with the running counts, then one `done` event; the stream
 * then closes. An unknown run is refused before any byte of the stream is written.
 */
@Injectable()
export class ScanRunEventsStream {
  constructor(
    private readonly runs: ScanRunsService,
    private readonly scans: ScansRepository,
    private readonly hosts: HostsService,
    private readonly events: ScanEvents,
  ) {}

  async serve(runId: number, req: Request, res: Response): Promise<void> {
    // Subscribe before reading the database, so no scan falls between the two.
    const arrived: FinishedScan[] = [];
    let deliver: ((scan: FinishedScan) => void) | null = null;
    const unsubscribe = this.events.subscribe((event: ScanEvent) => {
      if (event.type !== 'scan-finished' || event.runId !== runId) return;
      const scan: FinishedScan = { hostId: event.hostId, host: event.host, status: event.status, changed: event.changed, durationMs: event.durationMs, ...(event.error ? { error: event.error } : {}) };
      if (deliver) deliver(scan);
      else arrived.push(scan);
    });

    let progress;
    let recorded: FinishedScan[];
    try {
      progress = await this.runs.progress(runId); // throws the 404 while we can still answer JSON
      recorded = await this.recordedScans(runId);
    } catch (error) {
      unsubscribe();
      throw error;
    }

    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.flushHeaders();
    const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

    if (progress.status !== 'running') {
      unsubscribe();
      send('done', progress);
      res.end();
      return;
    }

    const tally = new RunTally(progress.total);
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      unsubscribe();
      clearInterval(poll);
      res.end();
    };
    const finish = (status: string) => {
      if (closed) return;
      send('done', { id: runId, status, ...tally.counts() });
      close();
    };
    const accept = (scan: FinishedScan) => {
      if (closed || !tally.add(scan)) return;
      send('host', { ...scan, progress: tally.counts() });
      if (tally.complete) finish('finished');
    };
    let polls = 0;
    const poll = setInterval(() => {
      if (++polls % KEEP_ALIVE_EVERY_POLLS === 0) res.write(': keep-alive\n\n');
      void this.runs
        .progress(runId)
        .then((now) => {
          if (now.status !== 'running' && !closed) {
            send('done', now);
            close();
          }
        })
        .catch(() => undefined);
    }, RUN_STATUS_POLL_MS);
    req.on('close', close);

    for (const scan of [...recorded, ...arrived]) accept(scan);
    deliver = accept;
  }

  private async recordedScans(runId: number): Promise<FinishedScan[]> {
    const scans = await this.scans.scansOfRun(runId);
    if (scans.length === 0) return [];
    const names = new Map((await this.hosts.list()).map((h) => [h.id, h.name]));
    return scans.map((s) => ({
      hostId: s.hostId,
      host: names.get(s.hostId) ?? `#${s.hostId}`,
      status: s.status,
      changed: s.changed,
      durationMs: s.durationMs,
      ...(s.error ? { error: s.error } : {}),
    }));
  }
}
