import { Check, CheckResult, CheckResults, Finding, RawSection } from '../check';
import { splitParts } from '../probe/parts';
import { failedWith } from '../util/failure';
import { okFacts } from '../util/findings';
import { nonEmptyLines } from '../util/text';
import { REQUIRE_CTL } from './ctl-fragment';
import type { ModWsgiLinkageFacts } from './modwsgi-linkage.check';
import type { DaemonProcess, PythonConfigFacts } from './python-config.check';

/** What the processes running one command under Apache's parent have in common. */
export interface ProcessSet {
  count: number;
  /** Their users, sorted (ps `user`). */
  users: string[];
  /** Threads per process (/proc/PID/status), sorted, unique; null without /proc. */
  threads: number[] | null;
  /** libpython files mapped in them (/proc/PID/maps); null when no process's maps could be read. */
  libpython: string[] | null;
  /** Python library directories (…/lib/pythonX.Y) of other files mapped; null when no maps could be read. */
  pythonLib: string[] | null;
}

/** mod_wsgi daemon processes recognised by their display name (display-name=). */
export interface DaemonProcessSet extends ProcessSet {
  /** The process title without the arguments it shares with Apache's parent: `(wsgi:GROUP)`, or display-name's literal. */
  command: string;
  /** GROUP of `(wsgi:GROUP)` (display-name=%{GROUP}); null for a literal display name or a cut one. */
  group: string | null;
}

export interface PythonProcessesFacts {
  /** Apache's PidFile (DUMP_RUN_CFG). */
  pidFile: string;
  /** Whether the process the PidFile names runs. */
  running: boolean;
  parentUser: string | null;
  /**
   * The longest title a daemon process can show: mod_wsgi writes display-name over Apache's
   * argv[0] and cuts it to that length (`(wsgi:driftwatch-diag)` under `/usr/sbin/apache2`
   * shows as `(wsgi:driftwatch-`); null when not running.
   */
  titleLength: number | null;
  /** Children whose title differs from the parent's: mod_wsgi daemon processes with a display name. */
  daemons: DaemonProcessSet[];
  /** Children with the parent's own title: Apache's workers, and daemon processes without display-name. */
  children: Omit<ProcessSet, 'count'> | null;
  /** How many those are (Apache starts and ends them with the load: observed, not state). */
  childCount: number;
  /** Why some or all maps are unknown (not root, no /proc); null when every one was read. */
  mapsUnknown: string | null;
}

const PS = 'ps -e -o pid= -o ppid= -o user= -o args=';

/**
 * Apache's running processes: the parent from PidFile and its children (ps, filtered to them:
 * nothing else of the host's process table is kept), each child's thread count and the
 * Python files mapped in it (/proc/PID/maps: readable as root, so scan with sudo to know them).
 */
