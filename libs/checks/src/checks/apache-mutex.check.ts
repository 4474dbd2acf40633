import { Check, CheckResult, CheckResults, Finding, RawSection } from '../check';
import { parseDirectiveLines, named } from '../parsers/directives.parser';
import { parseAprH } from '../parsers/apr-h.parser';
import { ApacheConfig, readApacheConfig } from '../parsers/apache-config.parser';
import { RunCfgMutex } from '../parsers/run-cfg.parser';
import { Part, splitParts } from '../probe/parts';
import { failedWith } from '../util/failure';
import { okFacts } from '../util/findings';
import { ApacheBuildFacts, parseApacheBuild } from './apache-build.check';
import { REQUIRE_CTL } from './ctl-fragment';

export interface MutexDirective {
  name: string;
  args: string[];
  file: string | null;
}

export interface ApacheMutexFacts {
  /** The cross-process mutex APR uses by default: the first APR_USE_*_SERIALIZE, lowercase. */
  defaultMechanism: string | null;
  /** Where the default was read: APR's apr.h, or the APR_USE lines of `httpd -V` when no apr.h. */
  defaultFrom: 'apr.h' | 'httpd -V' | null;
  /** Mechanisms whose APR_HAS_*_SERIALIZE is 1 in apr.h (lowercase); null without apr.h. */
  available: string[] | null;
  /** The `Mutex NAME:` lines of DUMP_RUN_CFG; null when the configuration could not be read. */
  mutexes: RunCfgMutex[] | null;
  /** Mutex / AcceptMutex / WSGIAcceptMutex directives in the included files; null when unknown. */
  directives: MutexDirective[] | null;
  /** Included files the probe could not read (their directives are not in `directives`). */
  unreadableFiles: string[];
  /** Why `httpd -t` rejected the configuration, when it did. */
  configError: string | null;
}

const APR_H_PATTERN = `'define[[:space:]]+APR_(HAS|USE)_[A-Z_]+_SERIALIZE'`;

const SCRIPT = [
  REQUIRE_CTL,
  `dw_inc=`,
  `if [ -n "$dw_apxs" ]; then dw_meta cmd "$dw_apxs -q APR_INCLUDEDIR"; dw_inc=$("$dw_apxs" -q APR_INCLUDEDIR 2>/dev/null); fi`,
  `if { [ -z "$dw_inc" ] || [ ! -f "$dw_inc/apr.h" ]; } && dw_find apr-1-config; then`,
  `  dw_meta cmd "$dw_found --includedir"; dw_inc=$("$dw_found" --includedir 2>/dev/null)`,
  `fi`,
  `if [ -n "$dw_inc" ] && [ -f "$dw_inc/apr.h" ]; then`,
  `  dw_meta cmd "grep -E ${APR_H_PATTERN} $dw_inc/apr.h"`,
  `  dw_part apr-h grep -E ${APR_H_PATTERN} "$dw_inc/apr.h"`,
  `else`,
  `  dw_meta cmd "$dw_ctl -V"`,
  `  dw_part build "$dw_ctl" -V`,
  `fi`,
  `dw_apache_cfg`,
  `if [ -n "$dw_cfg_files" ]; then`,
  `  dw_meta cmd 'awk: Mutex, AcceptMutex and WSGIAcceptMutex lines of the included files'`,
  `  dw_part directives dw_directives 'mutex|acceptmutex|wsgiacceptmutex'`,
  `fi`,
].join('\n');

function defaultFrom(parts: Map<string, Part>): Pick<ApacheMutexFacts, 'defaultMechanism' | 'defaultFrom' | 'available'> {
  const aprH = parts.get('apr-h');
  if (aprH) {
    const parsed = parseAprH(aprH.text);
    if (parsed.status === 'ok' && parsed.facts) {
      return {
        defaultMechanism: parsed.facts.defaultMechanism,
        defaultFrom: 'apr.h',
        available: parsed.facts.has.map((m) => m.toLowerCase()),
      };
    }
  }
  const build = parts.get('build');
  const serialize = build ? (parseApacheBuild(build.text).facts?.serialize ?? []) : [];
  return serialize.length > 0
    ? { defaultMechanism: serialize[0].toLowerCase(), defaultFrom: 'httpd -V', available: null }
    : { defaultMechanism: null, defaultFrom: null, available: null };
}

function directivesOf(config: ApacheConfig, text: string | undefined): MutexDirective[] | null {
  if (text === undefined || config.files === null) return null;
  return named(parseDirectiveLines(text), 'Mutex', 'AcceptMutex', 'WSGIAcceptMutex').map(({ name, args, file }) => ({ name, args, file }));
}

export function parseApacheMutex(section: RawSection): CheckResult<ApacheMutexFacts> {
  const parts = splitParts(section.stdout);
  const config = readApacheConfig(parts.get('apache-cfg')?.text, parts.get('unreadable')?.text);
  const facts: ApacheMutexFacts = {
    ...defaultFrom(parts),
    mutexes: config.runConfig?.mutexes ?? null,
    directives: directivesOf(config, parts.get('directives')?.text),
    unreadableFiles: config.unreadable,
    configError: config.error,
  };
  if (facts.defaultMechanism === null && facts.mutexes === null && facts.directives === null && facts.configError === null) {
    return failedWith('no mutex information in the output', section);
  }
  return { status: 'ok', facts };
}

function isAtLeast24(version: string | null | undefined): boolean {
  const m = /^(\d+)\.(\d+)/.exec(version ?? '');
  return !!m && (Number(m[1]) > 2 || (Number(m[1]) === 2 && Number(m[2]) >= 4));
}

function acceptMutexFindings(results: CheckResults): Finding[] {
  const mutex = okFacts<ApacheMutexFacts>(results, 'apache.mutex');
  if (!mutex) return [];
  const rejected = /Invalid command 'AcceptMutex'/.test(mutex.configError ?? '');
  const used = !!mutex.directives?.some((d) => d.name.toLowerCase() === 'acceptmutex');
  const on24 = isAtLeast24(okFacts<ApacheBuildFacts>(results, 'apache.build')?.version);
  if (!rejected && !(used && on24)) return [];
  return [
    {
      id: 'accept-mutex-deprecated',
      severity: 'warning',
      checkId: 'apache.mutex',
      message:
        'AcceptMutex is configured but Apache 2.4 replaced it with the Mutex directive (e.g. "Mutex sysvsem mpm-accept"); it no longer sets the mutex of mod_wsgi daemon process groups either, which takes WSGIAcceptMutex.',
    },
  ];
}

export const apacheMutexCheck: Check<ApacheMutexFacts> = {
  id: 'apache.mutex',
  title: 'Cross-process mutex: APR defaults (apr.h), DUMP_RUN_CFG, Mutex/AcceptMutex/WSGIAcceptMutex',
  script: SCRIPT,
  parse: parseApacheMutex,
  findings: acceptMutexFindings,
};
