import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PARSE_KINDS, ParseKind, parseRaw } from './parse-kind';

/**
 * Every captured output under test/fixtures has its expected result beside it
 * (`name.expected.json`), and this one parametrized spec checks them all. See
 * test/fixtures/README.md for the format and for which parser reads which directory.
 */
const FIXTURES = join(__dirname, '../../../test/fixtures');

/** raw/<dir> → parse kind, where the directory is not named after its kind. */
const DIR_KINDS: Record<string, ParseKind> = { mutex: 'mutex-error', 'express-module-config': 'wsgi-config' };

type Path = string | string[];

interface Expected {
  kind?: ParseKind;
  status: string;
  reasonIncludes?: string;
  /** Matched with toMatchObject: every listed key must equal, unlisted keys are not checked. */
  facts?: Record<string, unknown>;
  /** Paths into the facts that must not exist. */
  absent?: Path[];
  /** Paths into the facts whose array or object must have exactly this many entries. */
  lengths?: Record<string, number>;
}

interface Case {
  name: string;
  /** What the command printed: stdout, then stderr when it was kept apart. */
  text: string;
  kind: ParseKind | undefined;
  expected: Expected | undefined;
}

const OUTPUT = /\.(txt|stdout|stderr)$/;

function casesIn(dir: string, kind: ParseKind | undefined): Case[] {
  const bases = [...new Set(readdirSync(dir).filter((f) => OUTPUT.test(f)).map((f) => f.replace(OUTPUT, '')))].sort();
  return bases.map((base) => {
    const read = (ext: string) => (existsSync(join(dir, base + ext)) ? readFileSync(join(dir, base + ext), 'utf8') : '');
    const expectedFile = join(dir, `${base}.expected.json`);
    const expected: Expected | undefined = existsSync(expectedFile) ? JSON.parse(readFileSync(expectedFile, 'utf8')) : undefined;
    const stderr = read('.stderr');
    return {
      name: `${dir.slice(FIXTURES.length + 1)}/${base}`,
      text: read('.txt') + read('.stdout') + (stderr ? `\n${stderr}` : ''),
      kind: expected?.kind ?? kind,
      expected,
    };
  });
}

function allCases(): Case[] {
  const raw = join(FIXTURES, 'raw');
  const hosts = join(FIXTURES, 'hosts');
  return [
    ...readdirSync(raw, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .flatMap((d) => casesIn(join(raw, d.name), DIR_KINDS[d.name] ?? (d.name as ParseKind))),
    ...readdirSync(hosts, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .flatMap((d) => casesIn(join(hosts, d.name), undefined)),
  ];
}

function at(value: unknown, path: Path): unknown {
  const keys = Array.isArray(path) ? path : path.split('.');
  let v = value;
  for (const key of keys) {
    if (v === null || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, key)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

const CASES = allCases();

describe('fixtures', () => {
  it('finds the fixtures, each with an expected result and a known kind', () => {
    expect(CASES.length).toBeGreaterThan(90);
    const incomplete = CASES.filter((c) => !c.expected || !c.kind || !PARSE_KINDS.includes(c.kind)).map((c) => c.name);
    expect(incomplete).toEqual([]);
  });

  it.each(CASES.filter((c) => c.expected && c.kind).map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const expected = c.expected!;
    const result = parseRaw(c.kind!, c.text);
    expect({ status: result.status, reason: result.reason }).toEqual(
      expect.objectContaining({ status: expected.status, ...(expected.reasonIncludes ? { reason: expect.stringContaining(expected.reasonIncludes) } : {}) }),
    );
    if (expected.facts) expect(result.facts).toMatchObject(expected.facts);
    for (const path of expected.absent ?? []) expect(at(result.facts, path)).toBeUndefined();
    for (const [path, n] of Object.entries(expected.lengths ?? {})) {
      const v = at(result.facts, path);
      expect(Array.isArray(v) ? v.length : Object.keys(v ?? {}).length).toBe(n);
    }
  });

  it.each(CASES.filter((c) => c.kind).map((c) => [c.name, c] as const))('%s parses the same with CRLF line endings', (_name, c) => {
    expect(parseRaw(c.kind!, c.text.replace(/\n/g, '\r\n'))).toEqual(parseRaw(c.kind!, c.text));
  });
});
