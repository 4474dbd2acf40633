/**
 * Proves the real-fleet harness itself: every host is reached through its own sshd with host
 * key checking on, and sees its own Apache (MPM, modules, mod_wsgi mode); a change made on one
 * host shows on that host only; and teardown leaves nothing behind.
 */
import { lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sshExec, writeKnownHosts } from './fleet/openssh-client';
import { ExecResult, isAlive, pidsInMountNamespace, run } from './fleet/processes';
import { DIAG_PROCESS_GROUP, RealFleet, RealHost, startRealFleet } from './fleet/real-fleet';

describe('real fleet harness', () => {
  let fleet: RealFleet;
  let work: string;
  let knownHosts: string;
  const machineApacheBefore = snapshotTree('/etc/apache2');

  const ssh = (host: RealHost, command: string): Promise<ExecResult> =>
    sshExec(fleet, host, command, { knownHostsPath: knownHosts });
  const sshOk = async (host: RealHost, command: string): Promise<string> => {
    const result = await ssh(host, command);
    if (result.code !== 0) throw new Error(`ssh ${host.name} '${command}' exited ${result.code}: ${result.stderr}`);
    return result.stdout;
  };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'driftwatch-fleet-spec-'));
    const started = Date.now();
    fleet = await startRealFleet();
    process.stdout.write(`real fleet started in ${Date.now() - started} ms (${fleet.diagScript})\n`);
    knownHosts = await writeKnownHosts(join(work, 'known_hosts'), fleet.hosts);
  });

  afterAll(async () => {
    await fleet?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('runs each host sshd and Apache together in a mount namespace of their own', () => {
    const machine = readlinkSync('/proc/self/ns/mnt');
    const namespaces = fleet.hosts.map((h) => namespaceFromPidFile(sshdPidFile(h)));
    expect(new Set([machine, ...namespaces]).size).toBe(fleet.hosts.length + 1);
    for (const [i, host] of fleet.hosts.entries()) expect(namespaceFromPidFile(apachePidFile(host))).toBe(namespaces[i]);
  });

  it('logs in to every host as the throwaway user, checking the host key it serves', async () => {
    const fingerprints = new Set<string>();
    for (const host of fleet.hosts) {
      expect((await sshOk(host, 'id -un')).trim()).toBe(fleet.user);
      const listed = (await run('ssh-keygen', ['-l', '-E', 'sha256', '-f', join(host.dir, 'sshd', 'ssh_host_ed25519_key.pub')])).stdout;
      expect(listed).toContain(await host.hostKeyFingerprint());
      fingerprints.add(await host.hostKeyFingerprint());
    }
    expect(fingerprints.size).toBe(fleet.hosts.length);
  });

  it('shows mod_wsgi loaded on a and b, not on c (apache2ctl -M as the user)', async () => {
    const modules = await modulesByHost();
    expect(modules.a).toContain('wsgi_module');
    expect(modules.b).toContain('wsgi_module');
    expect(modules.c).not.toContain('wsgi_module');
  });

  it('shows each host its own MPM (apache2ctl -V as the user)', async () => {
    const mpm = async (name: string) => /Server MPM:\s+(\w+)/.exec(await sshOk(fleet.host(name), '/usr/sbin/apache2ctl -V'))?.[1];
    expect(await mpm('a')).toBe('event');
    expect(await mpm('b')).toBe('prefork');
    expect(await mpm('c')).toBe('event');
  });

  it('lets the user run ldd on mod_wsgi.so', async () => {
    expect(await sshOk(fleet.host('a'), 'ldd /usr/lib/apache2/modules/mod_wsgi.so')).toMatch(/libpython3\.\d+/);
  });

  it('serves the diagnostic app in daemon mode on a, embedded on b, and not at all on c', async () => {
    const diag = async (host: RealHost) => JSON.parse(await sshOk(host, `curl -fsS ${host.diagUrl}`)) as Record<string, unknown>;
    const a = await diag(fleet.host('a'));
    expect(diagFact(a, 'process_group')).toBe(DIAG_PROCESS_GROUP);
    expect(diagFact(a, 'multithread')).toBe(true);
    const b = await diag(fleet.host('b'));
    expect(diagFact(b, 'process_group')).toBe('');
    expect(diagFact(b, 'multithread')).toBe(false);
    const c = fleet.host('c');
    expect((await sshOk(c, `curl -sS -o /dev/null -w '%{http_code}' ${c.diagUrl}`)).trim()).toBe('404');
  });

  it('keeps a change made through exec on that host only (a2enmod headers + graceful on a)', async () => {
    const a = fleet.host('a');
    expect((await modulesByHost()).a).not.toContain('headers_module');
    const enabled = await a.exec('a2enmod headers');
    expect(enabled.code).toBe(0);
    await a.restartApache(true);

    const modules = await modulesByHost();
    expect(modules.a).toContain('headers_module');
    expect(modules.b).not.toContain('headers_module');
    expect(modules.c).not.toContain('headers_module');
    expect(snapshotTree('/etc/apache2')).toEqual(machineApacheBefore);
    // the running Apache took the change, and still serves a's diagnostic app
    expect(await sshOk(a, `curl -fsS -o /dev/null -w '%{http_code}' ${a.diagUrl}`)).toBe('200');
  });

  it('stops and starts a host sshd, and refuses a regenerated host key until known_hosts has it', async () => {
    const c = fleet.host('c');
    await c.stopSshd();
    expect((await ssh(c, 'true')).code).toBe(255);
    await c.startSshd();
    expect((await ssh(c, 'true')).code).toBe(0);

    const before = await c.hostKeyFingerprint();
    await c.regenerateHostKey();
    expect(await c.hostKeyFingerprint()).not.toBe(before);
    const refused = await ssh(c, 'true');
    expect(refused.code).toBe(255);
    expect(refused.stderr).toMatch(/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed/);
    await writeKnownHosts(knownHosts, fleet.hosts);
    expect((await ssh(c, 'true')).code).toBe(0);
  });

  it('tears down every process, mount, the user and the directory, and leaves /etc/apache2 alone', async () => {
    const namespaces = fleet.hosts.map((h) => namespaceFromPidFile(sshdPidFile(h)));
    await fleet.stop();
    for (const ns of namespaces) expect(pidsInMountNamespace(ns)).toEqual([]);
    expect((await run('getent', ['passwd', fleet.user])).code).not.toBe(0);
    expect(() => lstatSync(fleet.dir)).toThrow();
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(fleet.dir);
    expect(snapshotTree('/etc/apache2')).toEqual(machineApacheBefore);
  });

  async function modulesByHost(): Promise<Record<string, string>> {
    const entries = await Promise.all(fleet.hosts.map(async (h) => [h.name, await sshOk(h, '/usr/sbin/apache2ctl -M')] as const));
    return Object.fromEntries(entries);
  }
});

