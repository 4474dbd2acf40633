import { Check, CheckResult, RawSection } from '../check';
import { failedWith } from '../util/failure';
import { lines } from '../util/text';
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
  pcre?: VersionPair;
  architecture: string | null;
  mpm: string | null;
  threaded: boolean | null;
  forked: boolean | null;
  defines: Record<string, string | true>;
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

function unquote(value: string): string {
  const v = value.trim();
  return v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v;
}

/** Parses `httpd -V` (and the two-line `-v`). Keys are matched anywhere in a line, in any order. */
export function parseApacheBuild(text: string): CheckResult<ApacheBuildFacts> {
  const field = (re: RegExp): string | undefined => {
    for (const line of lines(text)) {
      const m = re.exec(line);
      if (m) return m[1].trim();
    }
    return undefined;
  };
  const versionString = field(/Server version:\s*(.*)$/) ?? null;
  const version = versionString ? (/Apache\/(\d+(?:\.\d+)*)/.exec(versionString)?.[1] ?? null) : null;
  const loaded = libraryVersions(field(/Server loaded:\s*(.*)$/) ?? '');
  const compiled = libraryVersions(field(/Compiled using:\s*(.*)$/) ?? '');
  const mpm = field(/Server MPM:\s*(\S*)/);

  const defines: Record<string, string | true> = {};
  const serialize: string[] = [];
  for (const line of lines(text)) {
    const m = /(?:^|\s)-D\s+([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?/.exec(line);
    if (!m) continue;
    defines[m[1]] = m[2] === undefined ? true : unquote(m[2]);
    const s = /^APR_USE_([A-Z_]+)_SERIALIZE$/.exec(m[1]);
    if (s) serialize.push(s[1]);
  }

  const facts: ApacheBuildFacts = {
    version,
    versionString,
    built: field(/Server built:\s*(.*)$/) ?? null,
    mmn: field(/Module Magic Number:\s*(\S+)/) ?? null,
    apr: { loaded: loaded.APR ?? null, compiled: compiled.APR ?? null },
    aprUtil: { loaded: loaded['APR-UTIL'] ?? null, compiled: compiled['APR-UTIL'] ?? null },
    architecture: field(/Architecture:\s*(\S+)/) ?? null,
    mpm: mpm ? mpm.toLowerCase() : null,
    threaded: yesNo(field(/threaded:\s*(yes|no)/i)),
    forked: yesNo(field(/forked:\s*(yes|no)/i)),
    defines,
    serialize,
  };
  if (loaded.PCRE || compiled.PCRE) facts.pcre = { loaded: loaded.PCRE ?? null, compiled: compiled.PCRE ?? null };
  if (!versionString && !facts.mpm && Object.keys(defines).length === 0) {
    return failedWith('no Apache build information in the output', { stdout: text, stderr: '' });
  }
  return { status: 'ok', facts };
}

export const apacheBuildCheck: Check<ApacheBuildFacts> = {
  id: 'apache.build',
  title: 'Apache build information (httpd -V)',
  script: ctlFragment('-V'),
  parse(section: RawSection) {
    const result = parseApacheBuild(section.stdout);
    return result.status === 'ok' ? result : failedWith('no Apache build information in the output', section);
  },
};