const SCRIPT = String.raw`${REQUIRE_CTL}
dw_apache_cfg
dw_pf=$(printf '%s\n' "$dw_cfg" | awk '/^[ \t]*PidFile: "/ { sub(/^[ \t]*PidFile: "/, ""); sub(/"[ \t]*$/, ""); print; exit }')
[ -n "$dw_pf" ] || dw_unavailable 'Apache did not name its PidFile (DUMP_RUN_CFG needs Apache 2.4 and a configuration that parses)'
case $dw_pf in /*) ;; *) dw_pf=$dw_cfg_root/$dw_pf ;; esac
dw_meta pidFile "$dw_pf"
[ -e "$dw_pf" ] || dw_unavailable "Apache is not running: its PidFile $dw_pf does not exist"
dw_pid=$(awk 'NR == 1 { gsub(/[^0-9]/, ""); print; exit }' "$dw_pf" 2>/dev/null)
[ -n "$dw_pid" ] || dw_unavailable "cannot read a process id from the PidFile $dw_pf as $(id -un)"
dw_meta cmd "${PS} (Apache's parent $dw_pid and its children)"
dw_part_begin ps
{ ${PS} 2>/dev/null || ps -ax -o pid= -o ppid= -o user= -o args=; } | awk -v p="$dw_pid" '$1 == p || $2 == p'
dw_part_end ps 0
if [ -d /proc/self ]; then
  dw_meta cmd "Threads of /proc/PID/status and the python files of /proc/PID/maps of each child, as $(id -un)"
  dw_part_begin proc
  for dw_c in $(${PS.replace(' -o user= -o args=', '')} 2>/dev/null | awk -v p="$dw_pid" '$2 == p { print $1 }'); do
    printf 'threads\t%s\t%s\n' "$dw_c" "$(awk '$1 == "Threads:" { print $2 }' "/proc/$dw_c/status" 2>/dev/null)"
    if dw_m=$(cat "/proc/$dw_c/maps" 2>&1); then
      printf '%s\n' "$dw_m" | awk -v c="$dw_c" '$6 ~ /python/ && !seen[$6]++ { print "map\t" c "\t" $6 }'
      printf 'mapped\t%s\n' "$dw_c"
    else
      printf 'unreadable\t%s\t%s\n' "$dw_c" "$(printf '%s\n' "$dw_m" | awk 'NR == 1')"
    fi
  done
  dw_part_end proc 0
  dw_meta as "$(id -un)"
else
  dw_meta noproc "no /proc on this host: the files mapped in Apache's processes are not known"
fi
`;

interface Proc {
  pid: string;
  user: string;
  args: string;
  threads: number | null;
  maps: string[] | null;
}

function procs(ps: string): { parent: Proc | null; children: Proc[]; parentPid: string | null } {
  const rows = nonEmptyLines(ps)
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: m[1], ppid: m[2], user: m[3], args: m[4].trimEnd() }));
  // The parent is the one row whose children are the others.
  const parent = rows.find((r) => rows.some((c) => c.ppid === r.pid)) ?? (rows.length === 1 ? rows[0] : undefined);
  const mk = (r: (typeof rows)[number]): Proc => ({ pid: r.pid, user: r.user, args: r.args, threads: null, maps: null });
  return {
    parent: parent ? mk(parent) : null,
    parentPid: parent?.pid ?? null,
    // A child that exited and is not reaped yet (`[apache2] <defunct>`, right after a graceful
    // restart) is no process of Apache's any more: counting it would drift on timing alone.
    children: parent ? rows.filter((r) => r.ppid === parent.pid && !/<defunct>$/.test(r.args)).map(mk) : [],
  };
}

/** `(wsgi:diag)       -k start` with the parent's `/usr/sbin/apache2 -k start` → `(wsgi:diag)`. */
function title(args: string, parentArgs: string): string {
  const tail = parentArgs.replace(/^\S+/, '');
  if (tail.trim() && args.endsWith(tail)) return args.slice(0, args.length - tail.length).trim();
  return /^\(wsgi:[^)]*\)/.exec(args)?.[0] ?? args.trim();
}

const sorted = <T>(values: Iterable<T>): T[] => [...new Set(values)].sort();

const PYTHON_LIB = /^(.*\/lib(?:64)?\/python\d+\.\d+t?)\//;

function summarise(list: Proc[]): ProcessSet {
  const withMaps = list.filter((p) => p.maps !== null);
  const mapped = withMaps.flatMap((p) => p.maps ?? []);
  const threads = list.map((p) => p.threads).filter((t): t is number => t !== null);
  return {
    count: list.length,
    users: sorted(list.map((p) => p.user)),
    threads: threads.length ? sorted(threads).sort((a, b) => a - b) : null,
    libpython: withMaps.length ? sorted(mapped.filter((f) => /\/libpython[^/]*$/.test(f))) : null,
    pythonLib: withMaps.length ? sorted(mapped.flatMap((f) => PYTHON_LIB.exec(f)?.[1] ?? [])) : null,
  };
}

/** `cat: /proc/123/maps: Permission denied` → `Permission denied`: no pid in a fact (it changes with every restart). */
const why = (error: string) => error.replace(/^.*\/proc\/\d+\/maps:\s*/, '').trim() || 'unreadable';

