import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDataSource } from '@driftwatch/persistence';
import { useLabHost } from '../support/lab-hosts';
import { cli, useCliDatabase } from '../support/run-cli';
import { createTestDatabase } from '../support/test-database';

describe('driftwatch export, import and backup (CLI)', () => {
  const database = useCliDatabase();
  const { lab, key } = useLabHost();
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'driftwatch-transfer-cli-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('exports a scanned host and imports it into another store, which then shows the same history', async () => {
    expect((await cli('hosts', 'add', 'web-1', '--address', '127.0.0.1', '--port', String(lab().port), '--user', 'ops', '--key', key().path)).code).toBe(0);
    expect((await cli('scan', 'web-1')).code).toBe(0);
    const exported = await cli('export');
    expect(exported).toMatchObject({ code: 0, err: 'exported 1 hosts, 1 states, 0 drift events, 1 scans\n' });
    const file = join(dir, 'history.jsonl');
    writeFileSync(file, exported.out);
    const history = (await cli('history', 'web-1', '--json')).out;

    const saved = process.env.DATABASE_URL;
    const other = await createTestDatabase();
    process.env.DATABASE_URL = other.url;
    try {
      const imported = await cli('import', file, '--json');
      expect(imported.err).toBe('');
      expect(imported).toMatchObject({ code: 0, out: `${JSON.stringify({ hosts: 1, states: 1, driftEvents: 0, scans: 1 }, null, 2)}\n` });
      const strip = (json: string) => JSON.parse(json).items.map(({ id: _id, ...state }: { id: number }) => state);
      expect(strip((await cli('history', 'web-1', '--json')).out)).toEqual(strip(history));
      expect(await cli('import', file)).toMatchObject({ code: 2, err: expect.stringContaining('host web-1 already exists in this store; nothing was imported') });
      expect(await cli('import', join(dir, 'missing.jsonl'))).toMatchObject({ code: 2, err: expect.stringContaining('no such file') });
    } finally {
      process.env.DATABASE_URL = saved;
      await other.cleanup();
    }
    expect(await cli('export', '--since', 'yesterday')).toMatchObject({ code: 2, err: expect.stringContaining('--since must be an ISO time') });
  });

  it('backs the sqlite store up into a file that opens as a store', async () => {
    const file = join(dir, 'backup.sqlite');
    const result = await cli('backup', file);
    if (database().kind !== 'sqlite') return expect(result).toMatchObject({ code: 2, err: expect.stringContaining('use pg_dump') });
    expect(result).toMatchObject({ code: 0, out: expect.stringMatching(/^backed up to .*backup\.sqlite \(\d+ pages\)\n$/) });
    const copy = await openDataSource(`sqlite:${file}`);
    try {
      expect(await copy.query("SELECT name FROM hosts")).toEqual([{ name: 'web-1' }]);
    } finally {
      await copy.destroy();
    }
    expect(await cli('backup', file)).toMatchObject({ code: 2, err: expect.stringContaining('exists; give a new file name') });
  });
});
