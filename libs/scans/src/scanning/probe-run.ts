import { randomBytes } from 'node:crypto';
import { CHECKS, Evaluation, MarkerClock, ParsedProbe, ProbeOverrides, buildProbeScript, evaluate, parseProbeOutput } from '@driftwatch/checks';
import { Snapshot, snapshotFromEvaluation } from '@driftwatch/snapshots';
import type { ExecResult } from '@driftwatch/ssh';
import type { ProbeExecutor } from './probe-executor';

/** One probe run: what the executor returned, and what is needed to read it. */
export interface ProbeRun {
  result: ExecResult;
  nonce: string;
  checkIds: string[];
  markerTimes: Record<string, number>;
}

/** Builds the probe for these overrides with a fresh nonce and runs it once through `executor`. */
export async function runProbe(executor: ProbeExecutor, overrides: ProbeOverrides = {}): Promise<ProbeRun> {
  const nonce = randomBytes(16).toString('hex');
  const probe = buildProbeScript(CHECKS, nonce, overrides);
  const clock = new MarkerClock(nonce);
  const result = await executor.run(probe.text, { onStdout: (chunk) => clock.observe(chunk) });
  return { result, nonce, checkIds: probe.checkIds, markerTimes: clock.times };
}

/** What a finished probe run says about the host. */
export type ProbeReading =
  | { usable: false; error: string }
  | {
      usable: true;
      parsed: ParsedProbe;
      evaluation: Evaluation;
      snapshot: Snapshot;
      /** Every section framed, nothing cut, no check failed. */
      complete: boolean;
      /** Why the reading is not complete, when it is not. */
      problem?: string;
    };

/**
 * Parses, evaluates and snapshots one probe run; pure. A run in which no check produced a
 * result (ok or unavailable) is not usable: storing it would record a host that vanished.
 */
export function readProbe(run: ProbeRun): ProbeReading {
  const { result } = run;
  const parsed = parseProbeOutput(
    {
      stdout: result.stdout.toString('utf8'),
      stderr: result.stderr.toString('utf8'),
      stdoutTruncated: result.stdoutTruncated,
      stderrTruncated: result.stderrTruncated,
      markerTimes: run.markerTimes,
    },
    run.nonce,
    run.checkIds,
  );
  const evaluation = evaluate(parsed.sections);
  const results = Object.entries(evaluation.results);
  if (!results.some(([, r]) => r.status === 'ok' || r.status === 'unavailable')) {
    const why = parsed.problem ?? results.find(([, r]) => r.reason)?.[1].reason ?? 'no check produced a result';
    return { usable: false, error: `probe failed (exit ${result.exitCode ?? 'none'}): ${why}` };
  }
  const failed = results.filter(([, r]) => r.status === 'failed').map(([id]) => id);
  const complete = parsed.complete && failed.length === 0;
  const problem = complete ? undefined : [parsed.problem, failed.length ? `failed checks: ${failed.join(', ')}` : undefined].filter(Boolean).join('; ');
  return { usable: true, parsed, evaluation, snapshot: snapshotFromEvaluation(evaluation), complete, ...(problem !== undefined ? { problem } : {}) };
}
