import { Check, CheckResult, CheckResults, Finding, RawSection } from '../check';
import { splitParts } from '../probe/parts';
import { failedWith } from '../util/failure';
import { okFacts } from '../util/findings';
import { majorMinor, nonEmptyLines } from '../util/text';
import { REQUIRE_CTL } from './ctl-fragment';
import type { ModWsgiLinkageFacts } from './modwsgi-linkage.check';

/** One path as `ls -ldLn` saw it (symlinks followed). */
export interface PathEntry {
  path: string;
  /** `drwxr-x---` (an ACL's `+` or SELinux's `.` dropped, see `acl`). */
  mode: string;
  uid: number;
  gid: number;
  acl: boolean;
}

export interface HomeAccess {
  /** Whether the user can reach and read the home (and its lib/pythonX.Y, pyvenv.cfg); null: not known. */
  readable: boolean | null;
  /** The first path on the way the user may not pass, with its mode and owner. */
  deniedAt: PathEntry | null;
  /** Why `readable` is null. */
  unknown: string | null;
}

export interface PythonHome {
  path: string;
  /** `WSGIPythonHome`, or `WSGIDaemonProcess NAME` for its python-home= option. */
  setBy: string;
  /** Who must read it: Apache's User, or the group's user= (with group= as primary group). */
  user: string | null;
  uid: number | null;
  gids: number[] | null;
  /** null: the probe's own user could not look. */
  exists: boolean | null;
  directory: boolean | null;
  /** X.Y of each lib/pythonX.Y in it; null when it could not be listed. */
  libVersions: string[] | null;
  /** Of os.py, encodings and json: those missing from a lib/pythonX.Y that holds a standard library (not a venv's). */
  stdlibMissing: string[] | null;
  /** pyvenv.cfg's `version` (or version_info) and `home`, when the home is a virtual environment. */
  venv: { version: string | null; home: string | null } | null;
  access: HomeAccess;
}

export interface PythonHomeFacts {
  homes: PythonHome[];
}

/**
 * Every WSGIPythonHome and python-home= of the configuration, looked at from the outside: does
 * it exist, is it a directory, which lib/pythonX.Y it holds, its pyvenv.cfg, and every path
 * from / to it (and to lib/pythonX.Y, pyvenv.cfg) as `ls -ldLn` shows it, with the uid and gids
 * of the user who must read it (`id`), so the parser can walk the permissions as that user, like
 * `namei -l` would. Nothing is read beyond the first 40 lines of pyvenv.cfg.
 */
