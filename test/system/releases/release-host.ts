/**
 * A host running another Debian release: a private mount namespace whose root is an overlay
 * on a cached release root (release-roots.ts), so the host writes only to its own upper layer
 * and the cache stays as built. The release's own sshd (on the host's loopback address) and its
 * own Apache with mod_wsgi run chrooted into it, so an SSH login there, and everything the probe
 * runs, see that release's binaries, libraries and dpkg database. Processes are ended by pid;
 * the namespace, and with it every mount, goes when its holder ends.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { shellQuote } from '@driftwatch/checks';
import { isAlive, isPortFree, ROOT_ENV, runOk, sleep, terminate, waitForTcp } from '../fleet/processes';
import type { Release } from './release-roots';

const SSH_PORT = 2222;

/**
 * The environment of commands run as root inside a release host. No APACHE_STARTED_BY_SYSTEMD:
 * sid's apache2ctl then runs httpd in the foreground; with a fresh /run there is no systemd to
 * hand over to either.
 */
const CHROOT_ENV: NodeJS.ProcessEnv = ROOT_ENV;

export interface ReleaseHostOptions {
  name: string;
  release: Release;
  /** The cached root (read only: the host's changes go to its own layer). */
  root: string;
  address: string;
  /** The login user created inside, and the public key it accepts. */
  user: string;
  publicKey: string;
  /** The host's own directory (overlay layers, logs). */
  dir: string;
  /** The host key to serve (an upgraded host keeps its identity); a fresh one otherwise. */
  hostKey?: HostKeyFiles;
  /** Which Apache runs: the release's package (default), or the one built into /usr/local/apache2. */
  apache?: 'packaged' | 'source-built';
  /**
   * The release's systemd-journald runs in the host (journal root flavour), and the packaged
   * Apache runs as systemd runs a unit's main process: `apache2 -DFOREGROUND`, its stdout and
   * stderr a pipe to `systemd-cat`, all in a cgroup `…/system.slice/apache2.service`, so
   * journald stamps what Apache writes to stderr `_SYSTEMD_UNIT=apache2.service` from the cgroup.
   * A pipe, not journald's stream socket itself (systemd's StandardError=journal): Apache opens
   * `ErrorLog /dev/stderr` by name, and Linux refuses to open a socket through /proc/self/fd/2
   * ("(6)No such device or address: AH00091: could not open error log file /dev/stderr").
   */
  journal?: boolean;
  /**
   * systemd is the host's init (systemd root flavour): PID 1 of the host's own PID namespace,
   * in a cgroup of its own on the machine's hierarchies, with sshd beside it in that namespace.
   * The packaged Apache is its unit apache2.service (`systemctl start`), not started by hand.
   */
  init?: 'systemd';
}

/** How each Apache is configured, started and found running. */
const APACHES = {
  packaged: {
    configure: (address: string) => [`printf 'Listen ${address}:8080\\n' > /etc/apache2/ports.conf`, 'a2dissite -q 000-default >/dev/null'],
    start: '. /etc/apache2/envvars && apache2ctl start </dev/null >/var/log/apache2/start.log 2>&1',
    stop: '. /etc/apache2/envvars && apache2ctl stop </dev/null >/dev/null 2>&1',
    pidFile: '/run/apache2/apache2.pid',
  },
  'source-built': {
    configure: (address: string) => [
      `sed -i 's/^Listen 80$/Listen ${address}:8080/' /usr/local/apache2/conf/httpd.conf`,
      `printf '%s\\n' 'ServerName ${address}' 'LoadModule wsgi_module modules/mod_wsgi.so' >> /usr/local/apache2/conf/httpd.conf`,
    ],
    start: '/usr/local/apache2/bin/apachectl -k start </dev/null >/usr/local/apache2/logs/start.log 2>&1',
    stop: '/usr/local/apache2/bin/apachectl -k stop </dev/null >/dev/null 2>&1',
    pidFile: '/usr/local/apache2/logs/httpd.pid',
  },
} as const;

export interface HostKeyFiles {
  privateKey: string;
  publicKey: string;
}

