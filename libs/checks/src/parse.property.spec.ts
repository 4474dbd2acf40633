import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CheckStatus, RawSection } from './check';
import { evaluate } from './evaluate';
import { PARSE_KINDS, ParseKind, parseRaw } from './parse-kind';
import { CHECKS } from './registry';

/**
 * Properties of every parser: any string (control characters, lone surrogates, CR, BOM,
 * shuffled and mangled lines of real outputs) never makes a parser throw, and facts always
 * have the declared shape.
 */

type Shape = (v: unknown) => boolean;
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const str: Shape = (v) => typeof v === 'string';
const bool: Shape = (v) => typeof v === 'boolean';
const int: Shape = (v) => Number.isInteger(v);
const eq =
  (...values: unknown[]): Shape =>
  (v) =>
    values.includes(v);
const nullable =
  (s: Shape): Shape =>
  (v) =>
    v === null || s(v);
const arr =
  (s: Shape): Shape =>
  (v) =>
    Array.isArray(v) && v.every(s);
const rec =
  (s: Shape): Shape =>
  (v) =>
    isObject(v) && Object.values(v).every(s);
const or =
  (...ss: Shape[]): Shape =>
  (v) =>
    ss.some((s) => s(v));
const obj =
  (fields: Record<string, Shape>, optional: string[] = []): Shape =>
  (v) =>
    isObject(v) &&
    Object.keys(v).every((k) => k in fields) &&
    Object.entries(fields).every(([k, s]) => (Object.prototype.hasOwnProperty.call(v, k) ? s(v[k]) : optional.includes(k)));

const nstr = nullable(str);
const effectiveMutex = obj(
  { mechanism: nstr, from: nullable(eq('Mutex mpm-accept', 'Mutex default', 'AcceptMutex', 'WSGIAcceptMutex', 'APR default', 'MPM')), reason: str },
  ['reason'],
);
const pair = obj({ loaded: nstr, compiled: nstr });
const build = obj(
  {
    version: nstr,
    versionString: nstr,
    built: nstr,
    mmn: nstr,
    apr: pair,
    aprUtil: pair,
    pcre: pair,
    architecture: nstr,
    mpm: nstr,
    threaded: nullable(bool),
    forked: nullable(bool),
    defines: rec(or(str, eq(true))),
    serialize: arr(str),
  },
  ['pcre'],
);
const libpython = nullable(obj({ name: str, version: nstr, resolvedPath: nstr, found: nullable(bool) }));
const linkage = eq('shared', 'static', 'missing', 'unknown');
const linked = obj({ dependencies: arr(obj({ name: str, path: nstr, found: nullable(bool) })), libpython, linkage });
const elfNeeded = obj({ needed: arr(str), soname: nstr, rpath: nstr, runpath: nstr });
const runMutex = obj({ name: str, mechanism: nstr, dir: nstr, usingDefaults: bool });
const account = nullable(obj({ name: nstr, id: nullable(int) }));
const runtime = obj({
  processGroup: nstr,
  applicationGroup: nstr,
  mode: nullable(eq('embedded', 'daemon')),
  multithread: nullable(bool),
  multiprocess: nullable(bool),
  python: obj({ version: nstr, versionString: nstr, prefix: nstr, basePrefix: nstr, path: nullable(arr(str)) }),
  modWsgiVersion: nstr,
  packages: nullable(rec(str)),
  diagErrors: nullable(rec(str)),
});
const wsgiConfig = obj({
  pythonHome: nstr,
  pythonPath: nullable(arr(str)),
  daemonProcesses: arr(obj({ name: str, processes: nullable(int), threads: nullable(int), options: rec(str) })),
  processGroup: nstr,
  processGroups: arr(str),
  applicationGroup: nstr,
  scriptAliases: arr(obj({ directive: str, urlPath: str, script: str, options: rec(str) })),
  loadModule: nstr,
  loadFiles: arr(str),
  modPython: nstr,
  perInterpreterGil: nstr,
  freeThreading: nstr,
  unreadableFiles: arr(str),
  configSource: nullable(eq('dump', 'walk')),
});
const childSet = { users: arr(str), threads: nullable(arr(int)), libpython: nullable(arr(str)), pythonLib: nullable(arr(str)) };
const processSet = { ...childSet, count: int };
const configure = obj({ installBuildDir: nstr, configure: nstr, configureArgs: nullable(arr(str)), environment: rec(str) });
const packages = obj({ manager: nstr, packages: rec(str), apache: nstr, modWsgi: nstr, python: nstr });

