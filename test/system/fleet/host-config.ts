/**
 * The text of the files that make one host different from the others: its Apache listener and
 * site, and its sshd configuration. Pure functions, so what a host runs can be read in one place.
 */
import { DIAG_PATH, DIAG_PROCESS_GROUP, FleetHostSpec } from './host-spec';

export interface HostAddressing {
  address: string;
  sshPort: number;
  httpPort: number;
}

/** Paths as the host's own processes see them (inside its mount namespace). */
export const DIAG_DIR = '/var/www/driftwatch';
export const DIAG_SCRIPT = `${DIAG_DIR}/driftwatch_diag.py`;

/** `/etc/apache2/ports.conf`: this host's Apache listens on its own loopback address only. */
export function portsConf(host: HostAddressing): string {
  return `# driftwatch real fleet: each host listens on its own loopback address\nListen ${host.address}:${host.httpPort}\n`;
}

/**
 * `/etc/apache2/conf-available/driftwatch-fleet.conf`: server-wide settings. ServerName keeps
 * AH00558 out of every `apache2ctl` output; the socket prefix puts mod_wsgi's daemon sockets in
 * the host's own run directory (the Debian convention).
 */
export function fleetConf(spec: FleetHostSpec, host: HostAddressing): string {
  return [
    `# driftwatch real fleet: host ${spec.name}`,
    `ServerName ${host.address}`,
    '<IfModule mod_wsgi.c>',
    '    WSGISocketPrefix /var/run/apache2/wsgi',
    '</IfModule>',
    '',
  ].join('\n');
}

/**
 * `/etc/apache2/sites-available/driftwatch.conf`: the diagnostic app, local requests only.
 * The WSGI lines sit inside `<IfModule mod_wsgi.c>` so that enabling or disabling the module
 * (a drift scenario) is enough to serve or stop serving the URL.
 */
export function siteConf(spec: FleetHostSpec, host: HostAddressing): string {
  const daemon =
    spec.wsgi === 'daemon'
      ? [
          `        WSGIDaemonProcess ${DIAG_PROCESS_GROUP} processes=2 threads=4 display-name=%{GROUP}`,
          `        WSGIProcessGroup ${DIAG_PROCESS_GROUP}`,
        ]
      : [];
  return [
    `<VirtualHost ${host.address}:${host.httpPort}>`,
    `    ServerName ${host.address}`,
    '    DocumentRoot /var/www/html',
    '    ErrorLog ${APACHE_LOG_DIR}/error.log',
    '    CustomLog ${APACHE_LOG_DIR}/access.log combined',
    '    <IfModule mod_wsgi.c>',
    ...daemon,
    `        WSGIScriptAlias ${DIAG_PATH} ${DIAG_SCRIPT}`,
    `        <Directory ${DIAG_DIR}>`,
    '            Require local',
    '        </Directory>',
    '    </IfModule>',
    '</VirtualHost>',
    '',
  ].join('\n');
}

export interface SshdPaths {
  hostKey: string;
  pidFile: string;
}

/**
 * The host's sshd_config. Key-only login for the fleet user; no PAM (nothing to set up, and
 * the user's password field is `*`, so sshd does not treat the account as locked). Privilege
 * separation is always on in OpenSSH 9 (the option is gone): it needs the `sshd` user and
 * /run/sshd, both provided by Debian's openssh-server.
 */
export function sshdConfig(host: HostAddressing, user: string, paths: SshdPaths): string {
  return [
    '# driftwatch real fleet host sshd',
    `ListenAddress ${host.address}:${host.sshPort}`,
    `HostKey ${paths.hostKey}`,
    `PidFile ${paths.pidFile}`,
    'PubkeyAuthentication yes',
    'AuthorizedKeysFile .ssh/authorized_keys',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'StrictModes yes',
    'PermitRootLogin no',
    `AllowUsers ${user}`,
    'X11Forwarding no',
    'PrintMotd no',
    'LogLevel VERBOSE',
    'Subsystem sftp internal-sftp',
    '',
  ].join('\n');
}
