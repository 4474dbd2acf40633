import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHECKS, RawSection, buildProbeScript, evaluate, parseProbeOutput } from '@driftwatch/checks';
import { LabProfile, debian12EventProfile, withApacheVersion, withModule } from '@driftwatch/lab';
import { snapshotFromEvaluation } from '@driftwatch/snapshots';
import { labEnvironment } from '../../apps/lab/src/host/lab-command';
import { writeProfileTree } from '../../apps/lab/src/workspace/profile-tree';

export interface VariantSnapshot {
  name: string;
  hash: string;
  canonical: string;
  sections: RawSection[];
}

const VARIANTS: [string, (base: LabProfile) => LabProfile][] = [
  ['debian-12 event', (p) => p],
  ['+ headers', (p) => withModule(p, 'headers')],
  ['apache 2.4.72', (p) => withApacheVersion(p, '2.4.72')],
  ['apache 2.4.72 + headers', (p) => withModule(withApacheVersion(p, '2.4.72'), 'headers')],
  ['+ rewrite', (p) => withModule(p, 'rewrite')],
  ['apache 2.4.72 + rewrite', (p) => withModule(withApacheVersion(p, '2.4.72'), 'rewrite')],
];

/**
 * Real snapshots to store: each variant of a lab profile is probed for real (the probe run by
 * /bin/sh over the profile's stub tools, as on a lab host) and parsed, all in the same
 * directory so that only the variant's changes differ between them.
 */
export function variantSnapshots(): VariantSnapshot[] {
  const parent = mkdtempSync(join(tmpdir(), 'driftwatch-bench-variants-'));
  const dir = join(parent, 'host');
  try {
    return VARIANTS.map(([name, change]) => {
      rmSync(dir, { recursive: true, force: true });
      writeProfileTree(dir, dir, change(debian12EventProfile()));
      const nonce = randomBytes(16).toString('hex');
      const probe = buildProbeScript(CHECKS, nonce);
      const run = spawnSync('/bin/sh', ['-c', 'sh -s'], { input: probe.text, cwd: dir, env: labEnvironment({ hostDir: dir, username: 'bench' }), maxBuffer: 64 * 1024 * 1024 });
      const parsed = parseProbeOutput({ stdout: run.stdout.toString('utf8'), stderr: run.stderr.toString('utf8'), stdoutTruncated: false, stderrTruncated: false }, nonce, probe.checkIds);
      if (!parsed.complete) throw new Error(`variant ${name}: probe incomplete (${parsed.problem})`);
      const snapshot = snapshotFromEvaluation(evaluate(parsed.sections));
      return { name, hash: snapshot.hash, canonical: snapshot.canonical, sections: parsed.sections };
    });
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
}
