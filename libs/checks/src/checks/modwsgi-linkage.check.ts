import { Check, CheckResult, CheckResults, Finding, RawSection } from '../check';
import { parseObjdump, parseReadelf } from '../parsers/elf-needed.parser';
import { LibPython, Linkage, LinkedLibrariesFacts, isPython, parseLdd, parseOtool, pythonVersion } from '../parsers/linked-libraries.parser';
import { Part, splitParts } from '../probe/parts';
import { failedWith } from '../util/failure';
import { okFacts } from '../util/findings';
import { majorMinor, nonEmptyLines } from '../util/text';
import type { PythonRuntimeFacts } from './python-runtime.check';
import { APACHE_ENVIRONMENT } from './apache-environment.fragment';

/**
 * The environments ldd ran in: the SSH session's, without LD_LIBRARY_PATH, Apache's (systemd
 * unit, sysconfig, envvars) and the login user's interactive shell.
 */
export type LinkEnvironment = 'caller' | 'withoutLdLibraryPath' | 'apacheEnvironment' | 'loginShell';

/** One place Apache's start takes LD_LIBRARY_PATH from (part `apache-env`); null: it unsets it. */
export interface EnvironmentSource {
  source: 'systemd' | 'EnvironmentFile' | 'sysconfig' | 'envvars';
  /** The unit or the file. */
  where: string;
  ldLibraryPath: string | null;
}

export interface ModWsgiLinkageFacts {
  path: string | null;
  tool: 'ldd' | 'otool';
  /** libpython as Apache itself would resolve it (Apache's envvars, else without LD_LIBRARY_PATH). */
  libpython: LibPython | null;
  linkage: Linkage;
  /** Where libpython resolved in each environment ldd ran in (null: not found). */
  resolutions: Partial<Record<LinkEnvironment, string | null>>;
  /** True when those resolutions differ; null when fewer than two were made or nothing links libpython. */
  ldLibraryPathSensitive: boolean | null;
  /** DT_NEEDED of mod_wsgi.so (readelf -d / objdump -p): what it links; null when neither tool exists. */
  needed: string[] | null;
  neededFrom: 'readelf' | 'objdump' | null;
  /** DT_RUNPATH, else DT_RPATH (LD_RUN_PATH at build time). */
  runpath: string | null;
  /** Where Apache's start sets LD_LIBRARY_PATH; null when no such source was found. */
  apacheEnvironment: EnvironmentSource[] | null;
  /**
   * When libpython is not found without LD_LIBRARY_PATH but is in Apache's environment: the
   * sources that set it (`envvars /etc/apache2/envvars`).
   */
  resolvedBy: string | null;
}

/** ldd parts, most Apache-like first. */
const LDD_PARTS: [string, LinkEnvironment][] = [
  ['ldd-apache-env', 'apacheEnvironment'],
  ['ldd-unset', 'withoutLdLibraryPath'],
  ['ldd', 'caller'],
  ['ldd-login', 'loginShell'],
];

const SOURCES = new Set<EnvironmentSource['source']>(['systemd', 'EnvironmentFile', 'sysconfig', 'envvars']);

function environmentSources(part: Part | undefined): EnvironmentSource[] | null {
  if (!part) return null;
  return nonEmptyLines(part.text).flatMap((line) => {
    const [source, where, value] = line.split('\t');
    if (!SOURCES.has(source as EnvironmentSource['source']) || !where || value === undefined) return [];
    return [{ source: source as EnvironmentSource['source'], where, ldLibraryPath: value.startsWith('=') ? value.slice(1) : null }];
  });
}

function elfNeeded(parts: Map<string, Part>): Pick<ModWsgiLinkageFacts, 'needed' | 'neededFrom' | 'runpath'> {
  for (const [name, parse] of [['readelf', parseReadelf], ['objdump', parseObjdump]] as const) {
    const part = parts.get(name);
    const parsed = part ? parse(part.text) : null;
    if (parsed?.status === 'ok' && parsed.facts) return { needed: parsed.facts.needed, neededFrom: name, runpath: parsed.facts.runpath ?? parsed.facts.rpath };
  }
  return { needed: null, neededFrom: null, runpath: null };
}

/**
 * NEEDED is the truth of what is linked; ldd only says where it resolves. No libpython in
 * NEEDED is a static build; one ldd did not report on is unknown, never static.
 */
function reconcile(needed: string[] | null, ldd: LinkedLibrariesFacts | null): Pick<ModWsgiLinkageFacts, 'libpython' | 'linkage'> {
  if (needed === null) return ldd ? { libpython: ldd.libpython, linkage: ldd.linkage } : { libpython: null, linkage: 'unknown' };
  const name = needed.find(isPython);
  if (!name) return { libpython: null, linkage: 'static' };
  if (ldd?.libpython?.name === name) return { libpython: ldd.libpython, linkage: ldd.linkage };
  const dep = ldd?.dependencies.find((d) => d.name === name);
  const libpython = { name, version: pythonVersion(name), resolvedPath: dep?.path ?? null, found: dep?.found ?? null };
  return { libpython, linkage: libpython.found === false ? 'missing' : libpython.found ? 'shared' : 'unknown' };
}