const SCRIPT = String.raw`${REQUIRE_CTL}
dw_apache_cfg
[ -n "$dw_cfg_files" ] || dw_unavailable 'Apache listed no configuration files to read WSGIPythonHome and python-home= from'
dw_account() { printf '%s\n' "$dw_cfg" | awk -v k="$1" '$1 == k ":" && $2 ~ /^name="/ { v = $2; sub(/^name="/, "", v); sub(/".*/, "", v); print v; exit }'; }
dw_au=$(dw_account User)
dw_ag=$(dw_account Group)
# Fields are never empty ("-"): read collapses adjacent tabs.
dw_homes=$(dw_directives 'wsgipythonhome|wsgidaemonprocess' | awk -v au="${'$'}{dw_au:--}" -v ag="${'$'}{dw_ag:--}" '
  function unq(v) { gsub(/^["'\'']|["'\'']$/, "", v); return v }
  {
    line = $0; sub(/^[^\t]*\t[^\t]*\t/, "", line)
    n = split(line, w, /[ \t]+/); d = tolower(w[1])
    if (d == "wsgipythonhome" && n >= 2) print unq(w[2]) "\t" au "\t" ag "\tWSGIPythonHome"
    else if (d == "wsgidaemonprocess" && n >= 2) {
      home = ""; user = au; grp = ag
      for (i = 3; i <= n; i++) {
        if (w[i] ~ /^python-home=/) home = substr(w[i], 13)
        else if (w[i] ~ /^user=/) user = substr(w[i], 6)
        else if (w[i] ~ /^group=/) grp = substr(w[i], 7)
      }
      if (user == "") user = "-"
      if (grp == "") grp = "-"
      if (home != "") print unq(home) "\t" unq(user) "\t" unq(grp) "\tWSGIDaemonProcess " unq(w[2])
    }
  }' | awk '!seen[$0]++')
dw_stat() { printf 'stat\t%s\t%s\n' "$1" "$(ls -ldLn -- "$1" 2>&1 | awk 'NR == 1')"; }
dw_meta cmd 'id USER; ls -ldLn of every directory from / to each Python home, its lib/pythonX.Y and pyvenv.cfg; the first 40 lines of pyvenv.cfg'
dw_part_begin homes
[ -z "$dw_homes" ] || printf '%s\n' "$dw_homes" | while IFS='	' read -r dw_h dw_u dw_g dw_by; do
  [ "$dw_u" != - ] || dw_u=
  [ "$dw_g" != - ] || dw_g=
  printf 'home\t%s\t%s\t%s\n' "$dw_h" "$dw_u" "$dw_by"
  if [ -n "$dw_u" ] && dw_uid=$(id -u -- "$dw_u" 2>/dev/null); then
    dw_gids=$(id -G -- "$dw_u" 2>/dev/null)
    if [ -n "$dw_g" ]; then
      dw_gid=$(awk -F: -v g="$dw_g" '$1 == g { print $3; exit }' /etc/group 2>/dev/null)
      dw_gids="$dw_gid $dw_gids"
    fi
    printf 'id\t%s\t%s\n' "$dw_uid" "$dw_gids"
  fi
  case $dw_h in /*) ;; *) printf 'relative\n'; continue ;; esac
  dw_stat /
  dw_rest=${'$'}{dw_h#/} dw_acc=
  while [ -n "$dw_rest" ]; do
    dw_seg=${'$'}{dw_rest%%/*}
    case $dw_rest in */*) dw_rest=${'$'}{dw_rest#*/} ;; *) dw_rest= ;; esac
    [ -n "$dw_seg" ] || continue
    dw_acc=$dw_acc/$dw_seg
    dw_stat "$dw_acc"
    [ -e "$dw_acc" ] || break
  done
  [ -d "$dw_h" ] || continue
  dw_stat "$dw_h/lib"
  for dw_d in "$dw_h"/lib/python[0-9]*; do
    [ -d "$dw_d" ] || continue
    dw_stat "$dw_d"
    for dw_e in os.py encodings json; do [ -e "$dw_d/$dw_e" ] && printf 'has\t%s\t%s\n' "$dw_d" "$dw_e"; done
  done
  if [ -e "$dw_h/pyvenv.cfg" ]; then
    dw_stat "$dw_h/pyvenv.cfg"
    awk 'NR <= 40 { print "cfg\t" $0 }' "$dw_h/pyvenv.cfg" 2>/dev/null
  fi
done
dw_part_end homes 0
`;

const LS = /^([-dlcbps])([-rwxsStT]{9})([+.@]?)\s+\d+\s+(\d+)\s+(\d+)\s/;

function entry(path: string, ls: string): PathEntry | 'missing' | 'unknown' {
  const m = LS.exec(ls);
  if (m) return { path, mode: m[1] + m[2], uid: Number(m[4]), gid: Number(m[5]), acl: m[3] === '+' };
  return /No such file|not found|Not a directory/i.test(ls) ? 'missing' : 'unknown';
}

/** The class of mode bits that applies to uid/gids, then whether `need` (r, x) is granted. */
function grants(e: PathEntry, uid: number, gids: number[], need: string): boolean {
  if (uid === 0) return true;
  const bits = e.uid === uid ? e.mode.slice(1, 4) : gids.includes(e.gid) ? e.mode.slice(4, 7) : e.mode.slice(7, 10);
  return [...need].every((n) => (n === 'r' ? bits[0] === 'r' : /[xst]/.test(bits[2])));
}

const shown = (e: PathEntry) => `${e.path} is ${e.mode}${e.acl ? '+' : ''} ${e.uid}:${e.gid}`;

interface Raw {
  home: PythonHome;
  stats: Map<string, PathEntry | 'missing' | 'unknown'>;
  order: string[];
  has: Map<string, string[]>;
  cfg: string[];
  relative: boolean;
}

