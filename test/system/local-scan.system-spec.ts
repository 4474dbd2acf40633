/**
 * `driftwatch scan --local` on a real host: the CLI runs inside the host's mount namespace as
 * the same unprivileged user the SSH scans log in as, with sshd's environment for that user,
 * and its facts must be identical to those of an SSH scan of the same host; `--report` must
 * carry every check's commands and the same raw output the SSH scan stored.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { RawSection } from '@driftwatch/checks';
import { framedOutput, shellQuote } from '@driftwatch/checks';
import { HostsRepository, StatesRepository, openDataSource, unpackRaw } from '@driftwatch/persistence';
import { CollectorHarness, startCollector } from '../support/collector-harness';
import { fencedBlocks } from '../support/report-fixtures';
import { CollectorClient } from './drift/collector-client';
import { DEFAULT_FLEET_HOSTS, RealFleet, RealHost, startRealFleet } from './fleet/real-fleet';

const REPO = join(__dirname, '../..');
/** A build of the CLI for this spec only (test-artifacts/ is ignored by git), so dist/ is left alone. */
const BUILD = join(REPO, 'test-artifacts', 'local-scan-cli');
/** What OpenSSH's sshd gives a non-root login on Debian. */
const SSHD_USER_PATH = '/usr/local/bin:/usr/bin:/bin:/usr/games';

/** The nonce of the probe's part markers differs per run. */
function withoutNonce(text: string): string {
  return text.replace(/dw:[0-9a-f]{32}:/g, 'dw:NONCE:');
}

