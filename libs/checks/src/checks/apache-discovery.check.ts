import { Check, CheckResult, CheckResults, Finding, RawSection } from '../check';
import { LibPython, parseLdd } from '../parsers/linked-libraries.parser';
import { ApacheCommandLine, parseApacheCommandLine } from '../parsers/apache-processes.parser';
import { Part, splitParts } from '../probe/parts';
import { okFacts } from '../util/findings';
import { nonEmptyLines } from '../util/text';

export type DiscoveredBy = 'running' | 'path' | 'fallback' | 'override';

/** A mod_wsgi-express server: its generated server root, and the mod_wsgi its httpd.conf loads. */
export interface ExpressInstance {
  serverRoot: string;
  config: string;
  apachectl: string;
  /** HTTPD= of its apachectl: the Apache binary mod_wsgi-express runs. */
  httpd: string | null;
  /** `LoadModule wsgi_module` of its httpd.conf (pip-installed mod_wsgi: …/site-packages/mod_wsgi/server/mod_wsgi-py….so). */
  modWsgiSo: string | null;
  /** libpython as that module links it (ldd); null when not read. */
  libpython: LibPython | null;
}

/** One running Apache (a parent process) of this host. */
export interface RunningApache extends Omit<ApacheCommandLine, 'argv0'> {
  kind: 'apache' | 'mod_wsgi-express';
  /** The binary it runs: /proc/PID/exe, else an absolute argv[0]; null when neither is known. */
  binary: string | null;
  binarySource: 'exe' | 'cmdline' | null;
  /** /proc/PID/exe ends in " (deleted)": the binary was replaced on disk (an upgrade) after it started. */
  binaryReplaced: boolean;
  foundVia: 'pidfile' | 'process-table';
  pidFile: string | null;
  /** `same`: its mount namespace is this shell's; `unknown`: not readable as this user (a pid file vouched for it). */
  namespace: 'same' | 'unknown';
  express: ExpressInstance | null;
}

export interface ApacheDiscoveryFacts {
  /** How the Apache the checks ran was chosen; null when no Apache was found. */
  discoveredBy: DiscoveredBy | null;
  /** The control program the checks ran. */
  ctl: string | null;
  /** With the running instance's options, as the reports show it. */
  ctlCommand: string | null;
  /** The running Apache's binary when it was chosen. */
  binary: string | null;
  binarySource: 'exe' | 'cmdline' | null;
  /** What the PATH (then fallback directories) search finds, whatever was chosen. */
  pathCtl: string | null;
  apxs: string | null;
  apxsFoundBy: 'override' | 'beside' | 'path' | 'fallback' | null;
  /** The Apache binary apxs was built for (`apxs -q SBINDIR`/`TARGET`). */
  apxsFor: string | null;
  /** True when apxs belongs to the chosen Apache (its SBINDIR is that Apache's directory); null when unknown. */
  apxsPaired: boolean | null;
  /** Whether running processes were looked at (`DRIFTWATCH_PROC` empty turns it off). */
  processTable: boolean;
  running: RunningApache[];
  /** Observed: the pids of `running`, in order (they change at every restart). */
  pids: number[];
  /** Observed: Apache processes of the table whose namespace (or binary) this user cannot read (root's, without sudo). */
  unreadable: number;
}

