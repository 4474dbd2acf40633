/**
 * One host of the real fleet: a private mount namespace in which the host's own copies of
 * /etc/apache2, /var/lib/apache2, /var/www and Apache's run, lock and log directories sit over
 * the machine's, with its own Apache and its own sshd running inside. Everything the host's
 * sshd spawns (the probe's `sh -s`, apache2ctl, ldd, curl) therefore sees this host's Apache.
 *
 * Why mount namespaces and not network namespaces: every 127.0.0.0/8 address already belongs
 * to the machine's loopback, so each host gets its own address (sshd on A:2222, Apache on
 * A:8080) with no veth pairs, routes or addresses to set up, and the collector under test
 * reaches every host directly from the machine's own network namespace. The price: the hosts
 * share one network stack, so a host's diagnostic URL is its own address (fleet hosts expose
 * it as `diagUrl`), not 127.0.0.1:80, and a host can reach the others' ports.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, readlinkSync } from 'node:fs';
import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fleetConf, HostAddressing, portsConf, siteConf, sshdConfig } from './host-config';
import { DIAG_PATH, FleetHostSpec } from './host-spec';
import {
  ExecResult,
  isAlive,
  mountNamespaceOf,
  pidsInMountNamespace,
  ROOT_ENV,
  run,
  runOk,
  sleep,
  waitForTcp,
} from './processes';
import type { RealHost } from './real-fleet';

const HOLDER_SCRIPT = join(__dirname, 'ns-holder.sh');
const CONFIGURE_SCRIPT = join(__dirname, 'configure-apache.sh');

/**
 * The environment of commands run on a host as root. APACHE_STARTED_BY_SYSTEMD keeps
 * `apache2ctl start` from handing over to the machine's systemd (and its own Apache) on
 * machines where systemd is PID 1.
 */
const HOST_ROOT_ENV: NodeJS.ProcessEnv = { ...ROOT_ENV, APACHE_STARTED_BY_SYSTEMD: 'true' };

const APACHE_READY_LINE = 'resuming normal operations';

export interface NamespaceHostOptions {
  spec: FleetHostSpec;
  addressing: HostAddressing;
  /** The host's directory (created by `prepare`). */
  dir: string;
  user: string;
  diagScript: string;
}

export class NamespaceHost implements RealHost {
  readonly name: string;
  readonly spec: FleetHostSpec;
  readonly address: string;
  readonly sshPort: number;
  readonly httpPort: number;
  readonly diagUrl: string;
  readonly dir: string;
  readonly logs: { sshd: string; apacheError: string };
  /** `mnt:[inode]` of the host's namespace, once entered. */
  namespace: string | null = null;

  private holderPid: number | null = null;
  private sshd: ChildProcess | null = null;
  private readonly hostKey: string;
  private readonly sshdConfigPath: string;

  constructor(private readonly options: NamespaceHostOptions) {
    const { spec, addressing, dir } = options;
    this.name = spec.name;
    this.spec = spec;
    this.address = addressing.address;
    this.sshPort = addressing.sshPort;
    this.httpPort = addressing.httpPort;
    this.diagUrl = `http://${addressing.address}:${addressing.httpPort}${DIAG_PATH}`;
    this.dir = dir;
    this.hostKey = join(dir, 'sshd', 'ssh_host_ed25519_key');
    this.sshdConfigPath = join(dir, 'sshd', 'sshd_config');
    this.logs = { sshd: join(dir, 'sshd', 'sshd.log'), apacheError: join(dir, 'log-apache2', 'error.log') };
  }

