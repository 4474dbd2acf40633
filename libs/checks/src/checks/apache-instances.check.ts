import { Check, CheckResult, CheckResults, Finding, RawSection } from '../check';
import { evaluateSection } from '../evaluate-section';
import { framedOutput, Part } from '../probe/parts';
import { parseProbeOutput } from '../probe/probe-output';
import { okFacts } from '../util/findings';
import { lines } from '../util/text';
import { ApacheBuildFacts, apacheBuildCheck } from './apache-build.check';
import { ApacheModulesFacts, apacheModulesCheck } from './apache-modules.check';
import { ctlFragment } from './ctl-fragment';
import { ModWsgiLinkageFacts, modWsgiLinkageCheck } from './modwsgi-linkage.check';
import { PythonHomeFacts, pythonHomeCheck } from './python-home.check';

/**
 * Every running Apache server other than the main one the other checks describe: a second
 * `apache2 -f other.conf`, a source build beside the packaged one, and mod_wsgi-express servers
 * (their generated server root under /tmp/mod_wsgi-* or a --server-root). Each is checked
 * with ITS binary, `-d`/`-f` and `-D`/`-C`/`-c` options (a mod_wsgi-express httpd.conf
 * chooses its MPM and modules by its -D MOD_WSGI_* defines, and reads ${MOD_WSGI_...}
 * variables, taken from the server's own environment or, unreadable, from its apachectl as
 * data) by the same fragments and parsers as the main server's: build and MPM (`-V`), loaded
 * modules (`-M`), mod_wsgi.so from its LoadModule and its libpython linkage, and its Python
 * home (WSGIPythonHome / python-home=: a mod_wsgi-express server's virtual environment).
 */

/** What each instance is checked with: the main server's own checks, run again for it. */
const SUBCHECKS = [
  { key: 'build', check: apacheBuildCheck, script: ctlFragment('-V') },
  { key: 'modules', check: apacheModulesCheck, script: apacheModulesCheck.script },
  { key: 'linkage', check: modWsgiLinkageCheck, script: modWsgiLinkageCheck.script },
  { key: 'pythonHome', check: pythonHomeCheck, script: pythonHomeCheck.script },
] as const;

type SubKey = (typeof SUBCHECKS)[number]['key'];

export interface InstanceOption {
  /** `-D`, `-C` or `-c`. */
  option: string;
  value: string;
}

export interface ApacheInstance {
  /** Stable across restarts: its configuration file (absolute), else its server root (-d), else its binary. */
  id: string;
  kind: 'mod_wsgi-express' | 'apache';
  binary: string;
  /** Where the binary was read: /proc/PID/exe, the command line, or a mod_wsgi-express apachectl's HTTPD=. */
  via: 'exe' | 'cmdline' | 'apachectl';
  replacedOnDisk: boolean;
  serverRoot: string | null;
  configFile: string | null;
  /** The mod_wsgi-express server root (the directory of its httpd.conf and apachectl). */
  expressRoot: string | null;
  /** Its -D, -C and -c options, in command-line order (never -k, -E, nor a pid or port). */
  options: InstanceOption[];
  /** The command its checks ran (control program, -d/-f, options). */
  control: string;
  /** Why its checks were not run, when they were not. */
  skipped: string | null;
  build: CheckResult<ApacheBuildFacts>;
  modules: CheckResult<ApacheModulesFacts>;
  linkage: CheckResult<ModWsgiLinkageFacts>;
  pythonHome: CheckResult<PythonHomeFacts>;
}

export interface ApacheInstancesFacts {
  /** By id. The main server (apache.build's discovery) is not among them. */
  instances: ApacheInstance[];
}

/**
 * Finding ids of the instance checks (each reused check's own, prefixed `instance-`, the
 * instance named in the message): the diff tells one instance's libpython-not-found from the main
 * server's.
 */
export const INSTANCE_FINDING_IDS = [
  'instance-apr-loaded-compiled-mismatch',
  'instance-wsgi-not-loaded',
  'instance-modwsgi-static-python',
  'instance-libpython-not-found',
  'instance-libpython-ld-library-path-sensitive',
  'instance-python-home-missing',
  'instance-python-home-not-directory',
  'instance-python-home-unreadable',
  'instance-python-home-version-mismatch',
  'instance-python-home-stdlib-incomplete',
] as const;

