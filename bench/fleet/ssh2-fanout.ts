/**
 * The floor driftwatch is compared with: a bare ssh2 client that connects to every host with
 * the same concurrency, verifies the host key, runs the same probe as ONE `sh -s` exec with the
 * script on stdin, and collects stdout/stderr — no parsing, no storage.
 *
 *   node dist/bench/fleet/ssh2-fanout.js TARGETS.json CONCURRENCY
 *
 * Prints one JSON line.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Client } from 'ssh2';
import { CHECKS, buildProbeScript } from '@driftwatch/checks';
import { peakRssMb } from '../common/process-meter';
import { TargetHost, TargetList } from './target';

function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

function probeOne(host: TargetHost, username: string, privateKey: Buffer, script: string): Promise<boolean> {
  return new Promise((resolve) => {
    const conn = new Client();
    let settled = false;
    const done = (ok: boolean) => {
      if (settled) return;
      settled = true;
      conn.end();
      resolve(ok);
    };
    conn.on('error', () => done(false));
    conn.on('ready', () => {
      conn.exec('sh -s', (err, stream) => {
        if (err) return done(false);
        const out: Buffer[] = [];
        let code: number | null = null;
        stream.on('data', (d: Buffer) => out.push(d));
        stream.stderr.on('data', () => undefined);
        stream.on('exit', (c: number | null) => (code = c));
        stream.on('close', () => done(code === 0 && Buffer.concat(out).length > 0));
        stream.end(script);
      });
    });
    conn.connect({
      host: host.address,
      port: host.port,
      username,
      privateKey,
      readyTimeout: 60_000,
      hostVerifier: (key: Buffer) => fingerprint(key) === host.hostKey,
    });
  });
}

async function main(): Promise<void> {
  const [targetsFile, concurrencyArg] = process.argv.slice(2);
  const targets = JSON.parse(readFileSync(targetsFile, 'utf8')) as TargetList;
  const concurrency = Number(concurrencyArg);
  const privateKey = readFileSync(targets.privateKeyPath);
  const script = buildProbeScript(CHECKS, randomBytes(16).toString('hex')).text;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let next = 0;
  let ok = 0;
  const worker = async () => {
    while (next < targets.hosts.length) {
      if (await probeOne(targets.hosts[next++], targets.username, privateKey, script)) ok++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, targets.hosts.length) }, worker));
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(`${JSON.stringify({ hosts: targets.hosts.length, ok, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, peakRssMb: peakRssMb() })}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
