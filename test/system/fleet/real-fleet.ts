/**
 * A real fleet for the system suite: N hosts on this machine, each with its own OpenSSH sshd
 * (own host key, own loopback address) and its own Apache 2.4 + mod_wsgi configuration and
 * process, so that a probe run through a host's sshd sees that host's Apache.
 * How a host is isolated: see namespace-host.ts. Needs root and the Debian packages listed by
 * checkPrerequisites().
 *
 *   const fleet = await startRealFleet();
 *   try { ... fleet.hosts[0].exec('a2enmod headers') ... } finally { await fleet.stop(); }
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { endNamespaces, removeRecord, sweepStaleFleets, writeRecord } from './fleet-registry';
import { DEFAULT_FLEET_HOSTS, FleetHostSpec } from './host-spec';
import { NamespaceHost } from './namespace-host';
import { checkPrerequisites } from './prerequisites';
import { ExecResult, isPortFree, startTimeOf } from './processes';
import { createThrowawayUser, removeThrowawayUser, throwawayUserName, ThrowawayUser } from './throwaway-user';

export { checkPrerequisites, INSTALL_COMMAND, REQUIRED_PACKAGES } from './prerequisites';
export { DEFAULT_FLEET_HOSTS, DIAG_PATH, DIAG_PROCESS_GROUP } from './host-spec';
export type { FleetHostSpec, Mpm, WsgiMode } from './host-spec';
export type { ExecResult } from './processes';
export { sweepStaleFleets } from './fleet-registry';

export interface RealHost {
  /** `a`, `b`, `c` in the default fleet. */
  name: string;
  spec: FleetHostSpec;
  /** The host's own loopback address, e.g. 127.0.10.1; sshd and Apache listen there. */
  address: string;
  sshPort: number;
  httpPort: number;
  /** The diagnostic app's URL (served where mod_wsgi is loaded; local requests only). */
  diagUrl: string;
  /** The host's directory on this machine: its Apache tree, logs, sshd config and host key. */
  dir: string;
  logs: { sshd: string; apacheError: string };
  /** `SHA256:…` of the current host key, as `ssh-keygen -l` prints it. */
  hostKeyFingerprint(): Promise<string>;
  /** `ssh-ed25519 AAAA…` (no comment). */
  hostPublicKey(): Promise<string>;
  /** `[address]:port ssh-ed25519 AAAA…` for a known_hosts file. */
  knownHostsLine(): Promise<string>;
  /**
   * Runs `sh -c command` inside the host's namespace as root, with a clean environment.
   * A command that leaves a background process must redirect its output, or this waits for it.
   */
  exec(command: string, options?: { input?: string; timeoutMs?: number }): Promise<ExecResult>;
  /** `apache2ctl graceful` (default) or `restart`; resolves once Apache runs the new config. */
  restartApache(graceful?: boolean): Promise<void>;
  startApache(): Promise<void>;
  stopApache(): Promise<void>;
  stopSshd(): Promise<void>;
  startSshd(): Promise<void>;
  /** New host key; a running sshd is restarted with it. */
  regenerateHostKey(): Promise<void>;
}

export interface RealFleet {
  hosts: RealHost[];
  /** The host named `name`; throws when there is none. */
  host(name: string): RealHost;
  /** The throwaway login user (unprivileged, shell /bin/sh) on every host. */
  user: string;
  /** The suite's ed25519 client key, authorized for `user` on every host. */
  privateKeyPath: string;
  publicKey: string;
  /** The diagnostic WSGI script the hosts serve. */
  diagScript: string;
  /** The fleet's directory on this machine. */
  dir: string;
  /** known_hosts text for every host's current key. */
  knownHosts(): Promise<string>;
  /** Ends every process of every host, removes the user and the directory. Safe to call twice. */
  stop(): Promise<void>;
}

export interface RealFleetOptions {
  hosts?: readonly FleetHostSpec[];
  /** Host i (from 1) gets `${addressPrefix}${i}`; must stay in 127.0.0.0/8. Default 127.0.10. */
  addressPrefix?: string;
  sshPort?: number;
  httpPort?: number;
  /** Default: the collector's asset when it exists, otherwise the harness's placeholder. */
  diagScript?: string;
  /** Where the fleet's directory is made. Default: the OS temporary directory. */
  baseDir?: string;
  /** Keep the fleet's directory (logs, configs) after stop. Default: DRIFTWATCH_FLEET_KEEP=1. */
  keepDir?: boolean;
}

const REPO_ROOT = resolve(__dirname, '../../..');
export const REAL_DIAG_SCRIPT = join(REPO_ROOT, 'apps/collector/assets/driftwatch_diag.py');
export const PLACEHOLDER_DIAG_SCRIPT = join(__dirname, 'placeholder_diag.py');