function accessOf(r: Raw): HomeAccess {
  const { home } = r;
  if (home.uid === null || home.gids === null) return { readable: null, deniedAt: null, unknown: home.user ? `no user ${home.user} on the host` : "Apache's user is not known" };
  if (r.relative) return { readable: null, deniedAt: null, unknown: 'the path is relative' };
  const needs: [string, string][] = [];
  for (const path of r.order) {
    const isHome = path === home.path.replace(/\/+$/, '') || (home.path === '/' && path === '/');
    const inside = path.startsWith(`${home.path.replace(/\/+$/, '')}/`);
    needs.push([path, isHome ? 'rx' : inside ? (path.endsWith('pyvenv.cfg') ? 'r' : 'rx') : 'x']);
  }
  for (const [path, need] of needs) {
    const e = r.stats.get(path);
    if (e === 'missing') return { readable: false, deniedAt: null, unknown: null };
    if (e === undefined || e === 'unknown') return { readable: null, deniedAt: null, unknown: `the probe's user could not look at ${path}` };
    if (!grants(e, home.uid, home.gids, need)) {
      return e.acl ? { readable: null, deniedAt: e, unknown: `${shown(e)} with an ACL, which this walk does not read` } : { readable: false, deniedAt: e, unknown: null };
    }
  }
  return { readable: true, deniedAt: null, unknown: null };
}

function finish(r: Raw): PythonHome {
  const { home } = r;
  const top = home.path.replace(/\/+$/, '') || '/';
  const self = r.relative ? undefined : r.stats.get(top);
  const brokenOff = [...r.stats.values()].includes('missing');
  home.exists = r.relative ? null : typeof self === 'object' ? true : self === 'missing' || (self === undefined && brokenOff) ? false : null;
  home.directory = typeof self === 'object' ? self.mode[0] === 'd' : home.exists === false ? false : null;
  const venv = r.cfg.length > 0 || r.stats.has(`${top}/pyvenv.cfg`);
  if (venv) {
    const value = (key: string) =>
      r.cfg
        .map((l) => /^\s*([\w-]+)\s*=\s*(.*?)\s*$/.exec(l))
        .find((m) => m && m[1].toLowerCase() === key)?.[2] ?? null;
    home.venv = { version: value('version') ?? value('version_info'), home: value('home') };
  }
  const lib = r.stats.get(`${top}/lib`);
  if (home.directory) {
    const dirs = r.order.filter((p) => /\/lib\/python\d+\.\d+[^/]*$/.test(p) && p.startsWith(`${top}/lib/`));
    home.libVersions = lib && typeof lib === 'object' ? [...new Set(dirs.map((p) => /python(\d+\.\d+)/.exec(p)![1]))].sort() : lib === 'missing' ? [] : null;
    if (!venv && home.libVersions !== null) {
      const stdlib = dirs.filter((d) => (r.has.get(d) ?? []).length > 0);
      home.stdlibMissing = stdlib.length === 0 ? null : [...new Set(stdlib.flatMap((d) => ['os.py', 'encodings', 'json'].filter((n) => !(r.has.get(d) ?? []).includes(n))))];
    }
  }
  home.access = accessOf(r);
  return home;
}

export function parsePythonHome(section: RawSection): CheckResult<PythonHomeFacts> {
  const part = splitParts(section.stdout).get('homes');
  if (!part) return failedWith('no Python home output', section);
  const raws: Raw[] = [];
  for (const line of nonEmptyLines(part.text)) {
    const f = line.split('\t');
    const cur = raws.at(-1);
    if (f[0] === 'home' && f.length >= 4) {
      raws.push({
        home: { path: f[1], setBy: f[3], user: f[2] || null, uid: null, gids: null, exists: null, directory: null, libVersions: null, stdlibMissing: null, venv: null, access: { readable: null, deniedAt: null, unknown: null } },
        stats: new Map(),
        order: [],
        has: new Map(),
        cfg: [],
        relative: false,
      });
    } else if (!cur) continue;
    else if (f[0] === 'id' && /^\d+$/.test(f[1] ?? '')) {
      cur.home.uid = Number(f[1]);
      cur.home.gids = [...new Set((f[2] ?? '').split(/\s+/).filter((g) => /^\d+$/.test(g)).map(Number))];
    } else if (f[0] === 'relative') cur.relative = true;
    else if (f[0] === 'stat' && f.length >= 3) {
      const path = f[1].replace(/\/+$/, '') || '/';
      if (!cur.stats.has(path)) cur.order.push(path);
      cur.stats.set(path, entry(path, f.slice(2).join('\t')));
    } else if (f[0] === 'has' && f.length >= 3) cur.has.set(f[1], [...(cur.has.get(f[1]) ?? []), f[2]]);
    else if (f[0] === 'cfg') cur.cfg.push(f.slice(1).join('\t'));
  }
  return { status: 'ok', facts: { homes: raws.map(finish) } };
}

