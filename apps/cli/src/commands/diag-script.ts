import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const ASSET = join('apps', 'collector', 'assets', 'driftwatch_diag.py');

/** The diagnostic WSGI script shipped with driftwatch, found from source or from dist/. */
export function readDiagScript(from: string = __dirname): Buffer {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, ASSET))) return readFileSync(join(dir, ASSET));
    if (dirname(dir) === dir) throw new Error(`cannot find ${ASSET} above ${from}`);
  }
}
