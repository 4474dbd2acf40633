import { readFileSync } from 'node:fs';
import { collectorAssetPath } from '../../../collector/src/collector-asset';

/** The diagnostic WSGI script shipped with driftwatch, found from source or from dist/. */
export function readDiagScript(from: string = __dirname): Buffer {
  return readFileSync(collectorAssetPath('driftwatch_diag.py', from));
}