export function parsePythonProcesses(section: RawSection): CheckResult<PythonProcessesFacts> {
  const pidFile = section.meta.pidFile;
  const parts = splitParts(section.stdout);
  const ps = parts.get('ps');
  if (!pidFile || !ps) return failedWith('no process listing', section);
  const { parent, children } = procs(ps.text);
  if (!parent) {
    return { status: 'ok', facts: { pidFile, running: false, parentUser: null, titleLength: null, daemons: [], children: null, childCount: 0, mapsUnknown: null } };
  }
  const byPid = new Map(children.map((c) => [c.pid, c]));
  const unreadable: string[] = [];
  for (const line of nonEmptyLines(parts.get('proc')?.text ?? '')) {
    const [kind, pid, value = ''] = line.split('\t');
    const p = byPid.get(pid);
    if (!p) continue;
    if (kind === 'threads' && /^\d+$/.test(value)) p.threads = Number(value);
    else if (kind === 'map') (p.maps ??= []).push(value);
    else if (kind === 'mapped') p.maps ??= [];
    else if (kind === 'unreadable') unreadable.push(value);
  }
  const proc = parts.get('proc') !== undefined;
  const unknown = !proc
    ? (section.meta.noproc ?? 'no /proc')
    : unreadable.length
      ? `${unreadable.length === children.length ? 'the' : 'some'} maps of Apache's processes cannot be read as ${section.meta.as ?? 'the login user'} (${why(unreadable[0])}): scan the host with sudo`
      : null;
  const groups = new Map<string, Proc[]>();
  const own: Proc[] = [];
  for (const c of children) {
    const t = title(c.args, parent.args);
    if (t === title(parent.args, parent.args)) own.push(c);
    else groups.set(t, [...(groups.get(t) ?? []), c]);
  }
  const daemons = [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([command, list]) => ({ command, group: /^\(wsgi:(.*)\)$/.exec(command)?.[1] ?? null, ...summarise(list) }));
  const ownSet = summarise(own);
  const { count, ...childFacts } = ownSet;
  return {
    status: 'ok',
    facts: { pidFile, running: true, parentUser: parent.user, titleLength: parent.args.split(/\s/, 1)[0].length, daemons, children: own.length ? childFacts : null, childCount: count, mapsUnknown: unknown },
  };
}

/** The title mod_wsgi gives a group's processes: display-name=%{GROUP} → `(wsgi:GROUP)`, a literal as written; null without one. */
export function displayTitle(group: DaemonProcess): string | null {
  const name = group.options['display-name'];
  if (name === undefined) return null;
  return name === '%{GROUP}' ? `(wsgi:${group.name})` : name.replace(/^"(.*)"$/, '$1');
}

/** The title a group's processes show: its display title, cut as mod_wsgi cuts it to Apache's argv[0]. */
function shownTitle(title: string, titleLength: number | null): string {
  return titleLength !== null && title.length > titleLength ? title.slice(0, titleLength) : title;
}

/** mod_wsgi's own threads in a daemon process beside its request threads (main, monitor, deadlock watch). */
const HOUSEKEEPING_THREADS = 3;

