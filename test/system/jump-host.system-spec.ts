/**
 * Jump hosts against real OpenSSH: the target's sshd lives in a network namespace that only the
 * jump host's sshd can reach (see jump/jump-lab.ts). The collector scans it through the jump host,
 * each host's key checked under its own policy; without the jump host the target is unreachable.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkKnownHosts, fingerprintOf, parseKnownHosts } from '@driftwatch/ssh';
import { generateEd25519KeyPair } from '@driftwatch/lab';
import { CollectorHarness, startCollector } from '../support/collector-harness';
import { runOk } from './fleet/processes';
import { JUMP, JumpLab, startJumpLab, TARGET } from './jump/jump-lab';

describe('scanning through a jump host (real sshd, network namespace)', () => {
  let lab: JumpLab;
  let c: CollectorHarness;
  let knownHosts: string;
  let marker: string;
  let apachectl: string;

  beforeAll(async () => {
    lab = await startJumpLab();
    c = await startCollector({ SSH_CONNECT_TIMEOUT_MS: '8000' });
    // The target's key as ssh-keyscan reports it from inside the namespace, hashed by ssh-keygen -H.
    const scanned = await lab.inNamespace('ssh-keyscan', ['-T', '5', '-p', String(TARGET.port), TARGET.address]);
    expect(scanned.stdout).toContain(`[${TARGET.address}]:${TARGET.port} ${lab.targetPublicKey}`);
    knownHosts = join(lab.dir, 'known_hosts');
    writeFileSync(knownHosts, scanned.stdout);
    await runOk('ssh-keygen', ['-H', '-f', knownHosts]);
    // Written by the login user on the target (the same machine's files, another network stack).
    const marks = join(lab.dir, 'marks');
    mkdirSync(marks);
    chmodSync(marks, 0o1777);
    marker = join(marks, 'probe-ran');
    apachectl = join(lab.dir, 'apachectl-marker');
    writeFileSync(apachectl, `#!/bin/sh\ntouch '${marker}'\nexit 1\n`);
    chmodSync(apachectl, 0o755);
  });

  afterAll(async () => {
    await c?.close();
    await lab?.stop();
  });

  const auth = () => ({ type: 'key', privateKeyPath: lab.user.privateKeyPath });
  const register = (body: Record<string, unknown>) => c.http().post('/api/v1/hosts').send({ username: lab.user.name, auth: auth(), ...body }).expect(201);
  const scan = async (name: string) => (await c.http().post(`/api/v1/hosts/${name}/scan`).expect(200)).body;

  it('reads ssh-keyscan output of the real target, hashed, as trusting exactly its key', () => {
    const entries = parseKnownHosts(require('node:fs').readFileSync(knownHosts, 'utf8'));
    const blob = Buffer.from(lab.targetPublicKey.split(' ')[1]!, 'base64');
    expect(entries.every((e) => e.hosts.startsWith('|1|'))).toBe(true);
    expect(checkKnownHosts(entries, TARGET.address, TARGET.port, blob).verdict).toBe('trusted');
    expect(checkKnownHosts(entries, JUMP.address, JUMP.port, blob).verdict).toBe('unknown');
  });

  it('cannot reach the target directly', async () => {
    await register({ name: 'inside-direct', address: TARGET.address, port: TARGET.port });
    const result = await scan('inside-direct');
    expect(result.status).toBe('unreachable');
    expect(result.error).toBe(`cannot reach ${TARGET.address}:${TARGET.port} (ECONNREFUSED)`);
  });

  it('scans the target through the jump host: real probe output, both keys checked, the jump host pinned on first use', async () => {
    await register({ name: 'bastion', address: JUMP.address, port: JUMP.port, hostKeyPolicy: 'accept-new' });
    await register({ name: 'inside', address: TARGET.address, port: TARGET.port, jumpHost: 'bastion', hostKeyPolicy: 'known-hosts', knownHostsFile: knownHosts });
    const before = lab.jumpConnections();
    const result = await scan('inside');
    expect(['ok', 'partial']).toContain(result.status);
    expect(result.snapshotId).toEqual(expect.any(Number));
    expect(lab.jumpConnections()).toBe(before + 1);

    const raw = await c.http().get(`/api/v1/snapshots/${result.snapshotId}/raw`).expect(200);
    expect(raw.text).toMatch(/Server version: Apache\/2\.4/);
    const scans = (await c.http().get('/api/v1/hosts/inside/scans').expect(200)).body;
    expect(JSON.stringify(scans)).toContain(fingerprintOf(Buffer.from(lab.targetPublicKey.split(' ')[1]!, 'base64')));
    const bastion = (await c.http().get('/api/v1/hosts/bastion').expect(200)).body;
    expect(bastion.hostKey).toBe(fingerprintOf(Buffer.from(lab.jumpPublicKey.split(' ')[1]!, 'base64')));
  });

  it('stops at a jump host whose key does not match, before anything runs on the target', async () => {
    const wrong = generateEd25519KeyPair().fingerprint;
    await register({ name: 'bastion-wrong', address: JUMP.address, port: JUMP.port, hostKeyPolicy: 'pinned', hostKey: wrong });
    await register({ name: 'inside-marked', address: TARGET.address, port: TARGET.port, jumpHost: 'bastion-wrong', overrides: { apachectl } });
    const result = await scan('inside-marked');
    expect(result.status).toBe('hostkey-mismatch');
    expect(result.error).toMatch(new RegExp(`^jump host bastion-wrong: ${JUMP.address}:${JUMP.port} presented SHA256:\\S+, not the pinned ${wrong.replace(/[+/]/g, '\\$&')}$`));
    expect(existsSync(marker)).toBe(false);

    // With the right jump host, the marked probe does run on the target (the check above can fail).
    await c.http().patch('/api/v1/hosts/inside-marked').send({ jumpHost: 'bastion' }).expect(200);
    await scan('inside-marked');
    expect(existsSync(marker)).toBe(true);
  });

  it('checks the target\'s own key through the jump host as strictly as directly', async () => {
    await register({ name: 'inside-unlisted', address: TARGET.address, port: TARGET.port, jumpHost: 'bastion', hostKeyPolicy: 'pinned', hostKey: generateEd25519KeyPair().fingerprint });
    const result = await scan('inside-unlisted');
    expect(result.status).toBe('hostkey-mismatch');
    expect(result.error).toContain(`${TARGET.address}:${TARGET.port} presented`);
  });

  describe('sudo -n with the real sudo', () => {
    const sudoers = () => `/etc/sudoers.d/driftwatch-${lab.user.name}`;
    let whoami: string;
    let ranAs: string;

    beforeAll(() => {
      ranAs = join(lab.dir, 'marks', 'ran-as');
      whoami = join(lab.dir, 'apachectl-whoami');
      writeFileSync(whoami, `#!/bin/sh\nid -u > '${ranAs}'\nexit 1\n`);
      chmodSync(whoami, 0o755);
    });
    afterAll(() => rmSync(sudoers(), { force: true }));

    it('fails cleanly when the user has no NOPASSWD rule, running nothing', async () => {
      await register({ name: 'sudo-no-rule', address: TARGET.address, port: TARGET.port, jumpHost: 'bastion', sudo: true, overrides: { apachectl: whoami } });
      const result = await scan('sudo-no-rule');
      expect(result).toMatchObject({ status: 'failed', error: 'sudo requires a password', changed: false });
      expect(existsSync(ranAs)).toBe(false);
    });

    it('runs the probe as root with a NOPASSWD rule for `sh -s`', async () => {
      writeFileSync(sudoers(), `${lab.user.name} ALL=(root) NOPASSWD: /usr/bin/sh -s, /bin/sh -s\n`, { mode: 0o440 });
      await runOk('visudo', ['-cf', sudoers()]);
      const result = await scan('sudo-no-rule');
      expect(['ok', 'partial']).toContain(result.status);
      expect(readFileSync(ranAs, 'utf8').trim()).toBe('0');
    });
  });
});
