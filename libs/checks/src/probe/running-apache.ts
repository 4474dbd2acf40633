/** The process names of Apache servers: Debian's apache2, httpd, SUSE's httpd-MPM and httpd2(-MPM). */
const APACHE_NAMES = ['httpd', 'apache2', 'httpd2', 'httpd-prefork', 'httpd-worker', 'httpd-event', 'httpd2-prefork', 'httpd2-worker', 'httpd2-event'];

/** awk: the PID, PPID and JID columns of a ps table row, before its COMM (which may hold spaces). */
const PS_IDS = String.raw`/^[ \t]*[0-9]+[ \t]+[0-9]+[ \t]+[0-9]+[ \t]+/`;

/**
 * sh for the prelude: `dw_running_apache` finds every Apache server that is running, read-only,
 * from /proc: a process named like Apache (Debian's apache2, httpd, SUSE's httpd-prefork/-worker/
 * -event, httpd2) whose parent is not one, and that is not a configuration test or version query
 * (the probe's own included). A server counts only when it runs in the probe's own root and
 * mount namespace where /proc lets that be seen (a container's or another chroot's Apache on a
 * shared PID namespace is not this host's).
 *
 * Where there is no /proc (macOS, FreeBSD), the same from one `ps` table of pid, parent, jail
 * and name: a server counts only in the probe's own jail (FreeBSD; macOS has none), and its
 * command line is ps's, whose words are split at spaces.
 *
 * `dw_server_of PID` reads one server: its binary from /proc/PID/exe where readable (root, or
 * the same user), without /proc from macOS's ps or FreeBSD's `procstat -b`, otherwise from its
 * command line (`dw_sv_via` exe|cmdline); `dw_sv_replaced`
 * (yes when the binary was replaced on disk since it started); `-d`/`-f` (`dw_sv_d`, `dw_sv_f`)
 * and the other options that shape its configuration, `-D`/`-C`/`-c` with their values, one word
 * a line (`dw_sv_opts`); `dw_sv_express`: the server root of a mod_wsgi-express server (its
 * `-f` is `ROOT/httpd.conf` and ROOT holds the `apachectl` mod_wsgi-express generates, read as
 * data: it is never run), whose binary, when /proc/PID/exe is not readable, is the `HTTPD=` of
 * that apachectl (mod_wsgi-express renames argv[0]); `dw_sv_env`: its MOD_WSGI_* variables, one
 * NAME=value a line, from /proc/PID/environ or, unreadable, that apachectl's assignments (its
 * httpd.conf reads them as ${'$'}{MOD_WSGI_...}); `dw_sv_ctl`: the command to run it with: Debian's
 * apache2ctl beside apache2 (it reads envvars), an upstream build's apachectl beside its envvars,
 * otherwise the binary itself; `dw_sv_id`: the instance's stable id, its configuration file
 * (absolute), else its server root, else its binary.
 *
 * `dw_running_apache` sets `dw_run_servers` (the server pids, one a line, for this probe run
 * only) and, for the main server, `dw_run_pid` and `dw_run_*` as `dw_server_of` reads them: the
 * first server that is not a mod_wsgi-express one, one without `-f` (the installation's own
 * configuration) before one with; `dw_run_opts` its -D/-C/-c, which the checks pass on (SUSE's
 * start_apache2 names the module list and more with -C, not in httpd.conf). Only builtins run
 * per process; `tr`, `readlink` and `grep` only for the candidates. DRIFTWATCH_PROBE_PROC points
 * it at another /proc (empty: look for none; `ps`: read the table with ps as without /proc), as
 * the lab and the probe's tests do.
 */
