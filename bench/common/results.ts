import { resolve } from 'node:path';

/** bench/results in the source tree (the benchmark runs from dist/bench/…). */
export function resultsDir(): string {
  return resolve(__dirname, '..', '..', '..', 'bench', 'results');
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}