describe('driftwatch scan --local on a real host', () => {
  let fleet: RealFleet;
  let host: RealHost;
  let c: CollectorHarness;
  let api: CollectorClient;
  let home: string;

  /** Runs the built CLI inside the host, as the fleet's login user with a login's environment. */
  async function localCli(extraEnv: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const login = { HOME: home, USER: fleet.user, LOGNAME: fleet.user, SHELL: '/bin/sh', PATH: SSHD_USER_PATH, ...extraEnv };
    const env = Object.entries(login).map(([k, v]) => `${k}=${v}`);
    const command = [
      'exec setpriv',
      `--reuid=${fleet.user}`,
      `--regid=${fleet.user}`,
      '--init-groups',
      'env -i',
      ...env.map(shellQuote),
      shellQuote(process.execPath),
      shellQuote(join(BUILD, 'apps/cli/src/main.js')),
      ...args.map(shellQuote),
    ].join(' ');
    const result = await host.exec(command, { timeoutMs: 60_000 });
    return { code: result.code, stdout: result.stdout, stderr: result.stderr };
  }

  beforeAll(async () => {
    const run = promisify(execFile);
    await run(join(REPO, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json', '--outDir', BUILD], { cwd: REPO });
    await run(join(REPO, 'node_modules/.bin/tsc-alias'), ['-p', 'tsconfig.build.json', '--outDir', BUILD], { cwd: REPO });
    fleet = await startRealFleet({ hosts: [DEFAULT_FLEET_HOSTS[0]] });
    host = fleet.hosts[0];
    home = (await host.exec(`getent passwd ${shellQuote(fleet.user)} | cut -d: -f6`)).stdout.trim();
    c = await startCollector();
    api = new CollectorClient(c);
    await api.register(fleet, host, { diagnosticUrl: host.diagUrl });
  }, 240_000);

  afterAll(async () => {
    await fleet?.stop();
    await c?.close();
  }, 60_000);

  it('finds the same facts as an SSH scan of the same host', async () => {
    const ssh = await api.scan(host.name);
    expect(ssh.status).toBe('ok');
    const stored = (await c.http().get(`/api/v1/snapshots/${ssh.snapshotId}`).expect(200)).body;

    const local = await localCli({}, 'scan', '--local', '--json', '--diagnostic-url', host.diagUrl);
    expect(local.stderr).toBe('');
    expect(local.code).toBe(0);
    const facts = JSON.parse(local.stdout);
    expect(facts).toMatchObject({ via: 'local', status: 'ok' });
    expect(facts.checks).toEqual(stored.checks);
    expect(facts.findings).toEqual(stored.findings);
    expect(facts.hash).toBe(stored.hash);
    // and it really saw this host: daemon mode, event MPM, wsgi loaded
    expect(facts.checks['apache.build'].facts.mpm).toBe('event');
    expect(facts.checks['python.runtime'].facts.mode).toBe('daemon');
  });

  it('--save --report holds every check’s commands and complete raw output, the same the SSH scan captured', async () => {
    const ssh = await api.scan(host.name);
    const viaSsh = (await c.http().get(`/api/v1/snapshots/${ssh.snapshotId}/raw`).expect(200)).body.sections as RawSection[];

    const database = `sqlite:${home}/local.sqlite`;
    const local = await localCli({ DATABASE_URL: database }, 'scan', '--local', '--save', '--report', '--name', 'a-local', '--diagnostic-url', host.diagUrl);
    expect(local.stderr).toBe('');
    expect(local.code).toBe(0);
    expect(local.stdout).toContain('# driftwatch diagnostic report: a-local');
    expect(local.stdout).toContain('scanned locally (`driftwatch scan --local`)');
    expect(local.stdout).toContain('| Apache | 2.4.');

    // What the local scan stored is exactly what its report shows.
    const dataSource = await openDataSource(database);
    let stored: RawSection[];
    try {
      const saved = await new HostsRepository(dataSource).findByName('a-local');
      expect(saved).toMatchObject({ address: 'local.invalid', username: fleet.user, labels: ['local'] });
      stored = unpackRaw<RawSection[]>((await new StatesRepository(dataSource).latest(saved!.id))!.raw);
    } finally {
      await dataSource.destroy();
    }
    const blocks = fencedBlocks(local.stdout).map((b) => b.text);
    const asBlock = (text: string) => (text.endsWith('\n') ? text : `${text}\n`);
    expect(stored.map((s) => s.id)).toEqual(viaSsh.map((s) => s.id));
    for (const section of stored) {
      expect(blocks).toContain(asBlock(section.meta.cmd!));
      // Output the probe framed in parts is shown part by part, as each command printed it.
      const framed = framedOutput(section.stdout);
      const shown = framed.parts.length > 0 ? [...framed.parts.map((p) => p.text), framed.outside] : [section.stdout];
      for (const text of shown.filter((t) => t.trim())) expect(blocks).toContain(asBlock(text));
      expect(blocks.filter((b) => b.includes(`--- dw:`))).toEqual([]);
      if (section.stderr) expect(blocks).toContain(asBlock(section.stderr));
    }

    // And it is what the SSH scan captured: same commands, exit codes and lines; only the
    // per-run nonce, ldd's load addresses (ASLR) and Apache's hash order of Mutex lines differ.
    const lines = (text: string) => withoutNonce(text).replace(/\(0x[0-9a-f]+\)/g, '(0x…)').split('\n').sort();
    for (const [i, section] of stored.entries()) {
      const other = viaSsh[i];
      expect({ id: section.id, cmd: section.meta.cmd, exitCode: section.exitCode, stdout: lines(section.stdout), stderr: lines(section.stderr) }).toEqual({
        id: other.id,
        cmd: other.meta.cmd,
        exitCode: other.exitCode,
        stdout: lines(other.stdout),
        stderr: lines(other.stderr),
      });
    }
  });

  it('--report --redact leaves neither the host’s address nor the login user in it', async () => {
    const local = await localCli({}, 'scan', '--local', '--report', '--redact', '--diagnostic-url', host.diagUrl);
    expect(local.code).toBe(0);
    expect(local.stdout).toContain('This report was redacted');
    expect(local.stdout).not.toContain(host.address);
    expect(local.stdout).not.toContain(fleet.user);
    expect(local.stdout).toContain('--url http://<ip-1>:8080/__driftwatch/diag');
  });
});
