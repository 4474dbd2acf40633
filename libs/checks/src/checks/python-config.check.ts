import { Check, CheckResult, CheckResults, Finding, RawSection } from '../check';
import { ConfigSource, readApacheConfig } from '../parsers/apache-config.parser';
import { ConfigDirective, named, parseDirectiveLines } from '../parsers/directives.parser';
import { splitParts } from '../probe/parts';
import { failedWith } from '../util/failure';
import { okFacts } from '../util/findings';
import { setKey } from '../util/records';
import type { PythonRuntimeFacts } from './python-runtime.check';
import { REQUIRE_CTL } from './ctl-fragment';

export interface DaemonProcess {
  name: string;
  /** processes=N, else mod_wsgi's default of 1. */
  processes: number | null;
  /** threads=N, else mod_wsgi's default of 15. */
  threads: number | null;
  /** Every key=value option as written (processes and threads included). */
  options: Record<string, string>;
}

export interface ScriptAlias {
  directive: string;
  urlPath: string;
  script: string;
  options: Record<string, string>;
}

export interface PythonConfigFacts {
  /** WSGIPythonHome (the last one read, as Apache applies it). */
  pythonHome: string | null;
  /** WSGIPythonPath split into its entries (':' separated, ';' on Windows). */
  pythonPath: string[] | null;
  daemonProcesses: DaemonProcess[];
  /** The first WSGIProcessGroup value (`%{GLOBAL}` selects embedded mode). */
  processGroup: string | null;
  /** Every group named by WSGIProcessGroup or a `process-group=` option (WSGIScriptAlias*, WSGIImportScript). */
  processGroups: string[];
  /** The first WSGIApplicationGroup value (`%{GLOBAL}` is the main interpreter). */
  applicationGroup: string | null;
  scriptAliases: ScriptAlias[];
  /** The file of `LoadModule wsgi_module`, and any `LoadFile` (libpython on Windows, conda). */
  loadModule: string | null;
  loadFiles: string[];
  /** The file of `LoadModule python_module` (mod_python), which the guide warns conflicts with mod_wsgi. */
  modPython: string | null;
  /** mod_wsgi 6 interpreter locking, as written: WSGIPerInterpreterGIL and WSGIFreeThreading (null: not set). */
  perInterpreterGil: string | null;
  freeThreading: string | null;
  /** Included files the probe could not read: their directives are not counted. */
  unreadableFiles: string[];
  /** Who listed the files read: Apache's dump, or the probe's own walk when Apache could not (null: pasted text). */
  configSource: ConfigSource | null;
}

const MOD_WSGI_DEFAULT_PROCESSES = 1;
const MOD_WSGI_DEFAULT_THREADS = 15;

function options(words: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const w of words) {
    const eq = w.indexOf('=');
    if (eq > 0) setKey(out, w.slice(0, eq), w.slice(eq + 1));
  }
  return out;
}

function count(value: string | undefined, fallback: number): number | null {
  if (value === undefined) return fallback;
  return /^\d+$/.test(value) ? Number(value) : null;
}

/** "a:b" (POSIX) or "C:/a;D:/b" (Windows) → path entries. */
function pathList(value: string): string[] {
  const windows = value.includes(';') || /^[A-Za-z]:[\\/]/.test(value);
  return value.split(windows ? ';' : ':').filter((p) => p.length > 0);
}

function first(directives: ConfigDirective[], name: string): string | null {
  return named(directives, name)[0]?.args[0] ?? null;
}

/** Server-wide settings: as with Apache's own, the last one read wins. */
function last(directives: ConfigDirective[], name: string): string | null {
  return named(directives, name).at(-1)?.args[0] ?? null;
}

/**
 * Parses WSGI* directives (with LoadModule and LoadFile): the probe's located lines or plain
 * configuration text such as `mod_wsgi-express module-config` prints.
 */
export function parseWsgiConfig(text: string, unreadableFiles: string[] = [], configSource: ConfigSource | null = null): CheckResult<PythonConfigFacts> {
  const directives = parseDirectiveLines(text);
  const home = last(directives, 'WSGIPythonHome');
  const path = last(directives, 'WSGIPythonPath');
  return {
    status: 'ok',
    facts: {
      pythonHome: home,
      pythonPath: path === null ? null : pathList(path),
      daemonProcesses: named(directives, 'WSGIDaemonProcess')
        .filter((d) => d.args.length > 0)
        .map((d) => {
          const opts = options(d.args.slice(1));
          return {
            name: d.args[0],
            processes: count(opts.processes, MOD_WSGI_DEFAULT_PROCESSES),
            threads: count(opts.threads, MOD_WSGI_DEFAULT_THREADS),
            options: opts,
          };
        }),
      processGroup: first(directives, 'WSGIProcessGroup'),
      processGroups: [
        ...new Set([
          ...named(directives, 'WSGIProcessGroup').flatMap((d) => d.args.slice(0, 1)),
          ...named(directives, 'WSGIScriptAlias', 'WSGIScriptAliasMatch', 'WSGIImportScript').flatMap((d) => {
            const group = options(d.args)['process-group'];
            return group === undefined ? [] : [group];
          }),
        ]),
      ],
      applicationGroup: first(directives, 'WSGIApplicationGroup'),
      scriptAliases: named(directives, 'WSGIScriptAlias', 'WSGIScriptAliasMatch')
        .filter((d) => d.args.length >= 2)
        .map((d) => ({ directive: d.name, urlPath: d.args[0], script: d.args[1], options: options(d.args.slice(2)) })),
      loadModule: named(directives, 'LoadModule').find((d) => d.args[0] === 'wsgi_module')?.args[1] ?? null,
      loadFiles: named(directives, 'LoadFile').flatMap((d) => d.args),
      modPython: named(directives, 'LoadModule').find((d) => d.args[0] === 'python_module')?.args[1] ?? null,
      perInterpreterGil: last(directives, 'WSGIPerInterpreterGIL'),
      freeThreading: last(directives, 'WSGIFreeThreading'),
      unreadableFiles,
      configSource,
    },
  };
}