export const RUNNING_APACHE = String.raw`
dw_is_apache() {
  case $1 in ${APACHE_NAMES.join('|')}) return 0 ;; esac
  return 1
}
# The process table from ps, where there is no /proc (macOS, FreeBSD): PID PPID JID COMM a line,
# JID 0 where ps knows no jails (procps prints - for its own jid); COMM is macOS's executable
# path or FreeBSD's short name.
dw_ps_table() {
  { ps -ax -o pid= -o ppid= -o jid= -o comm= 2>/dev/null ||
    ps -ax -o pid= -o ppid= -o comm= 2>/dev/null | awk '{ sub(/^[ \t]*[0-9]+[ \t]+[0-9]+/, "& 0"); print }'; } |
    awk '$3 !~ /^[0-9]+$/ { sub(/^[ \t]*[0-9]+[ \t]+[0-9]+[ \t]+[^ \t]+/, $1 " " $2 " 0") } { print }'
}
# Prints, from the ps table, each process named like Apache whose parent is not, in the probe's jail.
dw_ps_servers() {
  printf '%s\n' "$dw_ps" | awk -v me="$dw_self_jid" '
    function apache(c) { sub(/.*\//, "", c); return c ~ /^(${APACHE_NAMES.join('|')})$/ }
    { c = $0; sub(${PS_IDS}, "", c); comm[$1] = c; ppid[$1] = $2; jid[$1] = $3; order[++n] = $1 }
    END { for (i = 1; i <= n; i++) { p = order[i]; if (apache(comm[p]) && !apache(comm[ppid[p]]) && jid[p] == me) print p } }'
}
# dw_args: the command line of PID, one word a line (ps joins the words with spaces).
dw_args_of() {
  if [ "$dw_src" = proc ]; then
    dw_args=$(tr '\0' '\n' < "$dw_proc/$1/cmdline" 2>/dev/null)
  else
    dw_args=$(ps -ww -o args= -p "$1" 2>/dev/null | awk 'NR == 1 { for (i = 1; i <= NF; i++) print $i }')
  fi
  [ -n "$dw_args" ]
}
# dw_e: the binary of PID, else empty: /proc/PID/exe; without /proc, the path macOS's ps prints as
# COMM (the one it was started by: via cmdline), or FreeBSD's procstat -b (the kernel's: via exe).
dw_exe_of() {
  dw_sv_via=exe
  if [ "$dw_src" = proc ]; then dw_e=$(readlink "$dw_proc/$1/exe" 2>/dev/null); return 0; fi
  dw_e=$(printf '%s\n' "$dw_ps" | awk -v p="$1" '$1 == p { sub(${PS_IDS}, ""); print; exit }')
  case $dw_e in
    /*) dw_sv_via=cmdline ;;
    *) dw_e=$(procstat -h -b "$1" 2>/dev/null | awk '$NF ~ /^\// { print $NF; exit }') ;;
  esac
}
dw_comm_of() { dw_comm=; [ -r "$dw_proc/$1/comm" ] && read -r dw_comm < "$dw_proc/$1/comm"; }
dw_ppid_of() {
  dw_ppid=
  while read -r dw_k dw_v; do
    [ "$dw_k" = PPid: ] && { dw_ppid=$dw_v; return 0; }
  done < "$dw_proc/$1/status"
}
# True when PID is seen to run in another root or mount namespace than the probe.
dw_foreign() {
  if [ -d "$dw_proc/$1/root/" ] && ! [ "$dw_proc/$1/root/" -ef / ]; then return 0; fi
  [ -n "$dw_self_ns" ] || return 1
  dw_ns=$(readlink "$dw_proc/$1/ns/mnt" 2>/dev/null)
  [ -n "$dw_ns" ] && [ "$dw_ns" != "$dw_self_ns" ]
}
# Prints NAME=value for the MOD_WSGI_* assignments of a mod_wsgi-express apachectl (data, never run).
dw_express_vars() {
  awk 'NR > 400 { exit } /^MOD_WSGI_[A-Z0-9_]*="[^"$\\]*"$/ { i = index($0, "="); print substr($0, 1, i) substr($0, i + 2, length($0) - i - 2) }' "$1" 2>/dev/null
}
dw_server_of() {
  dw_sv_exe= dw_sv_via= dw_sv_replaced= dw_sv_d= dw_sv_f= dw_sv_opts= dw_sv_express= dw_sv_env= dw_sv_ctl= dw_sv_id=
  dw_args_of "$1" || return 1
  case "$dw_nl$dw_args$dw_nl" in *"$dw_nl"-[tSVvlLMh]"$dw_nl"*|*DUMP_*) return 1 ;; esac
  dw_prev=
  set -f; dw_ifs=$IFS; IFS=$dw_nl
  for dw_a in $dw_args; do
    case $dw_prev in
      -d) dw_sv_d=$dw_a ;;
      -f) dw_sv_f=$dw_a ;;
      -D|-C|-c) dw_sv_opts=$dw_sv_opts$dw_prev$dw_nl$dw_a$dw_nl ;;
    esac
    case $dw_prev in -[dfDCckEeR]) dw_prev=; continue ;; esac
    case $dw_a in
      -d?*) dw_sv_d=${'$'}{dw_a#-d} ;;
      -f?*) dw_sv_f=${'$'}{dw_a#-f} ;;
      -[DCc]?*) dw_sv_opts=$dw_sv_opts${'$'}{dw_a%"${'$'}{dw_a#??}"}$dw_nl${'$'}{dw_a#??}$dw_nl ;;
    esac
    dw_prev=$dw_a
  done
  IFS=$dw_ifs; set +f
  case $dw_sv_f in
    /*) dw_sv_id=$dw_sv_f ;;
    ?*) dw_sv_id=${'$'}{dw_sv_d:+$dw_sv_d/}$dw_sv_f ;;
    *) dw_sv_id=$dw_sv_d ;;
  esac
  case $dw_sv_id in ''|/*) ;; *) return 1 ;; esac
  case $dw_sv_f in
    */httpd.conf) grep -q '^MOD_WSGI_SERVER_ROOT=' "${'$'}{dw_sv_f%/*}/apachectl" 2>/dev/null && dw_sv_express=${'$'}{dw_sv_f%/*} ;;
  esac
  dw_exe_of "$1"
  [ -n "$dw_e" ] || { dw_e=${'$'}{dw_args%%"$dw_nl"*}; dw_sv_via=cmdline; }
  case $dw_e in *' (deleted)') dw_e=${'$'}{dw_e%' (deleted)'}; dw_sv_replaced=yes ;; esac
  if [ -n "$dw_sv_express" ]; then
    case $dw_e in
      /*) ;;
      *) dw_e=$(awk 'NR > 40 { exit } /^HTTPD="\/[^"$\\]*"$/ { v = substr($0, 8); print substr(v, 1, length(v) - 1); exit }' "$dw_sv_express/apachectl" 2>/dev/null); dw_sv_via=apachectl ;;
    esac
    [ "$dw_src" != proc ] || dw_sv_env=$(tr '\0' '\n' < "$dw_proc/$1/environ" 2>/dev/null | awk '/^MOD_WSGI_[A-Z0-9_]*=/')
    [ -n "$dw_sv_env" ] || dw_sv_env=$(dw_express_vars "$dw_sv_express/apachectl")
  fi
  case $dw_e in /*) ;; *) return 1 ;; esac
  dw_sv_exe=$dw_e
  [ -n "$dw_sv_id" ] || dw_sv_id=$dw_sv_exe
  [ -x "$dw_sv_exe" ] || return 1
  dw_dir=${'$'}{dw_sv_exe%/*}
  dw_sv_ctl=$dw_sv_exe
  case ${'$'}{dw_sv_exe##*/} in
    apache2) [ -x "$dw_dir/apache2ctl" ] && dw_sv_ctl=$dw_dir/apache2ctl ;;
    httpd) [ -x "$dw_dir/apachectl" ] && [ -f "$dw_dir/envvars" ] && dw_sv_ctl=$dw_dir/apachectl ;;
  esac
  return 0
}
# Takes PID as a server when dw_server_of can read it; the main server is chosen among them.
dw_take() {
  dw_server_of "$1" || return 0
  dw_run_servers=$dw_run_servers$1$dw_nl
  [ -z "$dw_sv_express" ] || return 0
  if [ -z "$dw_sv_f" ]; then [ -n "$dw_run_pid" ] || dw_run_pid=$1; else [ -n "$dw_with_f" ] || dw_with_f=$1; fi
}
dw_running_apache() {
  dw_run_exe= dw_run_via= dw_run_replaced= dw_run_d= dw_run_f= dw_run_ctl= dw_run_opts= dw_run_pid= dw_run_servers= dw_run_looked=
  dw_proc=${'$'}{DRIFTWATCH_PROBE_PROC-/proc}
  [ -n "$dw_proc" ] || return 1
  if [ "$dw_proc" != ps ] && [ -d "$dw_proc/1" ]; then
    dw_src=proc
  else
    dw_src=ps
    dw_ps=$(dw_ps_table)
    [ -n "$dw_ps" ] || return 1
    dw_self_jid=$(printf '%s\n' "$dw_ps" | awk -v p="$$" '$1 == p { print $3; exit }')
    [ -n "$dw_self_jid" ] || dw_self_jid=0
  fi
  dw_run_looked=$dw_src
  dw_with_f=
  if [ "$dw_src" = ps ]; then
    for dw_pid in $(dw_ps_servers); do dw_take "$dw_pid"; done
  else
    dw_self_ns=$(readlink "$dw_proc/self/ns/mnt" 2>/dev/null)
    for dw_p in "$dw_proc"/[0-9]*; do
      dw_pid=${'$'}{dw_p##*/}
      dw_comm_of "$dw_pid" 2>/dev/null || continue
      dw_is_apache "$dw_comm" || continue
      dw_ppid_of "$dw_pid" 2>/dev/null
      dw_comm_of "$dw_ppid" 2>/dev/null
      dw_is_apache "$dw_comm" && continue
      dw_foreign "$dw_pid" && continue
      dw_take "$dw_pid"
    done
  fi
  [ -n "$dw_run_pid" ] || dw_run_pid=$dw_with_f
  [ -n "$dw_run_pid" ] && dw_server_of "$dw_run_pid" || { dw_run_pid=; return 1; }
  dw_run_exe=$dw_sv_exe dw_run_via=$dw_sv_via dw_run_replaced=$dw_sv_replaced dw_run_d=$dw_sv_d dw_run_f=$dw_sv_f dw_run_ctl=$dw_sv_ctl dw_run_id=$dw_sv_id dw_run_opts=$dw_sv_opts
  return 0
}
`;
