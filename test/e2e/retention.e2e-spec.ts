import { DataSource } from 'typeorm';
import { openDataSource } from '@driftwatch/persistence';
import { CollectorHarness, registerLabHost, startCollector } from '../support/collector-harness';
import { useLabHost } from '../support/lab-hosts';
import { cli, useCliDatabase } from '../support/run-cli';

/** Moves every scan of the database 200 days back, a minute apart in recording order. */
async function ageScans(dataSource: DataSource): Promise<void> {
  const rows = (await dataSource.query('SELECT id FROM scans ORDER BY id')) as Array<{ id: number }>;
  for (const [i, { id }] of rows.entries()) {
    const at = new Date(Date.now() - 200 * 86_400_000 + i * 60_000).toISOString();
    await dataSource.query(`UPDATE scans SET started_at = '${at}' WHERE id = ${Number(id)}`);
  }
}

async function scanCount(dataSource: DataSource): Promise<number> {
  const [row] = (await dataSource.query('SELECT COUNT(*) AS n FROM scans')) as Array<{ n: number | string }>;
  return Number(row.n);
}

describe('history retention', () => {
  const { lab, key } = useLabHost();

  describe('driftwatch prune (CLI)', () => {
    const database = useCliDatabase();

    it('counts in a dry run what it then deletes: old repeated scans, never the first of a state or the last', async () => {
      expect((await cli('hosts', 'add', 'web-1', '--address', '127.0.0.1', '--port', String(lab().port), '--user', 'ops', '--key', key().path)).code).toBe(0);
      for (let i = 0; i < 4; i++) expect((await cli('scan', 'web-1')).code).toBe(0);
      const ds = await openDataSource(database().url);
      try {
        await ageScans(ds);
        const dry = await cli('prune', '--dry-run', '--json');
        expect(dry.code).toBe(0);
        expect(JSON.parse(dry.out)).toMatchObject({ dryRun: true, scans: 2, states: 0, policy: { scanDays: 90, stateDays: null, deliveryDays: 30 } });
        expect(await scanCount(ds)).toBe(4);
        const real = await cli('prune');
        expect(real).toMatchObject({ code: 0, err: '' });
        expect(real.out).toMatch(/^retention: scans 90 days, states kept, webhook deliveries 30 days\ndeleted 2 scans, 0 states, 0 drift events, 0 scan runs, 0 webhook deliveries; database [\d.]+ MiB → [\d.]+ MiB\n$/);
        expect(await scanCount(ds)).toBe(2);
        expect(JSON.parse((await cli('prune', '--json')).out)).toMatchObject({ scans: 0 });
      } finally {
        await ds.destroy();
      }
    });

    it('takes days from its flags (0 keeps everything) and rejects a bad one naming it', async () => {
      expect(JSON.parse((await cli('prune', '--dry-run', '--json', '--scan-days', '0', '--state-days', '30')).out)).toMatchObject({
        policy: { scanDays: null, stateDays: 30, deliveryDays: 30 },
        cutoffs: { scans: null },
      });
      expect(await cli('prune', '--scan-days', '-3')).toMatchObject({ code: 2, err: expect.stringContaining('--scan-days must be a whole number of days from 0 (keep all) to 36500, not "-3"') });
      expect(await cli('prune', '--delivery-days', 'ten')).toMatchObject({ code: 2, err: expect.stringContaining('--delivery-days must be a whole number') });
      expect(await cli('prune', '--dry-run', '--vacuum')).toMatchObject({ code: 2, err: expect.stringContaining('cannot be part of a --dry-run') });
    });

    it('rebuilds a sqlite file with --vacuum, incremental from then on', async () => {
      const outcome = JSON.parse((await cli('prune', '--vacuum', '--json')).out);
      if (database().kind !== 'sqlite') return expect(outcome.after.type).toBe('postgres');
      expect(outcome.after).toMatchObject({ type: 'sqlite', freeBytes: 0, autoVacuum: 'incremental' });
    });
  });

  describe('the scheduled prune', () => {
    let c: CollectorHarness;

    beforeAll(async () => {
      c = await startCollector({ PRUNE_SCHEDULE: '* * * * * *' });
    });

    afterAll(async () => {
      await c?.close();
    });

    it('deletes old repeated scans on PRUNE_SCHEDULE', async () => {
      await registerLabHost(c, 'web-2', lab().port, key().path);
      const ds = c.app.get(DataSource);
      for (let i = 0; i < 3; i++) await c.http().post('/api/v1/hosts/web-2/scan').expect(200);
      await ageScans(ds);
      const deadline = Date.now() + 10_000;
      while ((await scanCount(ds)) > 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await scanCount(ds)).toBe(2);
      const { items } = (await c.http().get('/api/v1/hosts/web-2/scans').expect(200)).body;
      expect(items.map((s: { changed: boolean }) => s.changed).sort()).toEqual([false, true]);
    });
  });
});
