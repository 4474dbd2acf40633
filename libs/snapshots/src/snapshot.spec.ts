import fc from 'fast-check';
import { canonicalJson, sha256Hex } from './canonical-json';
import { snapshotOf, withoutObserved } from './snapshot';

describe(canonicalJson.name, () => {
  it('sorts object keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: null } })).toBe('{"a":{"c":null,"d":[3,1]},"b":1}');
  });

  it('drops undefined members as JSON does', () => {
    expect(canonicalJson({ a: undefined, b: [undefined], f: () => 1, s: Symbol('s') })).toBe('{"b":[null]}');
    expect(canonicalJson([() => 1, NaN, -0, Infinity])).toBe('[null,null,0,null]');
  });

  // The text is what stored hashes were computed from: it must stay what it has always been.
  it('lists array-index keys first in numeric order, as JSON.stringify of a sorted copy does', () => {
    expect(canonicalJson({ b: 1, 10: 'ten', a: 2, 2: 'two', '01': 'x', '-1': 'y' })).toBe('{"2":"two","10":"ten","-1":"y","01":"x","a":2,"b":1}');
  });

  it('writes dates and other toJSON values as JSON.stringify does', () => {
    expect(canonicalJson({ z: new Date('2026-01-02T03:04:05Z'), a: { toJSON: () => 'custom' } })).toBe('{"a":"custom","z":"2026-01-02T03:04:05.000Z"}');
  });

  // The definition the hashes were computed by: a copy with keys inserted in sorted order.
  const sortedCopy = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sortedCopy);
    if (!value || typeof value !== 'object' || value instanceof Date) return value;
    const copy: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const key of Object.keys(value).sort()) if ((value as Record<string, unknown>)[key] !== undefined) copy[key] = sortedCopy((value as Record<string, unknown>)[key]);
    return copy;
  };

  it('writes any value exactly as JSON.stringify writes its sorted copy', () => {
    const key = fc.oneof(fc.string(), fc.constantFrom('0', '7', '10', '01', '-1', '1.5', '4294967294', '4294967295', 'toJSON'));
    const leaf = fc.oneof(fc.anything({ withObjectString: false }), fc.date(), fc.constantFrom(undefined, NaN, -0, Infinity, () => 1, Symbol('s')));
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('tree')), fc.dictionary(key.filter((k) => k !== '__proto__'), tie('tree'))),
    }));
    fc.assert(
      fc.property(tree, (value) => {
        expect(canonicalJson(value)).toBe(JSON.stringify(sortedCopy(value)));
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps a key named __proto__', () => {
    expect(canonicalJson(JSON.parse('{"__proto__":{"x":1},"a":1}'))).toBe('{"__proto__":{"x":1},"a":1}');
  });
});

describe(snapshotOf.name, () => {
  const content = (mpm: string, modules: string[]) => ({
    schemaVersion: 1,
    checks: { 'apache.build': { status: 'ok' as const, facts: { mpm, version: '2.4.71' } }, 'apache.modules': { status: 'ok' as const, facts: { modules } } },
    findings: [],
  });

  it('gives equal facts the same hash whatever the key order', () => {
    const a = snapshotOf(content('event', ['core', 'so']));
    const reordered = snapshotOf({ findings: [], checks: { 'apache.modules': { facts: { modules: ['core', 'so'] }, status: 'ok' }, 'apache.build': { facts: { version: '2.4.71', mpm: 'event' }, status: 'ok' } }, schemaVersion: 1 });
    expect(reordered.hash).toBe(a.hash);
    expect(a.hash).toBe(sha256Hex(a.canonical));
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives different facts, or a different module order, a different hash', () => {
    const a = snapshotOf(content('event', ['core', 'so']));
    expect(snapshotOf(content('prefork', ['core', 'so'])).hash).not.toBe(a.hash);
    expect(snapshotOf(content('event', ['so', 'core'])).hash).not.toBe(a.hash);
  });
});

describe(withoutObserved.name, () => {
  const content = (facts: unknown) => ({ schemaVersion: 1, probeRevision: 3, checks: { 'python.processes': { status: 'ok' as const, facts } }, findings: [] });
  const observed = { 'python.processes': ['childCount', 'children.threads', 'daemons[].threads'] };

  it('drops observed facts at the top level, nested, and in every element of a list, leaving the rest', () => {
    const before = content({ childCount: 9, children: { threads: [27], users: ['www-data'] }, daemons: [{ command: '(wsgi:a)', threads: [7], count: 2 }, { command: '(wsgi:b)', count: 1 }] });
    expect(withoutObserved(before, observed).checks['python.processes']!.facts).toEqual({
      children: { users: ['www-data'] },
      daemons: [{ command: '(wsgi:a)', count: 2 }, { command: '(wsgi:b)', count: 1 }],
    });
    // The stored content itself is left as it was.
    expect(before.checks['python.processes'].facts).toMatchObject({ childCount: 9, children: { threads: [27] } });
  });

  it('gives back the same object when no observed fact is there', () => {
    const plain = content({ children: null, daemons: [] });
    expect(withoutObserved(plain, observed)).toBe(plain);
  });

  it('makes two scans that differ only in thread counts one state', () => {
    const a = snapshotOf(content({ childCount: 3, children: { threads: [27] }, daemons: [{ command: '(wsgi:a)', threads: [7] }] }) as never);
    const b = snapshotOf(content({ childCount: 5, children: { threads: [26, 27] }, daemons: [{ command: '(wsgi:a)', threads: [5, 7] }] }) as never);
    expect(a.hash).toBe(b.hash);
    // Both say they hold observed facts (the store then keeps the newer ones); a content without says not.
    expect([a.hasObservedFacts, b.hasObservedFacts]).toEqual([true, true]);
    expect(snapshotOf(content({ children: null, daemons: [] }) as never).hasObservedFacts).toBe(false);
  });
});
