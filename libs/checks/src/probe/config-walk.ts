/**
 * `dw_cfg_walk`: when Apache cannot test its own configuration (mod_wsgi.so or a library it
 * needs does not load, a bad directive), the probe reads the configuration files itself, the way
 * Apache would find them: the main file from `-V` (HTTPD_ROOT, SERVER_CONFIG_FILE), `ServerRoot`,
 * then `Include`/`IncludeOptional` with relative paths, wildcards and directories (every file
 * under one, in order). Read-only and bounded: at most DW_WALK_FILES files, DW_WALK_DEPTH levels
 * of nesting and DW_WALK_BYTES bytes read from each file (awk only, so it runs wherever the probe does). It prints part `cfg-walk` in the
 * `DUMP_INCLUDES` layout (`(*) main`, `(N) file`) with a `ServerRoot: "…"` line, and sets
 * `dw_cfg_root`, `dw_cfg_files` and `dw_cfg_unreadable` as `dw_apache_cfg` does.
 * An include whose path names a variable (`${APACHE_LOG_DIR}`) cannot be resolved without
 * Apache's environment and is listed as unreadable.
 */
export const CONFIG_WALK = String.raw`
DW_WALK_FILES=512 DW_WALK_DEPTH=16 DW_WALK_BYTES=1048576
dw_cfg_refs() {
  awk -v max="$DW_WALK_BYTES" '
    { seen += length($0) + 1; if (seen > max) exit
      line = $0; sub(/\r$/, "", line)
      if (held != "") line = held line
      if (line ~ /\\$/) { held = substr(line, 1, length(line) - 1) " "; next }
      held = ""; sub(/^[ \t]+/, "", line)
      n = split(line, w, /[ \t]+/); d = tolower(w[1])
      if (n < 2 || (d != "serverroot" && d != "include" && d != "includeoptional")) next
      v = substr(line, length(w[1]) + 1); sub(/^[ \t]+/, "", v); sub(/[ \t]+$/, "", v)
      if (v ~ /^".*"$/) v = substr(v, 2, length(v) - 2)
      print d "\t" v }' "$1"
}
dw_cfg_walk() {
  dw_v=$(dw_httpd -V 2>/dev/null)
  dw_hr=$(printf '%s\n' "$dw_v" | awk -F'"' '/^ *-D HTTPD_ROOT="/ { print $2 }')
  dw_sc=$(printf '%s\n' "$dw_v" | awk -F'"' '/^ *-D SERVER_CONFIG_FILE="/ { print $2 }')
  # The server's own -d/-f, when it was started with them, before the compiled-in defaults.
  [ -z "$dw_ctl_d" ] || dw_hr=$dw_ctl_d
  [ -z "$dw_ctl_f" ] || dw_sc=$dw_ctl_f
  [ -n "$dw_sc" ] || return 1
  case $dw_sc in /*) ;; *) dw_sc=$dw_hr/$dw_sc ;; esac
  [ -r "$dw_sc" ] || return 1
  dw_cfg_root=$dw_hr
  dw_cfg_files= dw_cfg_unreadable= dw_wn=0 dw_listing=
  dw_queue="0$dw_tab$dw_sc$dw_nl"
  while [ -n "$dw_queue" ]; do
    dw_item=${'$'}{dw_queue%%"$dw_nl"*}; dw_queue=${'$'}{dw_queue#*"$dw_nl"}
    dw_depth=${'$'}{dw_item%%"$dw_tab"*}; dw_f=${'$'}{dw_item#*"$dw_tab"}
    if [ -d "$dw_f" ]; then
      dw_sub=
      for dw_g in "$dw_f"/*; do [ -e "$dw_g" ] && dw_sub=$dw_sub$dw_depth$dw_tab$dw_g$dw_nl; done
      dw_queue=$dw_sub$dw_queue; continue
    fi
    if [ ! -r "$dw_f" ]; then dw_cfg_unreadable=$dw_cfg_unreadable$dw_f$dw_nl; continue; fi
    dw_wn=$((dw_wn + 1))
    if [ "$dw_wn" -gt "$DW_WALK_FILES" ]; then dw_meta walkLimit "stopped after $DW_WALK_FILES files"; break; fi
    dw_cfg_files=$dw_cfg_files$dw_f$dw_nl
    if [ "$dw_wn" -eq 1 ]; then dw_listing="  (*) $dw_f$dw_nl"; else dw_listing="$dw_listing    ($dw_depth) $dw_f$dw_nl"; fi
    dw_refs=$(dw_cfg_refs "$dw_f")
    dw_next=
    set -f; dw_ifs=$IFS; IFS=$dw_nl
    for dw_r in $dw_refs; do
      dw_d=${'$'}{dw_r%%"$dw_tab"*}; dw_p=${'$'}{dw_r#*"$dw_tab"}
      if [ "$dw_d" = serverroot ]; then dw_cfg_root=$dw_p; continue; fi
      case $dw_p in *'${'$'}{'*) dw_cfg_unreadable=$dw_cfg_unreadable$dw_p$dw_nl; continue ;; /*) ;; *) dw_p=$dw_cfg_root/$dw_p ;; esac
      if [ "$dw_depth" -ge "$DW_WALK_DEPTH" ]; then dw_meta walkLimit "includes nested deeper than $DW_WALK_DEPTH levels were not read"; continue; fi
      set +f
      for dw_g in $dw_p; do
        if [ -e "$dw_g" ]; then dw_next=$dw_next$((dw_depth + 1))$dw_tab$dw_g$dw_nl
        elif [ "$dw_d" = include ] && [ "$dw_g" = "$dw_p" ]; then case $dw_p in *[*?[]*) ;; *) dw_cfg_unreadable=$dw_cfg_unreadable$dw_p$dw_nl ;; esac
        fi
      done
      set -f
    done
    IFS=$dw_ifs; set +f
    dw_queue=$dw_next$dw_queue
  done
  dw_meta configSource walk
  dw_part_begin cfg-walk
  printf 'ServerRoot: "%s"\nIncluded configuration files:\n%s' "$dw_cfg_root" "$dw_listing"
  dw_part_end cfg-walk 0
}
`;