const errorLogFields = {
  events: arr(obj({ id: str, severity: eq('info', 'warning', 'critical'), message: str, details: arr(str) })),
  occurrences: rec(obj({ count: int, firstAt: nstr, lastAt: nstr, lastLine: str })),
};
const errorLog = obj(errorLogFields);

const KIND_SHAPES: Record<ParseKind, Shape> = {
  'httpd-V': build,
  'httpd-l': obj({ modules: arr(str) }),
  'httpd-M': obj({ modules: arr(obj({ name: str, origin: eq('static', 'shared') })), wsgiLoaded: bool }),
  'config-nice': configure,
  'apr-h': obj({ has: arr(str), use: arr(str), defaultMechanism: nstr }),
  'run-cfg': obj({
    serverRoot: nstr,
    documentRoot: nstr,
    errorLog: nstr,
    pidFile: nstr,
    mutexes: arr(runMutex),
    defines: rec(or(str, eq(true))),
    user: account,
    group: account,
  }),
  ldd: linked,
  otool: linked,
  readelf: elfNeeded,
  objdump: elfNeeded,
  'wsgi-diag': runtime,
  'mutex-error': obj({ directive: nstr, supported: bool, available: nullable(arr(str)) }),
  'wsgi-config': wsgiConfig,
  'dump-includes': obj({ files: arr(str) }),
  'apxs-q': obj({ values: arr(str) }),
  packages,
  'error-log': errorLog,
};

const CHECK_SHAPES: Record<string, Shape> = {
  'apache.build': build,
  'apache.configure': configure,
  'apache.compiled': KIND_SHAPES['httpd-l'],
  'apache.modules': KIND_SHAPES['httpd-M'],
  'apache.mutex': obj({
    defaultMechanism: nstr,
    defaultFrom: nullable(eq('apr.h', 'httpd -V')),
    available: nullable(arr(str)),
    mutexes: nullable(arr(runMutex)),
    directives: nullable(arr(obj({ name: str, args: arr(str), file: nstr }))),
    unreadableFiles: arr(str),
    configError: nstr,
    configErrorAt: nstr,
    aprHeader: nstr,
    aprHeaderWrapper: nstr,
    listed: arr(obj({ directive: eq('Mutex', 'AcceptMutex', 'WSGIAcceptMutex'), mechanisms: nullable(arr(str)), note: nstr })),
    acceptDirective: nullable(eq('Mutex', 'AcceptMutex')),
    apacheAccept: effectiveMutex,
    wsgiAccept: effectiveMutex,
  }),
  'modwsgi.linkage': obj({
    path: nstr,
    tool: eq('ldd', 'otool'),
    libpython,
    linkage,
    resolutions: rec(nstr),
    ldLibraryPathSensitive: nullable(bool),
    needed: nullable(arr(str)),
    neededFrom: nullable(eq('readelf', 'objdump')),
    runpath: nstr,
    apacheEnvironment: nullable(arr(obj({ source: eq('systemd', 'EnvironmentFile', 'sysconfig', 'envvars'), where: str, ldLibraryPath: nstr }))),
    resolvedBy: nstr,
  }),
  'python.runtime': runtime,
  'python.config': wsgiConfig,
  'python.home': obj({
    homes: arr(
      obj({
        path: str,
        setBy: str,
        user: nstr,
        uid: nullable(int),
        gids: nullable(arr(int)),
        exists: nullable(bool),
        directory: nullable(bool),
        libVersions: nullable(arr(str)),
        stdlibMissing: nullable(arr(str)),
        venv: nullable(obj({ version: nstr, home: nstr })),
        access: obj({ readable: nullable(bool), deniedAt: nullable(obj({ path: str, mode: str, uid: int, gid: int, acl: bool })), unknown: nstr }),
      }),
    ),
  }),
  'python.processes': obj({
    pidFile: str,
    running: bool,
    parentUser: nstr,
    titleLength: nullable(int),
    daemons: arr(obj({ ...processSet, command: str, group: nstr })),
    children: nullable(obj(childSet)),
    childCount: int,
    mapsUnknown: nstr,
  }),
  'packages.os': packages,
  'apache.errorlog': obj({ ...errorLogFields, source: eq('file', 'journal'), path: str, limitBytes: int, read: obj({ bytes: int, sizeBytes: nullable(int) }) }),
  'host.platform': obj({ os: nstr, osVersion: nstr, prettyName: nstr, kernel: nstr, arch: nstr }),
  // Each instance holds the results of the main server's own checks, of their own shapes.
  'apache.instances': (v) =>
    obj({
      instances: arr(
        obj({
          id: str,
          kind: eq('mod_wsgi-express', 'apache'),
          binary: str,
          via: eq('exe', 'cmdline', 'apachectl'),
          replacedOnDisk: bool,
          serverRoot: nstr,
          configFile: nstr,
          expressRoot: nstr,
          options: arr(obj({ option: str, value: str })),
          control: str,
          skipped: nstr,
          build: resultOf('apache.build'),
          modules: resultOf('apache.modules'),
          linkage: resultOf('modwsgi.linkage'),
          pythonHome: resultOf('python.home'),
        }),
      ),
    })(v),
};

