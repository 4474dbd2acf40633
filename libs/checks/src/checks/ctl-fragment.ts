/** sh that ends the check as unavailable on a host without Apache. */
export const REQUIRE_CTL = `[ -n "$dw_ctl" ] || dw_unavailable 'no Apache control binary found (apache2ctl, httpd, apachectl, apache2, SUSE httpd-MPM)'`;

/** sh for a check that runs the discovered Apache control binary with one flag. */
export function ctlFragment(flag: string): string {
  return [REQUIRE_CTL, `dw_meta cmd "$dw_ctl_cmd ${flag}"`, `dw_httpd ${flag}`].join('\n');
}
