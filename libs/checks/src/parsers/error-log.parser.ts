import { CheckResult, Severity } from '../check';
import { lines } from '../util/text';
import { TIER_SEVERITY, WsgiTier, wsgiErrorCode } from './wsgi-error-codes';

/** One kind of error the log shows: stable across scans while the same errors recur. */
export interface ErrorLogEvent {
  /** `WSGI0028`, or a name for a message older mod_wsgi and Apache print (`daemon-not-configured`). */
  id: string;
  severity: Severity;
  /** What the lines mean and what to do, in the guide's terms. */
  message: string;
  /** Stable particulars (daemon group, module file, Python home, versions), sorted. */
  details: string[];
}

/** When and how often an event was seen in the tail read: changes with every new line. */
export interface ErrorLogOccurrence {
  count: number;
  /**
   * Apache's own timestamp of the first and last line in the tail (local time, as logged). A
   * line without Apache's prefix (Python's own stderr, which Apache writes to the same log)
   * takes the time of the last prefixed line before it.
   */
  firstAt: string | null;
  lastAt: string | null;
  lastLine: string;
}

export interface ErrorLogFacts {
  events: ErrorLogEvent[];
  /** By event id. Volatile: kept in the snapshot, left out of its hash and of drift. */
  occurrences: Record<string, ErrorLogOccurrence>;
}

interface Rule {
  id: string;
  severity: Severity;
  pattern: RegExp;
  /** The stable particular of a match, if any. */
  detail?: (m: RegExpExecArray) => string;
  message: string;
}

/** Messages of mod_wsgi before version 6 and of Apache itself, most specific first. */
const RULES: Rule[] = [
  {
    id: 'daemon-not-configured',
    severity: 'critical',
    pattern: /No WSGI daemon process called '([^']*)' has been configured/,
    detail: (m) => m[1],
    message: 'requests are mapped to a daemon process group that no WSGIDaemonProcess defines (WSGIProcessGroup or process-group= names it): define the group with WSGIDaemonProcess in the same virtual host, or fix the name.',
  },
  {
    id: 'daemon-socket-denied',
    severity: 'critical',
    pattern: /Permission denied: .*Unable to connect to WSGI daemon process '([^']*)'/,
    detail: (m) => m[1],
    message: "Apache's children cannot reach the daemon's UNIX socket (the runtime directory is not accessible to Apache's user): set WSGISocketPrefix to a directory they can enter, e.g. `WSGISocketPrefix run/wsgi`.",
  },
  {
    id: 'cannot-load-module',
    severity: 'critical',
    pattern: /Cannot load (\S+) into server/,
    detail: (m) => m[1],
    message: 'Apache could not load a module: the file is missing or a library it needs (often libpython) is not found; run ldd on it as the guide shows and fix the library path (envvars, ld.so.conf) or reinstall mod_wsgi for this Python.',
  },
  {
    id: 'python-home-inaccessible',
    severity: 'critical',
    pattern: /(?:Python home (\S+?) is not accessible|Unable to stat Python home (\S+?)\.? Python interpreter)/,
    detail: (m) => m[1] ?? m[2],
    message: 'WSGIPythonHome (or python-home=) names a directory Apache cannot reach: set it to the sys.prefix of the Python mod_wsgi was built for, readable by Apache\'s user along the whole path.',
  },
  {
    id: 'no-encodings-module',
    severity: 'critical',
    pattern: /No module named '?encodings'?/,
    message: "Python started without its standard library (No module named 'encodings'): WSGIPythonHome points at the wrong place, or at a Python of another version than mod_wsgi was built for; fix WSGIPythonHome or rebuild mod_wsgi.",
  },
  {
    id: 'daemon-segfault',
    severity: 'critical',
    pattern: /exit signal Segmentation fault/,
    message: 'an Apache child or mod_wsgi daemon process crashed with a segmentation fault: usually a C extension that does not work in a sub-interpreter (try WSGIApplicationGroup %{GLOBAL}) or a shared library conflict between Apache modules and Python extensions.',
  },
  {
    id: 'truncated-response-headers',
    severity: 'warning',
    pattern: /Truncated or oversized response headers received from daemon process '([^']*)'/,
    detail: (m) => m[1],
    message: 'a daemon process closed the connection before sending whole response headers: it most likely crashed (look for a segmentation fault) or a header is larger than header-buffer-size=.',
  },
  {
    id: 'daemon-response-failed',
    severity: 'warning',
    pattern: /Failed to proxy response from daemon/,
    message: 'the response from a daemon process broke off after it had begun: the daemon process died or was restarted in the middle of a response (a crash, maximum-requests, request-timeout=, an OOM kill) and the client got a cut body; look for the daemon\'s exit in the log around that time.',
  },
  {
    id: 'response-header-timeout',
    severity: 'warning',
    pattern: /Timeout when reading response headers from daemon process '([^']*)'/,
    detail: (m) => m[1],
    message: 'a daemon process did not answer within socket-timeout=: requests are slow or the daemon is stuck (deadlock); add processes/threads or set request-timeout=.',
  },
];