/** A nested check result, well-formed as that check's own. */
function resultOf(id: string): Shape {
  return (v) => isObject(v) && wellFormed(v as { status: CheckStatus; facts: unknown }, CHECK_SHAPES[id]);
}

const STATUSES: CheckStatus[] = ['ok', 'failed', 'unavailable', 'skipped'];

/** A result is well-formed: a known status, facts of the right shape when ok, null otherwise. */
function wellFormed(result: { status: CheckStatus; reason?: string; facts: unknown }, shape: Shape): boolean {
  if (!STATUSES.includes(result.status)) return false;
  if (result.reason !== undefined && typeof result.reason !== 'string') return false;
  return result.status === 'ok' ? shape(result.facts) : result.facts === null;
}

// ---- inputs ------------------------------------------------------------------------------

const FIXTURES = join(__dirname, '../../../test/fixtures');

/** Every line of every captured output: real material for shuffled, mangled inputs. */
function fixtureLines(): string[] {
  const out = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(txt|stdout|stderr)$/.test(entry.name)) for (const line of readFileSync(path, 'utf8').split('\n')) out.add(line);
    }
  };
  walk(FIXTURES);
  return [...out];
}

const LINES = fixtureLines();
const SPECIAL = ['\u0000', '\u0007', '\u001b[0m', '\r', '\t', '\uFEFF', '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uFFFD', '"', "'", '\\', '(', ')', '=', ';;', ' => ', '@@'];
const char = fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), fc.constantFrom(...SPECIAL));
const garbage = fc.string({ unit: char, maxLength: 60 });
const PREFIXES = ['', '  ', '\t', '> ', '# ', '* ', '    # ', '//'];
const line = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(fc.constantFrom(...PREFIXES), fc.constantFrom(...LINES)).map(([p, l]) => p + l) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...LINES), fc.nat(), garbage).map(([l, cut, g]) => l.slice(0, cut % (l.length + 1)) + g) },
  { weight: 1, arbitrary: garbage },
);
const text = fc.oneof(
  garbage,
  fc.tuple(fc.array(line, { maxLength: 40 }), fc.constantFrom('\n', '\r\n', '\r')).map(([ls, nl]) => ls.join(nl)),
);

const PART_NAMES = ['tail', 'apr-h', 'build', 'apache-cfg', 'directives', 'unreadable', 'path', 'ldd', 'ldd-unset', 'ldd-apache-env', 'ldd-login', 'apache-env', 'login-env', 'readelf', 'objdump', 'cfg-walk', 'otool', 'installbuilddir', 'config.nice', 'uname', 'os-release', 'sw_vers', 'ps', 'proc', 'homes', 'instance', 'apache.build', 'apache.modules', 'modwsgi.linkage', 'python.home'];
const marker = fc
  .tuple(fc.constantFrom('TOKEN', 'OTHER'), fc.constantFrom('begin', 'end'), fc.constantFrom(...PART_NAMES), fc.option(fc.nat(255)))
  .map(([token, verb, name, rc]) => `--- dw:${token}:${verb} ${name}${verb === 'end' && rc !== null ? ` rc=${rc}` : ''}`);
