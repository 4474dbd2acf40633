import { Check } from '../check';
import { CONFIG_WALK } from './config-walk';
import { RUNNING_APACHE } from './running-apache';
import { shellQuote } from './shell-quote';

/** Per-host values the probe honours instead of discovering them. */
export interface ProbeOverrides {
  apachectl?: string;
  apxs?: string;
  modWsgiSo?: string;
  python?: string;
  diagnosticUrl?: string;
  /** Bytes read from the end of the error log (digits; default 256 KiB, at most 4 MiB). */
  errorLogBytes?: string;
}

/** Directories searched after PATH, in order, when looking for Apache's tools. */
export const DEFAULT_SEARCH_DIRS = [
  '/usr/sbin',
  '/usr/local/sbin',
  '/usr/local/apache2/bin',
  '/opt/homebrew/bin',
  '/usr/local/bin',
  '/opt/rh/httpd24/root/usr/sbin',
];

const OVERRIDE_VARIABLES: Record<keyof ProbeOverrides, string> = {
  apachectl: 'DW_APACHECTL',
  apxs: 'DW_APXS',
  modWsgiSo: 'DW_MODWSGI_SO',
  python: 'DW_PYTHON',
  diagnosticUrl: 'DW_DIAG_URL',
  errorLogBytes: 'DW_ERRORLOG_BYTES',
};

/**
 * The prelude every check fragment can rely on:
 * - `dw_meta KEY VALUE`: attach a note to the current section (e.g. `cmd`); newlines in VALUE
 *   become spaces so a note can never break the framing;
 * - `dw_unavailable REASON`: end the check as `unavailable` (the tool it needs is absent);
 * - `dw_find NAME...`: sets `dw_found` to the first NAME found in PATH, then in `$DW_DIRS`
 *   (`dw_found_in`: path or fallback);
 * - `dw_part NAME CMD...`: runs CMD with stderr merged into stdout, framed as one sub-part of
 *   the section (see parts.ts); `dw_part_begin NAME` / `dw_part_end NAME RC` frame text the
 *   fragment prints itself; a part begun right after a `dw_meta cmd` is labelled with that
 *   command (note `part.NAME`), so a report can show each part under its own command;
 * - `$dw_ctl`: the Apache control binary (override, the running Apache's, or found), empty when
 *   none; `dw_httpd ARGS` runs it with the running Apache's `-d`/`-f` (`$dw_ctl_d`, `$dw_ctl_f`)
 *   and `$dw_ctl_opts` (more options, one word a line: an instance's `-D`s, see
 *   apache-instances.check.ts); `$dw_ctl_shown` is that command line for notes (`dw_shown`
 *   sets it again after they change); `$dw_by`: override, running, path or fallback;
 * - `$dw_apxs`: apxs or apxs2 (override, or discovered), empty when none;
 * - `dw_apache_cfg`: prints the output of `$dw_ctl -D DUMP_RUN_CFG -D DUMP_INCLUDES -t` as part
 *   `apache-cfg` (the probe runs it once, before the checks, when one of them uses it: Apache
 *   prints its Mutex lines in hash order, so every run differs and checks would not show one
 *   dump), and sets `dw_cfg_root` (ServerRoot) and `dw_cfg_files` (the readable included
 *   files, one a line); included files it cannot read are listed in part `unreadable`;
 * - `dw_directives NAMES`: prints `FILE<TAB>LINE<TAB>directive line` for every directive of the
 *   included files whose name matches NAMES (lowercase, `|`-separated, awk regular expression),
 *   with backslash continuations joined;
 * - when the configuration test fails (its file list stops where it failed), `dw_apache_cfg` reads them itself
 *   (`dw_cfg_walk`, config-walk.ts: part `cfg-walk`, meta `configSource=walk`).
 * The host may narrow the fallback directories by exporting DRIFTWATCH_PROBE_DIRS.
 *
 * Discovery prefers apache2ctl (Debian: it sources envvars, and passes flags through), then the
 * httpd binary itself, because RHEL/Fedora's apachectl is a systemd wrapper that refuses every
 * flag but -t/-v/-V; upstream apachectl (which passes flags through) and apache2 come last.
 */
