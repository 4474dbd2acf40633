import { ClientKey, closedPort, LabFleet, debian12EventProfile, generateClientKey, withCommandScript } from '@driftwatch/lab';
import { openDataSource } from '@driftwatch/persistence';
import { SnapshotContent, snapshotOf } from '@driftwatch/snapshots';
import { CollectorProcess } from '../support/collector-process';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const HOSTS = 60;

async function api<T>(collector: CollectorProcess, path: string, init?: { method: string; body?: unknown }): Promise<T> {
  const response = await fetch(`${collector.url}${path}`, {
    method: init?.method ?? 'GET',
    headers: { 'Content-Type': 'application/json' },
    body: init?.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

interface Progress {
  id: number;
  status: string;
  done: number;
  total: number;
  counts: Record<string, number>;
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * The collector killed with SIGKILL in the middle of a fleet scan: after a restart the database
 * is consistent, the run says `interrupted`, no state is half-written, and scanning goes on.
 */
describe('collector killed mid-scan', () => {
  let db: TestDatabase;
  let key: ClientKey;
  let fleet: LabFleet;
  let collector: CollectorProcess | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    key = generateClientKey();
    // Each login takes a moment, so the run is still going when the collector dies.
    const slow = withCommandScript(debian12EventProfile(), 'sh', '*', 'sleep 0.4; exec /bin/sh "$@"');
    fleet = await LabFleet.start({ count: HOSTS, profile: () => slow, authorizedKey: key.publicKey });
  });

  afterAll(async () => {
    await collector?.kill();
    await fleet?.stop();
    key?.dispose();
    await db?.cleanup();
  });

  it('restarts consistent, marks the run interrupted and scans again', async () => {
    const env = { DATABASE_URL: db.url, SCAN_CONCURRENCY: '4', SSH_CONNECT_TIMEOUT_MS: '10000', LOG_LEVEL: 'warn' };
    const port = await closedPort();
    collector = await CollectorProcess.start(env, port);
    for (const [i, host] of fleet.hosts.entries()) {
      await api(collector, '/api/v1/hosts', {
        method: 'POST',
        body: { name: `lab-${i}`, address: host.address, port: host.port, username: 'ops', auth: { type: 'key', privateKeyPath: key.path }, labels: ['crash'] },
      });
    }
    const run = await api<Progress>(collector, '/api/v1/scans', { method: 'POST', body: { labels: ['crash'] } });
    await waitFor(async () => (await api<Progress>(collector!, `/api/v1/scans/${run.id}`)).done >= 8, 'eight scans');
    await collector.kill('SIGKILL');

    const dataSource = await openDataSource(db.url);
    try {
      if (dataSource.options.type === 'sqlite') expect(await dataSource.query('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
      const states: Array<{ id: number; hash: string; content: string }> = await dataSource.query('SELECT id, hash, content FROM host_states');
      expect(states.length).toBeGreaterThanOrEqual(8);
      expect(states.length).toBeLessThan(HOSTS);
      // The stored hash is the content's (without what a scan only observed, see snapshotOf).
      for (const state of states) expect(snapshotOf(JSON.parse(state.content) as SnapshotContent).hash).toBe(state.hash);
      const dangling = await dataSource.query('SELECT s.id FROM scans s LEFT JOIN host_states h ON h.id = s.state_id WHERE s.state_id IS NOT NULL AND h.id IS NULL');
      expect(dangling).toEqual([]);
    } finally {
      await dataSource.destroy();
    }

    collector = await CollectorProcess.start(env, port);
    const after = await api<Progress>(collector, `/api/v1/scans/${run.id}`);
    expect(after.status).toBe('interrupted');
    expect(after.done).toBeLessThan(HOSTS);

    const next = await api<Progress>(collector, '/api/v1/scans', { method: 'POST', body: { labels: ['crash'] } });
    await waitFor(async () => (await api<Progress>(collector!, `/api/v1/scans/${next.id}`)).status === 'finished', 'the next run');
    expect((await api<Progress>(collector, `/api/v1/scans/${next.id}`)).counts).toEqual({ ok: HOSTS });
  });
});
