/**
 * npm run bench -- --hosts N[,N…] [--target lab|sshd] [--peers] [--compare-fsync] [--compare-v8-defaults] [--reps R] [--concurrency C]
 *
 * Starts N target hosts, then runs driftwatch's full scan and the bare ssh2 fan-out (and with
 * --peers on sshd targets: parallel-ssh, parallel-ssh with curve25519 KEX, Ansible -m raw)
 * alternately against the same hosts, R times. Raw figures go to
 * bench/results/raw/<date>-fleet-<target>-<N>.json; bench/results/<date>-fleet.md is rebuilt
 * from every raw file of that date.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { machineFacts, peerVersions } from '../common/machine-facts';
import { resultSetName, resultsDir } from '../common/results';
import { startLabTarget } from './lab-target';
import { FleetRecord, writeFleetReport } from './report';
import { startSshdTarget } from './sshd-target';
import { Target } from './target';
import { runTool, ToolName, ToolRun } from './tools';

interface Options {
  hosts: number[];
  target: 'lab' | 'sshd';
  peers: boolean;
  reps: number;
  concurrency: number;
  compareFsync: boolean;
  compareV8Defaults: boolean;
}

function parseOptions(argv: string[]): Options {
  const o: Options = { hosts: [50], target: 'lab', peers: false, reps: 3, concurrency: 50, compareFsync: false, compareV8Defaults: false };
  for (let i = 0; i < argv.length; i++) {
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${argv[i - 1]} needs a value`);
      return v;
    };
    switch (argv[i]) {
      case '--hosts':
        o.hosts = value().split(',').map(Number);
        if (o.hosts.some((n) => !Number.isInteger(n) || n < 1 || n > 2500)) throw new Error('--hosts takes integers 1..2500');
        break;
      case '--target': {
        const t = value();
        if (t !== 'lab' && t !== 'sshd') throw new Error('--target is lab or sshd');
        o.target = t;
        break;
      }
      case '--peers':
        o.peers = true;
        break;
      case '--compare-fsync':
        o.compareFsync = true;
        break;
      case '--compare-v8-defaults':
        o.compareV8Defaults = true;
        break;
      case '--reps':
        o.reps = Number(value());
        break;
      case '--concurrency':
        o.concurrency = Number(value());
        break;
      default:
        throw new Error(`unknown option ${argv[i]}`);
    }
  }
  if (o.peers && o.target !== 'sshd') throw new Error('--peers needs --target sshd (the peers speak OpenSSH to real sshd)');
  return o;
}

function line(r: ToolRun): string {
  return `${r.tool.padEnd(11)} rep ${r.rep} wall ${(r.wallMs / 1000).toFixed(2)} s, cpu ${(r.cpuMs / 1000).toFixed(2)} s (${(r.cpuMs / r.hosts).toFixed(1)} ms/host), peak RSS ${r.peakRssMb.toFixed(0)} MB, complete ${r.complete}/${r.hosts}`;
}

async function benchOne(options: Options, count: number): Promise<void> {
  const facts = machineFacts();
  process.stderr.write(`== ${options.target} N=${count}: load ${facts.loadAverage.join(' ')}\n`);
  const target: Target = options.target === 'lab' ? await startLabTarget(count) : await startSshdTarget(count);
  // Interrupted: still stop every sshd, remove the user and the files.
  const interrupted = () => void target.stop().finally(() => process.exit(130));
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
  const work = mkdtempSync(join(tmpdir(), 'driftwatch-bench-'));
  const runs: ToolRun[] = [];
  try {
    const targetsFile = join(work, 'targets.json');
    writeFileSync(targetsFile, JSON.stringify({ kind: target.kind, username: target.username, privateKeyPath: target.privateKeyPath, hosts: target.hosts }));
    const tools: ToolName[] = [
      'driftwatch',
      'ssh2',
      ...(options.compareFsync ? (['driftwatch-fsync'] as const) : []),
      ...(options.compareV8Defaults ? (['driftwatch-v8-defaults'] as const) : []),
      ...(options.peers ? (['pssh', 'pssh-x25519', 'ansible'] as const) : []),
    ];
    for (let rep = 1; rep <= options.reps; rep++) {
      // Alternate, rotating who starts, so no tool always meets the same machine state.
      const order = tools.map((_, k) => tools[(k + rep - 1) % tools.length]);
      for (const tool of order) {
        const r = await runTool(tool, { target, targetsFile, concurrency: options.concurrency, rescan: tool === 'driftwatch' && rep === 1 }, rep);
        runs.push(r);
        process.stderr.write(`${line(r)}\n`);
      }
    }
  } finally {
    process.off('SIGINT', interrupted).off('SIGTERM', interrupted);
    await target.stop();
    rmSync(work, { recursive: true, force: true });
  }
  const record: FleetRecord = {
    facts,
    loadAverageAtEnd: machineFacts().loadAverage,
    versions: options.peers ? peerVersions() : {},
    target: options.target,
    hosts: count,
    concurrency: options.concurrency,
    reps: options.reps,
    command: `npm run bench -- --hosts ${count} --target ${options.target}${options.peers ? ' --peers' : ''}${options.compareFsync ? ' --compare-fsync' : ''}${options.compareV8Defaults ? ' --compare-v8-defaults' : ''} --reps ${options.reps} --concurrency ${options.concurrency}`,
    runs,
  };
  const set = resultSetName(facts);
  const raw = join(resultsDir(), 'raw', set);
  mkdirSync(raw, { recursive: true });
  writeFileSync(join(raw, `fleet-${options.target}-${count}${options.peers ? '-peers' : ''}.json`), `${JSON.stringify(record, null, 1)}\n`);
  process.stderr.write(`report: ${writeFleetReport(set)}\n`);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  for (const count of options.hosts) await benchOne(options, count);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