const SCRIPT = String.raw`
[ -n "$dw_ctl" ] || [ -n "$dw_running" ] || dw_unavailable 'no Apache running or installed (no apache2ctl, httpd, apachectl, apache2)'
dw_path_ctl=; dw_find apache2ctl httpd apachectl apache2 && dw_path_ctl=$dw_found
dw_part_begin chosen
printf '%s\t%s\n' discoveredBy "$dw_found_by" ctl "$dw_ctl" ctlCommand "$dw_ctl_cmd" binary "$dw_bin" binaryFrom "$dw_bin_from" \
  pathCtl "$dw_path_ctl" apxs "$dw_apxs" apxsFoundBy "$dw_apxs_by" unreadable "$dw_run_unreadable" processTable "${'$'}{dw_proc:+yes}"
dw_bd=${'$'}{dw_bin:-$dw_ctl}
[ -z "$dw_ctl" ] || printf '%s\t%s\n' binDirReal "$(cd -P "${'$'}{dw_bd%/*}" 2>/dev/null && pwd -P)"
if [ -n "$dw_apxs" ]; then
  dw_sb=$("$dw_apxs" -q SBINDIR 2>/dev/null); dw_tg=$("$dw_apxs" -q TARGET 2>/dev/null)
  printf '%s\t%s\n' apxsSbindir "$dw_sb" apxsTarget "$dw_tg" apxsSbindirReal "$([ -n "$dw_sb" ] && cd -P "$dw_sb" 2>/dev/null && pwd -P)"
fi
dw_part_end chosen 0
[ -z "$dw_apxs" ] || dw_meta cmd "$dw_apxs -q SBINDIR; $dw_apxs -q TARGET"
dw_part_begin running; printf '%s' "$dw_running"; dw_part_end running 0
dw_k=0
set -f; dw_ifs=$IFS; IFS=$dw_nl
for dw_l in $dw_running; do
  IFS=$dw_ifs; set +f
  dw_r=$dw_l
  for dw_i in 1 2; do dw_r=${'$'}{dw_r#*"$dw_tab"}; done
  dw_pid=${'$'}{dw_r%%"$dw_tab"*}
  for dw_i in 1 2 3 4; do dw_r=${'$'}{dw_r#*"$dw_tab"}; done
  dw_opts_of "$dw_r"
  dw_express_conf "$dw_o_conf" || continue
  dw_k=$((dw_k + 1)); dw_sr=${'$'}{dw_o_conf%/*}
  dw_so=$(awk 'NR > 20000 { exit } { sub(/\r$/, "") } tolower($1) == "loadmodule" && $2 == "wsgi_module" {
      v = $0; sub(/^[ \t]*[^ \t]+[ \t]+[^ \t]+[ \t]+/, "", v); sub(/[ \t]+$/, "", v)
      if (v ~ /^["\047].*["\047]$/) v = substr(v, 2, length(v) - 2); print v; exit }' "$dw_o_conf" 2>/dev/null)
  dw_hx=$(awk 'NR > 2000 { exit } /^HTTPD="/ { v = substr($0, 8); sub(/"[ \t]*$/, "", v); print v; exit }' "$dw_sr/apachectl" 2>/dev/null)
  dw_meta cmd "cat $dw_sr/apachectl $dw_o_conf (HTTPD=, LoadModule wsgi_module)"
  dw_part_begin "express.$dw_k"
  printf '%s\t%s\n' pid "$dw_pid" serverRoot "$dw_sr" config "$dw_o_conf" apachectl "$dw_sr/apachectl" httpd "$dw_hx" modWsgiSo "$dw_so"
  dw_part_end "express.$dw_k" 0
  if [ -n "$dw_so" ] && [ -f "$dw_so" ] && dw_find ldd; then
    dw_meta cmd "ldd $dw_so"
    dw_part "express-ldd.$dw_k" "$dw_found" "$dw_so"
  fi
  set -f; IFS=$dw_nl
done
IFS=$dw_ifs; set +f
`;

function keyValues(part: Part | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of nonEmptyLines(part?.text ?? '')) {
    const tab = line.indexOf('\t');
    if (tab > 0 && !out.has(line.slice(0, tab))) out.set(line.slice(0, tab), line.slice(tab + 1));
  }
  return out;
}

const orNull = (value: string | undefined): string | null => (value ? value : null);

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[]): T | null {
  return (allowed as readonly string[]).includes(value ?? '') ? (value as T) : null;
}

function expressInstances(parts: Map<string, Part>): Map<number, ExpressInstance> {
  const out = new Map<number, ExpressInstance>();
  for (const [name, part] of parts) {
    const m = /^express\.(\d+)$/.exec(name);
    if (!m) continue;
    const kv = keyValues(part);
    const ldd = parts.get(`express-ldd.${m[1]}`);
    const linked = ldd ? parseLdd(ldd.text) : null;
    out.set(Number(kv.get('pid')), {
      serverRoot: kv.get('serverRoot') ?? '',
      config: kv.get('config') ?? '',
      apachectl: kv.get('apachectl') ?? '',
      httpd: orNull(kv.get('httpd')),
      modWsgiSo: orNull(kv.get('modWsgiSo')),
      libpython: linked?.status === 'ok' ? (linked.facts?.libpython ?? null) : null,
    });
  }
  return out;
}

/** `via<TAB>pidfile<TAB>pid<TAB>ppid<TAB>namespace<TAB>exe<TAB>argv…` lines of part `running`. */
function runningApaches(part: Part | undefined, express: Map<number, ExpressInstance>): { running: RunningApache[]; pids: number[] } {
  const running: RunningApache[] = [];
  const pids: number[] = [];
  for (const line of nonEmptyLines(part?.text ?? '')) {
    const [via, pidFile, pid, , namespace, exe, ...argv] = line.split('\t');
    if (!/^\d+$/.test(pid ?? '')) continue;
    const words = argv.filter((w) => w !== '');
    const { argv0, ...options } = parseApacheCommandLine(words);
    const replaced = / \(deleted\)$/.test(exe ?? '');
    const binary = exe ? exe.replace(/ \(deleted\)$/, '') : argv0.startsWith('/') ? argv0 : null;
    const instance = express.get(Number(pid)) ?? null;
    running.push({
      kind: instance ? 'mod_wsgi-express' : 'apache',
      binary,
      binarySource: exe ? 'exe' : binary ? 'cmdline' : null,
      binaryReplaced: replaced,
      foundVia: via === 'pidfile' ? 'pidfile' : 'process-table',
      pidFile: orNull(pidFile),
      namespace: namespace === 'same' ? 'same' : 'unknown',
      ...options,
      express: instance,
    });
    pids.push(Number(pid));
  }
  return { running, pids };
}