function processFindings(results: CheckResults): Finding[] {
  const facts = okFacts<PythonProcessesFacts>(results, 'python.processes');
  if (!facts || !facts.running) return [];
  const out: Finding[] = [];
  const config = okFacts<PythonConfigFacts>(results, 'python.config');
  const titled = new Set<string>();
  const groups = (config?.daemonProcesses ?? []).flatMap((group) => {
    const full = displayTitle(group);
    return full === null ? [] : [{ group, full, shown: shownTitle(full, facts.titleLength) }];
  });
  for (const { group, full, shown } of groups) {
    titled.add(shown);
    // Two groups whose titles are cut to the same text cannot be told apart: their processes are not counted.
    if (groups.some((other) => other.group !== group && other.shown === shown)) continue;
    const t = shown === full ? full : `${full}, shown as ${shown}`;
    const seen = facts.daemons.find((d) => d.command === shown);
    const count = seen?.count ?? 0;
    if (group.processes !== null && count !== group.processes) {
      out.push({
        id: 'daemon-process-count-mismatch',
        severity: count === 0 ? 'critical' : 'warning',
        checkId: 'python.processes',
        message:
          count === 0
            ? `No process of daemon group ${group.name} (${t}) runs, although WSGIDaemonProcess ${group.name} asks for processes=${group.processes}: requests delegated to it fail ("Unable to connect to WSGI daemon process"). The error log says why its processes exit; restart Apache once the cause is fixed.`
            : `Daemon group ${group.name} runs ${count} process${count === 1 ? '' : 'es'} (${t}) but WSGIDaemonProcess ${group.name} says processes=${group.processes}: Apache has not been restarted since the configuration changed (apache2ctl graceful), or its processes are restarting (maximum-requests, crashes: see the error log).`,
      });
    }
    const threads = seen?.threads;
    if (seen && threads && group.threads !== null) {
      const want = group.threads + HOUSEKEEPING_THREADS;
      const off = threads.filter((n) => Math.abs(n - want) >= 2);
      if (off.length > 0) {
        out.push({
          id: 'daemon-thread-count-mismatch',
          severity: 'warning',
          checkId: 'python.processes',
          message: `Processes of daemon group ${group.name} run ${off.join(', ')} threads, but threads=${group.threads} gives ${group.threads} request threads plus mod_wsgi's own ${HOUSEKEEPING_THREADS} (${want}): the running processes were started with other options. Restart Apache (apache2ctl graceful) so that WSGIDaemonProcess ${group.name} applies.`,
        });
      }
    }
  }
  for (const d of facts.daemons) {
    if (d.group === null || titled.has(d.command) || !config) continue;
    out.push({
      id: 'daemon-process-count-mismatch',
      severity: 'warning',
      checkId: 'python.processes',
      message: `${d.count} process${d.count === 1 ? '' : 'es'} of daemon group ${d.group} (${d.command}) run, but the configuration defines no WSGIDaemonProcess ${d.group} with display-name=%{GROUP}: Apache has not been restarted since the group was removed or renamed (apache2ctl graceful).`,
    });
  }
  out.push(...mappedFindings(facts, okFacts<ModWsgiLinkageFacts>(results, 'modwsgi.linkage')));
  return out;
}

/**
 * One spelling for a library path on a merged-/usr system (Debian, Fedora), where /lib is /usr/lib:
 * ldd prints the loader's /lib/… path, /proc/PID/maps the file's /usr/lib/… one.
 */
export function usrMerged(path: string): string {
  return path.replace(/^\/(lib|lib64)\//, '/usr/$1/');
}

/** libpython as the running processes have it against what mod_wsgi.so resolves to now. */
function mappedFindings(facts: PythonProcessesFacts, linkage: ModWsgiLinkageFacts | null): Finding[] {
  const resolved = linkage?.libpython?.resolvedPath;
  if (!resolved) return [];
  const mapped = sorted([...(facts.children?.libpython ?? []), ...facts.daemons.flatMap((d) => d.libpython ?? [])]);
  const other = mapped.filter((path) => usrMerged(path) !== usrMerged(resolved));
  if (mapped.length === 0 || other.length === 0) return [];
  return [
    {
      id: 'libpython-mapped-differs',
      severity: 'warning',
      checkId: 'python.processes',
      message: `Apache's running processes have ${other.join(', ')} mapped, but mod_wsgi.so resolves libpython to ${resolved} now: they were started before libpython or Apache's environment changed, or they get another LD_LIBRARY_PATH. Restart Apache (stop and start) so that the Python you checked is the one in use.`,
    },
  ];
}

export const pythonProcessesCheck: Check<PythonProcessesFacts> = {
  id: 'python.processes',
  title: "Apache's running processes: mod_wsgi daemon groups by display name, threads, libpython and Python libraries mapped",
  script: SCRIPT,
  parse: parsePythonProcesses,
  findings: processFindings,
  observedFacts: ['childCount', 'children.threads', 'daemons[].threads'],
};
