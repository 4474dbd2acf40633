import { resolve } from 'node:path';
import type { MachineFacts } from './machine-facts';

/** bench/results in the source tree (the benchmark runs from dist/bench/…). */
export function resultsDir(): string {
  return resolve(__dirname, '..', '..', '..', 'bench', 'results');
}

/** The machine in a result's name: CPU vendor and family, and the core count ("intel-xeon-2c"). */
export function machineName(facts: Pick<MachineFacts, 'cpuModel' | 'cores'>): string {
  const words = facts.cpuModel
    .toLowerCase()
    .replace(/\((r|tm)\)/g, ' ')
    .split(/[^a-z0-9]+/)
    .filter((w) => w && !['cpu', 'processor', 'core', 'with', 'radeon', 'graphics'].includes(w));
  return `${words.slice(0, 2).join('-') || 'unknown'}-${facts.cores}c`;
}

/**
 * What a set of results is named after: the day it was measured and the machine
 * ("2026-12-07-intel-xeon-2c"), so runs of several machines sit side by side. Markdown goes to
 * results/<set>-<benchmark>.md, raw records to results/raw/<set>/.
 */
export function resultSetName(facts: Pick<MachineFacts, 'cpuModel' | 'cores' | 'takenAt'>): string {
  return `${facts.takenAt.slice(0, 10)}-${machineName(facts)}`;
}
