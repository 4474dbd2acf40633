import { Check, CheckResult, CheckResults, Finding } from '../check';
import { failedWith } from '../util/failure';
import { okFacts } from '../util/findings';
import { setKey } from '../util/records';
import { parseSectionWith } from '../util/section';
import { cleanLines } from '../util/text';
import { ctlFragment } from './ctl-fragment';

export interface VersionPair {
  loaded: string | null;
  compiled: string | null;
}

export interface ApacheBuildFacts {
  version: string | null;
  versionString: string | null;
  built: string | null;
  mmn: string | null;
  apr: VersionPair;
  aprUtil: VersionPair;
  /** Only when the build prints PCRE on its "Server loaded" / "Compiled using" lines. */
  pcre?: VersionPair;
  architecture: string | null;
  /** Lowercase: prefork, worker, event, winnt…; null when Apache printed none (broken config). */
  mpm: string | null;
  threaded: boolean | null;
  forked: boolean | null;
  /** `-D NAME` → true, `-D NAME="value"` → value; a value cut mid-quote is left out. */
  defines: Record<string, string | true>;
  /** The APR_USE_*_SERIALIZE names in printed order: FLOCK, SYSVSEM, PROC_PTHREAD, PTHREAD… */
  serialize: string[];
}

/** "APR 1.7.6, APR-UTIL 1.6.3, PCRE 10.47 2025-10-21" → {APR: '1.7.6', 'APR-UTIL': …}. */
function libraryVersions(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    const m = /^\s*([A-Za-z][A-Za-z-]*)\s+(\S+)/.exec(part);
    if (m) out[m[1].toUpperCase()] = m[2];
  }
  return out;
}

function yesNo(value: string | undefined): boolean | null {
  if (!value) return null;
  return value.toLowerCase() === 'yes';
}

/** `"value"` → value, `value` → value, `"cut` → undefined (the output ended inside the quotes). */
function defineValue(raw: string): string | undefined {
  const v = raw.trim();
  if (!v.startsWith('"')) return v;
  return v.length >= 2 && v.endsWith('"') ? v.slice(1, -1) : undefined;
}

/**
 * Parses `httpd -V` (and the two-line `-v`). Keys are matched anywhere in a line and in any
 * order, after the quote/comment/bullet prefixes people add when pasting; stderr lines mixed
 * in are ignored.
 */
export function parseApacheBuild(text: string): CheckResult<ApacheBuildFacts> {
  const all = cleanLines(text);
  const field = (re: RegExp): string | undefined => {
    for (const line of all) {
      const m = re.exec(line);
      if (m) return m[1].trim();
    }
    return undefined;
  };
  const versionString = field(/Server version:\s*(.*)$/) || null;
  const version = versionString ? (/Apache\/(\d+(?:\.\d+)*)/.exec(versionString)?.[1] ?? null) : null;
  const loaded = libraryVersions(field(/Server loaded:\s*(.*)$/) ?? '');
  const compiled = libraryVersions(field(/Compiled using:\s*(.*)$/) ?? '');
  const mpm = field(/Server MPM:\s*(\S*)/);

  const defines: Record<string, string | true> = {};
  const serialize: string[] = [];
  for (const line of all) {
    const m = /^-D\s+([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?/.exec(line);
    if (!m) continue;
    const value = m[2] === undefined ? true : defineValue(m[2]);
    if (value === undefined) continue;
    setKey(defines, m[1], value);
    const s = /^APR_USE_([A-Z_]+)_SERIALIZE$/.exec(m[1]);
    if (s) serialize.push(s[1]);
  }

  const facts: ApacheBuildFacts = {
    version,
    versionString,
    built: field(/Server built:\s*(.*)$/) || null,
    mmn: field(/Module Magic Number:\s*(\S+)/) ?? null,
    apr: { loaded: loaded.APR ?? null, compiled: compiled.APR ?? null },
    aprUtil: { loaded: loaded['APR-UTIL'] ?? null, compiled: compiled['APR-UTIL'] ?? null },
    architecture: field(/Architecture:\s*(\S+)/) ?? null,
    mpm: mpm ? mpm.toLowerCase() : null,
    threaded: yesNo(field(/^threaded:\s*(yes|no)\b/i)),
    forked: yesNo(field(/^forked:\s*(yes|no)\b/i)),
    defines,
    serialize,
  };
  if (loaded.PCRE || compiled.PCRE) facts.pcre = { loaded: loaded.PCRE ?? null, compiled: compiled.PCRE ?? null };
  if (!versionString && !facts.mpm && Object.keys(defines).length === 0) {
    return failedWith('no Apache build information in the output', { stdout: text, stderr: '' });
  }
  return { status: 'ok', facts };
}

function aprMismatch(facts: ApacheBuildFacts): Finding[] {
  const pairs: [string, VersionPair][] = [
    ['APR', facts.apr],
    ['APR-UTIL', facts.aprUtil],
  ];
  return pairs
    .filter(([, p]) => p.loaded && p.compiled && p.loaded !== p.compiled)
    .map(([name, p]) => ({
      id: 'apr-loaded-compiled-mismatch',
      severity: 'warning' as const,
      checkId: 'apache.build',
      message: `Apache was compiled against ${name} ${p.compiled} but loads ${name} ${p.loaded} ("Server loaded" vs "Compiled using" in httpd -V): the runtime library differs from the one it was built with.`,
    }));
}

export const apacheBuildCheck: Check<ApacheBuildFacts> = {
  id: 'apache.build',
  title: 'Apache build information (httpd -V)',
  script: ctlFragment('-V'),
  parse: (section) => parseSectionWith(section, parseApacheBuild),
  findings(results: CheckResults) {
    const facts = okFacts<ApacheBuildFacts>(results, 'apache.build');
    return facts ? aprMismatch(facts) : [];
  },
};