/** The mount namespace of a host's process, found from the pid file it wrote. */
function namespaceFromPidFile(path: string): string {
  const pid = Number(readFileSync(path, 'utf8').trim());
  expect(isAlive(pid)).toBe(true);
  return readlinkSync(`/proc/${pid}/ns/mnt`);
}

const sshdPidFile = (host: RealHost) => join(host.dir, 'sshd', 'sshd.pid');
const apachePidFile = (host: RealHost) => join(host.dir, 'run-apache2', 'apache2.pid');

/** A fact of the diagnostic JSON by name, wherever the script put it (`process_group`, `mod_wsgi.process_group`, nested). */
function diagFact(facts: Record<string, unknown>, name: string): unknown {
  for (const [key, value] of Object.entries(facts)) {
    if (key === name || key.endsWith(`.${name}`)) return value;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const inner = diagFact(value as Record<string, unknown>, name);
      if (inner !== undefined) return inner;
    }
  }
  return undefined;
}

/** Every entry under a directory with what would show a change: type, size, mtime, link target. */
function snapshotTree(root: string): string[] {
  return (readdirSync(root, { recursive: true }) as string[]).sort().map((rel) => {
    const path = join(root, rel);
    const st = lstatSync(path);
    const link = st.isSymbolicLink() ? ` -> ${readlinkSync(path)}` : '';
    return `${rel} ${st.mode.toString(8)} ${st.size} ${st.mtimeMs}${link}`;
  });
}
