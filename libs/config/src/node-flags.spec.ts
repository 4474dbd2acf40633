import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_FLAGS } from './node-flags';

const ROOT = join(__dirname, '..', '..', '..');

describe('NODE_FLAGS', () => {
  it('start the driftwatch command', () => {
    const shebang = readFileSync(join(ROOT, 'bin', 'driftwatch.js'), 'utf8').split('\n')[0];
    expect(shebang).toBe(`#!/usr/bin/env -S node ${NODE_FLAGS.join(' ')}`);
  });

  it.each(['start', 'driftwatch', 'demo'])('start npm run %s', (script) => {
    const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts[script]).toContain(`node ${NODE_FLAGS.join(' ')} dist/`);
  });
});
