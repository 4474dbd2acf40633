import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { CHECKS, buildProbeScript } from '@driftwatch/checks';
import { debian12EventProfile } from '@driftwatch/lab';
import { writeProfileTree } from '../../apps/lab/src/workspace/profile-tree';
import { Target, TargetHost } from './target';

/** OpenSSH's compile-time MAX_LISTEN_SOCKS: one sshd listens on at most 16 addresses. */
const ADDRESSES_PER_SSHD = 16;
const PORT = 2222;

/** 127.0.200.1 … 127.0.200.250, 127.0.201.1, …: clear of the lab's and the system suite's ranges. */
function addressOf(index: number): string {
  return `127.0.${200 + Math.floor(index / 250)}.${(index % 250) + 1}`;
}

function run(command: string, args: string[]): string {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function listening(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: address, port: PORT });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

async function waitListening(addresses: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pending = addresses;
  while (pending.length) {
    const up = await Promise.all(pending.map(listening));
    pending = pending.filter((_, i) => !up[i]);
    if (!pending.length) return;
    if (Date.now() > deadline) throw new Error(`sshd not listening on ${pending.length} addresses, e.g. ${pending[0]}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * N real OpenSSH sshd "hosts" on loopback addresses, port 2222, one sshd per 16 addresses.
 * Logins are a throwaway user (shell /bin/sh, no rc files) whose home is a lab profile tree;
 * sshd's SetEnv puts the tree's stub tools first in PATH, so the real probe runs cheaply.
 * Every sshd is started in the foreground (-D) and stopped by its pid.
 */
export async function startSshdTarget(count: number): Promise<Target> {
  if (!existsSync('/usr/sbin/sshd')) throw new Error('no /usr/sbin/sshd: apt-get install openssh-server');
  const taken = await Promise.all([addressOf(0), addressOf(count - 1)].map(listening));
  if (taken.some(Boolean)) throw new Error(`something already listens on 127.0.200.x:${PORT}; is another benchmark running?`);

  const root = mkdtempSync('/tmp/driftwatch-bench-sshd-');
  chmodSync(root, 0o755);
  const user = `dwbench${randomBytes(3).toString('hex')}`;
  const sshds: ChildProcess[] = [];
  let userCreated = false;
  let madeRunSshd = false;

  const stop = async (): Promise<void> => {
    await Promise.all(
      sshds.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
    if (userCreated) run('userdel', [user]);
    if (madeRunSshd) rmSync('/run/sshd', { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
  };

  try {
    const home = join(root, 'home');
    writeProfileTree(home, home, debian12EventProfile());
    run('chmod', ['-R', 'a+rX', home]);
    run('useradd', ['--system', '--no-create-home', '--home-dir', home, '--shell', '/bin/sh', user]);
    userCreated = true;
    run('usermod', ['-p', '*', user]); // '*' rather than '!': not "locked" for sshd without PAM

    const hostKey = join(root, 'ssh_host_ed25519_key');
    const clientKey = join(root, 'client_ed25519');
    run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'driftwatch-bench-host', '-f', hostKey]);
    run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'driftwatch-bench-client', '-f', clientKey]);
    writeFileSync(join(root, 'authorized_keys'), readFileSync(`${clientKey}.pub`), { mode: 0o644 });
    const fingerprint = run('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${hostKey}.pub`]).split(' ')[1];
    const publicHostKey = readFileSync(`${hostKey}.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
    if (!existsSync('/run/sshd')) {
      mkdirSync('/run/sshd', { mode: 0o755 });
      madeRunSshd = true;
    }

    const hosts: TargetHost[] = Array.from({ length: count }, (_, i) => ({
      name: `h${String(i + 1).padStart(4, '0')}`,
      address: addressOf(i),
      port: PORT,
      hostKey: fingerprint,
    }));
    const common = [
      `HostKey ${hostKey}`,
      `AuthorizedKeysFile ${join(root, 'authorized_keys')}`,
      `AllowUsers ${user}`,
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin no',
      'UsePAM no',
      'StrictModes no',
      'UseDNS no',
      // The default 10:30:100 drops connections when 50 arrive at once.
      'MaxStartups 4000:90:8000',
      'PrintMotd no',
      'PrintLastLog no',
      'X11Forwarding no',
      'AllowTcpForwarding no',
      'LogLevel ERROR',
      `SetEnv PATH=${home}/bin:/usr/bin:/bin DRIFTWATCH_PROBE_DIRS= DRIFTWATCH_PROC= DRIFTWATCH_OS_RELEASE=${home}/etc/os-release`,
    ];
    for (let first = 0; first < count; first += ADDRESSES_PER_SSHD) {
      const shard = hosts.slice(first, first + ADDRESSES_PER_SSHD);
      const config = join(root, `sshd_config.${first / ADDRESSES_PER_SSHD}`);
      writeFileSync(config, [...common, ...shard.map((h) => `ListenAddress ${h.address}:${PORT}`), ''].join('\n'));
      const child = spawn('/usr/sbin/sshd', ['-D', '-f', config, '-E', join(root, `sshd.${first / ADDRESSES_PER_SSHD}.log`)], { stdio: 'ignore' });
      sshds.push(child);
    }
    await waitListening(hosts.map((h) => h.address));

    // The OpenSSH peers run the same probe, saved as a file on the "host".
    const probeFile = join(root, 'probe.sh');
    writeFileSync(probeFile, buildProbeScript(CHECKS, randomBytes(16).toString('hex')).text, { mode: 0o644 });
    const knownHosts = join(root, 'known_hosts');
    writeFileSync(knownHosts, hosts.map((h) => `[${h.address}]:${PORT} ${publicHostKey}\n`).join(''));
    const sshConfig = join(root, 'ssh_config');
    writeFileSync(
      sshConfig,
      [
        'Host *',
        `  Port ${PORT}`,
        `  User ${user}`,
        `  IdentityFile ${clientKey}`,
        '  IdentitiesOnly yes',
        '  IdentityAgent none',
        '  BatchMode yes',
        '  StrictHostKeyChecking yes',
        `  UserKnownHostsFile ${knownHosts}`,
        '  GlobalKnownHostsFile /dev/null',
        '  LogLevel ERROR',
        '  ConnectTimeout 60',
        '',
      ].join('\n'),
    );
    const hostsFile = join(root, 'hosts.txt');
    writeFileSync(hostsFile, hosts.map((h) => `${user}@${h.address}:${PORT}\n`).join(''));
    const inventory = join(root, 'inventory.ini');
    writeFileSync(
      inventory,
      [
        '[fleet]',
        ...hosts.map((h) => `${h.name} ansible_host=${h.address}`),
        '',
        '[fleet:vars]',
        `ansible_port=${PORT}`,
        `ansible_user=${user}`,
        `ansible_ssh_private_key_file=${clientKey}`,
        `ansible_ssh_common_args='-F ${sshConfig}'`,
        '',
      ].join('\n'),
    );
    return {
      kind: 'sshd',
      username: user,
      privateKeyPath: clientKey,
      hosts,
      openssh: { sshConfig, hostsFile, inventory, probeCommand: `sh ${probeFile}` },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