/** Where the machine's cgroup v2 hierarchy is mounted (/sys/fs/cgroup, or /sys/fs/cgroup/unified on a hybrid machine). */
function cgroup2Mount(): string {
  const line = readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .find((l) => l.split(' ')[2] === 'cgroup2');
  if (!line) throw new Error('no cgroup2 hierarchy is mounted: a journal host needs one for its unit cgroup');
  return line.split(' ')[1];
}

/** Removes a cgroup and the ones systemd made under it, deepest first (their processes are gone). */
async function removeCgroupTree(dir: string): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) if (entry.isDirectory()) await removeCgroupTree(join(dir, entry.name));
  await rmdir(dir).catch(() => undefined);
}

export class ReleaseHost {
  readonly sshPort = SSH_PORT;
  private holder: ChildProcess | null = null;
  private sshd: ChildProcess | null = null;
  private journald: ChildProcess | null = null;
  /** The journal host's slice and unit cgroup on the machine's cgroup2 hierarchy (seen at the same path inside). */
  private slice: string | null = null;
  /** A systemd host: its PID 1 as the machine sees it, and the cgroups it runs under. */
  private initPid: number | null = null;
  private initCgroups: string[] = [];
  private readonly merged: string;
  private readonly apache: (typeof APACHES)[keyof typeof APACHES];

  private constructor(readonly options: ReleaseHostOptions) {
    this.merged = join(options.dir, 'merged');
    this.apache = APACHES[options.apache ?? 'packaged'];
  }

  get name(): string {
    return this.options.name;
  }

  get address(): string {
    return this.options.address;
  }

  static async start(options: ReleaseHostOptions): Promise<ReleaseHost> {
    if ((options.journal || options.init) && (options.apache ?? 'packaged') !== 'packaged') throw new Error('a journal or systemd host runs the packaged Apache as apache2.service');
    const host = new ReleaseHost(options);
    try {
      await host.enter();
      await host.configure();
      if (options.journal) await host.startJournald();
      await host.startSshd();
      await host.startApache();
    } catch (error) {
      await host.stop();
      throw error;
    }
    return host;
  }

  /** Runs `script` with /bin/sh as root inside the host (its root, its binaries). */
  async sh(script: string, timeoutMs = 60_000): Promise<string> {
    const result = await runOk('nsenter', [...this.enterArgs(), '--', 'chroot', this.merged, '/bin/sh', '-c', script], { env: CHROOT_ENV, timeoutMs });
    return result.stdout;
  }

  /** The version of a package as the host's own dpkg database has it. */
  async dpkgVersion(pkg: string): Promise<string> {
    return (await this.sh(`dpkg-query -W -f '\${Version}' ${shellQuote(pkg)}`)).trim();
  }

  async hostKeyFingerprint(): Promise<string> {
    const line = await this.sh('ssh-keygen -l -E sha256 -f /etc/ssh/ssh_host_ed25519_key.pub');
    return line.split(/\s+/)[1];
  }

  async hostKeyFiles(): Promise<HostKeyFiles> {
    return { privateKey: await this.sh('cat /etc/ssh/ssh_host_ed25519_key'), publicKey: await this.sh('cat /etc/ssh/ssh_host_ed25519_key.pub') };
  }

  /**
   * Sets the variables sshd gives every session of the host (`SetEnv`, replacing earlier ones)
   * and makes sshd re-read its configuration: on SIGHUP it executes itself again, same pid.
   */
  async setSessionEnvironment(vars: Record<string, string>): Promise<void> {
    const lines = Object.entries(vars).map(([name, value]) => shellQuote(`SetEnv ${name}=${value}`));
    await this.sh(`sed -i '/^SetEnv /d' /etc/ssh/sshd_config.driftwatch${lines.length ? ` && printf '%s\\n' ${lines.join(' ')} >> /etc/ssh/sshd_config.driftwatch` : ''}`);
    process.kill(this.sshd!.pid!, 'SIGHUP');
    await sleep(500);
    await waitForTcp(this.address, SSH_PORT, 15_000, () => this.sshd?.exitCode === null);
  }

