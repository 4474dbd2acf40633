/** What one host of the real fleet is: its Apache MPM and how (whether) it runs mod_wsgi. */

export type Mpm = 'event' | 'worker' | 'prefork';

/**
 * - `daemon`: mod_wsgi loaded, the diagnostic app in a daemon process group
 *   (`WSGIDaemonProcess … processes=2 threads=4` + `WSGIProcessGroup`);
 * - `embedded`: mod_wsgi loaded, the app runs inside Apache's own children;
 * - `none`: the wsgi module disabled (`a2dismod wsgi`), so the diagnostic URL is not served.
 */
export type WsgiMode = 'daemon' | 'embedded' | 'none';

export interface FleetHostSpec {
  /** Short name, also the host's directory name: letters, digits and dashes. */
  name: string;
  mpm: Mpm;
  wsgi: WsgiMode;
}

/** The default fleet: the three configurations the system scenarios are written against. */
export const DEFAULT_FLEET_HOSTS: readonly FleetHostSpec[] = [
  { name: 'a', mpm: 'event', wsgi: 'daemon' },
  { name: 'b', mpm: 'prefork', wsgi: 'embedded' },
  { name: 'c', mpm: 'event', wsgi: 'none' },
];

/** Where the diagnostic app is mounted on every host (served only where mod_wsgi is loaded). */
export const DIAG_PATH = '/__driftwatch/diag';

/** The name of the daemon process group on hosts in `daemon` mode. */
export const DIAG_PROCESS_GROUP = 'driftwatch-diag';
