import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localProbeExecutor } from './local-probe-executor';

const LIMITS = { commandTimeoutMs: 20_000, maxOutputBytes: 1024 * 1024 };

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe(localProbeExecutor.name, () => {
  let dir: string;
  beforeAll(() => (dir = realpathSync(mkdtempSync(join(tmpdir(), 'dw-local-exec-')))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('feeds the script to sh -s and keeps stdout, stderr and the exit code apart', async () => {
    const result = await localProbeExecutor(LIMITS, { cwd: dir }).run('echo out; echo err >&2; pwd; exit 3\n', {});
    expect(result).toMatchObject({ outcome: 'ok', exitCode: 3, stdoutTruncated: false, stderrTruncated: false });
    expect(result.stdout.toString()).toBe(`out\n${dir}\n`);
    expect(result.stderr.toString()).toBe('err\n');
  });

  it('keeps at most maxOutputBytes per stream, hands the hook only what it keeps, and marks the cut', async () => {
    const seen: Buffer[] = [];
    const script = 'i=0; while [ $i -lt 2000 ]; do echo 0123456789; echo x >&2; i=$((i+1)); done\n';
    const result = await localProbeExecutor({ ...LIMITS, maxOutputBytes: 100 }).run(script, { onStdout: (chunk) => void seen.push(chunk) });
    expect(result).toMatchObject({ outcome: 'ok', exitCode: 0, stdoutTruncated: true, stderrTruncated: true });
    expect(result.stdout.toString()).toBe('0123456789\n'.repeat(10).slice(0, 100));
    expect(result.stderr.length).toBe(100);
    expect(Buffer.concat(seen).equals(result.stdout)).toBe(true);
  });

  it('past the timeout ends the shell and what it started, keeping the output so far', async () => {
    const result = await localProbeExecutor({ ...LIMITS, commandTimeoutMs: 500 }).run('sleep 60 & echo "bg $!"; wait\n', {});
    expect(result.outcome).toBe('timeout');
    expect(result.error).toBe('the probe did not finish within 500 ms');
    const pid = Number(/^bg (\d+)$/m.exec(result.stdout.toString())![1]);
    for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 20));
    expect(alive(pid)).toBe(false);
  });

  it('reports a shell that cannot start as failed', async () => {
    const result = await localProbeExecutor(LIMITS, { shell: join(dir, 'no-such-sh') }).run('true\n', {});
    expect(result.outcome).toBe('failed');
    expect(result.error).toMatch(/^cannot run .*no-such-sh: .*ENOENT/);
  });
});