  /** Builds the host's directory from the machine's Apache tree (read, never written). */
  async prepare(): Promise<void> {
    const { dir, spec, addressing, user } = this.options;
    const d = (...parts: string[]) => join(dir, ...parts);
    await runOk('install', ['-d', '-m', '0755', dir, d('www', 'html'), d('www', 'driftwatch'), d('run-apache2'), d('sshd')]);
    await runOk('install', ['-d', '-o', 'www-data', '-m', '0755', d('run-apache2', 'socks'), d('lock-apache2')]);
    await runOk('install', ['-d', '-g', 'adm', '-m', '0750', d('log-apache2')]);
    await runOk('cp', ['-a', '/etc/apache2', d('etc-apache2')]);
    await runOk('cp', ['-a', '/var/lib/apache2', d('lib-apache2')]);

    await writeFile(d('etc-apache2', 'ports.conf'), portsConf(addressing));
    await writeFile(d('etc-apache2', 'conf-available', 'driftwatch-fleet.conf'), fleetConf(spec, addressing));
    await writeFile(d('etc-apache2', 'sites-available', 'driftwatch.conf'), siteConf(spec, addressing));
    await writeFile(d('www', 'html', 'index.html'), `<p>driftwatch real fleet: host ${spec.name}</p>\n`);
    await copyFile(this.options.diagScript, d('www', 'driftwatch', 'driftwatch_diag.py'));

    await writeFile(this.sshdConfigPath, sshdConfig(addressing, user, { hostKey: this.hostKey, pidFile: d('sshd', 'sshd.pid') }));
    await this.generateHostKey();
  }

