import { Check, CheckResult, CheckResults, Finding } from '../check';
import { failedWith } from '../util/failure';
import { okFacts } from '../util/findings';
import { PyValue, parsePythonLiteral } from '../util/python-literal';
import { setKey } from '../util/records';
import { parseSectionWith } from '../util/section';
import { cleanLines, leadingVersion } from '../util/text';

export interface PythonIdentity {
  /** The leading number of sys.version: "3.11.2". */
  version: string | null;
  /** All of sys.version. */
  versionString: string | null;
  prefix: string | null;
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
        path: strings(values.get('sys.path')),
      },
      modWsgiVersion: version(values.get('mod_wsgi.version')),
      packages: packages(values.get('packages')),
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
  if (facts.mode === 'embedded') {
    out.push({
      id: 'embedded-mode',
      severity: 'info',
      checkId: 'python.runtime',
      message:
        "mod_wsgi.process_group is empty: the application runs in embedded mode, inside Apache's child processes, not in a mod_wsgi daemon process group (WSGIDaemonProcess + WSGIProcessGroup).",
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