const FIX = "Set it to the sys.prefix of the Python mod_wsgi was built for (that python's -c 'import sys; print(sys.prefix)'), or to a virtual environment made with that same Python";

function homeFindings(results: CheckResults): Finding[] {
  const facts = okFacts<PythonHomeFacts>(results, 'python.home');
  if (!facts) return [];
  const libpython = okFacts<ModWsgiLinkageFacts>(results, 'modwsgi.linkage')?.libpython?.version ?? null;
  const out: Finding[] = [];
  const push = (id: string, message: string) => out.push({ id, severity: 'critical', checkId: 'python.home', message });
  for (const h of facts.homes) {
    const what = h.setBy === 'WSGIPythonHome' ? `WSGIPythonHome ${h.path}` : `python-home=${h.path} of ${h.setBy}`;
    if (h.exists === false) {
      push('python-home-missing', `${what} does not exist: Python starts without its standard library ("Unable to stat Python home", "No module named 'encodings'") and mod_wsgi cannot run the application. ${FIX}.`);
      continue;
    }
    if (h.directory === false) {
      push('python-home-not-directory', `${what} is not a directory: a Python home is an installation prefix (it holds lib/pythonX.Y) or a virtual environment. ${FIX}.`);
      continue;
    }
    if (h.access.readable === false && h.access.deniedAt) {
      const d = h.access.deniedAt;
      push(
        'python-home-unreadable',
        `${what} cannot be read by ${h.user} (uid ${h.uid}, gids ${(h.gids ?? []).join(' ')}), who runs the application: ${shown(d)}. mod_wsgi then cannot use it ("Unable to stat Python home … Verify the supplied path and access permissions for whole of the path"). Make every directory from / to it searchable and the home readable for that user (e.g. chmod o+rx ${d.path}, or give it to a group ${h.user} is in).`,
      );
    }
    const want = majorMinor(libpython);
    if (want && h.venv?.version && majorMinor(h.venv.version) !== want) {
      push(
        'python-home-version-mismatch',
        `${what} is a virtual environment made with Python ${h.venv.version} (pyvenv.cfg; home = ${h.venv.home ?? 'unknown'}), but mod_wsgi is linked against libpython ${want}: its packages (lib/python${majorMinor(h.venv.version)}/site-packages) are not on sys.path. Recreate the virtual environment with python${want} (python${want} -m venv ${h.path}), or use a mod_wsgi built for Python ${majorMinor(h.venv.version)}.`,
      );
    } else if (want && !h.venv && h.libVersions && !h.libVersions.includes(want)) {
      push(
        'python-home-version-mismatch',
        `${what} holds ${h.libVersions.length ? h.libVersions.map((v) => `lib/python${v}`).join(', ') : 'no lib/pythonX.Y'} but mod_wsgi is linked against libpython ${want}, which looks for lib/python${want}: it is another Python's installation. ${FIX}.`,
      );
    }
    if (h.stdlibMissing && h.stdlibMissing.length > 0) {
      push('python-home-stdlib-incomplete', `${what} has a standard library without ${h.stdlibMissing.join(', ')}: imports of the application fail (the diagnostic app then answers with sys alone). ${FIX}.`);
    }
  }
  return out;
}

export const pythonHomeCheck: Check<PythonHomeFacts> = {
  id: 'python.home',
  title: "WSGIPythonHome and python-home=: existence, lib/pythonX.Y, pyvenv.cfg and permissions along the path as Apache's user",
  script: SCRIPT,
  parse: parsePythonHome,
  findings: homeFindings,
};
