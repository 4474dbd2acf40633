import { Check, CheckResult, CheckResults, Finding } from '../check';
import { failedWith } from '../util/failure';
import { okFacts } from '../util/findings';
import { PyValue, parsePythonLiteral } from '../util/python-literal';
import { setKey } from '../util/records';
import { parseSectionWith } from '../util/section';
import { cleanLines, leadingVersion } from '../util/text';
import type { ApacheBuildFacts } from './apache-build.check';
import type { ModWsgiLinkageFacts } from './modwsgi-linkage.check';
import type { DaemonProcess, PythonConfigFacts } from './python-config.check';
import { PythonProcessesFacts, usrMerged } from './python-processes.check';

export interface PythonIdentity {
  /** The leading number of sys.version: "3.11.2". */
  version: string | null;
  /** All of sys.version. */
  versionString: string | null;
  prefix: string | null;
  /** sys.base_prefix: the installation a venv was made from (equals prefix outside a venv). */
  basePrefix: string | null;
  path: string[] | null;
}

export interface PythonRuntimeFacts {
  processGroup: string | null;
  applicationGroup: string | null;
  /** embedded when mod_wsgi.process_group is empty, daemon otherwise. */
  mode: 'embedded' | 'daemon' | null;
  multithread: boolean | null;
  multiprocess: boolean | null;
  python: PythonIdentity;
  modWsgiVersion: string | null;
  /** Distributions importable by the application, name → version (our JSON only). */
  packages: Record<string, string> | null;
  /** Imports the diagnostic app tried beyond sys and could not make, name → error (our JSON only). */
  diagErrors: Record<string, string> | null;
}

/** The names both formats use: the guide's `name = repr(value)` lines and our JSON keys. */
const KEYS = new Set([
  'mod_wsgi.process_group',
  'mod_wsgi.application_group',
  'wsgi.multithread',
  'wsgi.multiprocess',
  'sys.version',
  'sys.prefix',
  'sys.path',
  'mod_wsgi.version',
  'packages',
  'sys.base_prefix',
  'diag.errors',
]);

function fromJson(text: string): Map<string, PyValue> | null {
  if (!text.trimStart().startsWith('{')) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
    return new Map(Object.entries(parsed as Record<string, PyValue>).filter(([k]) => KEYS.has(k)));
  } catch {
    return null;
  }
}

function fromReprLines(text: string): Map<string, PyValue> {
  const values = new Map<string, PyValue>();
  for (const line of cleanLines(text)) {
    const m = /^([A-Za-z_][\w.]*)\s*=\s*(.*)$/.exec(line);
    if (!m || !KEYS.has(m[1]) || values.has(m[1])) continue;
    values.set(m[1], unwrapRepr(parsePythonLiteral(m[2])?.value ?? m[2].trim()));
  }
  return values;
}

