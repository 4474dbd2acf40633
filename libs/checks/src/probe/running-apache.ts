/**
 * sh for the prelude: `dw_running_apache` finds every Apache server that is running, read-only,
 * from /proc: a process named like Apache (Debian's apache2, httpd, SUSE's httpd-prefork/-worker/
 * -event, httpd2) whose parent is not one, and that is not a configuration test or version query
 * (the probe's own included). A server counts only when it runs in the probe's own root and
 * mount namespace where /proc lets that be seen (a container's or another chroot's Apache on a
 * shared PID namespace is not this host's).
 *
 * `dw_server_of PID` reads one server: its binary from /proc/PID/exe where readable (root, or
 * the same user), otherwise from its command line (`dw_sv_via` exe|cmdline); `dw_sv_replaced`
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
 * configuration) before one with. Only builtins run per process; `tr`, `readlink` and `grep`
 * only for the candidates. DRIFTWATCH_PROBE_PROC points it at another /proc (empty: look for
 * none), as the lab and the probe's unit tests do.
 */
export const RUNNING_APACHE = String.raw`
dw_is_apache() {
  case $1 in httpd|apache2|httpd2|httpd-prefork|httpd-worker|httpd-event|httpd2-prefork|httpd2-worker|httpd2-event) return 0 ;; esac
  return 1
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
  dw_args=$(tr '\0' '\n' < "$dw_proc/$1/cmdline" 2>/dev/null) || return 1
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
  dw_e=$(readlink "$dw_proc/$1/exe" 2>/dev/null)
  dw_sv_via=exe
  [ -n "$dw_e" ] || { dw_e=${'$'}{dw_args%%"$dw_nl"*}; dw_sv_via=cmdline; }
  case $dw_e in *' (deleted)') dw_e=${'$'}{dw_e%' (deleted)'}; dw_sv_replaced=yes ;; esac
  if [ -n "$dw_sv_express" ]; then
    case $dw_e in
      /*) ;;
      *) dw_e=$(awk 'NR > 40 { exit } /^HTTPD="\/[^"$\\]*"$/ { v = substr($0, 8); print substr(v, 1, length(v) - 1); exit }' "$dw_sv_express/apachectl" 2>/dev/null); dw_sv_via=apachectl ;;
    esac
    dw_sv_env=$(tr '\0' '\n' < "$dw_proc/$1/environ" 2>/dev/null | awk '/^MOD_WSGI_[A-Z0-9_]*=/')
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
dw_running_apache() {
  dw_run_exe= dw_run_via= dw_run_replaced= dw_run_d= dw_run_f= dw_run_ctl= dw_run_pid= dw_run_servers= dw_run_looked=
  dw_proc=${'$'}{DRIFTWATCH_PROBE_PROC-/proc}
  [ -n "$dw_proc" ] && [ -d "$dw_proc/1" ] || return 1
  dw_run_looked=1
  dw_self_ns=$(readlink "$dw_proc/self/ns/mnt" 2>/dev/null)
  dw_with_f=
  for dw_p in "$dw_proc"/[0-9]*; do
    dw_pid=${'$'}{dw_p##*/}
    dw_comm_of "$dw_pid" 2>/dev/null || continue
    dw_is_apache "$dw_comm" || continue
    dw_ppid_of "$dw_pid" 2>/dev/null
    dw_comm_of "$dw_ppid" 2>/dev/null
    dw_is_apache "$dw_comm" && continue
    dw_foreign "$dw_pid" && continue
    dw_server_of "$dw_pid" || continue
    dw_run_servers=$dw_run_servers$dw_pid$dw_nl
    [ -z "$dw_sv_express" ] || continue
    if [ -z "$dw_sv_f" ]; then [ -n "$dw_run_pid" ] || dw_run_pid=$dw_pid; else [ -n "$dw_with_f" ] || dw_with_f=$dw_pid; fi
  done
  [ -n "$dw_run_pid" ] || dw_run_pid=$dw_with_f
  [ -n "$dw_run_pid" ] && dw_server_of "$dw_run_pid" || { dw_run_pid=; return 1; }
  dw_run_exe=$dw_sv_exe dw_run_via=$dw_sv_via dw_run_replaced=$dw_sv_replaced dw_run_d=$dw_sv_d dw_run_f=$dw_sv_f dw_run_ctl=$dw_sv_ctl dw_run_id=$dw_sv_id
  return 0
}
`;
