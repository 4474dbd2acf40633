import { Check, CheckResult, CheckResults, Finding, RawSection } from '../check';
import { parseDirectiveLines, named } from '../parsers/directives.parser';
import { parseAprH } from '../parsers/apr-h.parser';
import { ApacheConfig, readApacheConfig } from '../parsers/apache-config.parser';
import { RunCfgMutex } from '../parsers/run-cfg.parser';
import { parseMutexError } from '../parsers/mutex-error.parser';
import { EffectiveMutex, MutexDirective, apacheAcceptMutex, wsgiAcceptMutex } from './mutex-effective';
import { Part, splitParts } from '../probe/parts';
import { failedWith, telltaleLine } from '../util/failure';
import { okFacts } from '../util/findings';
import { ApacheBuildFacts, parseApacheBuild } from './apache-build.check';
import { REQUIRE_CTL } from './ctl-fragment';

export type { MutexDirective, EffectiveMutex } from './mutex-effective';

/** What `httpd -t` said for the guide's deliberately invalid value of one directive. */
export interface MechanismList {
  directive: 'Mutex' | 'AcceptMutex' | 'WSGIAcceptMutex';
  /** The mechanisms the error lists, in its order; null when it listed none. */
  mechanisms: string[] | null;
  /** Why there is no list: the directive is unknown to this Apache, the configuration failed first… */
  note: string | null;
}

export interface ApacheMutexFacts {
  /** The cross-process mutex APR uses by default: the first APR_USE_*_SERIALIZE, lowercase. */
  defaultMechanism: string | null;
  /** Where the default was read: APR's apr.h, or the APR_USE lines of `httpd -V` when no apr.h. */
  defaultFrom: 'apr.h' | 'httpd -V' | null;
  /** Mechanisms whose APR_HAS_*_SERIALIZE is 1 in apr.h (lowercase); null without apr.h. */
  available: string[] | null;
  /** The header the macros were read from; for a multilib wrapper, the per-architecture one. */
  aprHeader: string | null;
  /** The multilib `apr.h` wrapper that was followed to `aprHeader` (RHEL, Fedora, Amazon Linux). */
  aprHeaderWrapper: string | null;
  /** The `Mutex NAME:` lines of DUMP_RUN_CFG; null when the configuration could not be read. */
  mutexes: RunCfgMutex[] | null;
  /** Mutex / AcceptMutex / WSGIAcceptMutex directives in the included files; null when unknown. */
  directives: MutexDirective[] | null;
  /** Included files the probe could not read (their directives are not in `directives`). */
  unreadableFiles: string[];
  /** Why `httpd -t` rejected the configuration, when it did. */
  configError: string | null;
  /** Where it did: `line N of FILE`, from "Syntax error on line N of FILE:". */
  configErrorAt: string | null;
  /** The guide's invalid-value trick (`-t -C 'Mutex dw-invalid'`, `-t -c 'WSGIAcceptMutex dw-invalid'`). */
  listed: MechanismList[];
  /** Which directive sets Apache's accept mutex: Mutex (2.4) or AcceptMutex (2.2); null when unknown. */
  acceptDirective: 'Mutex' | 'AcceptMutex' | null;
  /** The accept mutex of Apache's children. */
  apacheAccept: EffectiveMutex;
  /** The accept mutex of mod_wsgi's daemon process groups. */
  wsgiAccept: EffectiveMutex;
}

const APR_H_PATTERN = `'define[[:space:]]+APR_(HAS|USE)_[A-Z_]+_SERIALIZE'`;
const INVALID = 'dw-invalid';

/** sh: `-t` with one invalid directive value, printed as part NAME, output kept in `dw_out`. */
function invalidValue(part: string, flag: '-C' | '-c', directive: string): string {
  return [
    `dw_meta cmd "$dw_ctl_cmd -t ${flag} '${directive} ${INVALID}'"`,
    `dw_out=$(dw_httpd -t ${flag} '${directive} ${INVALID}' 2>&1); dw_rc=$?`,
    `dw_part_begin ${part}; printf '%s\\n' "$dw_out"; dw_part_end ${part} "$dw_rc"`,
  ].join('\n');
}

