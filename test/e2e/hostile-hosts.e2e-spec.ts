import { createServer, Server, Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { ClientKey, LabHost, LabProfile, debian12EventProfile, generateClientKey, withCommandScript } from '@driftwatch/lab';
import { CollectorHarness, registerLabHost, startCollector } from '../support/collector-harness';

const MiB = 1024 * 1024;
const OUTPUT_CAP = MiB;

/** The clean Debian profile with one command answering `args` by running `script` instead. */
const misbehaving = (command: string, args: string, script: string): LabProfile => withCommandScript(debian12EventProfile(), command, args, script);

interface CheckView {
  status: string;
  facts?: unknown;
}

jest.setTimeout(120_000);

describe('hostile and broken hosts', () => {
  let c: CollectorHarness;
  let key: ClientKey;
  const labs: LabHost[] = [];
  const labOf = new Map<string, LabHost>();
  let silent: Server;
  const silentSockets = new Set<Socket>();

  const lab = async (name: string, profile: LabProfile, extra: { greeting?: string; banner?: string } = {}) => {
    const host = await LabHost.start({ profile, authorizedKey: key.publicKey, ...extra });
    labs.push(host);
    labOf.set(name, host);
    await register(name, host.port);
  };
  const register = (name: string, port: number) => registerLabHost(c, name, port, key.path);
  const scan = async (name: string) => (await c.http().post(`/api/v1/hosts/${name}/scan`).expect(200)).body;
  /** The facts of a host's new state, with its lab directory (which differs per profile) neutralised. */
  const scannedChecks = async (name: string): Promise<Record<string, CheckView>> => {
    const { snapshotId } = await scan(name);
    const text = JSON.stringify((await c.http().get(`/api/v1/snapshots/${snapshotId}`).expect(200)).body.checks);
    return JSON.parse(text.split(labOf.get(name)!.dir).join('<lab>'));
  };

  beforeAll(async () => {
    // No retries: each misbehaviour is seen once, and the statuses do not depend on how busy the machine is.
    c = await startCollector({ SSH_MAX_OUTPUT_BYTES: String(OUTPUT_CAP), SSH_COMMAND_TIMEOUT_MS: '15000', SSH_CONNECT_TIMEOUT_MS: '2000', SCAN_RETRIES: '0' });
    key = generateClientKey();
    await lab('clean', debian12EventProfile());
    await lab('huge', misbehaving('apache2ctl', '-V', "head -c 104857600 /dev/zero | tr '\\000' x"));
    await lab('endless', misbehaving('apache2ctl', '-V', 'yes'));
    await lab('hangs', misbehaving('apache2ctl', '-M', 'sleep 3600'));
    await lab('binary', misbehaving('apache2ctl', '-l', "printf 'Compiled in modules:\\n  core.c\\000\\377\\376\\n  mod_so.c\\n'"));
    await lab('forger', misbehaving('apache2ctl', '-l', "printf '@@DW:%s:end:apache.compiled:0@@\\n@@DW:%s:begin:apache.modules@@\\nLoaded Modules:\\n' 0123456789abcdef0123456789abcdef 0123456789abcdef0123456789abcdef"));
    await lab('killer', misbehaving('apache2ctl', '-M', 'kill -9 0'));
    await lab('noisy', misbehaving('sh', '*', 'printf "Welcome to web-7!\\nLast login: Mon Jan  5 10:00:00 2026\\n"; exec /bin/sh "$@"'), {
      greeting: 'Unauthorized access is prohibited.\r\n',
      banner: 'This system is monitored.\n',
    });
    silent = createServer((socket) => {
      silentSockets.add(socket);
      socket.on('close', () => silentSockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    await register('tarpit', (silent.address() as AddressInfo).port);
  });

  afterAll(async () => {
    for (const socket of silentSockets) socket.destroy();
    if (silent) await new Promise((resolve) => silent.close(resolve));
    await Promise.all(labs.map((l) => l.stop()));
    key?.dispose();
    await c?.close();
  });

  it('gives every misbehaving host a recorded status while the clean host, scanned alongside, is unaffected', async () => {
    const names = ['clean', 'huge', 'endless', 'hangs', 'binary', 'forger', 'killer', 'noisy', 'tarpit'];
    let peakRss = 0;
    const baseline = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
    const outcomes = Object.fromEntries((await Promise.all(names.map(scan))).map((o) => [o.host, o]));
    clearInterval(sampler);

    expect(outcomes.clean).toMatchObject({ status: 'ok', changed: true });
    // Cut at the cap and refused, or (on a slow machine) still streaming when the command timeout comes.
    if (outcomes.huge.status === 'timeout') expect(outcomes.huge.error).toMatch(/did not finish within/);
    else expect(outcomes.huge).toMatchObject({ status: expect.stringMatching(/^(partial|failed)$/), error: expect.stringMatching(/truncated|cap|limit/i) });
    expect(outcomes.endless.status).toBe('timeout');
    expect(outcomes.hangs.status).toBe('timeout');
    expect(outcomes.killer.status).toMatch(/^(partial|failed)$/);
    expect(outcomes.tarpit.status).toBe('timeout');
    expect(['ok', 'partial']).toContain(outcomes.binary.status);
    // The forged lines are apache.compiled's output (which then makes no sense), nothing more.
    expect(outcomes.forger).toMatchObject({ status: 'partial', error: expect.stringContaining('failed checks: apache.compiled') });
    expect(outcomes.noisy.status).toBe('ok');
    // 100 MiB streamed through a 1 MiB cap: the collector never holds the stream.
    expect(peakRss - baseline).toBeLessThan(80 * MiB);

    const scans = (await c.http().get('/api/v1/hosts/tarpit/scans').expect(200)).body;
    expect(scans.items[0]).toMatchObject({ status: 'timeout', error: expect.any(String) });
  });

  it('builds no facts from truncated or cut-off output', async () => {
    for (const host of ['huge', 'endless', 'hangs', 'tarpit']) {
      await c.http().get(`/api/v1/hosts/${host}/snapshots/latest`).expect(404);
    }
    const killed = (await c.http().get('/api/v1/hosts/killer/snapshots/latest').expect(200)).body.checks as Record<string, CheckView>;
    expect(killed['apache.build'].status).toBe('ok');
    expect(killed['apache.modules'].status).not.toBe('ok');
    expect(killed['apache.modules'].facts ?? {}).toEqual({});
  });

  it('treats forged markers, binary output and login noise as data, not as structure', async () => {
    const clean = await scannedChecks('clean');
    const forged = await scannedChecks('forger');
    const noisy = await scannedChecks('noisy');
    expect(noisy).toEqual(clean);
    expect(forged['apache.modules']).toEqual(clean['apache.modules']);
    expect(forged['apache.build']).toEqual(clean['apache.build']);
    const binary = await scannedChecks('binary');
    expect(binary['apache.build']).toEqual(clean['apache.build']);
  });

  it('shows no drift for a check that became unknown: a cut-off scan after a clean one yields unknown, never removals', async () => {
    const profile = debian12EventProfile();
    const flaky = await LabHost.start({ profile, authorizedKey: key.publicKey });
    labs.push(flaky);
    await register('flaky', flaky.port);
    await scan('flaky');
    flaky.setProfile(misbehaving('apache2ctl', '-M', 'kill -9 0'));
    await scan('flaky');
    const diff = (await c.http().get('/api/v1/hosts/flaky/diff').expect(200)).body;
    const kinds = diff.changes.map((change: { kind: string }) => change.kind);
    expect(kinds).not.toContain('removed');
    expect(kinds).toContain('unknown');
  });
});
