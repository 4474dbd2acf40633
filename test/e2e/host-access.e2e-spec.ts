import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientKey, closedPort, LabHost, debian12EventProfile, generateClientKey, generateEd25519KeyPair } from '@driftwatch/lab';
import { ScanEvent, ScanEvents } from '@driftwatch/scans';
import { CollectorHarness, startCollector } from '../support/collector-harness';

jest.setTimeout(60_000);

/** Host key policies, sudo and jump host rules through the REST API, against lab hosts. */
describe('host access through the API', () => {
  let c: CollectorHarness;
  let key: ClientKey;
  let lab: LabHost;
  let sudoLab: LabHost;
  let scratch: string;
  let marker: string;
  let apachectl: string;
  const events: ScanEvent[] = [];

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'driftwatch-access-e2e-'));
    // An apachectl override that leaves a trace when it runs: proof of whether the probe ran.
    marker = join(scratch, 'probe-ran');
    apachectl = join(scratch, 'apachectl');
    writeFileSync(apachectl, `#!/bin/sh\ntouch '${marker}'\nexit 1\n`);
    chmodSync(apachectl, 0o755);
    const knownHosts = join(scratch, 'known_hosts');
    writeFileSync(knownHosts, `[127.0.0.1]:1 ${generateEd25519KeyPair().publicKey}\n`);
    c = await startCollector({ KNOWN_HOSTS_FILE: knownHosts });
    c.app.get(ScanEvents).subscribe((event) => void events.push(event));
    key = generateClientKey();
    lab = await LabHost.start({ profile: debian12EventProfile(), authorizedKey: key.publicKey });
    // sudo that behaves like `sudo -n` for a user without a NOPASSWD rule.
    const base = debian12EventProfile();
    const profile = { ...base, name: `${base.name}-sudo-asks-password`, commands: { ...base.commands, sudo: [{ args: '*', stderr: 'sudo: a password is required\n', exitCode: 1 }] } };
    sudoLab = await LabHost.start({ profile, authorizedKey: key.publicKey });
  });
  afterAll(async () => {
    await lab?.stop();
    await sudoLab?.stop();
    key?.dispose();
    await c?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  const register = (name: string, host: LabHost | { address: string; port: number }, extra: Record<string, unknown> = {}) =>
    c.http()
      .post('/api/v1/hosts')
      .send({ name, address: host.address, port: host.port, username: 'ops', auth: { type: 'key', privateKeyPath: key.path }, overrides: { apachectl }, ...extra });
  const scan = async (name: string) => (await c.http().post(`/api/v1/hosts/${name}/scan`).expect(200)).body;

  it('records a host key mismatch, tells the event bus, and runs nothing on the host', async () => {
    const wrong = generateEd25519KeyPair().fingerprint;
    await register('pinned-wrong', lab, { hostKeyPolicy: 'pinned', hostKey: wrong }).expect(201);
    const result = await scan('pinned-wrong');
    expect(result).toMatchObject({ status: 'hostkey-mismatch', error: `${lab.address}:${lab.port} presented ${lab.hostKeyFingerprint}, not the pinned ${wrong}` });
    expect(existsSync(marker)).toBe(false);
    const history = (await c.http().get('/api/v1/hosts/pinned-wrong/scans').expect(200)).body;
    expect(JSON.stringify(history)).toContain('hostkey-mismatch');
    expect(events).toContainEqual(expect.objectContaining({ type: 'scan-finished', host: 'pinned-wrong', status: 'hostkey-mismatch', presentedHostKey: lab.hostKeyFingerprint }));

    // The same host with its real key: the probe runs (so the marker above could have appeared).
    await c.http().patch('/api/v1/hosts/pinned-wrong').send({ hostKey: lab.hostKeyFingerprint }).expect(200);
    expect((await scan('pinned-wrong')).status).not.toBe('hostkey-mismatch');
    expect(existsSync(marker)).toBe(true);
    rmSync(marker);
  });

  it('refuses, under known-hosts, a host the collector\'s KNOWN_HOSTS_FILE does not list', async () => {
    await register('not-listed', lab, { hostKeyPolicy: 'known-hosts' }).expect(201);
    const result = await scan('not-listed');
    expect(result.status).toBe('hostkey-mismatch');
    expect(result.error).toContain(`has no entry for [${lab.address}]:${lab.port}`);
    expect(existsSync(marker)).toBe(false);
    expect((await c.http().get('/api/v1/hosts/not-listed').expect(200)).body.hostKey).toBeNull();
  });

  it('pins on first use under accept-new', async () => {
    await register('tofu', lab, { hostKeyPolicy: 'accept-new' }).expect(201);
    await scan('tofu');
    expect((await c.http().get('/api/v1/hosts/tofu').expect(200)).body.hostKey).toBe(lab.hostKeyFingerprint);
    rmSync(marker, { force: true });
  });

  it('fails cleanly when sudo -n asks for a password', async () => {
    await register('needs-sudo', sudoLab, { sudo: true }).expect(201);
    const result = await scan('needs-sudo');
    expect(result).toMatchObject({ status: 'failed', error: 'sudo requires a password', changed: false });
    expect(result.snapshotId).toBeUndefined();
  });

  it('rejects unknown jump hosts and cycles, and names an unreachable jump host in the scan', async () => {
    await register('bastion', { address: '127.0.0.1', port: await closedPort() }).expect(201);
    await register('behind', lab, { jumpHost: 'bastion' }).expect(201);
    const cycle = await c.http().patch('/api/v1/hosts/bastion').send({ jumpHost: 'behind' }).expect(400);
    expect(cycle.body.message).toBe('jumpHost "behind" makes a cycle: bastion → behind → bastion');
    const inUse = await c.http().delete('/api/v1/hosts/bastion').expect(400);
    expect(inUse.body.message).toContain('is the jumpHost of "behind"');

    const result = await scan('behind');
    expect(result.status).toBe('unreachable');
    expect(result.error).toMatch(/^jump host bastion: cannot reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\)$/);
    expect(existsSync(marker)).toBe(false);
  });
});
