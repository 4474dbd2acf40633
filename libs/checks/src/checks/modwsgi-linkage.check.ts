import { Check, CheckResult, CheckResults, Finding, RawSection } from '../check';
import { LibPython, Linkage, LinkedLibrariesFacts, parseLdd, parseOtool } from '../parsers/linked-libraries.parser';
import { Part, splitParts } from '../probe/parts';
import { failedWith } from '../util/failure';
import { okFacts } from '../util/findings';
import { majorMinor, nonEmptyLines } from '../util/text';
import type { PythonRuntimeFacts } from './python-runtime.check';

/** The environments ldd ran in: the SSH session's, without LD_LIBRARY_PATH, and Apache's envvars. */
export type LinkEnvironment = 'caller' | 'withoutLdLibraryPath' | 'apacheEnvironment';

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
}

/** ldd parts, most Apache-like first. */
const LDD_PARTS: [string, LinkEnvironment][] = [
  ['ldd-apache-env', 'apacheEnvironment'],
  ['ldd-unset', 'withoutLdLibraryPath'],
  ['ldd', 'caller'],
];

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
    dw_p=${'$'}{3-}; dw_p=${'$'}{dw_p#'"'}; dw_p=${'$'}{dw_p%'"'}
    if [ "${'$'}{2-}" = wsgi_module ]; then dw_so=$dw_p; elif [ -z "$dw_any" ]; then dw_any=$dw_p; fi
  done
  IFS=$dw_ifs; set +f
  [ -n "$dw_so" ] || [ -z "$dw_any" ] || dw_so=${'$'}{dw_any%/*}/mod_wsgi.so
  case $dw_so in /*|'') ;; *) dw_so=$dw_cfg_root/$dw_so ;; esac
fi
[ -n "$dw_so" ] || dw_unavailable 'no LoadModule directive in the Apache configuration to locate mod_wsgi.so'
[ -f "$dw_so" ] || dw_unavailable "mod_wsgi.so not found at $dw_so"
dw_part_begin path; printf '%s\n' "$dw_so"; dw_part_end path 0
dw_ldd_unset() ( unset LD_LIBRARY_PATH; "$dw_ldd" "$dw_so" )
dw_ldd_envvars() ( unset LD_LIBRARY_PATH; . "$1" >/dev/null 2>&1; "$dw_ldd" "$dw_so" )
if dw_find ldd; then
  dw_ldd=$dw_found
  dw_meta cmd "ldd $dw_so"
  dw_part ldd "$dw_ldd" "$dw_so"
  dw_meta cmd "(unset LD_LIBRARY_PATH; ldd $dw_so)"
  dw_part ldd-unset dw_ldd_unset
  for dw_e in ${'$'}{dw_ctl:+"${'$'}{dw_ctl%/*}/envvars"} ${'$'}{dw_cfg_root:+"$dw_cfg_root/envvars"}; do
    [ -f "$dw_e" ] || continue
    dw_meta cmd "(unset LD_LIBRARY_PATH; . $dw_e; ldd $dw_so)"
    dw_part ldd-apache-env dw_ldd_envvars "$dw_e"
    break
  done
elif dw_find otool; then
  dw_meta cmd "otool -L $dw_so"
  dw_part otool "$dw_found" -L "$dw_so"
else
  dw_unavailable 'neither ldd nor otool is installed'
fi
`;

function linked(part: Part | undefined, parse: (text: string) => CheckResult<LinkedLibrariesFacts>): LinkedLibrariesFacts | null {
  if (!part) return null;
  const result = parse(part.text);
  return result.status === 'ok' ? result.facts : null;
}

export function parseModWsgiLinkage(section: RawSection): CheckResult<ModWsgiLinkageFacts> {
  const parts = splitParts(section.stdout);
  const path = nonEmptyLines(parts.get('path')?.text ?? '')[0] ?? null;
  const otool = linked(parts.get('otool'), parseOtool);
  if (otool) {
    const { libpython, linkage } = otool;
    return { status: 'ok', facts: { path, tool: 'otool', libpython, linkage, resolutions: {}, ldLibraryPathSensitive: null } };
  }
  const runs = LDD_PARTS.map(([name, env]) => [env, linked(parts.get(name), parseLdd)] as const).filter(
    (run): run is readonly [LinkEnvironment, LinkedLibrariesFacts] => run[1] !== null,
  );
  if (runs.length === 0) return failedWith('no usable ldd or otool output for mod_wsgi.so', section);
  const [, effective] = runs[0];
  const resolutions: Partial<Record<LinkEnvironment, string | null>> = {};
  for (const [env, facts] of runs) if (facts.libpython) resolutions[env] = facts.libpython.resolvedPath;
  const distinct = new Set(Object.values(resolutions));
  return {
    status: 'ok',
    facts: {
      path,
      tool: 'ldd',
      libpython: effective.libpython,
      linkage: effective.linkage,
      resolutions,
      ldLibraryPathSensitive: Object.keys(resolutions).length >= 2 ? distinct.size > 1 : null,
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
    out.push(
      finding(
        'libpython-not-found',
        'critical',
        `${lib.name} => not found without LD_LIBRARY_PATH: Apache will fail to start; build mod_wsgi with LD_RUN_PATH set to the Python library directory, or set LD_LIBRARY_PATH in Apache's envvars.`,
      ),
    );
  }
  if (lib && facts.ldLibraryPathSensitive === true) {
    const where = Object.entries(facts.resolutions)
      .map(([env, path]) => `${env}: ${path ?? 'not found'}`)
      .join(', ');
    out.push(
      finding(
        'libpython-ld-library-path-sensitive',
        'warning',
        `${lib.name} resolves differently with and without LD_LIBRARY_PATH (${where}); Apache does not normally have your LD_LIBRARY_PATH, so it may load a different Python installation.`,
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
  title: 'mod_wsgi.so shared library linkage (ldd, otool -L)',
  script: SCRIPT,
  parse: parseModWsgiLinkage,
  findings: linkageFindings,
};