/** A string that is itself one whole quoted literal (a repr printed with %r) → its content. */
function unwrapRepr(value: PyValue): PyValue {
  if (typeof value !== 'string') return value;
  const inner = parsePythonLiteral(value);
  return inner && typeof inner.value === 'string' && inner.rest.trim() === '' && /^\s*[uUbB]?['"]/.test(value) ? inner.value : value;
}

const str = (v: PyValue | undefined): string | null => (typeof v === 'string' ? v : null);

function bool(v: PyValue | undefined): boolean | null {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string' && /^(true|1)$/i.test(v)) return true;
  if (typeof v === 'string' && /^(false|0)$/i.test(v)) return false;
  return null;
}

function strings(v: PyValue | undefined): string[] | null {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : null;
}

function version(v: PyValue | undefined): string | null {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number')) return v.join('.');
  return null;
}

function packages(v: PyValue | undefined): Record<string, string> | null {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
  const out: Record<string, string> = {};
  for (const [name, ver] of Object.entries(v)) {
    if (typeof ver === 'string' || typeof ver === 'number') setKey(out, name, String(ver));
  }
  return out;
}

/**
 * Parses what the diagnostic WSGI script returns: the guide's `name = repr(value)` lines (any
 * subset, any order, aligned or not) or our own JSON (apps/collector/assets/driftwatch_diag.py).
 */
export function parsePythonRuntime(text: string): CheckResult<PythonRuntimeFacts> {
  const values = fromJson(text) ?? fromReprLines(text);
  if (values.size === 0) return failedWith('no diagnostic values in the response', { stdout: text, stderr: '' });
  const processGroup = str(values.get('mod_wsgi.process_group'));
  const versionString = str(values.get('sys.version'));
  return {
    status: 'ok',
    facts: {
      processGroup,
      applicationGroup: str(values.get('mod_wsgi.application_group')),
      mode: processGroup === null ? null : processGroup === '' ? 'embedded' : 'daemon',
      multithread: bool(values.get('wsgi.multithread')),
      multiprocess: bool(values.get('wsgi.multiprocess')),
      python: {
        version: versionString === null ? null : leadingVersion(versionString),
        versionString,
        prefix: str(values.get('sys.prefix')),
        basePrefix: str(values.get('sys.base_prefix')),
        path: strings(values.get('sys.path')),
      },
      modWsgiVersion: version(values.get('mod_wsgi.version')),
      packages: packages(values.get('packages')),
      diagErrors: packages(values.get('diag.errors')),
    },
  };
}

const SCRIPT = String.raw`
[ -n "$DW_DIAG_URL" ] || dw_unavailable 'no diagnostic URL is configured for this host'
case $DW_DIAG_URL in http://*|https://*) ;; *) dw_unavailable 'the diagnostic URL must start with http:// or https://' ;; esac
if dw_find curl; then
  dw_meta cmd "curl -fsS --max-time 20 --proto =http,https --url $DW_DIAG_URL"
  "$dw_found" -fsS --max-time 20 --proto =http,https --url "$DW_DIAG_URL"
elif dw_find wget; then
  dw_meta cmd "wget -q -O - -T 20 -- $DW_DIAG_URL"
  "$dw_found" -q -O - -T 20 -- "$DW_DIAG_URL"
else
  dw_py=$DW_PYTHON
  if [ -z "$dw_py" ] && dw_find python3 python python2; then dw_py=$dw_found; fi
  [ -n "$dw_py" ] || dw_unavailable 'no curl, wget or python to fetch the diagnostic URL'
  dw_meta cmd "$dw_py -c 'urlopen(sys.argv[1])' $DW_DIAG_URL"
  "$dw_py" -c 'import sys
try:
    from urllib.request import urlopen
except ImportError:
    from urllib2 import urlopen
getattr(sys.stdout, "buffer", sys.stdout).write(urlopen(sys.argv[1], timeout=20).read())' "$DW_DIAG_URL"
fi
`;

/** The standard modules driftwatch_diag.py imports after answering with sys (its STDLIB_SAMPLE). */
const STDLIB_SAMPLE = ['os', 're', 'json', 'codecs'];

function runtimeFindings(results: CheckResults): Finding[] {
  const facts = okFacts<PythonRuntimeFacts>(results, 'python.runtime');
  if (!facts) return [];
  const out: Finding[] = [];
  if (facts.multithread === true) {
    out.push({
      id: 'multithreaded-app',
      severity: 'info',
      checkId: 'python.runtime',
      message: 'wsgi.multithread is True: the application runs in a multithreaded environment, so its code and any framework it uses must be thread-safe.',
    });
  }
  const config = okFacts<PythonConfigFacts>(results, 'python.config');
  if (facts.mode === 'embedded' && config && config.daemonProcesses.length > 0) {
    out.push({
      id: 'embedded-not-daemon',
      severity: 'warning',
      checkId: 'python.runtime',
      message: `mod_wsgi.process_group is empty: the application runs in embedded mode although the configuration defines daemon process groups (${config.daemonProcesses.map((d) => d.name).join(', ')}). Delegate it with WSGIProcessGroup NAME (or process-group=NAME on its WSGIScriptAlias) in the context that serves it.`,
    });
  } else if (facts.mode === 'embedded') {
    out.push({
      id: 'embedded-mode',
      severity: 'info',
      checkId: 'python.runtime',
      message:
        "mod_wsgi.process_group is empty: the application runs in embedded mode, inside Apache's child processes, not in a mod_wsgi daemon process group (WSGIDaemonProcess + WSGIProcessGroup).",
    });
  }
  const stdlib = Object.entries(facts.diagErrors ?? {}).filter(([name]) => STDLIB_SAMPLE.includes(name));
  if (stdlib.length > 0) {
    out.push({
      id: 'stdlib-incomplete',
      severity: 'critical',
      checkId: 'python.runtime',
      message: `The diagnostic app answered with sys alone: importing ${stdlib
        .map(([name, error]) => `${name} failed (${error})`)
        .join('; ')}. The Python installation in use (sys.prefix ${facts.python.prefix ?? 'unknown'}) lacks a working lib/pythonX.Y standard library: point WSGIPythonHome (or python-home=) at the sys.prefix of a complete installation of the Python mod_wsgi was built for.`,
    });
  }
  out.push(...threadingFindings(facts, config, okFacts<ApacheBuildFacts>(results, 'apache.build')));
  out.push(...prefixFindings(facts, results));
  return out;
}

/**
 * The libpython the application's processes use: mapped in the processes of its daemon group
 * (or Apache's children in embedded mode) when the probe could read their maps, else what
 * mod_wsgi.so resolves to.
 */
function libpythonInUse(facts: PythonRuntimeFacts, results: CheckResults): { path: string; from: string } | null {
  const procs = okFacts<PythonProcessesFacts>(results, 'python.processes');
  const serving = facts.mode === 'daemon' ? procs?.daemons.find((d) => d.group === facts.processGroup) : facts.mode === 'embedded' ? procs?.children : undefined;
  const mapped = serving?.libpython;
  if (mapped && mapped.length === 1) return { path: mapped[0], from: 'mapped in the processes serving it' };
  const resolved = okFacts<ModWsgiLinkageFacts>(results, 'modwsgi.linkage')?.libpython?.resolvedPath;
  return resolved ? { path: resolved, from: 'as mod_wsgi.so resolves it' } : null;
}

/** The guide's /usr vs /usr/local case: libpython of one installation, the standard library of another. */
function prefixFindings(facts: PythonRuntimeFacts, results: CheckResults): Finding[] {
  const prefix = facts.python.basePrefix ?? facts.python.prefix;
  const lib = libpythonInUse(facts, results);
  if (!prefix || !lib || !lib.path.startsWith('/') || !prefix.startsWith('/')) return [];
  const root = prefix.replace(/\/+$/, '');
  // Merged /usr: ldd's /lib/… path is under prefix /usr.
  if (usrMerged(lib.path).startsWith(`${root}/`)) return [];
  return [
    {
      id: 'libpython-outside-prefix',
      severity: 'warning',
      checkId: 'python.runtime',
      message: `libpython is ${lib.path} (${lib.from}) but the application runs with sys.prefix ${facts.python.prefix}${facts.python.basePrefix && facts.python.basePrefix !== facts.python.prefix ? ` (base ${facts.python.basePrefix})` : ''}: the library of one Python installation runs with the standard library of another. Set WSGIPythonHome (or python-home=) to the prefix of the installation libpython belongs to, or rebuild mod_wsgi against the Python you want.`,
    },
  ];
}

interface Expected {
  multithread: boolean | null;
  /** null: either value is plausible (processes=1 written out, see below). */
  multiprocess: boolean | null;
  why: string;
}

/**
 * What the guide says the two flags should be. Embedded: multiprocess always, multithread under
 * a threaded MPM (worker, event) and not under prefork. Daemon: multithread unless threads=1,
 * multiprocess when processes=N>1. mod_wsgi also reports multiprocess for a written-out
 * processes=1, so that value is accepted either way.
 */
function expected(facts: PythonRuntimeFacts, config: PythonConfigFacts | null, build: ApacheBuildFacts | null): Expected | null {
  if (facts.mode === 'embedded') {
    const threaded = build?.mpm ? !/prefork/i.test(build.mpm) : (build?.threaded ?? null);
    return { multithread: threaded, multiprocess: true, why: `embedded mode under the ${build?.mpm ?? 'unknown'} MPM` };
  }
  if (facts.mode !== 'daemon' || !config) return null;
  const group: DaemonProcess | undefined = config.daemonProcesses.find((d) => d.name === facts.processGroup);
  if (!group) return null;
  const written = group.options.processes !== undefined;
  const multiprocess = group.processes === null ? null : group.processes > 1 ? true : written ? null : false;
  const multithread = group.threads === null ? null : group.threads !== 1;
  return { multithread, multiprocess, why: `daemon group ${group.name} with processes=${group.options.processes ?? '(default 1)'} threads=${group.options.threads ?? '(default 15)'}` };
}

function threadingFindings(facts: PythonRuntimeFacts, config: PythonConfigFacts | null, build: ApacheBuildFacts | null): Finding[] {
  const want = expected(facts, config, build);
  if (!want) return [];
  const out: Finding[] = [];
  for (const key of ['multithread', 'multiprocess'] as const) {
    const seen = facts[key];
    if (seen === null || want[key] === null || seen === want[key]) continue;
    out.push({
      id: `wsgi-${key}-unexpected`,
      severity: 'warning',
      checkId: 'python.runtime',
      message: `wsgi.${key} is ${seen ? 'True' : 'False'} but ${want.why} should give ${want[key] ? 'True' : 'False'}: the request was not served where the configuration says (another daemon group, another Apache, or a configuration not yet reloaded). Check WSGIProcessGroup and restart Apache after changing WSGIDaemonProcess.`,
    });
  }
  return out;
}

export const pythonRuntimeCheck: Check<PythonRuntimeFacts> = {
  id: 'python.runtime',
  title: 'Python runtime seen by the WSGI application (diagnostic URL)',
  script: SCRIPT,
  parse: (section) => parseSectionWith(section, parsePythonRuntime),
  findings: runtimeFindings,
};