export function parsePythonConfig(section: RawSection): CheckResult<PythonConfigFacts> {
  const parts = splitParts(section.stdout);
  const config = readApacheConfig(parts.get('apache-cfg')?.text, parts.get('unreadable')?.text, parts.get('cfg-walk')?.text);
  if (config.files === null) {
    return config.error ? { status: 'failed', reason: `Apache did not list its configuration files: ${config.error}`, facts: null } : failedWith('no configuration output', section);
  }
  return parseWsgiConfig(parts.get('directives')?.text ?? '', config.unreadable, config.source);
}

/** Compares install prefixes: trailing slashes and, on Windows, case and slash direction do not matter. */
function samePrefix(a: string, b: string): boolean {
  const norm = (p: string) => {
    const s = p.replace(/\\/g, '/').replace(/\/+$/, '');
    return /^[A-Za-z]:/.test(s) ? s.toLowerCase() : s;
  };
  return norm(a) === norm(b);
}

/** A group value mod_wsgi expands per request (`%{ENV:…}`, `%{RESOURCE}`…): which groups it reaches is not known from the text. */
const expanded = (group: string) => /%\{(?!GLOBAL\})/.test(group);

/** Daemon groups nothing delegates to, and mod_python beside mod_wsgi. */
function configFindings(config: PythonConfigFacts): Finding[] {
  const out: Finding[] = [];
  const dynamic = config.processGroups.some(expanded);
  for (const daemon of config.daemonProcesses) {
    if (dynamic || config.processGroups.includes(daemon.name)) continue;
    out.push({
      id: 'daemon-group-unused',
      severity: 'warning',
      checkId: 'python.config',
      message: `WSGIDaemonProcess ${daemon.name} is defined but no WSGIProcessGroup or process-group= option delegates to it: its processes start and serve nothing, and the application runs in embedded mode inside Apache's children. Add "WSGIProcessGroup ${daemon.name}" (with "WSGIApplicationGroup %{GLOBAL}") where the WSGIScriptAlias is, or process-group=${daemon.name} on the WSGIScriptAlias line.`,
    });
  }
  if (config.modPython !== null && config.loadModule !== null) {
    out.push({
      id: 'mod-python-loaded',
      severity: 'critical',
      checkId: 'python.config',
      message: `mod_python (LoadModule python_module ${config.modPython}) is loaded in the same Apache as mod_wsgi: the two embed Python in the same processes and conflict, and mod_wsgi 4.0 and later refuse to start beside it ("The mod_python module can not be used in conjunction with mod_wsgi 4.0+"), so Apache's configuration test passes but Apache does not start. Remove its LoadModule (a2dismod python) unless an application still needs it, then start Apache.`,
    });
  }
  return out;
}

function homeFindings(results: CheckResults): Finding[] {
  const config = okFacts<PythonConfigFacts>(results, 'python.config');
  if (!config) return [];
  return [...configFindings(config), ...prefixFindings(config, results)];
}

function prefixFindings(config: PythonConfigFacts, results: CheckResults): Finding[] {
  const prefix = okFacts<PythonRuntimeFacts>(results, 'python.runtime')?.python.prefix;
  if (!config.pythonHome || !prefix || samePrefix(config.pythonHome, prefix)) return [];
  return [
    {
      id: 'python-home-mismatch',
      severity: 'warning',
      checkId: 'python.config',
      message: `WSGIPythonHome is ${config.pythonHome} but the application runs with sys.prefix ${prefix}: WSGIPythonHome should be the sys.prefix of the Python installation you want used.`,
    },
  ];
}

export const pythonConfigCheck: Check<PythonConfigFacts> = {
  id: 'python.config',
  title: 'mod_wsgi configuration (WSGIPythonHome, WSGIPythonPath, WSGIDaemonProcess, groups, aliases)',
  script: [
    REQUIRE_CTL,
    `dw_apache_cfg`,
    `if [ -n "$dw_cfg_files" ]; then`,
    `  dw_meta cmd 'awk: WSGI*, LoadModule and LoadFile lines of the included files'`,
    `  dw_part directives dw_directives 'wsgi[a-z]*|loadmodule|loadfile'`,
    `fi`,
  ].join('\n'),
  parse: parsePythonConfig,
  findings: homeFindings,
};
