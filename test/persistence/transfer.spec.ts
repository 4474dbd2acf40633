import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import {
  ExportOptions,
  ExportRecord,
  HostsRepository,
  ScansRepository,
  StatesRepository,
  backupSqlite,
  exportHistory,
  importHistory,
  openDataSource,
  withSnapshot,
} from '@driftwatch/persistence';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { testHost } from '../support/test-data-source';

async function exportLines(dataSource: DataSource, options: ExportOptions = {}): Promise<string[]> {
  return withSnapshot(dataSource, async (m) => {
    const lines: string[] = [];
    for await (const record of exportHistory(m, options)) lines.push(JSON.stringify(record));
    return lines;
  });
}

async function* linesOf(lines: string[]): AsyncGenerator<string> {
  yield* lines;
}

/** The records with what differs between two stores taken out: the export time, and state ids replaced by their order. */
function comparable(lines: string[]): unknown[] {
  const records = lines.map((l) => JSON.parse(l) as ExportRecord);
  const order = new Map<number, number>();
  for (const r of records) if (r.type === 'state') order.set(r.id, order.size);
  const ordinal = (id: number | null) => (id === null ? null : order.get(id));
  return records.map((r) => {
    if (r.type === 'header') return { ...r, exportedAt: 'at' };
    if (r.type === 'state') return { ...r, id: ordinal(r.id) };
    if (r.type === 'drift') return { ...r, fromStateId: ordinal(r.fromStateId), toStateId: ordinal(r.toStateId) };
    if (r.type === 'scan') return { ...r, stateId: ordinal(r.stateId) };
    return r;
  });
}