/** Well-framed parts of real lines (and sometimes an unended one), as fragments print them. */
const framedParts = fc
  .array(fc.tuple(fc.constantFrom(...PART_NAMES), fc.array(line, { maxLength: 25 }), fc.boolean()), { maxLength: 6 })
  .map((parts) =>
    parts.map(([name, body, ended]) => [`--- dw:TOKEN:begin ${name}`, ...body, ...(ended ? ['', `--- dw:TOKEN:end ${name} rc=0`] : [])].join('\n')).join('\n'),
  );
/** apache.instances: an instance part, then checks' outputs prefixed `|` (their own parts, notes and real lines). */
const instanceParts = fc
  .array(
    fc.tuple(
      fc.tuple(fc.constantFrom('/etc/apache2/other.conf', '/tmp/mod_wsgi-x/httpd.conf', ''), fc.option(garbage)),
      fc.array(fc.tuple(fc.constantFrom('apache.build', 'apache.modules', 'modwsgi.linkage', 'python.home', 'other'), fc.array(fc.oneof(line, marker, fc.constant('@@DW:TOKEN:meta:unavailable=x@@')), { maxLength: 20 }), fc.boolean()), { maxLength: 5 }),
    ),
    { maxLength: 3 },
  )
  .map((instances) =>
    instances
      .map(([[id, extra], subs]) =>
        [
          '--- dw:TOKEN:begin instance',
          `id\t${id}`,
          `binary\t/usr/sbin/apache2`,
          ...(extra !== null ? [extra] : []),
          '--- dw:TOKEN:end instance rc=0',
          ...subs.map(([name, body, ended]) => [`--- dw:TOKEN:begin ${name}`, ...body.map((l) => `|${l}`), ...(ended ? [`--- dw:TOKEN:end ${name} rc=0`] : [])].join('\n')),
        ].join('\n'),
      )
      .join('\n'),
  );
const sectionText = fc.oneof(framedParts, instanceParts, fc.array(fc.oneof(line, marker), { maxLength: 60 }).map((ls) => ls.join('\n')));

const section = (id: string) =>
  fc.record({
    id: fc.constant(id),
    exitCode: fc.option(fc.nat(255)),
    stdout: sectionText,
    stderr: text,
    durationMs: fc.constant(null),
    truncated: fc.constant(false),
    meta: fc.dictionary(fc.constantFrom('cmd', 'manager', 'note', 'limit', 'size', 'source', 'path', 'pidFile', 'as', 'noproc'), garbage),
  }) as fc.Arbitrary<RawSection>;

// ---- properties --------------------------------------------------------------------------

describe('parsers on arbitrary input', () => {
  it('covers every parse kind and every check', () => {
    expect(Object.keys(KIND_SHAPES).sort()).toEqual([...PARSE_KINDS].sort());
    expect(Object.keys(CHECK_SHAPES).sort()).toEqual(CHECKS.map((c) => c.id).sort());
  });

  it.each(PARSE_KINDS.map((k) => [k]))('parseRaw(%s) never throws and gives well-formed facts', (kind) => {
    fc.assert(
      fc.property(text, (input) => wellFormed(parseRaw(kind, input), KIND_SHAPES[kind])),
      { numRuns: 300 },
    );
  });

  it.each(CHECKS.map((c) => [c.id, c] as const))('%s parse(section) never throws and gives well-formed facts', (id, check) => {
    fc.assert(
      fc.property(section(id), (s) => wellFormed(check.parse(s), CHECK_SHAPES[id])),
      { numRuns: 300 },
    );
  });

  it('evaluate() over arbitrary sections gives well-formed results and findings', () => {
    const sections = fc.tuple(...CHECKS.map((c) => section(c.id)));
    fc.assert(
      fc.property(sections, (all) => {
        const { results, findings } = evaluate(all);
        return (
          CHECKS.every((c) => wellFormed(results[c.id], CHECK_SHAPES[c.id])) &&
          findings.every((f) => str(f.id) && str(f.message) && eq('info', 'warning', 'critical')(f.severity) && results[f.checkId]?.status === 'ok')
        );
      }),
      { numRuns: 200 },
    );
  });
});