  /**
   * Stops and starts Apache, so that upgraded binaries and modules run. mod_wsgi daemon
   * processes still serving a request can outlive the parent's pid file by their
   * shutdown-timeout, holding the listening socket: the start waits until the port is free.
   */
  async restartApache(): Promise<void> {
    if (this.options.init) {
      await this.sh('systemctl stop apache2');
      await this.startApache();
      return;
    }
    await this.sh(`${this.apache.stop}; while [ -e ${this.apache.pidFile} ]; do sleep 0.1; done`);
    for (let waited = 0; !(await isPortFree(this.address, 8080)) && waited < 15_000; waited += 100) await sleep(100);
    await this.startApache();
  }

  async stop(): Promise<void> {
    if (this.initPid && isAlive(this.initPid)) {
      // The namespace's init: every process of the host (Apache, sshd, the sessions) ends with it.
      process.kill(this.initPid, 'SIGKILL');
      await terminate([this.initPid]);
    }
    for (const cgroup of this.initCgroups) await removeCgroupTree(cgroup);
    this.initPid = null;
    this.initCgroups = [];
    if (this.holder?.pid && isAlive(this.holder.pid)) {
      const apache = await this.sh(`cat ${this.apache.pidFile} 2>/dev/null || true`).catch(() => '');
      const pids = [Number(apache.trim()), this.sshd?.pid].filter((pid): pid is number => !!pid && isAlive(pid));
      await terminate(pids);
      // What is left in the unit's cgroup (systemd-cat, a daemon process still stopping), then journald.
      if (this.slice) await terminate(await this.unitPids());
      if (this.journald?.pid && isAlive(this.journald.pid)) await terminate([this.journald.pid]);
      await terminate([this.holder.pid]);
    }
    if (this.slice) await removeCgroupTree(this.slice);
    this.sshd = null;
    this.journald = null;
    this.slice = null;
    this.holder = null;
    await rm(this.options.dir, { recursive: true, force: true });
  }

  /** The namespace: the overlay over the cached root, with /proc, /dev and fresh /run and /tmp. */
  private async enter(): Promise<void> {
    const { dir, root } = this.options;
    for (const layer of ['upper', 'work', 'merged']) await mkdir(join(dir, layer), { recursive: true });
    const m = shellQuote(this.merged);
    const mounts = [
      `mount -t overlay overlay -o ${shellQuote(`lowerdir=${root},upperdir=${join(dir, 'upper')},workdir=${join(dir, 'work')}`)} ${m}`,
      `mount -t proc proc ${m}/proc`,
      `mount --rbind /dev ${m}/dev`,
      `mount -t tmpfs tmpfs ${m}/run`,
      `mount -t tmpfs tmpfs ${m}/tmp`,
      // journald finds its cgroup root (and each client's unit) under /sys/fs/cgroup.
      ...(this.options.journal || this.options.init ? [`mount --rbind /sys ${m}/sys`] : []),
      // systemd starts nothing that listens beyond the host's address: sshd and Apache are started by the host.
      ...(this.options.init ? [`rm -f ${m}/etc/systemd/system/multi-user.target.wants/ssh.service ${m}/etc/systemd/system/multi-user.target.wants/apache2.service`] : []),
      'echo ready',
      this.options.init ? `exec chroot ${m} /usr/bin/env container=driftwatch /lib/systemd/systemd` : 'exec sleep infinity',
    ].join(' && ');
    const holder = this.options.init ? await this.spawnInit(mounts) : spawn('unshare', ['-m', '--propagation', 'private', '--', '/bin/sh', '-c', mounts], { env: ROOT_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    this.holder = holder;
    await new Promise<void>((resolve, reject) => {
      let out = '';
      let err = '';
      holder.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()).includes('ready\n') && resolve());
      holder.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
      holder.once('exit', (code) => reject(new Error(`the namespace of ${this.name} did not come up (exit ${code}): ${err}`)));
      holder.once('error', reject);
    });
    if (this.options.init) await this.waitForInit();
  }

