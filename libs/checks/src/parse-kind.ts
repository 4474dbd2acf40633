import { CheckResult, CheckStatus } from './check';
import { parseApacheBuild } from './checks/apache-build.check';
import { parseApacheCompiled } from './checks/apache-compiled.check';
import { parseConfigNice } from './checks/apache-configure.check';
import { parseApacheModules } from './checks/apache-modules.check';
import { parseOsPackages } from './checks/packages-os.check';
import { parseWsgiConfig } from './checks/python-config.check';
import { parsePythonRuntime } from './checks/python-runtime.check';
import { parseApacheProcesses } from './parsers/apache-processes.parser';
import { parseApxsQuery } from './parsers/apxs-query.parser';
import { parseAprH } from './parsers/apr-h.parser';
import { parseIncludes } from './parsers/includes.parser';
import { parseDirectiveLines } from './parsers/directives.parser';
import { parseObjdump, parseReadelf } from './parsers/elf-needed.parser';
import { parseErrorLog } from './parsers/error-log.parser';
import { parseLdd, parseOtool } from './parsers/linked-libraries.parser';
import { parseMutexError } from './parsers/mutex-error.parser';
import { parseRunConfig } from './parsers/run-cfg.parser';
import { failedWith } from './util/failure';

/**
 * Every kind of raw output driftwatch can parse on its own (`driftwatch parse <kind> file`),
 * one per command the probe runs, plus the outputs people paste from the guide's tricks.
 */
const PARSERS = {
  'httpd-V': parseApacheBuild,
  'httpd-l': parseApacheCompiled,
  'httpd-M': parseApacheModules,
  'config-nice': parseConfigNice,
  'apr-h': parseAprH,
  'run-cfg': parseRunConfig,
  ldd: parseLdd,
  otool: parseOtool,
  /** `readelf -d` / `objdump -p` of mod_wsgi.so: the NEEDED sonames, what it really links. */
  readelf: parseReadelf,
  objdump: parseObjdump,
  'wsgi-diag': parsePythonRuntime,
  /** `httpd -t` with an invalid Mutex / AcceptMutex / WSGIAcceptMutex value: the mechanisms listed. */
  'mutex-error': parseMutexError,
  /** WSGI*, LoadModule and LoadFile lines (e.g. `mod_wsgi-express module-config`); a paste without any is failed. */
  'wsgi-config': (text: string) =>
    parseDirectiveLines(text).length > 0 ? parseWsgiConfig(text) : failedWith('no configuration directives in the output', { stdout: text, stderr: '' }),
  /** `-t -D DUMP_INCLUDES`: the configuration files Apache read. */
  'dump-includes': parseIncludes,
  /** `apxs -q VAR…` / `apr-1-config --includedir`: the values printed. */
  'apxs-q': parseApxsQuery,
  /** `ps -ef` lines: the Apache parent processes and their -d/-f/-D/-C/-c (SUSE's httpd-prefork, mod_wsgi-express's -f). */
  'apache-processes': parseApacheProcesses,
  /** dpkg-query / rpm / apk / brew / pkg listings. */
  packages: (text: string) => parseOsPackages(text),
  /** Apache error log lines (2.4 and 2.2 formats, or `journalctl -o cat`): mod_wsgi codes and known messages. */
  'error-log': (text: string) => (text.trim() ? parseErrorLog(text) : failedWith('no log lines in the input')),
} satisfies Record<string, (text: string) => CheckResult<unknown>>;

export type ParseKind = keyof typeof PARSERS;

export const PARSE_KINDS = Object.keys(PARSERS) as readonly ParseKind[];

export interface RawParse {
  kind: ParseKind;
  status: CheckStatus;
  reason?: string;
  facts: unknown;
}

/** Parses one raw output of the given kind. Never throws: bad input gives status `failed`. */
export function parseRaw(kind: ParseKind, text: string): RawParse {
  const parse = Object.prototype.hasOwnProperty.call(PARSERS, kind) ? (PARSERS as Record<string, (text: string) => CheckResult<unknown>>)[kind] : undefined;
  if (!parse) return { kind, status: 'failed', reason: `unknown kind "${String(kind)}"`, facts: null };
  try {
    const { status, reason, facts } = parse(String(text));
    return reason === undefined ? { kind, status, facts } : { kind, status, reason, facts };
  } catch (error) {
    return { kind, status: 'failed', reason: `parser error: ${error instanceof Error ? error.message : String(error)}`, facts: null };
  }
}