const PRELUDE = String.raw`
LC_ALL=C; LANG=C; export LC_ALL LANG
DW_DIRS=${'$'}{DRIFTWATCH_PROBE_DIRS-__DIRS__}
dw_nl='
'
dw_tab='__TAB__'
dw_mark() { printf '@@DW:%s:%s@@\n' "$DW_NONCE" "$1"; }
dw_meta() {
  dw_v=$2
  while :; do
    case $dw_v in *"$dw_nl"*) dw_v=${'$'}{dw_v%%"$dw_nl"*}' '${'$'}{dw_v#*"$dw_nl"} ;; *) break ;; esac
  done
  case $1 in cmd) dw_lastcmd=$dw_v ;; esac
  dw_mark "meta:$1=$dw_v"
}
dw_unavailable() { dw_meta unavailable "$1"; exit 0; }
dw_find() {
  dw_found=
  for dw_n in "$@"; do
    dw_ifs=$IFS; IFS=:
    for dw_d in $PATH; do
      if [ -n "$dw_d" ] && [ -f "$dw_d/$dw_n" ] && [ -x "$dw_d/$dw_n" ]; then dw_found=$dw_d/$dw_n dw_found_in=path; IFS=$dw_ifs; return 0; fi
    done
    IFS=$dw_ifs
  done
  for dw_d in $DW_DIRS; do
    for dw_n in "$@"; do
      if [ -f "$dw_d/$dw_n" ] && [ -x "$dw_d/$dw_n" ]; then dw_found=$dw_d/$dw_n dw_found_in=fallback; return 0; fi
    done
  done
  return 1
}
dw_lastcmd=
dw_part_begin() {
  [ -z "$dw_lastcmd" ] || dw_meta "part.$1" "$dw_lastcmd"
  dw_lastcmd=
  printf '%s\n' "--- dw:$DW_NONCE:begin $1"
}
dw_part_end() { printf '\n%s\n' "--- dw:$DW_NONCE:end $1 rc=$2"; }
dw_part() {
  dw_pn=$1; shift
  dw_part_begin "$dw_pn"
  "$@" 2>&1
  dw_part_end "$dw_pn" "$?"
}
dw_cfg_loaded=
dw_cfg_load() {
  dw_cfg_text=$(dw_httpd -D DUMP_RUN_CFG -D DUMP_INCLUDES -t 2>&1 </dev/null)
  dw_cfg_rc=$?
  dw_cfg_loaded=1
}
dw_apache_cfg() {
  dw_meta cmd "$dw_ctl_shown -D DUMP_RUN_CFG -D DUMP_INCLUDES -t"
  [ -n "$dw_cfg_loaded" ] || dw_cfg_load
  dw_cfg=$dw_cfg_text
  dw_crc=$dw_cfg_rc
  dw_part_begin apache-cfg; printf '%s\n' "$dw_cfg"; dw_part_end apache-cfg "$dw_crc"
  dw_cfg_root= dw_cfg_files= dw_cfg_unreadable=
  set -f; dw_ifs=$IFS; IFS=$dw_nl
  for dw_l in $dw_cfg; do
    dw_l=${'$'}{dw_l#"${'$'}{dw_l%%[! __TAB__]*}"}
    case $dw_l in
      '('*') '*)
        dw_f=${'$'}{dw_l#*') '}
        if [ -r "$dw_f" ]; then dw_cfg_files=$dw_cfg_files$dw_f$dw_nl; else dw_cfg_unreadable=$dw_cfg_unreadable$dw_f$dw_nl; fi ;;
      'ServerRoot: "'*) dw_cfg_root=${'$'}{dw_l#*'"'}; dw_cfg_root=${'$'}{dw_cfg_root%'"'*} ;;
    esac
  done
  IFS=$dw_ifs; set +f
  # A failed test lists only the files read before the failure: walk them all instead.
  if [ "$dw_crc" -ne 0 ] && dw_cfg_walk; then :; else dw_meta configSource dump; fi
  if [ -n "$dw_cfg_unreadable" ]; then
    dw_part_begin unreadable; printf '%s' "$dw_cfg_unreadable"; dw_part_end unreadable 0
  fi
}
dw_directives() {
  dw_want=$1
  set -f; dw_ifs=$IFS; IFS=$dw_nl; set -- $dw_cfg_files; IFS=$dw_ifs; set +f
  [ $# -gt 0 ] || return 0
  awk -v want="^($dw_want)"'$' '
    FNR == 1 { held = "" }
    {
      line = $0; sub(/\r$/, "", line)
      if (held == "") start = FNR
      line = held line
      if (line ~ /\\$/) { held = substr(line, 1, length(line) - 1) " "; next }
      held = ""; sub(/^[ \t]+/, "", line); split(line, word, /[ \t]+/)
      if (tolower(word[1]) ~ want) print FILENAME "\t" start "\t" line
    }' "$@"
}
__CONFIG_WALK__
dw_run() {
  dw_mark "begin:$1"; dw_mark "begin:$1" >&2
  ( "$2" ) </dev/null
  dw_rc=$?
  printf '\n'; printf '\n' >&2
  dw_mark "end:$1:$dw_rc"; dw_mark "end:$1:$dw_rc" >&2
}
__RUNNING__
dw_ctl=$DW_APACHECTL dw_by=override dw_ctl_d= dw_ctl_f= dw_ctl_opts=
dw_path_ctl=
dw_find apache2ctl httpd apachectl apache2 httpd-prefork httpd-worker httpd-event httpd2 && dw_path_ctl=$dw_found
if dw_running_apache && [ -z "$dw_ctl" ]; then
  dw_ctl=$dw_run_ctl dw_by=running dw_ctl_d=$dw_run_d dw_ctl_f=$dw_run_f dw_ctl_opts=$dw_run_opts
fi
if [ -z "$dw_ctl" ] && [ -n "$dw_path_ctl" ]; then
  dw_ctl=$dw_path_ctl dw_by=$dw_found_in
fi
[ -n "$dw_ctl" ] || dw_by=
# The command line shown in notes: the control, its -d/-f and options ($dw_ctl_opts, one word a line).
dw_shown() {
  dw_ctl_shown=$dw_ctl${'$'}{dw_ctl_d:+ -d $dw_ctl_d}${'$'}{dw_ctl_f:+ -f $dw_ctl_f}
  set -f; dw_ifs=$IFS; IFS=$dw_nl
  for dw_o in $dw_ctl_opts; do dw_ctl_shown="$dw_ctl_shown $dw_o"; done
  IFS=$dw_ifs; set +f
}
dw_shown
dw_httpd() {
  set -f; dw_hi=$IFS; IFS=$dw_nl
  set -- $dw_ctl_opts "$@"
  IFS=$dw_hi; set +f
  "$dw_ctl" ${'$'}{dw_ctl_d:+-d "$dw_ctl_d"} ${'$'}{dw_ctl_f:+-f "$dw_ctl_f"} "$@"
}
dw_apxs=$DW_APXS
if [ -z "$dw_apxs" ] && [ -n "$dw_ctl" ]; then
  # The apxs of the chosen Apache: beside it (a source build's bin/), else the first found.
  for dw_n in apxs apxs2; do [ -x "${'$'}{dw_ctl%/*}/$dw_n" ] && { dw_apxs=${'$'}{dw_ctl%/*}/$dw_n; break; }; done
fi
if [ -z "$dw_apxs" ] && dw_find apxs apxs2; then dw_apxs=$dw_found; fi
`
  .replace('__CONFIG_WALK__', () => CONFIG_WALK.trim())
  .replace('__RUNNING__', () => RUNNING_APACHE.trim())
  .replace(/__TAB__/g, '\t');

