import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';

export interface MachineFacts {
  cpuModel: string;
  cores: number;
  ramGiB: number;
  kernel: string;
  node: string;
  sshd: string;
  loadAverage: [number, number, number];
  takenAt: string;
}

function versionOf(command: string, args: string[]): string {
  // `ssh -V` and `sshd -V` print their version on stderr (sshd then exits non-zero).
  const r = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) return 'not installed';
  return `${r.stdout}\n${r.stderr}`.split('\n').find((l) => l.trim())?.trim() ?? 'unknown';
}

/** What the figures depend on: recorded with every result. */
export function machineFacts(): MachineFacts {
  const model = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model ?? 'unknown';
  const [a, b, c] = loadavg();
  return {
    cpuModel: model.trim(),
    cores: cpus().length,
    ramGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: release(),
    node: process.version,
    sshd: versionOf('/usr/sbin/sshd', ['-V']),
    loadAverage: [a, b, c].map((x) => Math.round(x * 100) / 100) as [number, number, number],
    takenAt: new Date().toISOString(),
  };
}

export function peerVersions(): Record<string, string> {
  return {
    ansible: versionOf('ansible', ['--version']),
    pssh: versionOf('parallel-ssh', ['--version']),
    ssh: versionOf('ssh', ['-V']),
  };
}

export function factsTable(facts: MachineFacts): string {
  return [
    '| fact | value |',
    '|---|---|',
    `| CPU | ${facts.cpuModel} |`,
    `| cores | ${facts.cores} |`,
    `| RAM | ${facts.ramGiB} GiB |`,
    `| kernel | ${facts.kernel} |`,
    `| node | ${facts.node} |`,
    `| sshd | ${facts.sshd} |`,
    `| load average at start (1/5/15 min) | ${facts.loadAverage.join(' / ')} |`,
    `| started | ${facts.takenAt} |`,
  ].join('\n');
}