const functions = SUBCHECKS.map((s, i) => `dw_i_check_${i}() {\n${s.script.trim()}\n}`).join('\n');
const runs = SUBCHECKS.map((s, i) => `  dw_sub ${s.check.id} dw_i_check_${i}`).join('\n');

/**
 * sh: for each server `dw_running_apache` found other than the main one (the same id once),
 * part `instance` (what it is), then each check's output, prefixed `|` line by line so its own
 * parts and notes stay its own, as part `<check id>`. As root, a server whose binary or
 * configuration another user owns is listed but not run: its Apache would load that user's
 * modules as root.
 */
const SCRIPT = String.raw`
[ -n "$dw_run_looked" ] || dw_unavailable 'neither /proc nor ps to find running Apache servers with'
dw_meta cmd "every Apache server running beside the main one (from $dw_run_looked), each checked with its own binary, -d/-f and -D/-C/-c: -V, -M, the configuration dump, readelf/ldd of its mod_wsgi.so, its Python home"
${functions}
dw_sub() {
  dw_sub_out=$( ( "$2" ) 2>&1 </dev/null )
  dw_sub_rc=$?
  dw_part_begin "$1"
  [ -z "$dw_sub_out" ] || printf '%s\n' "$dw_sub_out" | awk '{ print "|" $0 }'
  dw_part_end "$1" "$dw_sub_rc"
}
dw_instance() {
  dw_ctl=$dw_sv_ctl dw_ctl_d=$dw_sv_d dw_ctl_f=$dw_sv_f dw_ctl_opts=$dw_sv_opts dw_by=running DW_MODWSGI_SO=
  dw_shown
  set -f; dw_ifs=$IFS; IFS=$dw_nl
  for dw_v in $dw_sv_env; do
    case ${'$'}{dw_v%%=*} in MOD_WSGI_*[!A-Za-z0-9_]*) ;; MOD_WSGI_*) export "$dw_v" ;; esac
  done
  IFS=$dw_ifs; set +f
  dw_cfg_load
${runs}
}
dw_owner() { ls -ldLn -- "$1" 2>/dev/null | awk 'NR == 1 { print $3 }'; }
dw_me=$(id -u 2>/dev/null)
dw_i_seen=$dw_nl${'$'}{dw_run_id:+$dw_run_id$dw_nl}
set -f; dw_ifs=$IFS; IFS=$dw_nl; set -- $dw_run_servers; IFS=$dw_ifs; set +f
for dw_ip; do
  [ "$dw_ip" != "$dw_run_pid" ] || continue
  dw_server_of "$dw_ip" || continue
  case $dw_i_seen in *"$dw_nl$dw_sv_id$dw_nl"*) continue ;; esac
  dw_i_seen=$dw_i_seen$dw_sv_id$dw_nl
  # Another host's server, seen through a shared /proc, names a configuration that is not here.
  [ -z "$dw_sv_f" ] || [ -f "$dw_sv_id" ] || continue
  dw_skip=
  if [ "$dw_me" = 0 ]; then
    for dw_x in "$dw_sv_exe" ${'$'}{dw_sv_f:+"$dw_sv_id"}; do
      dw_xo=$(dw_owner "$dw_x")
      [ "$dw_xo" = 0 ] || dw_skip="$dw_x is owned by uid ${'$'}{dw_xo:-unknown}, not root: this scan runs as root and would load that user's modules as root"
    done
  fi
  dw_ctl=$dw_sv_ctl dw_ctl_d=$dw_sv_d dw_ctl_f=$dw_sv_f dw_ctl_opts=$dw_sv_opts
  dw_shown
  dw_part_begin instance
  printf 'id\t%s\nbinary\t%s\nvia\t%s\nreplaced\t%s\nserverRoot\t%s\nconfigFile\t%s\nexpress\t%s\ncontrol\t%s\n' \
    "$dw_sv_id" "$dw_sv_exe" "$dw_sv_via" "$dw_sv_replaced" "$dw_sv_d" "$dw_sv_f" "$dw_sv_express" "$dw_ctl_shown"
  [ -z "$dw_sv_opts" ] || printf '%s' "$dw_sv_opts" | awk 'NR % 2 { o = $0; next } { print "option\t" o "\t" $0 }'
  [ -z "$dw_skip" ] || printf 'skipped\t%s\n' "$dw_skip"
  dw_part_end instance 0
  [ -n "$dw_skip" ] || ( dw_instance )
done
`;

