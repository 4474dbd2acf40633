import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Path of a file under apps/collector/assets, found from source (ts-jest) or from dist/: the
 * build does not copy assets, so walk up from `from` until the repository's copy appears.
 */
export function collectorAssetPath(name: string, from: string = __dirname): string {
  const relative = join('apps', 'collector', 'assets', name);
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, relative))) return join(dir, relative);
    if (dirname(dir) === dir) throw new Error(`cannot find ${relative} above ${from}`);
  }
}
