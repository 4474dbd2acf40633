/**
 * Which Apache the checks run: the prelude's discovery of `$dw_ctl` and `$dw_apxs`.
 *
 * 1. The Apache that is **running**, when no override names one. Its parent process is found
 *    from the pid files Apache's packages and builds write (`DRIFTWATCH_PID_FILES` replaces the
 *    list) and from the process table: a process whose name is an Apache binary's (`httpd`,
 *    `apache2`, SUSE's `httpd-prefork`/`-worker`/`-event`, older SUSE `httpd2-*`) and whose parent's
 *    is not. Read from `/proc` (`DRIFTWATCH_PROC` replaces it; empty: look at no process):
 *    `stat` for the name and parent, `cmdline` for the arguments, `exe` for the binary, `ns/mnt`
 *    to keep only processes of this host's own mount namespace (not a container's). `exe` and
 *    `ns/mnt` of another user's process (root's Apache) are readable as root only: the binary
 *    is then taken from the command line when it names an absolute path, and table entries whose
 *    namespace cannot be compared are counted as unreadable, not used. A pid file is this host's
 *    own file, so its process is used without the namespace check.
 * 2. The chosen instance's options `-d`/`-f`/`-D`/`-C`/`-c` (never `-k`, `-E`, `-e`, `-R`, nor a
 *    mode flag) are passed to every Apache command the checks run (`dw_httpd`). The control
 *    program used with its binary: Debian's `apache2ctl` beside `apache2` (it sources envvars,
 *    which Apache needs for APACHE_RUN_DIR and friends; a `-d` becomes its APACHE_CONFDIR, as for
 *    apache2@instance), an upstream `apachectl` beside `httpd` when an `envvars` is there too (a
 *    source build's; RHEL's apachectl, a systemd wrapper that refuses flags, has none), else the
 *    binary itself.
 * 3. mod_wsgi-express servers (a configuration whose directory holds the `apachectl` that
 *    mod_wsgi-express generates) are listed as instances of their own, never chosen: their
 *    configuration needs the environment their `apachectl` sets.
 * 4. Otherwise the search: PATH, then `$DW_DIRS` (`path` / `fallback`); SUSE's `httpd-$APACHE_MPM`
 *    first when `/etc/sysconfig/apache2` (DRIFTWATCH_SUSE_SYSCONFIG) names the MPM, its other
 *    per-MPM binaries last.
 * 5. apxs beside the chosen Apache (its directory, or the sibling `bin/` of an `sbin/`), else
 *    PATH and `$DW_DIRS`.
 *
 * Sets `dw_ctl`, `dw_ctl_cmd` (the command as shown in reports), `dw_ctl_opts` (one option or
 * value a line), `dw_ctl_confdir`, `dw_ctl_root`, `dw_ctl_conf`, `dw_found_by`, `dw_bin`,
 * `dw_bin_from`, `dw_apxs`, `dw_apxs_by`, and `dw_running`: one line per running Apache,
 * `via<TAB>pidfile<TAB>pid<TAB>ppid<TAB>namespace<TAB>exe<TAB>argv…` (argv tab-separated).
 */
