import type { AddressInfo } from 'node:net';
import { ScanRunsService } from '@driftwatch/scans';
import { CollectorHarness, startCollector } from '../support/collector-harness';
import { RegisteredLab, registerLabHosts } from '../support/lab-hosts';
import { readEventStream } from '../support/sse-client';

interface HostEvent {
  host: string;
  status: string;
  progress: { total: number; done: number; pending: number; counts: Record<string, number> };
}

describe('GET /api/v1/scans/:id/events (Server-Sent Events)', () => {
  // Scans of lab hosts are quick, but the machine running the suite may be busy.
  jest.setTimeout(30_000);

  let c: CollectorHarness;
  let lab: RegisteredLab;
  let base: string;

  beforeAll(async () => {
    c = await startCollector();
    lab = await registerLabHosts(c, 4);
    await c.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(c.app.getHttpServer().address() as AddressInfo).port}`;
  }, 60_000);

  afterAll(async () => {
    await lab?.stop();
    await c?.close();
  });

  it('streams one event per host with running counts, then done, and closes', async () => {
    const run = (await c.http().post('/api/v1/scans').send({ labels: ['lab'] }).expect(202)).body;
    // GET /scans/:id is live: whenever a host event arrives, it already counts that host.
    const seenLive: Array<{ streamed: number; polled: number }> = [];
    const { status, contentType, events } = await readEventStream(`${base}/api/v1/scans/${run.id}/events`, async (event) => {
      if (event.event !== 'host') return;
      const polled = (await c.http().get(`/api/v1/scans/${run.id}`).expect(200)).body;
      expect(polled.done + polled.pending).toBe(5);
      seenLive.push({ streamed: (event.data as HostEvent).progress.done, polled: polled.done });
    });
    expect(seenLive).toHaveLength(5);
    for (const { streamed, polled } of seenLive) expect(polled).toBeGreaterThanOrEqual(streamed);
    expect(status).toBe(200);
    expect(contentType).toMatch(/^text\/event-stream/);

    const hostEvents = events.filter((e) => e.event === 'host').map((e) => e.data as HostEvent);
    expect(hostEvents.map((e) => e.host).sort()).toEqual([...lab.names].sort());
    expect(hostEvents.map((e) => e.progress.done)).toEqual([1, 2, 3, 4, 5]);
    expect(hostEvents.find((e) => e.host === 'gone-1')).toMatchObject({ status: 'unreachable' });
    expect(hostEvents[4].progress).toMatchObject({ total: 5, pending: 0, counts: { ok: 4, unreachable: 1 } });

    expect(events[events.length - 1]).toEqual({
      event: 'done',
      data: expect.objectContaining({ id: run.id, total: 5, done: 5, pending: 0, counts: { ok: 4, unreachable: 1 }, changed: 4 }),
    });
    expect(events.filter((e) => e.event === 'done')).toHaveLength(1);

    await c.app.get(ScanRunsService).idle();
    const after = (await c.http().get(`/api/v1/scans/${run.id}`).expect(200)).body;
    expect(after).toMatchObject({ status: 'finished', done: 5, pending: 0, counts: { ok: 4, unreachable: 1 } });
  });

  it('answers a finished run with its summary and closes', async () => {
    const run = (await c.http().post('/api/v1/scans').send({ hosts: ['lab-1', 'gone-1'] }).expect(202)).body;
    await c.app.get(ScanRunsService).idle();
    const { status, events } = await readEventStream(`${base}/api/v1/scans/${run.id}/events`);
    expect(status).toBe(200);
    expect(events).toEqual([{ event: 'done', data: expect.objectContaining({ id: run.id, status: 'finished', total: 2, done: 2, counts: { ok: 1, unreachable: 1 } }) }]);
  });

  it('refuses an unknown run with a JSON 404 before any stream starts', async () => {
    const response = await fetch(`${base}/api/v1/scans/999999/events`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(await response.json()).toMatchObject({ statusCode: 404, error: 'SCAN_RUN_NOT_FOUND' });
    await c.http().get('/api/v1/scans/abc/events').expect(400);
  });
});