const SCRIPT = String.raw`
dw_so=$DW_MODWSGI_SO
dw_cfg_root=
[ -n "$dw_ctl" ] && dw_apache_cfg
if [ -z "$dw_so" ]; then
  [ -n "$dw_ctl" ] || dw_unavailable 'no Apache control binary found and no mod_wsgi.so path configured'
  dw_any=
  dw_mods=$(dw_directives loadmodule)
  set -f; dw_ifs=$IFS; IFS=$dw_nl
  for dw_l in $dw_mods; do
    dw_l=${'$'}{dw_l#*"$dw_tab"}; dw_l=${'$'}{dw_l#*"$dw_tab"}
    IFS=" $dw_tab"; set -- $dw_l; IFS=$dw_nl
    dw_p=${'$'}{3-}
    case $dw_p in \"*\"|\'*\') dw_p=${'$'}{dw_p#?}; dw_p=${'$'}{dw_p%?} ;; esac
    if [ "${'$'}{2-}" = wsgi_module ]; then dw_so=$dw_p; elif [ -z "$dw_any" ]; then dw_any=$dw_p; fi
  done
  IFS=$dw_ifs; set +f
  [ -n "$dw_so" ] || [ -z "$dw_any" ] || dw_so=${'$'}{dw_any%/*}/mod_wsgi.so
  case $dw_so in /*|'') ;; *) dw_so=$dw_cfg_root/$dw_so ;; esac
fi
[ -n "$dw_so" ] || dw_unavailable 'no LoadModule directive in the Apache configuration to locate mod_wsgi.so'
[ -f "$dw_so" ] || dw_unavailable "mod_wsgi.so not found at $dw_so"
dw_part_begin path; printf '%s\n' "$dw_so"; dw_part_end path 0
if dw_find readelf; then
  dw_meta cmd "readelf -d $dw_so"
  dw_part readelf "$dw_found" -d "$dw_so"
elif dw_find objdump; then
  dw_meta cmd "objdump -p $dw_so"
  dw_part objdump "$dw_found" -p "$dw_so"
fi
__APACHE_ENVIRONMENT__
dw_ldd_unset() ( unset LD_LIBRARY_PATH; "$dw_ldd" "$dw_so" )
dw_ldd_with() ( unset LD_LIBRARY_PATH; if [ -n "$1" ]; then LD_LIBRARY_PATH=$2; export LD_LIBRARY_PATH; fi; "$dw_ldd" "$dw_so" )
dw_ldd_apache() (
  unset LD_LIBRARY_PATH; if [ -n "$dw_ae_set" ]; then LD_LIBRARY_PATH=$dw_ae_llp; export LD_LIBRARY_PATH; fi
  [ -z "$dw_envvars" ] || . "$dw_envvars" </dev/null >/dev/null 2>&1
  "$dw_ldd" "$dw_so"
)
if dw_find ldd; then
  dw_ldd=$dw_found
  dw_meta cmd "ldd $dw_so"
  dw_part ldd "$dw_ldd" "$dw_so"
  dw_meta cmd "(unset LD_LIBRARY_PATH; ldd $dw_so)"
  dw_part ldd-unset dw_ldd_unset
  if [ -n "$dw_ae_any" ]; then
    dw_meta cmd "ldd $dw_so in Apache's environment (part apache-env)"
    dw_part ldd-apache-env dw_ldd_apache
  fi
  if [ -n "$dw_login_set" ] && [ "$dw_login_llp" != "${'$'}{LD_LIBRARY_PATH-}" ]; then
    dw_meta cmd "(LD_LIBRARY_PATH=$dw_login_llp ldd $dw_so), the login shell's LD_LIBRARY_PATH"
    dw_part ldd-login dw_ldd_with 1 "$dw_login_llp"
  fi
elif dw_find otool; then
  dw_meta cmd "otool -L $dw_so"
  dw_part otool "$dw_found" -L "$dw_so"
else
  dw_unavailable 'neither ldd nor otool is installed'
fi
`.replace('__APACHE_ENVIRONMENT__', () => APACHE_ENVIRONMENT.trim());

function linked(part: Part | undefined, parse: (text: string) => CheckResult<LinkedLibrariesFacts>): LinkedLibrariesFacts | null {
  if (!part) return null;
  const result = parse(part.text);
  return result.status === 'ok' ? result.facts : null;
}