export function defaultDiagScript(): string {
  return existsSync(REAL_DIAG_SCRIPT) ? REAL_DIAG_SCRIPT : PLACEHOLDER_DIAG_SCRIPT;
}

export async function startRealFleet(options: RealFleetOptions = {}): Promise<RealFleet> {
  const missing = checkPrerequisites();
  if (missing.length > 0) throw new Error(`the real fleet cannot start on this machine:\n- ${missing.join('\n- ')}`);
  await sweepStaleFleets();

  const specs = options.hosts ?? DEFAULT_FLEET_HOSTS;
  const prefix = options.addressPrefix ?? '127.0.10.';
  const sshPort = options.sshPort ?? 2222;
  const httpPort = options.httpPort ?? 8080;
  const addressing = specs.map((_, i) => ({ address: `${prefix}${i + 1}`, sshPort, httpPort }));
  await assertAddressesUsable(specs, addressing);

  await mkdir('/run/sshd', { recursive: true, mode: 0o755 }); // sshd's privilege separation directory
  const dir = await mkdtemp(join(options.baseDir ?? tmpdir(), 'driftwatch-fleet-'));
  await chmod(dir, 0o755); // www-data reads the hosts' trees, sshd checks the user's home
  const fleet = new Fleet(dir, options.diagScript ?? defaultDiagScript(), options.keepDir ?? process.env.DRIFTWATCH_FLEET_KEEP === '1');
  try {
    await fleet.start(specs, addressing);
  } catch (err) {
    await fleet.stop().catch(() => undefined);
    throw err;
  }
  return fleet;
}

async function assertAddressesUsable(specs: readonly FleetHostSpec[], addressing: { address: string; sshPort: number; httpPort: number }[]) {
  const names = new Set<string>();
  for (const [i, spec] of specs.entries()) {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(spec.name) || names.has(spec.name)) throw new Error(`bad or duplicate host name: ${spec.name}`);
    names.add(spec.name);
    const { address, sshPort, httpPort } = addressing[i]!;
    if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address)) throw new Error(`host ${spec.name}: ${address} is not a loopback address`);
    for (const port of [sshPort, httpPort]) {
      if (!(await isPortFree(address, port))) throw new Error(`host ${spec.name}: ${address}:${port} is already in use`);
    }
  }
}

class Fleet implements RealFleet {
  hosts: NamespaceHost[] = [];
  user = '';
  privateKeyPath = '';
  publicKey = '';
  private account: ThrowawayUser | null = null;
  private stopped = false;

  constructor(
    readonly dir: string,
    readonly diagScript: string,
    private readonly keepDir: boolean,
  ) {}

  async start(specs: readonly FleetHostSpec[], addressing: { address: string; sshPort: number; httpPort: number }[]): Promise<void> {
    const name = throwawayUserName();
    this.user = name; // recorded before creation, so a failed or killed start still removes it
    await this.writeRecord();
    this.account = await createThrowawayUser(this.dir, name);
    this.privateKeyPath = this.account.privateKeyPath;
    this.publicKey = this.account.publicKey;
    this.hosts = specs.map(
      (spec, i) =>
        new NamespaceHost({ spec, addressing: addressing[i]!, dir: join(this.dir, spec.name), user: name, diagScript: this.diagScript }),
    );
    await Promise.all(this.hosts.map((host) => host.prepare()));
    for (const host of this.hosts) await host.enter();
    await this.writeRecord();
    await Promise.all(
      this.hosts.map(async (host) => {
        await host.configure();
        await host.startApache();
        await host.startSshd();
      }),
    );
  }

  host(name: string): RealHost {
    const host = this.hosts.find((h) => h.name === name);
    if (!host) throw new Error(`no fleet host named ${name} (hosts: ${this.hosts.map((h) => h.name).join(', ')})`);
    return host;
  }

  async knownHosts(): Promise<string> {
    const lines = await Promise.all(this.hosts.map((h) => h.knownHostsLine()));
    return lines.map((line) => `${line}\n`).join('');
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const errors: unknown[] = [];
    const attempt = async (step: () => Promise<unknown>) => step().catch((err: unknown) => void errors.push(err));
    await attempt(() => endNamespaces(this.namespaces(), this.dir));
    if (this.user) await attempt(() => removeThrowawayUser(this.user, this.dir));
    if (!this.keepDir) await attempt(() => rm(this.dir, { recursive: true, force: true }));
    await attempt(() => removeRecord(this.dir));
    if (errors.length > 0) throw new AggregateError(errors, `fleet ${this.dir}: teardown incomplete`);
  }

  private namespaces(): string[] {
    return this.hosts.map((h) => h.namespace).filter((ns): ns is string => ns !== null);
  }

  private writeRecord(): Promise<void> {
    return writeRecord({
      ownerPid: process.pid,
      ownerStartTime: startTimeOf(process.pid),
      user: this.user,
      dir: this.dir,
      namespaces: this.namespaces(),
    });
  }
}
