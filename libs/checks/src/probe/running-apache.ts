/**
 * sh for the prelude: `dw_running_apache` finds the Apache that is running, read-only, from
 * /proc: a process named like Apache (Debian's apache2, httpd, SUSE's httpd-prefork/-worker/
 * -event, httpd2) whose parent is not one, and that is not a configuration test or version query
 * (the probe's own included). Its binary comes from /proc/PID/exe where readable (root, or the
 * same user), otherwise from its command line; `-d`/`-f` come from its command line.
 *
 * Sets `dw_run_exe`, `dw_run_via` (exe|cmdline), `dw_run_replaced` (yes when the binary was
 * replaced on disk since it started), `dw_run_d`, `dw_run_f` (the first server found is chosen, and the
 * walk stops there) and `dw_run_ctl`: the command to run it with. That is
 * Debian's apache2ctl beside apache2 (it reads envvars), an upstream build's apachectl beside its
 * envvars, otherwise the binary itself. Only builtins run per process; `tr` and `readlink` only
 * for the candidates. DRIFTWATCH_PROBE_PROC points it at another /proc (empty: look for none),
 * as the lab and the probe's unit tests do.
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
dw_running_apache() {
  dw_run_exe= dw_run_via= dw_run_replaced= dw_run_d= dw_run_f= dw_run_ctl=
  dw_proc=${'$'}{DRIFTWATCH_PROBE_PROC-/proc}
  [ -n "$dw_proc" ] && [ -d "$dw_proc/1" ] || return 1
  for dw_p in "$dw_proc"/[0-9]*; do
    dw_pid=${'$'}{dw_p##*/}
    dw_comm_of "$dw_pid" 2>/dev/null || continue
    dw_is_apache "$dw_comm" || continue
    dw_ppid_of "$dw_pid" 2>/dev/null
    dw_comm_of "$dw_ppid" 2>/dev/null
    dw_is_apache "$dw_comm" && continue
    dw_args=$(tr '\0' '\n' < "$dw_p/cmdline" 2>/dev/null) || continue
    case "$dw_nl$dw_args$dw_nl" in *"$dw_nl"-[tSVvlLMh]"$dw_nl"*|*DUMP_*) continue ;; esac
    dw_e=$(readlink "$dw_p/exe" 2>/dev/null)
    dw_via=exe
    [ -n "$dw_e" ] || { dw_e=${'$'}{dw_args%%"$dw_nl"*}; dw_via=cmdline; }
    dw_gone=
    case $dw_e in *' (deleted)') dw_e=${'$'}{dw_e%' (deleted)'}; dw_gone=yes ;; esac
    case $dw_e in /*) ;; *) continue ;; esac
    dw_run_exe=$dw_e dw_run_via=$dw_via dw_run_replaced=$dw_gone
    dw_prev=
    set -f; dw_ifs=$IFS; IFS=$dw_nl
    for dw_a in $dw_args; do
      case $dw_prev in -d) dw_run_d=$dw_a ;; -f) dw_run_f=$dw_a ;; esac
      case $dw_a in -d?*) dw_run_d=${'$'}{dw_a#-d} ;; -f?*) dw_run_f=${'$'}{dw_a#-f} ;; esac
      dw_prev=$dw_a
    done
    IFS=$dw_ifs; set +f
    break
  done
  [ -n "$dw_run_exe" ] && [ -x "$dw_run_exe" ] || return 1
  dw_dir=${'$'}{dw_run_exe%/*}
  dw_run_ctl=$dw_run_exe
  case ${'$'}{dw_run_exe##*/} in
    apache2) [ -x "$dw_dir/apache2ctl" ] && dw_run_ctl=$dw_dir/apache2ctl ;;
    httpd) [ -x "$dw_dir/apachectl" ] && [ -f "$dw_dir/envvars" ] && dw_run_ctl=$dw_dir/apachectl ;;
  esac
  return 0
}
`;