const FIELDS = new Set(['id', 'binary', 'via', 'replaced', 'serverRoot', 'configFile', 'express', 'control', 'skipped']);

function described(part: Part): Omit<ApacheInstance, SubKey> | null {
  const f: Record<string, string> = {};
  const options: InstanceOption[] = [];
  for (const line of lines(part.text)) {
    const [key, ...rest] = line.split('\t');
    if (key === 'option' && rest.length >= 2) options.push({ option: rest[0], value: rest.slice(1).join('\t') });
    else if (FIELDS.has(key) && rest.length > 0) f[key] = rest.join('\t');
  }
  if (!f.id || !f.binary) return null;
  return {
    id: f.id,
    kind: f.express ? 'mod_wsgi-express' : 'apache',
    binary: f.binary,
    via: f.via === 'exe' || f.via === 'apachectl' ? f.via : 'cmdline',
    replacedOnDisk: f.replaced === 'yes',
    serverRoot: f.serverRoot || null,
    configFile: f.configFile || null,
    expressRoot: f.express || null,
    options,
    control: f.control ?? f.binary,
    skipped: f.skipped || null,
  };
}

/** One check's output inside an instance, as the probe would have framed it as a section of its own. */
function subSection(id: string, part: Part, token: string): RawSection {
  const text = lines(part.text)
    .map((l) => (l.startsWith('|') ? l.slice(1) : l))
    .join('\n');
  const begin = `@@DW:${token}:begin:${id}@@\n`;
  const end = part.exitCode === null ? '' : `@@DW:${token}:end:${id}:${part.exitCode}@@\n@@DW:${token}:done@@\n`;
  return parseProbeOutput({ stdout: `${begin}${text}\n${end}`, stderr: `${begin}${end}` }, token, [id]).sections[0];
}

export function parseApacheInstances(section: RawSection): CheckResult<ApacheInstancesFacts> {
  const { parts, token } = framedOutput(section.stdout);
  const byId = new Map<string, ApacheInstance>();
  let current: ApacheInstance | null = null;
  for (const part of parts) {
    if (part.name === 'instance') {
      const d = described(part);
      current = null;
      if (!d || byId.has(d.id)) continue;
      const notRun = (): CheckResult => (d.skipped ? { status: 'skipped', reason: d.skipped, facts: null } : { status: 'failed', reason: 'the probe produced no output for this check of the instance', facts: null });
      current = { ...d, build: notRun(), modules: notRun(), linkage: notRun(), pythonHome: notRun() } as ApacheInstance;
      byId.set(d.id, current);
      continue;
    }
    const sub = SUBCHECKS.find((s) => s.check.id === part.name);
    if (!current || !sub || token === null) continue;
    (current as unknown as Record<SubKey, CheckResult>)[sub.key] = evaluateSection(sub.check, subSection(sub.check.id, part, token));
  }
  const instances = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { status: 'ok', facts: { instances } };
}

/** How a finding names the instance it is about. */
function named(instance: ApacheInstance): string {
  return instance.kind === 'mod_wsgi-express' ? `mod_wsgi-express server ${instance.expressRoot}` : `Apache server ${instance.id}`;
}

function instanceFindings(results: CheckResults): Finding[] {
  const facts = okFacts<ApacheInstancesFacts>(results, 'apache.instances');
  if (!facts) return [];
  const out: Finding[] = [];
  for (const instance of facts.instances) {
    const own: CheckResults = Object.fromEntries(SUBCHECKS.map((s) => [s.check.id, instance[s.key]]));
    for (const sub of SUBCHECKS) {
      for (const f of sub.check.findings?.(own) ?? []) {
        out.push({ id: `instance-${f.id}`, severity: f.severity, checkId: 'apache.instances', message: `${named(instance)} (${instance.binary}): ${f.message}` });
      }
    }
  }
  return out;
}

export const apacheInstancesCheck: Check<ApacheInstancesFacts> = {
  id: 'apache.instances',
  title: 'Other running Apache servers and mod_wsgi-express servers, each checked with its own binary, -f and -D options (-V, -M, mod_wsgi.so linkage, Python home)',
  script: SCRIPT,
  parse: parseApacheInstances,
  findings: instanceFindings,
};