  /** nsenter's options for the host: its mount namespace, and on a systemd host its PID namespace too. */
  private enterArgs(): string[] {
    return this.initPid ? ['-t', String(this.initPid), '-m', '-p'] : ['-t', String(this.holder!.pid), '-m'];
  }

  /**
   * A new mount and PID namespace whose PID 1 runs `mounts` and then execs systemd, in a cgroup
   * of its own on every hierarchy systemd uses (name=systemd on a hybrid machine, and cgroup2),
   * so it manages that subtree, not the machine's.
   */
  private async spawnInit(mounts: string): Promise<ChildProcess> {
    const base = `driftwatch-${this.name}-${process.pid}`;
    this.initCgroups = ['/sys/fs/cgroup/systemd', cgroup2Mount()].filter((h, i, all) => all.indexOf(h) === i && existsSync(h)).map((h) => join(h, base));
    for (const cgroup of this.initCgroups) await mkdir(cgroup, { recursive: true });
    const into = this.initCgroups.map((c) => `echo $$ > ${shellQuote(join(c, 'cgroup.procs'))}`).join(' && ');
    const unshare = ['unshare', '-m', '-p', '--fork', '--propagation', 'private', '--', '/bin/sh', '-c', mounts].map(shellQuote).join(' ');
    return spawn('/bin/sh', ['-c', `${into} && exec ${unshare}`], { env: ROOT_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  }

  /** The host's PID 1 (unshare's child), then until systemd says the system is up. */
  private async waitForInit(): Promise<void> {
    for (let waited = 0; !this.initPid; waited += 50) {
      const children = await readFile(`/proc/${this.holder!.pid}/task/${this.holder!.pid}/children`, 'utf8').catch(() => '');
      this.initPid = Number(children.trim().split(/\s+/)[0]) || null;
      if (!this.initPid && waited > 10_000) throw new Error(`the init of ${this.name} did not start`);
      if (!this.initPid) await sleep(50);
    }
    let state = '';
    for (let waited = 0; waited < 30_000; waited += 200) {
      state = (await this.sh('systemctl is-system-running 2>&1 || true')).trim();
      if (state === 'running' || state === 'degraded') return;
      await sleep(200);
    }
    throw new Error(`systemd of ${this.name} did not come up: ${state}`);
  }

  /** The login user with its key, a host key of its own, sshd's and Apache's configuration. */
  private async configure(): Promise<void> {
    const { user, publicKey, address, hostKey } = this.options;
    const home = `/home/${user}`;
    await this.sh(
      [
        `id -u ${user} >/dev/null 2>&1 || useradd -m -s /bin/sh ${user}`,
        // No password, but not locked: without PAM, sshd refuses a locked account even a key login.
        `usermod -p '*' ${user}`,
        `install -d -m 0700 -o ${user} -g ${user} ${home}/.ssh`,
        `printf '%s\\n' ${shellQuote(publicKey)} > ${home}/.ssh/authorized_keys`,
        `chown ${user}:${user} ${home}/.ssh/authorized_keys && chmod 0600 ${home}/.ssh/authorized_keys`,
        'rm -f /etc/ssh/ssh_host_*',
        hostKey
          ? `printf '%s' ${shellQuote(hostKey.privateKey)} > /etc/ssh/ssh_host_ed25519_key && chmod 0600 /etc/ssh/ssh_host_ed25519_key && printf '%s' ${shellQuote(hostKey.publicKey)} > /etc/ssh/ssh_host_ed25519_key.pub`
          : `ssh-keygen -q -t ed25519 -N '' -C driftwatch-release-${this.name} -f /etc/ssh/ssh_host_ed25519_key`,
        'install -d -m 0755 /run/sshd && install -d -m 1777 /run/lock',
        `printf '%s\\n' ${[
          `ListenAddress ${address}:${SSH_PORT}`,
          'HostKey /etc/ssh/ssh_host_ed25519_key',
          'PidFile /run/sshd-driftwatch.pid',
          'UsePAM no',
          'PasswordAuthentication no',
          'KbdInteractiveAuthentication no',
          `AllowUsers ${user}`,
          'Subsystem sftp internal-sftp',
        ]
          .map(shellQuote)
          .join(' ')} > /etc/ssh/sshd_config.driftwatch`,
        ...this.apache.configure(address),
        ...(this.options.journal
          ? [
              'systemd-machine-id-setup >/dev/null 2>&1',
              'install -d /etc/systemd/journald.conf.d',
              // Persistent, as on Debian (/var/log/journal exists); nothing of the machine's kernel log, no syslog or wall.
              `printf '%s\\n' '[Journal]' Storage=persistent ReadKMsg=no ForwardToSyslog=no ForwardToWall=no > /etc/systemd/journald.conf.d/driftwatch.conf`,
            ]
          : []),
      ].join(' && '),
    );
  }

  private unitCgroup(): string {
    return join(this.slice!, 'system.slice', 'apache2.service');
  }

  private async unitPids(): Promise<number[]> {
    const procs = await readFile(join(this.unitCgroup(), 'cgroup.procs'), 'utf8').catch(() => '');
    return procs.split('\n').filter(Boolean).map(Number).filter(isAlive);
  }

  /**
   * The release's systemd-journald, not socket-activated (it binds /run/systemd/journal/* itself),
   * then `journalctl --flush` as systemd-journal-flush.service does, so it writes
   * /var/log/journal/<machine-id>/system.journal.
   */
  private async startJournald(): Promise<void> {
    this.slice = join(cgroup2Mount(), `driftwatch-${this.name}-${process.pid}.slice`);
    await mkdir(this.unitCgroup(), { recursive: true });
    const journald = spawn('nsenter', ['-t', String(this.holder!.pid), '-m', '--', 'chroot', this.merged, '/lib/systemd/systemd-journald'], {
      env: CHROOT_ENV,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.journald = journald;
    let log = '';
    journald.stderr!.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
    for (let waited = 0; !(await this.sh('test -S /run/systemd/journal/stdout && echo up || true')).includes('up'); waited += 100) {
      if (journald.exitCode !== null || waited > 15_000) throw new Error(`systemd-journald of ${this.name} did not start (exit ${journald.exitCode}): ${log}`);
      await sleep(100);
    }
    await this.sh('journalctl --flush');
  }

  private async startSshd(): Promise<void> {
    const sshd = spawn('nsenter', [...this.enterArgs(), '--', 'chroot', this.merged, '/usr/sbin/sshd', '-D', '-e', '-f', '/etc/ssh/sshd_config.driftwatch'], {
      env: CHROOT_ENV,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.sshd = sshd;
    let log = '';
    sshd.stderr!.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
    await waitForTcp(this.address, SSH_PORT, 15_000, () => sshd.exitCode === null).catch((error: Error) => {
      throw new Error(`sshd of ${this.name} did not listen: ${error.message}\n${log}`);
    });
  }

  private async startApache(): Promise<void> {
    if (this.options.init) {
      await this.sh('systemctl start apache2');
      await waitForTcp(this.address, 8080, 15_000);
      return;
    }
    if (this.options.journal) {
      // The shell moves itself into the unit's cgroup; Apache and systemd-cat start in it. The
      // directories apache2ctl would make first (a fresh /run has none).
      const unit = `echo $$ > ${shellQuote(join(this.unitCgroup(), 'cgroup.procs'))} && . /etc/apache2/envvars && install -d "$APACHE_RUN_DIR" && install -d -o "$APACHE_RUN_USER" "$APACHE_LOCK_DIR" && /usr/sbin/apache2 -DFOREGROUND </dev/null 2>&1 | systemd-cat -t apache2`;
      await this.sh(`sh -c ${shellQuote(unit)} </dev/null >/run/apache2-unit.log 2>&1 &`);
      await waitForTcp(this.address, 8080, 15_000).catch(async (error: Error) => {
        const why = await this.sh('cat /run/apache2-unit.log; journalctl -u apache2 --no-pager -q -o cat | tail -n 20').catch(() => '');
        throw new Error(`${error.message}\n${why}`);
      });
      return;
    }
    await this.sh(this.apache.start);
    await waitForTcp(this.address, 8080, 15_000);
  }
}