const dirOf = (path: string): string => path.replace(/\/[^/]*$/, '') || '/';

export function parseApacheDiscovery(section: RawSection): CheckResult<ApacheDiscoveryFacts> {
  const parts = splitParts(section.stdout);
  const chosen = keyValues(parts.get('chosen'));
  const { running, pids } = runningApaches(parts.get('running'), expressInstances(parts));
  const sbindir = orNull(chosen.get('apxsSbindir'));
  const target = orNull(chosen.get('apxsTarget'));
  const apxsFor = sbindir && target ? `${sbindir.replace(/\/+$/, '')}/${target}` : null;
  const ctl = orNull(chosen.get('ctl'));
  const binary = orNull(chosen.get('binary'));
  const apacheDir = orNull(chosen.get('binDirReal')) ?? (binary ?? ctl ? dirOf(binary ?? ctl ?? '') : null);
  const apxsDir = orNull(chosen.get('apxsSbindirReal')) ?? sbindir;
  const apxs = orNull(chosen.get('apxs'));
  const facts: ApacheDiscoveryFacts = {
    discoveredBy: oneOf(chosen.get('discoveredBy'), ['running', 'path', 'fallback', 'override'] as const),
    ctl,
    ctlCommand: orNull(chosen.get('ctlCommand')),
    binary,
    binarySource: oneOf(chosen.get('binaryFrom'), ['exe', 'cmdline'] as const),
    pathCtl: orNull(chosen.get('pathCtl')),
    apxs,
    apxsFoundBy: oneOf(chosen.get('apxsFoundBy'), ['override', 'beside', 'path', 'fallback'] as const),
    apxsFor,
    apxsPaired: apxs && apxsDir && apacheDir ? apxsDir.replace(/\/+$/, '') === apacheDir.replace(/\/+$/, '') : null,
    processTable: chosen.get('processTable') === 'yes',
    running,
    pids,
    unreadable: Number(chosen.get('unreadable') ?? 0) || 0,
  };
  return { status: 'ok', facts };
}

function discoveryFindings(facts: ApacheDiscoveryFacts): Finding[] {
  const findings: Finding[] = [];
  const checkId = 'apache.discovery';
  if (facts.apxsPaired === false) {
    findings.push({
      id: 'apxs-other-apache',
      severity: 'warning',
      checkId,
      message: `${facts.apxs} belongs to another Apache (${facts.apxsFor ?? 'its SBINDIR/TARGET'}) than the one scanned (${facts.binary ?? facts.ctl}): config.nice and APR's headers read through it, and any mod_wsgi built with it, are that other Apache's. Install the development files of this Apache, or give the host an apxs override naming its own apxs.`,
    });
  }
  for (const r of facts.running.filter((x) => x.binaryReplaced)) {
    findings.push({
      id: 'apache-binary-replaced',
      severity: 'warning',
      checkId,
      message: `The running Apache's binary ${r.binary} was replaced on disk after it started (an upgrade without a restart): what -V and -M report is the new binary, not the one serving. Restart Apache.`,
    });
  }
  if (facts.discoveredBy === 'running' && facts.binary && facts.pathCtl && dirOf(facts.pathCtl) !== dirOf(facts.binary)) {
    findings.push({
      id: 'apache-shadowed-on-path',
      severity: 'info',
      checkId,
      message: `The running Apache is ${facts.binary}, but PATH finds ${facts.pathCtl} first: httpd/apachectl/apxs typed in a shell on this host describe another Apache. The checks ran the running one.`,
    });
  }
  return findings;
}

export const apacheDiscoveryCheck: Check<ApacheDiscoveryFacts> = {
  id: 'apache.discovery',
  title: 'Which Apache: the running one (pid files, /proc), else PATH; apxs paired with it; mod_wsgi-express servers',
  script: SCRIPT,
  parse: parseApacheDiscovery,
  findings(results: CheckResults) {
    const facts = okFacts<ApacheDiscoveryFacts>(results, 'apache.discovery');
    return facts ? discoveryFindings(facts) : [];
  },
  observedFacts: ['pids', 'unreadable'],
};