const VERSION_MISMATCH_ID = 'python-version-mismatch';

/** `[Mon Dec 07 05:59:36.123456 2026] [wsgi:error] [pid 1:tid 2] …` (2.4) or `[Mon Dec 07 05:59:36 2026] [error] …` (2.2). */
const LINE = /^\[(?:[A-Z][a-z]{2} )?([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}:\d{2}:\d{2})(\.\d+)? (\d{4})\] \[(?:([A-Za-z0-9_]*):)?([a-z]+\d?)\]/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const LEVEL_TIER: Record<string, WsgiTier> = { emerg: 'emerg', alert: 'alert', crit: 'crit', error: 'error', warn: 'warn' };

interface LineHead {
  at: string | null;
  level: string | null;
}

function head(line: string): LineHead {
  const m = LINE.exec(line);
  if (!m) return { at: null, level: null };
  const month = MONTHS.indexOf(m[1]) + 1;
  const at = month > 0 ? `${m[5]}-${String(month).padStart(2, '0')}-${m[2].padStart(2, '0')}T${m[3]}${m[4] ?? ''}` : null;
  return { at, level: m[7] };
}

class Collector {
  readonly events = new Map<string, ErrorLogEvent>();
  readonly occurrences: Record<string, ErrorLogOccurrence> = Object.create(null) as Record<string, ErrorLogOccurrence>;

  see(event: Omit<ErrorLogEvent, 'details'>, detail: string | undefined, at: string | null, line: string): void {
    let known = this.events.get(event.id);
    if (!known) this.events.set(event.id, (known = { ...event, details: [] }));
    if (detail !== undefined && !known.details.includes(detail)) known.details.push(detail);
    const o = this.occurrences[event.id];
    if (!o) this.occurrences[event.id] = { count: 1, firstAt: at, lastAt: at, lastLine: line.slice(0, 500) };
    else {
      o.count++;
      o.firstAt ??= at;
      if (at !== null) o.lastAt = at;
      o.lastLine = line.slice(0, 500);
    }
  }
}

function codeEvent(code: string, level: string | null): Omit<ErrorLogEvent, 'details'> {
  const entry = wsgiErrorCode(code);
  const tier = entry?.tier ?? (level !== null ? LEVEL_TIER[level] : undefined) ?? 'error';
  const message = entry
    ? `mod_wsgi ${code}: ${entry.cause}. Action: ${entry.action}.`
    : `mod_wsgi ${code} (not in driftwatch's catalogue; logged at ${level ?? 'an unknown level'}): look the code up in mod_wsgi's error reference.`;
  return { id: code, severity: TIER_SEVERITY[tier], message };
}

/**
 * Turns error log lines (a file's tail, or `journalctl -o cat` output) into events with their
 * last occurrence and count. Lines that match nothing (access noise, application prints) are
 * ignored: an empty log is `ok` with no events. Pure.
 */
export function parseErrorLog(text: string): CheckResult<ErrorLogFacts> {
  const out = new Collector();
  let compiled: { version: string; at: string | null; line: string } | null = null;
  let lastAt: string | null = null;
  for (const line of lines(text)) {
    if (line.trim() === '') continue;
    const { at: own, level } = head(line);
    const at: string | null = own ?? lastAt;
    lastAt = at;
    const code = /\b(WSGI\d{4})\b/.exec(line)?.[1];
    if (code) {
      out.see(codeEvent(code, level), undefined, at, line);
      continue;
    }
    const compiledFor = /Compiled for Python\/(\d+\.\d+)/.exec(line);
    if (compiledFor) {
      compiled = { version: compiledFor[1], at, line };
      continue;
    }
    const runtime = /Runtime using Python\/(\d+\.\d+)/.exec(line);
    if (runtime && compiled && compiled.version !== runtime[1]) {
      out.see(
        {
          id: VERSION_MISMATCH_ID,
          severity: 'critical',
          message: `mod_wsgi was compiled for Python ${compiled.version} but runs with Python ${runtime[1]}: rebuild mod_wsgi against the Python you run, or install the mod_wsgi package built for it.`,
        },
        `${compiled.version}→${runtime[1]}`,
        at,
        line,
      );
      continue;
    }
    for (const rule of RULES) {
      const m = rule.pattern.exec(line);
      if (!m) continue;
      out.see({ id: rule.id, severity: rule.severity, message: rule.message }, rule.detail?.(m), at, line);
      break;
    }
  }
  const events = [...out.events.values()].map((e) => ({ ...e, details: [...e.details].sort() })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { status: 'ok', facts: { events, occurrences: out.occurrences } };
}