/**
 * RHEL/Fedora/Amazon install a multilib `apr.h` that only includes `apr-<arch>.h`: the macros
 * are read from that header (the one for `uname -m` first, else the first included that exists).
 */
const SCRIPT = [
  REQUIRE_CTL,
  `dw_inc=`,
  `if [ -n "$dw_apxs" ]; then dw_meta cmd "$dw_apxs -q APR_INCLUDEDIR"; dw_inc=$("$dw_apxs" -q APR_INCLUDEDIR 2>/dev/null); fi`,
  `if { [ -z "$dw_inc" ] || [ ! -f "$dw_inc/apr.h" ]; } && dw_find apr-1-config; then`,
  `  dw_meta cmd "$dw_found --includedir"; dw_inc=$("$dw_found" --includedir 2>/dev/null)`,
  `fi`,
  `dw_aprh=`,
  `if [ -n "$dw_inc" ] && [ -f "$dw_inc/apr.h" ]; then`,
  `  dw_aprh=$dw_inc/apr.h`,
  `  if ! grep -Eq ${APR_H_PATTERN} "$dw_aprh" 2>/dev/null; then`,
  `    dw_meta apr-h-wrapper "$dw_aprh"`,
  `    dw_meta cmd "grep -E '^[[:space:]]*#[[:space:]]*(if|elif|else|endif|include)' $dw_aprh"`,
  `    dw_part apr-h-wrapper grep -E '^[[:space:]]*#[[:space:]]*(if|elif|else|endif|include)' "$dw_aprh"`,
  `    dw_aprh=`,
  `    for dw_h in "apr-$(uname -m 2>/dev/null).h" $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\\(apr-[A-Za-z0-9_]*\\.h\\)".*/\\1/p' "$dw_inc/apr.h" 2>/dev/null); do`,
  `      if [ -f "$dw_inc/$dw_h" ]; then dw_aprh=$dw_inc/$dw_h; break; fi`,
  `    done`,
  `  fi`,
  `fi`,
  `if [ -n "$dw_aprh" ]; then`,
  `  dw_meta apr-h "$dw_aprh"`,
  `  dw_meta cmd "grep -E ${APR_H_PATTERN} $dw_aprh"`,
  `  dw_part apr-h grep -E ${APR_H_PATTERN} "$dw_aprh"`,
  `else`,
  `  dw_meta cmd "$dw_ctl_cmd -V"`,
  `  dw_part build dw_httpd -V`,
  `fi`,
  `dw_apache_cfg`,
  `if [ -n "$dw_cfg_files" ]; then`,
  `  dw_meta cmd 'awk: Mutex, AcceptMutex and WSGIAcceptMutex lines of the included files'`,
  `  dw_part directives dw_directives 'mutex|acceptmutex|wsgiacceptmutex'`,
  `fi`,
  invalidValue('mutex-list', '-C', 'Mutex'),
  `case $dw_out in *"Invalid command 'Mutex'"*)`,
  invalidValue('acceptmutex-list', '-c', 'AcceptMutex'),
  `;; esac`,
  invalidValue('wsgiacceptmutex-list', '-c', 'WSGIAcceptMutex'),
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

const LIST_PARTS: [string, MechanismList['directive']][] = [
  ['mutex-list', 'Mutex'],
  ['acceptmutex-list', 'AcceptMutex'],
  ['wsgiacceptmutex-list', 'WSGIAcceptMutex'],
];

function firstLine(text: string): string {
  return text.split('\n').map((l) => l.trim()).find((l) => l.length > 0 && !/^AH00558:/.test(l)) ?? 'no output';
}

function mechanismList(directive: MechanismList['directive'], part: Part): MechanismList {
  const parsed = parseMutexError(part.text).facts;
  if (parsed?.available && parsed.directive === directive) return { directive, mechanisms: parsed.available, note: null };
  if (parsed && !parsed.supported) {
    const note =
      parsed.directive === directive
        ? `this Apache does not know ${directive}${directive === 'WSGIAcceptMutex' ? ' (mod_wsgi is not loaded)' : ''}`
        : `the configuration failed before the test value was read: ${firstLine(part.text)}`;
    return { directive, mechanisms: null, note };
  }
  return { directive, mechanisms: null, note: `no list of mechanisms in the output: ${firstLine(part.text)}` };
}

function listedOf(parts: Map<string, Part>): MechanismList[] {
  return LIST_PARTS.flatMap(([name, directive]) => {
    const part = parts.get(name);
    return part ? [mechanismList(directive, part)] : [];
  });
}

function acceptDirectiveOf(listed: MechanismList[], mutexes: RunCfgMutex[] | null): ApacheMutexFacts['acceptDirective'] {
  const mutex = listed.find((l) => l.directive === 'Mutex');
  if (mutex?.mechanisms) return 'Mutex';
  if (mutex?.note?.startsWith('this Apache does not know')) return 'AcceptMutex';
  return mutexes !== null && mutexes.length > 0 ? 'Mutex' : null;
}

/**
 * Why the configuration test failed, and where. DUMP_INCLUDES lists the files read before the
 * error, so a list of files does not mean the test passed: its exit status says.
 */
function configTestError(config: ApacheConfig, dump: Part | undefined): Pick<ApacheMutexFacts, 'configError' | 'configErrorAt'> {
  const m = /Syntax error on line (\d+) of (.+?):[ \t]*\r?\n[ \t]*(\S.*)$/m.exec(dump?.text ?? '');
  if (m) return { configError: m[3].trim().slice(0, 300), configErrorAt: `line ${m[1]} of ${m[2]}` };
  if (config.error === null && dump && dump.exitCode !== null && dump.exitCode !== 0) {
    return { configError: telltaleLine(dump.text) ?? `the configuration test exited with ${dump.exitCode}`, configErrorAt: null };
  }
  return { configError: config.error, configErrorAt: null };
}

export function parseApacheMutex(section: RawSection): CheckResult<ApacheMutexFacts> {
  const parts = splitParts(section.stdout);
  const config = readApacheConfig(parts.get('apache-cfg')?.text, parts.get('unreadable')?.text, parts.get('cfg-walk')?.text);
  const defaults = defaultFrom(parts);
  const mutexes = config.runConfig?.mutexes ?? null;
  const directives = directivesOf(config, parts.get('directives')?.text);
  const listed = listedOf(parts);
  const acceptDirective = acceptDirectiveOf(listed, mutexes);
  const has24 = acceptDirective === null ? null : acceptDirective === 'Mutex';
  const facts: ApacheMutexFacts = {
    ...defaults,
    aprHeader: parts.has('apr-h') ? (section.meta['apr-h'] ?? null) : null,
    aprHeaderWrapper: section.meta['apr-h-wrapper'] ?? null,
    mutexes,
    directives,
    unreadableFiles: config.unreadable,
    ...configTestError(config, parts.get('apache-cfg')),
    listed,
    acceptDirective,
    apacheAccept: apacheAcceptMutex(has24, mutexes, directives, defaults.defaultMechanism),
    wsgiAccept: wsgiAcceptMutex(has24, directives, defaults.defaultMechanism),
  };
  if (facts.defaultMechanism === null && facts.mutexes === null && facts.directives === null && facts.configError === null && listed.length === 0) {
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
  const accept = mutex.directives?.filter((d) => d.name.toLowerCase() === 'acceptmutex').at(-1);
  const on24 = mutex.acceptDirective === 'Mutex' || isAtLeast24(okFacts<ApacheBuildFacts>(results, 'apache.build')?.version);
  if (!rejected && !(accept && on24)) return [];
  const value = accept?.args[0] ?? 'MECHANISM';
  const where = rejected && mutex.configErrorAt ? ` (${mutex.configErrorAt})` : accept?.file ? ` in ${accept.file}` : '';
  const said = rejected && mutex.configError ? ` The configuration test says: "${mutex.configError}".` : '';
  return [
    {
      id: 'accept-mutex-deprecated',
      severity: 'critical',
      checkId: 'apache.mutex',
      message:
        `Apache 2.4 does not start with AcceptMutex${where}: 2.4 removed the directive (its configuration test fails).${said} ` +
        `Fix: replace "AcceptMutex ${value}" with "Mutex ${value} mpm-accept" for Apache's children, and add "WSGIAcceptMutex ${value}" if mod_wsgi's daemon process groups should use it too (on 2.4 only WSGIAcceptMutex sets theirs), then run "apachectl -t".`,
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