export const APACHE_DISCOVERY = String.raw`
dw_proc=${'$'}{DRIFTWATCH_PROC-/proc}
dw_apache_name() {
  case ${'$'}{1##*/} in httpd|apache2|httpd-prefork|httpd-worker|httpd-event|httpd2|httpd2-prefork|httpd2-worker|httpd2-event) return 0 ;; esac
  return 1
}
dw_readlink() { if [ -n "$dw_rl" ]; then "$dw_rl" "$1" 2>/dev/null; else return 1; fi; }
dw_rl=; dw_find readlink && dw_rl=$dw_found
# Sets dw_st_comm and dw_st_ppid from $dw_proc/PID/stat: "pid (comm) state ppid …".
dw_stat() {
  dw_st_comm= dw_st_ppid=
  read -r dw_st 2>/dev/null < "$dw_proc/$1/stat" || return 1
  dw_st_comm=${'$'}{dw_st#*'('}; dw_st_comm=${'$'}{dw_st_comm%')'*}
  dw_st=${'$'}{dw_st##*') '}
  set -f; set -- $dw_st; set +f
  dw_st_ppid=${'$'}{2-}
}
dw_running= dw_run_seen= dw_run_unreadable=0
dw_self_ns=
# Records the Apache parent process $1 (found via $2, pid file $3) in dw_running.
dw_run_add() {
  case " $dw_run_seen " in *" $1 "*) return 0 ;; esac
  dw_stat "$1" || return 0
  dw_apache_name "$dw_st_comm" || return 0
  dw_pp=$dw_st_ppid
  if dw_stat "$dw_pp" && dw_apache_name "$dw_st_comm"; then return 0; fi
  dw_ns=$(dw_readlink "$dw_proc/$1/ns/mnt")
  if [ -n "$dw_self_ns" ] && [ -n "$dw_ns" ]; then
    [ "$dw_ns" = "$dw_self_ns" ] || return 0
    dw_ns=same
  elif [ "$2" = pidfile ]; then dw_ns=unknown
  elif [ -n "$dw_self_ns" ]; then dw_run_unreadable=$((dw_run_unreadable + 1)); return 0
  else dw_ns=unknown
  fi
  dw_run_seen="$dw_run_seen $1"
  dw_x=$(dw_readlink "$dw_proc/$1/exe")
  dw_a=$(tr '\000\t' '\t ' 2>/dev/null < "$dw_proc/$1/cmdline")
  dw_running=$dw_running$2$dw_tab$3$dw_tab$1$dw_tab$dw_pp$dw_tab$dw_ns$dw_tab$dw_x$dw_tab$dw_a$dw_nl
}
if [ -n "$dw_proc" ] && [ -d "$dw_proc" ]; then
  dw_self_ns=$(dw_readlink "$dw_proc/self/ns/mnt")
  for dw_pf in ${'$'}{DRIFTWATCH_PID_FILES-/run/apache2/apache2.pid /var/run/apache2/apache2.pid /run/apache2-*/apache2.pid /run/httpd/httpd.pid /var/run/httpd/httpd.pid /run/httpd.pid /var/run/httpd.pid /run/apache2/httpd.pid /usr/local/apache2/logs/httpd.pid /opt/rh/httpd24/root/var/run/httpd/httpd.pid /opt/homebrew/var/run/httpd/httpd.pid /usr/local/var/run/httpd/httpd.pid /tmp/mod_wsgi-*/httpd.pid}; do
    [ -f "$dw_pf" ] && [ -r "$dw_pf" ] || continue
    read -r dw_p 2>/dev/null < "$dw_pf" || continue
    case $dw_p in ''|*[!0-9]*) continue ;; esac
    dw_run_add "$dw_p" pidfile "$dw_pf"
  done
  for dw_d in "$dw_proc"/[0-9]*; do
    dw_run_add "${'$'}{dw_d##*/}" table ''
  done
fi
# Sets dw_o_opts (option, value, … one a line), dw_o_root (-d) and dw_o_conf (-f) from argv
# (tab-separated, argv0 first); with a second argument, -d is left out of dw_o_opts.
dw_opts_of() {
  dw_o_opts= dw_o_root= dw_o_conf= dw_o_nod=${'$'}{2-}
  set -f; dw_oi=$IFS; IFS=$dw_tab; set -- $1; IFS=$dw_oi; set +f
  [ $# -gt 0 ] && shift
  while [ $# -gt 0 ]; do
    dw_oa=$1; shift
    case $dw_oa in
      -d|-f|-D|-C|-c) [ $# -gt 0 ] || break; dw_of=$dw_oa; dw_ov=$1; shift ;;
      -[dfDCc]?*) dw_ov=${'$'}{dw_oa#??}; dw_of=${'$'}{dw_oa%"$dw_ov"} ;;
      -k|-E|-e|-R) [ $# -gt 0 ] && shift; continue ;;
      *) continue ;;
    esac
    case $dw_of in -d) dw_o_root=$dw_ov; [ -z "$dw_o_nod" ] || continue ;; -f) dw_o_conf=$dw_ov ;; esac
    dw_o_opts=$dw_o_opts$dw_of$dw_nl$dw_ov$dw_nl
  done
}
# True when the configuration $1 is a mod_wsgi-express server's (the apachectl it generates is beside it).
dw_express_conf() {
  [ -n "$1" ] && [ -f "${'$'}{1%/*}/apachectl" ] && grep -q MOD_WSGI_SERVER_ROOT "${'$'}{1%/*}/apachectl" 2>/dev/null
}
dw_ctl= dw_ctl_opts= dw_ctl_confdir= dw_ctl_root= dw_ctl_conf= dw_found_by= dw_bin= dw_bin_from=
if [ -n "$DW_APACHECTL" ]; then
  dw_ctl=$DW_APACHECTL dw_found_by=override
else
  set -f; dw_ifs=$IFS; IFS=$dw_nl
  for dw_l in $dw_running; do
    IFS=$dw_ifs
    dw_r=$dw_l
    for dw_i in 1 2 3 4 5; do dw_r=${'$'}{dw_r#*"$dw_tab"}; done
    dw_x=${'$'}{dw_r%%"$dw_tab"*}; dw_x=${'$'}{dw_x%' (deleted)'}; dw_a=${'$'}{dw_r#*"$dw_tab"}
    dw_from=exe
    if [ -z "$dw_x" ]; then dw_x=${'$'}{dw_a%%"$dw_tab"*}; dw_from=cmdline; fi
    case $dw_x in /*) ;; *) continue ;; esac
    [ -f "$dw_x" ] && [ -x "$dw_x" ] && dw_apache_name "$dw_x" || continue
    dw_opts_of "$dw_a"
    dw_express_conf "$dw_o_conf" && continue
    dw_bin=$dw_x dw_bin_from=$dw_from dw_found_by=running dw_ctl=$dw_x
    dw_ctl_opts=$dw_o_opts dw_ctl_root=$dw_o_root dw_ctl_conf=$dw_o_conf
    dw_bd=${'$'}{dw_x%/*}
    if [ "${'$'}{dw_x##*/}" = apache2 ] && [ -f "$dw_bd/apache2ctl" ] && [ -x "$dw_bd/apache2ctl" ]; then
      # apache2ctl adds -d itself for APACHE_CONFDIR (and reads that directory's envvars).
      dw_ctl=$dw_bd/apache2ctl dw_ctl_confdir=$dw_o_root
      [ -z "$dw_o_root" ] || { dw_opts_of "$dw_a" no-d; dw_ctl_opts=$dw_o_opts; }
    elif [ -f "$dw_bd/apachectl" ] && [ -x "$dw_bd/apachectl" ] && [ -f "$dw_bd/envvars" ]; then
      dw_ctl=$dw_bd/apachectl
    fi
    break
  done
  IFS=$dw_ifs; set +f
  if [ -z "$dw_ctl" ]; then
    # SUSE: one binary per MPM, the one started named by APACHE_MPM in /etc/sysconfig/apache2 (read as data).
    dw_mpm=; dw_sc=${'$'}{DRIFTWATCH_SUSE_SYSCONFIG-/etc/sysconfig/apache2}
    [ -r "$dw_sc" ] && dw_mpm=$(awk 'NR > 5000 { exit } /^[ \t]*APACHE_MPM=/ { v = $0; sub(/^[^=]*=[ \t]*/, "", v); gsub(/["\047 \t\r]/, "", v); m = v } END { if (m ~ /^[a-z]+$/) print m }' "$dw_sc")
    dw_find ${'$'}{dw_mpm:+"httpd-$dw_mpm"} apache2ctl httpd apachectl apache2 httpd-prefork httpd-event httpd-worker httpd2-prefork httpd2-worker && dw_ctl=$dw_found dw_found_by=$dw_found_in
  fi
fi
dw_ctl_cmd=${'$'}{dw_ctl_confdir:+"APACHE_CONFDIR=$dw_ctl_confdir "}$dw_ctl
set -f; dw_ifs=$IFS; IFS=$dw_nl
for dw_o in $dw_ctl_opts; do
  case $dw_o in *[!A-Za-z0-9_./:=@%+,-]*) dw_ctl_cmd="$dw_ctl_cmd '$dw_o'" ;; *) dw_ctl_cmd="$dw_ctl_cmd $dw_o" ;; esac
done
IFS=$dw_ifs; set +f
# Runs the chosen Apache with the running instance's options after the check's own.
dw_httpd() {
  set -f; dw_hi=$IFS; IFS=$dw_nl
  for dw_ho in $dw_ctl_opts; do set -- "$@" "$dw_ho"; done
  IFS=$dw_hi; set +f
  if [ -n "$dw_ctl_confdir" ]; then APACHE_CONFDIR=$dw_ctl_confdir "$dw_ctl" "$@"; else "$dw_ctl" "$@"; fi
}
dw_apxs=$DW_APXS dw_apxs_by=
if [ -n "$dw_apxs" ]; then dw_apxs_by=override
else
  dw_bd=${'$'}{dw_bin:-$dw_ctl}; dw_bd=${'$'}{dw_bd%/*}
  if [ -n "$dw_ctl" ]; then
    for dw_c in "$dw_bd/apxs" "$dw_bd/apxs2" "${'$'}{dw_bd%/*}/bin/apxs" "${'$'}{dw_bd%/*}/bin/apxs2"; do
      if [ -f "$dw_c" ] && [ -x "$dw_c" ]; then dw_apxs=$dw_c dw_apxs_by=beside; break; fi
    done
  fi
  if [ -z "$dw_apxs" ] && dw_find apxs apxs2; then dw_apxs=$dw_found dw_apxs_by=$dw_found_in; fi
fi
`;
