import type {
  ApacheBuildFacts,
  ApacheMutexFacts,
  EffectiveMutex,
  VersionPair,
  CheckResult,
  CheckResults,
  HostPlatformFacts,
  ModWsgiLinkageFacts,
  OsPackagesFacts,
  PythonRuntimeFacts,
} from '@driftwatch/checks';

/** One line of the summary table: a value, or why it is unknown. */
export interface SummaryRow {
  label: string;
  value: string;
  /** False when the value could not be established (the check was not ok). */
  known: boolean;
}

export interface ReportSummary {
  rows: SummaryRow[];
}

function factsOf<F>(results: CheckResults, id: string): { facts: F | null; why: string } {
  const result: CheckResult | undefined = results[id];
  if (result?.status === 'ok' && result.facts) return { facts: result.facts as F, why: '' };
  const status = result?.status ?? 'missing';
  return { facts: null, why: `unknown (${id}: ${status}${result?.reason ? `, ${result.reason}` : ''})` };
}

function row(label: string, value: string | null, why: string): SummaryRow {
  return value === null ? { label, value: why, known: false } : { label, value, known: true };
}

function joined(...parts: (string | null | undefined | false)[]): string | null {
  const present = parts.filter((p): p is string => typeof p === 'string' && p.length > 0);
  return present.length ? present.join(', ') : null;
}

function apacheRow(results: CheckResults): SummaryRow {
  const { facts, why } = factsOf<ApacheBuildFacts>(results, 'apache.build');
  return row('Apache', facts ? joined(facts.version ?? facts.versionString, facts.mpm && `${facts.mpm} MPM`) : null, why || 'unknown');
}

function architectureRow(results: CheckResults): SummaryRow {
  const { facts, why } = factsOf<ApacheBuildFacts>(results, 'apache.build');
  return row('Architecture', facts?.architecture ?? null, why || 'unknown (httpd -V printed no Architecture)');
}

/** The guide asks for APR and APR-UTIL as Apache loads them and as it was compiled against. */
function libraryRow(results: CheckResults, label: string, pick: (facts: ApacheBuildFacts) => VersionPair): SummaryRow {
  const { facts, why } = factsOf<ApacheBuildFacts>(results, 'apache.build');
  if (!facts) return row(label, null, why);
  const { loaded, compiled } = pick(facts);
  if (loaded === null && compiled === null) return row(label, null, `unknown (httpd -V printed no "Server loaded" / "Compiled using" ${label})`);
  const differs = loaded !== null && compiled !== null && loaded !== compiled ? ' (differ)' : '';
  return row(label, `loaded ${loaded ?? 'unknown'}, compiled ${compiled ?? 'unknown'}${differs}`, why);
}

function mutexText(m: EffectiveMutex): string {
  if (m.mechanism === null) return `unknown (${m.reason ?? 'no reason given'})`;
  if (m.from === 'MPM') return `${m.mechanism} (${m.reason ?? 'the MPM takes none'})`;
  return `${m.mechanism}${m.from ? ` (${m.from})` : ''}`;
}

function mutexRow(results: CheckResults): SummaryRow {
  const { facts, why } = factsOf<ApacheMutexFacts>(results, 'apache.mutex');
  if (!facts?.apacheAccept || !facts.wsgiAccept) return row('Accept mutex', null, why || 'unknown (scanned before driftwatch read the effective mutex)');
  return row('Accept mutex', `Apache children ${mutexText(facts.apacheAccept)}; mod_wsgi daemon groups ${mutexText(facts.wsgiAccept)}`, why);
}

function modWsgiRow(results: CheckResults): SummaryRow {
  const runtime = factsOf<PythonRuntimeFacts>(results, 'python.runtime');
  const packages = factsOf<OsPackagesFacts>(results, 'packages.os');
  const version = runtime.facts?.modWsgiVersion ?? (packages.facts?.modWsgi ? `${packages.facts.modWsgi} (OS package)` : null);
  const mode = runtime.facts?.mode ? `${runtime.facts.mode} mode` : null;
  const process = runtime.facts?.processGroup ? `process group ${runtime.facts.processGroup}` : null;
  return row('mod_wsgi', joined(version, mode, process), runtime.why || 'unknown');
}

function pythonRow(results: CheckResults): SummaryRow {
  const { facts, why } = factsOf<PythonRuntimeFacts>(results, 'python.runtime');
  const python = facts?.python;
  return row('Python', python ? joined(python.version ?? python.versionString, python.prefix && `sys.prefix ${python.prefix}`) : null, why || 'unknown');
}

function libpythonRow(results: CheckResults): SummaryRow {
  const { facts, why } = factsOf<ModWsgiLinkageFacts>(results, 'modwsgi.linkage');
  if (!facts) return row('libpython linkage', null, why);
  const lib = facts.libpython;
  const resolved = lib ? (lib.found === false ? `${lib.name} not found` : `${lib.name}${lib.resolvedPath ? ` => ${lib.resolvedPath}` : ''}`) : null;
  const sensitive = facts.ldLibraryPathSensitive ? 'resolves differently without LD_LIBRARY_PATH' : null;
  return row('libpython linkage', joined(facts.linkage, resolved, sensitive, facts.path && `mod_wsgi.so ${facts.path}`), why);
}

function platformRow(results: CheckResults): SummaryRow {
  const { facts, why } = factsOf<HostPlatformFacts>(results, 'host.platform');
  return row('Operating system', facts ? joined(facts.prettyName ?? [facts.os, facts.osVersion].filter(Boolean).join(' '), facts.kernel, facts.arch) : null, why);
}

/** The few facts people ask first when helping with mod_wsgi, each with why it is unknown when it is. */
export function summarize(results: CheckResults): ReportSummary {
  return {
    rows: [
      apacheRow(results),
      architectureRow(results),
      libraryRow(results, 'APR', (f) => f.apr),
      libraryRow(results, 'APR-UTIL', (f) => f.aprUtil),
      modWsgiRow(results),
      pythonRow(results),
      libpythonRow(results),
      mutexRow(results),
      platformRow(results),
    ],
  };
}
