/** sh for a check that runs the discovered Apache control binary with one flag. */
export function ctlFragment(flag: string): string {
  return [
    `[ -n "$dw_ctl" ] || dw_unavailable 'no Apache control binary found (apache2ctl, apachectl, httpd, apache2)'`,
    `dw_meta cmd "$dw_ctl ${flag}"`,
    `"$dw_ctl" ${flag}`,
  ].join('\n');
}
