/**
 * The environment Apache really starts with, as far as mod_wsgi.so's linkage goes
 * (LD_LIBRARY_PATH), read without running anything but what Apache's own start runs:
 * - systemd (when it runs): the unit's `Environment=` and `EnvironmentFiles=`
 *   (`systemctl show`), the files read by a KEY=VALUE parser, never executed;
 * - RHEL `/etc/sysconfig/httpd`, SUSE `/etc/sysconfig/apache2`: the same parser, when systemd
 *   did not already name them;
 * - Debian's (or a source build's) `envvars`: sourced in a subshell, as apache2ctl/apachectl
 *   sources it at every start, with stdin from /dev/null and its output discarded.
 * Prints part `apache-env`: `SOURCE<TAB>FILE<TAB>=VALUE` for each source that sets
 * LD_LIBRARY_PATH (`-` for one that unsets it), and sets `dw_ae_any` (some source exists),
 * `dw_ae_set`/`dw_ae_llp` (before envvars) and `dw_envvars` (the file to source).
 * `$SHELL -lc` gives the login user's interactive value (part `login-env`, `dw_login_set`, `dw_login_llp`).
 * DRIFTWATCH_SYSTEMD_DIR and DRIFTWATCH_SYSCONFIG (a host, or a test, may set them) replace
 * `/run/systemd/system` and the sysconfig file list.
 */
export const APACHE_ENVIRONMENT = String.raw`
dw_kv() {
  awk -v k="$2" '
    { seen += length($0) + 1; if (seen > 65536) exit
      sub(/\r$/, ""); sub(/^[ \t]*(export[ \t]+)?/, "") }
    index($0, k "=") == 1 { v = substr($0, length(k) + 2); q = substr(v, 1, 1)
      if ((q == "\"" || q == "'\''") && substr(v, length(v)) == q) v = substr(v, 2, length(v) - 2)
      val = v; set = 1 }
    END { if (set) print "=" val }' "$1"
}
dw_ae_any= dw_ae_set= dw_ae_llp= dw_envvars= dw_ae_out= dw_ae_files=
dw_ae_note() { dw_ae_out=$dw_ae_out$1$dw_tab$2$dw_tab$3$dw_nl; }
dw_ae_take() {
  case $3 in
    =*) dw_ae_set=1; dw_ae_llp=${'$'}{3#=}; dw_ae_note "$1" "$2" "$3" ;;
  esac
}
if [ -d "${'$'}{DRIFTWATCH_SYSTEMD_DIR-/run/systemd/system}" ] && dw_find systemctl; then
  for dw_u in apache2.service httpd.service apache24.service; do
    dw_show=$("$dw_found" show -p LoadState -p Environment -p EnvironmentFiles "$dw_u" 2>/dev/null) || continue
    case $dw_show in *LoadState=loaded*) ;; *) continue ;; esac
    dw_ae_any=1
    dw_meta cmd "systemctl show -p Environment -p EnvironmentFiles $dw_u"
    dw_e=$(printf '%s\n' "$dw_show" | awk '/^Environment=/ { n = split(substr($0, 13), w, / /)
      for (i = 1; i <= n; i++) { x = w[i]; gsub(/"/, "", x); if (index(x, "LD_LIBRARY_PATH=") == 1) v = "=" substr(x, 17) } }
      END { if (v != "") print v }')
    dw_ae_take systemd "$dw_u" "$dw_e"
    dw_efs=$(printf '%s\n' "$dw_show" | awk 'sub(/^EnvironmentFiles=/, "") { sub(/ .*/, ""); print }')
    set -f; dw_ifs=$IFS; IFS=$dw_nl
    for dw_ef in $dw_efs; do
      IFS=$dw_ifs; dw_ae_files=$dw_ae_files$dw_ef$dw_nl
      [ -r "$dw_ef" ] && dw_ae_take EnvironmentFile "$dw_ef" "$(dw_kv "$dw_ef" LD_LIBRARY_PATH)"
    done
    IFS=$dw_ifs; set +f
    break
  done
fi
for dw_ef in ${'$'}{DRIFTWATCH_SYSCONFIG-/etc/sysconfig/httpd /etc/sysconfig/apache2}; do
  case $dw_nl$dw_ae_files in *"$dw_nl$dw_ef$dw_nl"*) continue ;; esac
  [ -r "$dw_ef" ] || continue
  dw_ae_any=1
  dw_ae_take sysconfig "$dw_ef" "$(dw_kv "$dw_ef" LD_LIBRARY_PATH)"
done
for dw_e in ${'$'}{dw_ctl:+"${'$'}{dw_ctl%/*}/envvars"} ${'$'}{dw_cfg_root:+"$dw_cfg_root/envvars"}; do
  [ -f "$dw_e" ] || continue
  dw_ae_any=1 dw_envvars=$dw_e
  dw_ev=$(unset LD_LIBRARY_PATH; if [ -n "$dw_ae_set" ]; then LD_LIBRARY_PATH=$dw_ae_llp; export LD_LIBRARY_PATH; fi
    . "$dw_e" </dev/null >/dev/null 2>&1; printf '%s' "${'$'}{LD_LIBRARY_PATH+=$LD_LIBRARY_PATH}")
  if [ "$dw_ev" != "${'$'}{dw_ae_set:+=$dw_ae_llp}" ]; then dw_ae_note envvars "$dw_e" "${'$'}{dw_ev:--}"; fi
  break
done
if [ -n "$dw_ae_any" ]; then dw_part_begin apache-env; printf '%s' "$dw_ae_out"; dw_part_end apache-env 0; fi
dw_login_set= dw_login_llp=
if [ -n "${'$'}{SHELL-}" ] && [ -x "$SHELL" ]; then
  dw_t=; dw_find timeout && dw_t=$dw_found
  dw_meta cmd "$SHELL -lc 'printf %s \"\$LD_LIBRARY_PATH\"'"
  dw_lo=$(${'$'}{dw_t:+"$dw_t" 10} "$SHELL" -lc 'printf "\n@@dw-login%s\n" "${'$'}{LD_LIBRARY_PATH+=$LD_LIBRARY_PATH}"' </dev/null 2>/dev/null | awk 'sub(/^@@dw-login/, "") { v = $0 } END { print v }')
  case $dw_lo in =*) dw_login_set=1; dw_login_llp=${'$'}{dw_lo#=} ;; esac
  dw_part_begin login-env; printf '%s\t%s\n' "$SHELL" "${'$'}{dw_lo:--}"; dw_part_end login-env 0
fi
`;
