import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { NODE_FLAGS } from '@driftwatch/config';
import { lastJsonLine, metered } from '../common/process-meter';
import type { DriftwatchRun } from './driftwatch-scan';
import { Target } from './target';

export type ToolName = 'driftwatch' | 'driftwatch-fsync' | 'driftwatch-v8-defaults' | 'ssh2' | 'pssh' | 'pssh-x25519' | 'ansible';

/** driftwatch as shipped, and the variants measured beside it to show what a choice is worth. */
type DriftwatchVariant = Extract<ToolName, `driftwatch${string}`>;

export interface ToolRun {
  tool: ToolName;
  rep: number;
  hosts: number;
  /** Hosts whose probe completed. */
  complete: number;
  wallMs: number;
  /** Collector-side CPU (user + sys) of the measured work. */
  cpuMs: number;
  peakRssMb: number;
  /** driftwatch only: the whole process (start, migrations, registration included), and the run's details. */
  processCpuMs?: number;
  driftwatch?: DriftwatchRun;
}

const DIST_BENCH = resolve(__dirname);

export interface ToolContext {
  target: Target;
  targetsFile: string;
  concurrency: number;
  rescan: boolean;
}

async function runDriftwatch(ctx: ToolContext, rep: number, variant: DriftwatchVariant): Promise<ToolRun> {
  const dir = mkdtempSync(join(tmpdir(), 'driftwatch-bench-db-'));
  try {
    // BENCH_CPU_PROF=<dir>: a V8 CPU profile of the measured driftwatch process, for finding where its CPU goes.
    const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [];
    // The flags driftwatch's launchers start Node with, except in the variant that measures Node's defaults.
    const nodeFlags = variant === 'driftwatch-v8-defaults' ? [] : NODE_FLAGS;
    const args = [process.execPath, ...nodeFlags, ...profile, join(DIST_BENCH, 'driftwatch-scan.js'), ctx.targetsFile, join(dir, 'bench.sqlite')];
    if (ctx.rescan) args.push('--rescan');
    if (variant === 'driftwatch-fsync') args.push('--synchronous-full');
    const m = await metered(args, { ...process.env, SCAN_CONCURRENCY: String(ctx.concurrency) });
    if (m.exitCode !== 0) throw new Error(`driftwatch scan failed (${m.exitCode}): ${m.stderr.slice(-2000)}`);
    const run = lastJsonLine<DriftwatchRun>(m.stdout);
    return {
      tool: variant,
      rep,
      hosts: run.hosts,
      complete: run.first.statuses.ok ?? 0,
      wallMs: run.first.wallMs,
      cpuMs: run.first.cpuUserMs + run.first.cpuSysMs,
      peakRssMb: run.peakRssMb,
      processCpuMs: m.cpuMs,
      driftwatch: run,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runSsh2(ctx: ToolContext, rep: number): Promise<ToolRun> {
  const m = await metered([process.execPath, join(DIST_BENCH, 'ssh2-fanout.js'), ctx.targetsFile, String(ctx.concurrency)]);
  if (m.exitCode !== 0) throw new Error(`ssh2 fan-out failed (${m.exitCode}): ${m.stderr.slice(-2000)}`);
  const r = lastJsonLine<{ hosts: number; ok: number; wallMs: number; cpuMs: number; peakRssMb: number }>(m.stdout);
  return { tool: 'ssh2', rep, hosts: r.hosts, complete: r.ok, wallMs: r.wallMs, cpuMs: r.cpuMs, peakRssMb: r.peakRssMb };
}

async function runOpenSshPeer(ctx: ToolContext, tool: 'pssh' | 'pssh-x25519' | 'ansible', rep: number): Promise<ToolRun> {
  const o = ctx.target.openssh;
  if (!o) throw new Error(`${tool} needs the sshd target`);
  const dir = mkdtempSync(join(tmpdir(), 'driftwatch-bench-peer-'));
  try {
    let command: string[];
    let env: NodeJS.ProcessEnv = process.env;
    let complete: (stdout: string) => number;
    if (tool === 'ansible') {
      command = ['ansible', 'all', '-i', o.inventory, '-m', 'raw', '-a', o.probeCommand, '-f', String(ctx.concurrency), '-o'];
      env = {
        ...process.env,
        ANSIBLE_HOME: join(dir, 'ansible'),
        ANSIBLE_LOCAL_TEMP: join(dir, 'ansible', 'tmp'),
        ANSIBLE_HOST_KEY_CHECKING: 'True',
        // Cold connections (no ControlPersist masters outliving the run), as the other tools.
        ANSIBLE_SSH_ARGS: '-o ControlMaster=no',
        ANSIBLE_NOCOLOR: '1',
        ANSIBLE_RETRY_FILES_ENABLED: 'False',
      };
      complete = (out) => out.split('\n').filter((l) => /\| CHANGED \| rc=0 \|/.test(l)).length;
    } else {
      const sshArgs = tool === 'pssh-x25519' ? `-F ${o.sshConfig} -o KexAlgorithms=curve25519-sha256` : `-F ${o.sshConfig}`;
      command = ['parallel-ssh', '-h', o.hostsFile, '-p', String(ctx.concurrency), '-t', '600', '-o', join(dir, 'out'), '-x', sshArgs, o.probeCommand];
      complete = (out) => out.split('\n').filter((l) => l.includes('[SUCCESS]')).length;
    }
    const m = await metered(command, env);
    return { tool, rep, hosts: ctx.target.hosts.length, complete: complete(m.stdout), wallMs: m.wallMs, cpuMs: m.cpuMs, peakRssMb: m.maxRssMb };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function runTool(tool: ToolName, ctx: ToolContext, rep: number): Promise<ToolRun> {
  switch (tool) {
    case 'driftwatch':
    case 'driftwatch-fsync':
    case 'driftwatch-v8-defaults':
      return runDriftwatch(ctx, rep, tool);
    case 'ssh2':
      return runSsh2(ctx, rep);
    default:
      return runOpenSshPeer(ctx, tool, rep);
  }
}
