import { Check } from '../check';
import { shellQuote } from './shell-quote';

/** Per-host values the probe honours instead of discovering them. */
export interface ProbeOverrides {
  apachectl?: string;
  apxs?: string;
  modWsgiSo?: string;
  python?: string;
  diagnosticUrl?: string;
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
};

/**
 * The prelude every check fragment can rely on:
 * - `dw_meta KEY VALUE`: attach a note to the current section (e.g. `cmd`);
 * - `dw_unavailable REASON`: end the check as `unavailable` (the tool it needs is absent);
 * - `dw_find NAME...`: sets `dw_found` to the first NAME found in PATH, then in `$DW_DIRS`;
 * - `$dw_ctl`: the Apache control binary (override, or discovered), empty when none.
 * The host may narrow the fallback directories by exporting DRIFTWATCH_PROBE_DIRS.
 */
const PRELUDE = String.raw`
LC_ALL=C; LANG=C; export LC_ALL LANG
DW_DIRS=${'$'}{DRIFTWATCH_PROBE_DIRS-__DIRS__}
dw_mark() { printf '@@DW:%s:%s@@\n' "$DW_NONCE" "$1"; }
dw_meta() { dw_mark "meta:$1=$2"; }
dw_unavailable() { dw_meta unavailable "$1"; exit 0; }
dw_find() {
  dw_found=
  for dw_n in "$@"; do
    dw_ifs=$IFS; IFS=:
    for dw_d in $PATH; do
      if [ -n "$dw_d" ] && [ -f "$dw_d/$dw_n" ] && [ -x "$dw_d/$dw_n" ]; then dw_found=$dw_d/$dw_n; IFS=$dw_ifs; return 0; fi
    done
    IFS=$dw_ifs
  done
  for dw_d in $DW_DIRS; do
    for dw_n in "$@"; do
      if [ -f "$dw_d/$dw_n" ] && [ -x "$dw_d/$dw_n" ]; then dw_found=$dw_d/$dw_n; return 0; fi
    done
  done
  return 1
}
dw_run() {
  dw_mark "begin:$1"; dw_mark "begin:$1" >&2
  ( "$2" ) </dev/null
  dw_rc=$?
  printf '\n'; printf '\n' >&2
  dw_mark "end:$1:$dw_rc"; dw_mark "end:$1:$dw_rc" >&2
}
dw_ctl=$DW_APACHECTL
if [ -z "$dw_ctl" ] && dw_find apache2ctl apachectl httpd apache2; then dw_ctl=$dw_found; fi
`;

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
  const assignments = [`DW_NONCE=${nonce}`];
  for (const [key, variable] of Object.entries(OVERRIDE_VARIABLES) as [keyof ProbeOverrides, string][]) {
    assignments.push(`${variable}=${shellQuote(overrides[key] ?? '')}`);
  }
  const functions = checks.map((check, i) => `dw_check_${i}() {\n${check.script.trim()}\n}`);
  const runs = checks.map((check, i) => `dw_run ${shellQuote(check.id)} dw_check_${i}`);
  const text = [
    '# driftwatch probe: read-only checks, no files written',
    ...assignments,
    PRELUDE.replace('__DIRS__', shellQuote(DEFAULT_SEARCH_DIRS.join(' '))).trim(),
    ...functions,
    ...runs,
    'dw_mark done',
    '',
  ].join('\n');
  return { nonce, text, checkIds: checks.map((c) => c.id) };
}