async function count(dataSource: DataSource, table: string): Promise<number> {
  const [row] = (await dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`)) as Array<{ n: number | string }>;
  return Number(row.n);
}

/**
 * Export from a sqlite store, import into the test database (PostgreSQL under `npm run
 * test:pg`, which is the use case: moving to PostgreSQL), export again: the same history.
 */
describe('history export and import', () => {
  let dir: string;
  let source: DataSource;
  let target: TestDatabase;
  let targetSource: DataSource;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'driftwatch-transfer-'));
    source = await openDataSource(`sqlite:${join(dir, 'source.sqlite')}`);
    target = await createTestDatabase();
    targetSource = await openDataSource(target.url);
    const hosts = new HostsRepository(source);
    const states = new StatesRepository(source);
    const scans = new ScansRepository(source);
    const web = await hosts.create({ ...testHost('web-1', { labels: ['web', 'eu'], overrides: { apachectl: '/opt/httpd/bin/apachectl' } }), golden: true, secretPassphrase: 'v1:k1:iv:tag:sealed' });
    const db = await hosts.create(testHost('db-1'));
    const change = { path: 'apache.version', kind: 'changed', category: 'apache', severity: 'major', summary: '2.4.68 → 2.4.71', before: '2.4.68', after: '2.4.71' };
    const at = (day: number) => new Date(Date.UTC(2026, 0, day, 3)).toISOString();
    for (const [hostId, day, hash] of [[web.id, 1, 'a'], [db.id, 1, 'x'], [web.id, 2, 'a'], [web.id, 3, null], [web.id, 4, 'b'], [db.id, 5, 'x'], [web.id, 6, 'c']] as const) {
      const recorded = hash ? await states.record(hostId, hash, JSON.stringify({ apache: { version: hash } }), [{ id: 'httpd-V', stdout: `Server version: ${hash}` }], new Date(at(day)), { driftOf: () => [change] }) : null;
      await scans.recordScan({ runId: null, hostId, status: recorded ? 'ok' : 'unreachable', error: recorded ? null : 'connect ECONNREFUSED', stateId: recorded?.state.id ?? null, changed: recorded?.changed ?? false, presentedHostKey: 'SHA256:abc', startedAt: at(day), durationMs: 900 + day, attempts: recorded ? 1 : 3 });
    }
  });

  afterAll(async () => {
    await source?.destroy();
    await targetSource?.destroy();
    await target?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('moves every host, state, drift event and scan to another store, which exports the same history', async () => {
    const lines = await exportLines(source);
    expect(JSON.parse(lines[0])).toMatchObject({ type: 'header', format: 'driftwatch-history', version: 1, since: null, withSecrets: false });
    expect(JSON.parse(lines.at(-1)!)).toEqual({ type: 'end', counts: { hosts: 2, states: 4, driftEvents: 2, scans: 7 } });
    expect(lines.filter((l) => l.includes('"type":"host"')).map((l) => JSON.parse(l).secretPassphrase)).toEqual([null, null]);

    expect(await importHistory(targetSource, linesOf(lines))).toEqual({ hosts: 2, states: 4, driftEvents: 2, scans: 7 });
    expect(comparable(await exportLines(targetSource))).toEqual(comparable(lines));
    const web = await new HostsRepository(targetSource).findByName('web-1');
    expect(web).toMatchObject({ labels: ['web', 'eu'], golden: true, overrides: { apachectl: '/opt/httpd/bin/apachectl' } });
    const current = await new StatesRepository(targetSource).latest(web!.id);
    expect(current).toMatchObject({ hash: 'c', seenCount: 1 });
    expect((await new ScansRepository(targetSource).lastScan(web!.id))?.stateId).toBe(current!.id);
  });

  it('refuses a host the store already has, and a cut-off or foreign file, importing nothing', async () => {
    const lines = await exportLines(source);
    const before = { hosts: await count(targetSource, 'hosts'), scans: await count(targetSource, 'scans') };
    await expect(importHistory(targetSource, linesOf(lines))).rejects.toThrow('host web-1 already exists in this store; nothing was imported');
    const fresh = await createTestDatabase();
    const other = await openDataSource(fresh.url);
    try {
      await expect(importHistory(other, linesOf(lines.slice(0, -1)))).rejects.toThrow(/incomplete: its closing line is missing/);
      await expect(importHistory(other, linesOf([lines[0].replace('"version":1', '"version":9'), ...lines.slice(1)]))).rejects.toThrow('line 1: export format version 9; this driftwatch reads version 1');
      await expect(importHistory(other, linesOf(['{"hosts": []}']))).rejects.toThrow(/not a driftwatch export/);
      await expect(importHistory(other, linesOf([lines[0], 'not json']))).rejects.toThrow('line 2: not JSON');
      expect(await count(other, 'hosts')).toBe(0);
      expect(await count(other, 'host_states')).toBe(0);
    } finally {
      await other.destroy();
      await fresh.cleanup();
    }
    expect({ hosts: await count(targetSource, 'hosts'), scans: await count(targetSource, 'scans') }).toEqual(before);
  });

  it('exports secrets only when asked, still sealed, and only the history since a time', async () => {
    const sealed = (await exportLines(source, { withSecrets: true })).map((l) => JSON.parse(l)).filter((r) => r.type === 'host');
    expect(sealed.map((h) => h.secretPassphrase)).toEqual(['v1:k1:iv:tag:sealed', null]);
    const recent = (await exportLines(source, { since: new Date(Date.UTC(2026, 0, 4)).toISOString() })).map((l) => JSON.parse(l) as ExportRecord);
    expect(recent.at(-1)).toEqual({ type: 'end', counts: { hosts: 2, states: 3, driftEvents: 1, scans: 3 } });
    expect(recent.filter((r) => r.type === 'state').map((r) => (r as { hash: string }).hash)).toEqual(['x', 'b', 'c']);
  });

  it('backs a sqlite store up while scans are written, into a consistent copy', async () => {
    const scans = new ScansRepository(source);
    const web = await new HostsRepository(source).findByName('web-1');
    let writing = true;
    const writer = (async () => {
      let written = 0;
      while (writing) {
        await scans.recordScan({ runId: null, hostId: web!.id, status: 'timeout', error: null, stateId: null, changed: false, presentedHostKey: null, startedAt: new Date().toISOString(), durationMs: 1 });
        written += 1;
      }
      return written;
    })();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const file = join(dir, 'backup.sqlite');
    const { pages } = await backupSqlite(source, file);
    writing = false;
    const written = await writer;
    expect(pages).toBeGreaterThan(0);
    expect(written).toBeGreaterThan(0);
    await expect(backupSqlite(source, file)).rejects.toThrow(/exists; give a new file name/);
    const copy = await openDataSource(`sqlite:${file}`);
    try {
      expect(await copy.query('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
      const copied = await count(copy, 'scans');
      expect(copied).toBeGreaterThanOrEqual(7);
      expect(copied).toBeLessThanOrEqual(await count(source, 'scans'));
      expect(await count(copy, 'host_states')).toBe(4);
    } finally {
      await copy.destroy();
    }
  });
});
