import { Check, CheckResult, CheckResults, Finding } from '../check';
import { failedWith } from '../util/failure';
import { okFacts } from '../util/findings';
import { setKey } from '../util/records';
import { parseSectionWith } from '../util/section';
import { cleanLines } from '../util/text';
import { REQUIRE_CTL } from './ctl-fragment';

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
  /** Which Apache the probe chose and how (absent when parsing a pasted `httpd -V`). */
  discovery?: ApacheDiscovery;
}

export type DiscoveredBy = 'override' | 'running' | 'path' | 'fallback';

export interface ApacheDiscovery {
  discoveredBy: DiscoveredBy;
  /** The Apache command the checks ran (with `running`'s -d/-f when it has them). */
  control: string;
  /** The running server's binary; null when none runs or /proc is not there. */
  running: { binary: string; via: 'exe' | 'cmdline'; replacedOnDisk: boolean; serverRoot: string | null; configFile: string | null } | null;
  /** What PATH (then the usual directories) offers, which may be another Apache. */
  onPath: string | null;
  /** The apxs used, with the SBINDIR it was built for (`apxs -q SBINDIR`). */
  apxs: { path: string; sbindir: string | null; matches: boolean | null } | null;
}

const DISCOVERED_BY: readonly DiscoveredBy[] = ['override', 'running', 'path', 'fallback'];

/** The discovery notes the build check's script records (see SCRIPT). */
export function discoveryOf(meta: Readonly<Record<string, string>>): ApacheDiscovery | undefined {
  const by = meta.discoveredBy as DiscoveredBy;
  if (!DISCOVERED_BY.includes(by) || !meta.control) return undefined;
  const running = meta.runningBinary
    ? {
        binary: meta.runningBinary,
        via: meta.runningVia === 'exe' ? ('exe' as const) : ('cmdline' as const),
        replacedOnDisk: meta.runningReplaced === 'yes',
        serverRoot: meta.runningServerRoot || null,
        configFile: meta.runningConfig || null,
      }
    : null;
  const sbindir = meta.apxsSbindir ? meta.apxsSbindir.replace(/\/+$/, '') : null;
  const chosenDir = dirOf(running && by === 'running' ? running.binary : meta.control);
  return {
    discoveredBy: by,
    control: meta.control,
    running,
    onPath: meta.onPath || null,
    apxs: meta.apxs ? { path: meta.apxs, sbindir, matches: sbindir === null ? null : sbindir === chosenDir || sbindir === dirOf(meta.control) } : null,
  };
}

/** sh: what the prelude chose, as notes, then `-V` of it. */
const SCRIPT = [
  REQUIRE_CTL,
  'dw_meta discoveredBy "$dw_by"',
  'dw_meta control "$dw_ctl"',
  'dw_meta onPath "$dw_path_ctl"',
  'if [ -n "$dw_run_exe" ]; then',
  '  dw_meta runningBinary "$dw_run_exe"; dw_meta runningVia "$dw_run_via"; dw_meta runningReplaced "$dw_run_replaced"',
  '  dw_meta runningServerRoot "$dw_run_d"; dw_meta runningConfig "$dw_run_f"',
  'fi',
  'if [ -n "$dw_apxs" ]; then dw_meta apxs "$dw_apxs"; dw_meta apxsSbindir "$("$dw_apxs" -q SBINDIR 2>/dev/null)"; fi',
  'dw_meta cmd "$dw_ctl_shown -V"',
  'dw_httpd -V',
].join('\n');

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

function discoveryFindings(discovery: ApacheDiscovery | undefined): Finding[] {
  if (!discovery) return [];
  const out: Finding[] = [];
  const finding = (id: string, severity: Finding['severity'], message: string) => out.push({ id, severity, checkId: 'apache.build', message });
  const { running, onPath, apxs } = discovery;
  if (discovery.discoveredBy === 'running' && running && onPath && dirOf(onPath) !== dirOf(running.binary)) {
    finding(
      'running-apache-not-on-path',
      'warning',
      `The running Apache is ${running.binary}, but the first Apache on PATH is ${onPath}: commands typed on this host (apachectl -V, -M, the guide's checks) describe another Apache. driftwatch checked the running one; put its directory first in PATH or call it by its full path.`,
    );
  }
  if (running?.replacedOnDisk) {
    finding('apache-binary-replaced', 'warning', `The running Apache's binary ${running.binary} was replaced on disk after it started (an upgrade without a restart): what runs is not what is installed. Restart Apache.`);
  }
  if (apxs && apxs.matches === false) {
    finding('apxs-other-apache', 'warning', `${apxs.path} belongs to the Apache in ${apxs.sbindir}, not to the one checked (${discovery.control}): a mod_wsgi built with it is built for another Apache. Use the apxs of this Apache (mod_wsgi's configure --with-apxs=…).`);
  }
  return out;
}

function dirOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/')) || '/';
}

export const apacheBuildCheck: Check<ApacheBuildFacts> = {
  id: 'apache.build',
  title: 'Apache build information (httpd -V)',
  script: SCRIPT,
  parse(section) {
    const result = parseSectionWith(section, parseApacheBuild);
    const discovery = discoveryOf(section.meta);
    return result.status === 'ok' && result.facts && discovery ? { ...result, facts: { ...result.facts, discovery } } : result;
  },
  findings(results: CheckResults) {
    const facts = okFacts<ApacheBuildFacts>(results, 'apache.build');
    return facts ? [...aprMismatch(facts), ...discoveryFindings(facts.discovery)] : [];
  },
};
