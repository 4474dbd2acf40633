import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NODE_FLAGS } from '@driftwatch/config';

const BUILT_CLI = join(__dirname, '..', '..', 'dist', 'apps', 'cli', 'src', 'main.js');

/** The built `driftwatch` as a user runs it (help exits the process, so it cannot run in-process). */
function driftwatch(databaseUrl: string, ...args: string[]): { code: number | null; out: string; err: string } {
  if (!existsSync(BUILT_CLI)) throw new Error(`${BUILT_CLI} is missing: run \`npm run build\` first`);
  const result = spawnSync(process.execPath, [...NODE_FLAGS, BUILT_CLI, ...args], { env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl }, encoding: 'utf8', timeout: 20_000 });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

/** Help and parse work anywhere: they never create, open or connect to the configured database. */
describe('driftwatch help and parse without storage', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'driftwatch-help-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([[['--help']], [['help']], [['scan', '--help']], [['hosts', 'add', '-h']], [['prune', '--help']]])('%j prints help and creates no database file', (args) => {
    const result = driftwatch(`sqlite:${join(dir, 'data', 'driftwatch.sqlite')}`, ...args);
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toMatch(/^Usage: driftwatch/);
    expect(existsSync(join(dir, 'data'))).toBe(false);
  });

  it('lists every command without reaching a PostgreSQL that does not answer', () => {
    const result = driftwatch('postgres://nobody@127.0.0.1:1/none', '--help');
    expect(result.code).toBe(0);
    for (const command of ['hosts', 'scan', 'prune', 'reparse', 'parse', 'serve']) expect(result.out).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });

  it('parses a pasted output, with or without --json, and creates no database file', () => {
    const database = `sqlite:${join(dir, 'parse', 'driftwatch.sqlite')}`;
    const output = join(__dirname, '..', 'fixtures', 'hosts', 'debian-12-apache-2.4.71-event', 'apachectl-V.stdout');
    const plain = driftwatch(database, 'parse', 'httpd-V', output);
    const json = driftwatch(database, 'parse', 'httpd-V', '--json', output);
    expect(plain.code).toBe(0);
    expect(JSON.parse(plain.out)).toMatchObject({ kind: 'httpd-V', status: 'ok' });
    expect(JSON.parse(json.out)).toEqual(JSON.parse(plain.out));
    expect(existsSync(join(dir, 'parse'))).toBe(false);
  });

  it('parses an Apache error log into its kinds of error, with --json', () => {
    const log = join(__dirname, '..', 'fixtures', 'raw', 'error-log', 'debian12-2.4.68-modwsgi4.9.4-broken-live.txt');
    const result = driftwatch(`sqlite:${join(dir, 'parse', 'driftwatch.sqlite')}`, 'parse', 'error-log', '--json', log);
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.out);
    expect(printed).toMatchObject({ kind: 'error-log', status: 'ok' });
    expect(printed.facts.events.map((e: { id: string }) => e.id)).toEqual(['daemon-not-configured', 'daemon-segfault', 'daemon-socket-denied', 'no-encodings-module', 'python-home-inaccessible', 'response-header-timeout']);
    expect(existsSync(join(dir, 'parse'))).toBe(false);
  });
});