  /** Creates the namespace: its first process mounts the host's tree and then stays idle. */
  async enter(): Promise<void> {
    const log = openSync(join(this.dir, 'holder.log'), 'a');
    const holder = spawn('unshare', ['-m', '--propagation', 'private', '--', '/bin/sh', HOLDER_SCRIPT, this.dir], {
      env: ROOT_ENV,
      stdio: ['ignore', 'pipe', log],
    });
    closeSync(log);
    await new Promise<void>((resolve, reject) => {
      let out = '';
      holder.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('ready\n')) resolve();
      });
      holder.once('error', reject);
      holder.once('exit', (code) =>
        reject(new Error(`host ${this.name}: namespace set-up exited ${code}: ${this.tail(join(this.dir, 'holder.log'))}`)),
      );
    });
    holder.stdout!.destroy();
    holder.unref();
    this.holderPid = holder.pid!;
    this.namespace = mountNamespaceOf(this.holderPid);
  }

  /** Sets the host's MPM, wsgi module and site with Debian's own tools, inside the namespace. */
  async configure(): Promise<void> {
    const result = await this.execFile('/bin/sh', [CONFIGURE_SCRIPT, this.spec.mpm, this.spec.wsgi]);
    if (result.code !== 0) throw new Error(`host ${this.name}: configure-apache.sh exited ${result.code}: ${result.stderr}`);
  }

  exec(command: string, options: { input?: string; timeoutMs?: number } = {}): Promise<ExecResult> {
    return this.execFile('/bin/sh', ['-c', command], options);
  }

  async startApache(): Promise<void> {
    await this.apache2ctl('start');
    await waitForTcp(this.address, this.httpPort, 15_000);
  }

  async stopApache(): Promise<void> {
    await this.apache2ctl('stop');
    await this.waitUntil(() => this.apachePids().length === 0, 15_000, 'Apache to exit');
  }

  /**
   * `apache2ctl graceful` (default) or `restart`, resolved once Apache has logged that it runs
   * the new configuration (so this relies on the default ErrorLog of the host).
   */
  async restartApache(graceful = true): Promise<void> {
    const before = this.apacheReadyCount();
    await this.apache2ctl(graceful ? 'graceful' : 'restart');
    await this.waitUntil(() => this.apacheReadyCount() > before, 15_000, 'Apache to reload its configuration');
  }

  async startSshd(): Promise<void> {
    if (this.sshdRunning()) return;
    const log = openSync(this.logs.sshd, 'a');
    const sshd = spawn('nsenter', ['-t', String(this.requireHolder()), '-m', '--', '/usr/sbin/sshd', '-D', '-e', '-f', this.sshdConfigPath], {
      env: ROOT_ENV,
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    sshd.unref();
    this.sshd = sshd;
    try {
      await waitForTcp(this.address, this.sshPort, 10_000, () => isAlive(sshd.pid!));
    } catch (err) {
      throw new Error(`host ${this.name}: sshd did not start (${(err as Error).message}): ${this.tail(this.logs.sshd)}`);
    }
  }

  /** Ends the listening sshd (sessions already open go on, as on a real host). */
  async stopSshd(): Promise<void> {
    const sshd = this.sshd;
    this.sshd = null;
    if (!sshd?.pid || !isAlive(sshd.pid)) return;
    process.kill(sshd.pid, 'SIGTERM');
    await this.waitUntil(() => !isAlive(sshd.pid!), 10_000, 'sshd to exit');
  }

  /** A new ed25519 host key; a running sshd is restarted to serve it. */
  async regenerateHostKey(): Promise<void> {
    const wasRunning = this.sshdRunning();
    await this.stopSshd();
    await this.generateHostKey();
    if (wasRunning) await this.startSshd();
  }

  /** `ssh-ed25519 AAAA…` (without comment), as a known_hosts line or a pinned key wants it. */
  async hostPublicKey(): Promise<string> {
    const [type, key] = (await readFile(`${this.hostKey}.pub`, 'utf8')).trim().split(/\s+/);
    return `${type} ${key}`;
  }

  /** OpenSSH's `SHA256:…` fingerprint of the current host key (what `ssh-keygen -l` prints). */
  async hostKeyFingerprint(): Promise<string> {
    const [, key] = (await this.hostPublicKey()).split(' ');
    const digest = createHash('sha256').update(Buffer.from(key!, 'base64')).digest('base64');
    return `SHA256:${digest.replace(/=+$/, '')}`;
  }

  /** `[address]:port ssh-ed25519 AAAA…`, one line of a known_hosts file. */
  async knownHostsLine(): Promise<string> {
    return `[${this.address}]:${this.sshPort} ${await this.hostPublicKey()}`;
  }

  private async generateHostKey(): Promise<void> {
    await rm(this.hostKey, { force: true });
    await rm(`${this.hostKey}.pub`, { force: true });
    await runOk('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `driftwatch-fleet-${this.name}`, '-f', this.hostKey]);
  }

  private execFile(file: string, args: string[], options: { input?: string; timeoutMs?: number } = {}): Promise<ExecResult> {
    return run('nsenter', ['-t', String(this.requireHolder()), '-m', '--', file, ...args], { env: HOST_ROOT_ENV, ...options });
  }

  private async apache2ctl(action: string): Promise<void> {
    const result = await this.exec(`apache2ctl ${action}`);
    if (result.code !== 0) {
      throw new Error(`host ${this.name}: apache2ctl ${action} exited ${result.code}: ${(result.stdout + result.stderr).trim()}`);
    }
  }

  private apachePids(): number[] {
    if (!this.namespace) return [];
    return pidsInMountNamespace(this.namespace).filter((pid) => {
      try {
        return readlinkSync(`/proc/${pid}/exe`) === '/usr/sbin/apache2';
      } catch {
        return false;
      }
    });
  }

  private apacheReadyCount(): number {
    try {
      return readFileSync(this.logs.apacheError, 'utf8').split(APACHE_READY_LINE).length - 1;
    } catch {
      return 0;
    }
  }

  private sshdRunning(): boolean {
    return !!this.sshd?.pid && isAlive(this.sshd.pid);
  }

  private requireHolder(): number {
    if (this.holderPid === null || !isAlive(this.holderPid)) throw new Error(`host ${this.name}: its namespace is not running`);
    return this.holderPid;
  }

  private async waitUntil(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`host ${this.name}: timed out after ${timeoutMs} ms waiting for ${what}`);
      await sleep(25);
    }
  }

  private tail(path: string): string {
    try {
      return readFileSync(path, 'utf8').trim().split('\n').slice(-10).join('\n');
    } catch {
      return '(no log)';
    }
  }
}
