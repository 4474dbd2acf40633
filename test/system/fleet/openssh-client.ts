/**
 * Logging in to fleet hosts with the real OpenSSH client, host keys always checked against a
 * known_hosts file the test wrote (StrictHostKeyChecking=yes, no user or global config read).
 */
import { writeFile } from 'node:fs/promises';
import { ExecResult, run } from './processes';
import type { RealFleet, RealHost } from './real-fleet';

/** Writes known_hosts with the current key of each host; returns its path. */
export async function writeKnownHosts(path: string, hosts: readonly RealHost[]): Promise<string> {
  const lines = await Promise.all(hosts.map((h) => h.knownHostsLine()));
  await writeFile(path, lines.map((l) => `${l}\n`).join(''), { mode: 0o600 });
  return path;
}

export interface SshOptions {
  knownHostsPath: string;
  input?: string;
  timeoutMs?: number;
}

/** `ssh user@host command` as the fleet user with the fleet's client key. */
export function sshExec(fleet: RealFleet, host: RealHost, command: string, options: SshOptions): Promise<ExecResult> {
  const args = [
    '-F', '/dev/null',
    '-o', 'BatchMode=yes',
    '-o', 'StrictHostKeyChecking=yes',
    '-o', `UserKnownHostsFile=${options.knownHostsPath}`,
    '-o', 'GlobalKnownHostsFile=/dev/null',
    '-o', 'IdentitiesOnly=yes',
    '-o', 'ConnectTimeout=10',
    '-i', fleet.privateKeyPath,
    '-p', String(host.sshPort),
    '-l', fleet.user,
    host.address,
    command,
  ];
  return run('ssh', args, { input: options.input, timeoutMs: options.timeoutMs ?? 30_000 });
}
