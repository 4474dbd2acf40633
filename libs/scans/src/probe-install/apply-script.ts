import { shellQuote } from '@driftwatch/checks';

/** Exit status of the apply script when it cannot become root without a password. */
export const NEEDS_ROOT_EXIT = 3;

/**
 * sh that installs the snippet as a configuration file of the host's Apache (Debian
 * conf-available + a2enconf, or RHEL conf.d), checks the configuration, and reloads Apache
 * gracefully; a configuration that does not pass the check is removed again. Root through
 * `sudo -n` when the login is not root; never asks for a password.
 */
export function applyScript(snippet: string): string {
  return `PATH=$PATH:/usr/sbin:/sbin
snippet=${shellQuote(snippet)}
if [ "$(id -u)" = 0 ]; then as_root() { "$@"; }
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then as_root() { sudo -n "$@"; }
else echo 'installing the configuration needs root: sudo requires a password (or is not installed)' >&2; exit ${NEEDS_ROOT_EXIT}; fi
if [ -d /etc/apache2/conf-available ]; then
  conf=/etc/apache2/conf-available/driftwatch-diag.conf; enable='a2enconf -q driftwatch-diag'; disable='a2disconf -q driftwatch-diag'; ctl=apache2ctl
elif [ -d /etc/httpd/conf.d ]; then
  conf=/etc/httpd/conf.d/driftwatch-diag.conf; enable=:; disable=:; ctl=httpd
else
  echo 'no Apache configuration directory (/etc/apache2/conf-available or /etc/httpd/conf.d)' >&2; exit 4
fi
printf '%s' "$snippet" | as_root tee "$conf" >/dev/null || exit 5
as_root $enable || exit 5
if ! as_root $ctl -t; then as_root $disable; as_root rm -f "$conf"; echo "the configuration did not pass $ctl -t; $conf removed" >&2; exit 6; fi
as_root $ctl -k graceful || exit 7
echo "installed $conf and reloaded Apache"
`;
}