export function parseModWsgiLinkage(section: RawSection): CheckResult<ModWsgiLinkageFacts> {
  const parts = splitParts(section.stdout);
  const path = nonEmptyLines(parts.get('path')?.text ?? '')[0] ?? null;
  const elf = elfNeeded(parts);
  const apacheEnvironment = environmentSources(parts.get('apache-env'));
  const otool = linked(parts.get('otool'), parseOtool);
  if (otool) {
    const { libpython, linkage } = otool;
    return { status: 'ok', facts: { path, tool: 'otool', libpython, linkage, resolutions: {}, ldLibraryPathSensitive: null, ...elf, apacheEnvironment, resolvedBy: null } };
  }
  const runs = LDD_PARTS.map(([name, env]) => [env, linked(parts.get(name), parseLdd)] as const).filter(
    (run): run is readonly [LinkEnvironment, LinkedLibrariesFacts] => run[1] !== null,
  );
  if (runs.length === 0 && elf.needed === null) return failedWith('no usable ldd or otool output for mod_wsgi.so', section);
  const resolutions: Partial<Record<LinkEnvironment, string | null>> = {};
  for (const [env, facts] of runs) {
    const lib = reconcile(elf.needed, facts).libpython;
    if (lib) resolutions[env] = lib.resolvedPath;
  }
  const distinct = new Set(Object.values(resolutions));
  const { libpython, linkage } = reconcile(elf.needed, runs[0]?.[1] ?? null);
  const fixed = resolutions.apacheEnvironment && 'withoutLdLibraryPath' in resolutions && resolutions.withoutLdLibraryPath === null;
  const setters = (apacheEnvironment ?? []).filter((s) => s.ldLibraryPath !== null);
  return {
    status: 'ok',
    facts: {
      path,
      tool: 'ldd',
      libpython,
      linkage,
      resolutions,
      ldLibraryPathSensitive: Object.keys(resolutions).length >= 2 ? distinct.size > 1 : null,
      ...elf,
      apacheEnvironment,
      resolvedBy: fixed && setters.length > 0 ? setters.map((s) => `${s.source} ${s.where}`).join(', ') : null,
    },
  };
}

function finding(id: string, severity: Finding['severity'], message: string): Finding {
  return { id, severity, checkId: 'modwsgi.linkage', message };
}

function linkageFindings(results: CheckResults): Finding[] {
  const facts = okFacts<ModWsgiLinkageFacts>(results, 'modwsgi.linkage');
  if (!facts) return [];
  const out: Finding[] = [];
  const lib = facts.libpython;
  if (facts.linkage === 'static') {
    out.push(
      finding(
        'modwsgi-static-python',
        'warning',
        'mod_wsgi.so does not link a shared libpython: a statically linked Python costs extra memory in every Apache process and conflicts with mod_python in the same Apache.',
      ),
    );
  }
  if (lib && lib.found === false) {
    const where = facts.resolutions.apacheEnvironment !== undefined ? "in Apache's environment (its unit, sysconfig and envvars)" : 'without LD_LIBRARY_PATH';
    out.push(
      finding(
        'libpython-not-found',
        'critical',
        `${lib.name} => not found ${where}: Apache will fail to load mod_wsgi.so; rebuild mod_wsgi with LD_RUN_PATH set to the Python library directory (or install that Python's shared library where the loader finds it, then run ldconfig), or set LD_LIBRARY_PATH in Apache's envvars (/etc/sysconfig/httpd, or the unit's Environment=, on systemd hosts).`,
      ),
    );
  }
  if (lib && facts.ldLibraryPathSensitive === true) {
    const where = Object.entries(facts.resolutions)
      .map(([env, path]) => `${env}: ${path ?? 'not found'}`)
      .join(', ');
    const fixed = facts.resolvedBy ? ` Apache finds it only because ${facts.resolvedBy} sets LD_LIBRARY_PATH; anything started without that environment (mod_wsgi-express, a test run, another unit) will not, so rebuilding mod_wsgi with LD_RUN_PATH is the lasting fix.` : '';
    out.push(
      finding(
        'libpython-ld-library-path-sensitive',
        'warning',
        `${lib.name} resolves differently with and without LD_LIBRARY_PATH (${where}); Apache does not normally have your LD_LIBRARY_PATH, so it may load a different Python installation.${fixed}`,
      ),
    );
  }
  const runtime = okFacts<PythonRuntimeFacts>(results, 'python.runtime');
  const runtimeVersion = majorMinor(runtime?.python.version);
  if (lib?.version && /^\d+\.\d+$/.test(lib.version) && runtimeVersion && lib.version !== runtimeVersion) {
    out.push(
      finding(
        'python-version-mismatch',
        'critical',
        `mod_wsgi.so is linked against ${lib.name} (Python ${lib.version}) but the WSGI application runs Python ${runtime!.python.version}: mod_wsgi must be compiled for the Python version it runs.`,
      ),
    );
  }
  return out;
}

export const modWsgiLinkageCheck: Check<ModWsgiLinkageFacts> = {
  id: 'modwsgi.linkage',
  title: 'mod_wsgi.so shared library linkage (readelf -d / objdump -p, ldd in each environment, otool -L)',
  script: SCRIPT,
  parse: parseModWsgiLinkage,
  findings: linkageFindings,
};
