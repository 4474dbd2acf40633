/** What `sudo -n` prints when it will not run the probe, and how a scan reports it. */
const REFUSALS: [RegExp, string][] = [
  [/sudo: (a password is required|a terminal is required)/, 'sudo requires a password'],
  [/is not in the sudoers file|is not allowed to run sudo|may not run sudo/, 'the login user may not use sudo'],
  [/sudo: (command )?not found|sudo: No such file/, 'sudo is not installed on the host'],
];

/** Why `sudo -n sh -s` did not run the probe, or null when sudo let it run. */
export function sudoRefusal(stderr: string, exitCode: number | null, probeStarted: boolean): string | null {
  if (probeStarted || exitCode === 0) return null;
  for (const [pattern, reason] of REFUSALS) if (pattern.test(stderr)) return reason;
  return null;
}