export interface ProbeScript {
  nonce: string;
  text: string;
  checkIds: string[];
}

/**
 * Builds the one script a scan sends to `sh -s`. Every value from the host record reaches the
 * script as a single-quoted assignment, never as shell text. Each fragment runs in a subshell
 * with stdin from /dev/null, so no command can swallow the rest of the script.
 */
export function buildProbeScript(checks: readonly Check[], nonce: string, overrides: ProbeOverrides = {}): ProbeScript {
  if (!/^[A-Za-z0-9]{16,64}$/.test(nonce)) throw new Error('probe nonce must be 16-64 alphanumeric characters');
  const text = `# driftwatch probe: read-only checks, no files written\nDW_NONCE=${nonce}\n${scriptBody(checks, overrides)}`;
  return { nonce, text, checkIds: checks.map((c) => c.id) };
}

/** Bodies by check list and overrides: every scan sends one, and most hosts share theirs. */
const bodies = new WeakMap<readonly Check[], Map<string, string>>();
const MAX_BODIES_PER_CHECK_LIST = 256;

/** Everything after the nonce: the overrides, the prelude, the checks and their runs. */
function scriptBody(checks: readonly Check[], overrides: ProbeOverrides): string {
  const assignments = (Object.entries(OVERRIDE_VARIABLES) as [keyof ProbeOverrides, string][]).map(([key, variable]) => `${variable}=${shellQuote(overrides[key] ?? '')}`);
  const key = assignments.join('\n');
  let cache = bodies.get(checks);
  if (!cache) bodies.set(checks, (cache = new Map()));
  let body = cache.get(key);
  if (body === undefined) {
    const functions = checks.map((check, i) => `dw_check_${i}() {\n${check.script.trim()}\n}`);
    const runs = checks.map((check, i) => `dw_run ${shellQuote(check.id)} dw_check_${i}`);
    // One configuration dump for every check that reads it (each check runs in its own subshell).
    const sharedDump = checks.some((check) => /\bdw_apache_cfg\b/.test(check.script)) ? ['[ -z "$dw_ctl" ] || dw_cfg_load'] : [];
    body = [...assignments, PRELUDE.replace('__DIRS__', shellQuote(DEFAULT_SEARCH_DIRS.join(' '))).trim(), ...functions, ...sharedDump, ...runs, 'dw_mark done; dw_mark done >&2', ''].join('\n');
    if (cache.size >= MAX_BODIES_PER_CHECK_LIST) cache.clear();
    cache.set(key, body);
  }
  return body;
}
