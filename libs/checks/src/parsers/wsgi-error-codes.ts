import { Severity } from '../check';

/** The severity ladder mod_wsgi's error reference uses for its `WSGI####` codes. */
export type WsgiTier = 'emerg' | 'alert' | 'crit' | 'error' | 'warn';

export interface WsgiErrorCode {
  tier: WsgiTier;
  /** What went wrong, in a few words. */
  cause: string;
  /** What the operator should do about it. */
  action: string;
}

/**
 * How loud each tier is as a finding: the process or the daemon group cannot serve (emerg,
 * alert, crit) is critical; a failed request or a degraded subsystem (error) is a warning; a
 * limit or option that could not be applied (warn) is information.
 */
export const TIER_SEVERITY: Record<WsgiTier, Severity> = { emerg: 'critical', alert: 'critical', crit: 'critical', error: 'warning', warn: 'info' };

const DAEMON_EXITS = 'the daemon process exits and Apache restarts it after a delay, failing the same way until fixed';
const NO_GROUP = 'the daemon group does not start';

/**
 * mod_wsgi 6's stable error codes, from its docs/error-reference.rst (codes are never reused;
 * a retired or future code is not listed). A code seen in a log but not listed here still
 * becomes a finding, with the severity of the level it was logged at.
 */
export const WSGI_ERROR_CODES: Readonly<Record<string, WsgiErrorCode>> = {
  WSGI0001: { tier: 'crit', cause: 'Python could not be initialised in an Apache child process', action: 'check WSGIPythonHome points at a usable Python of the version mod_wsgi was built for; look for earlier Python errors; check free memory' },
  WSGI0002: { tier: 'crit', cause: 'per-child Python setup failed after the interpreter started in an Apache child', action: 'verify the Python installation on its own (as for WSGI0001); check free memory' },
  WSGI0003: { tier: 'alert', cause: 'the daemon process could not chroot to its root= directory', action: `make sure the directory exists and Apache starts as root; ${DAEMON_EXITS}` },
  WSGI0004: { tier: 'alert', cause: 'the daemon process could not switch to its group=', action: 'check the group exists and Apache starts with the privilege to change group' },
  WSGI0005: { tier: 'alert', cause: 'the daemon process could not set its supplementary-groups=', action: 'check every group named in supplementary-groups= exists' },
  WSGI0006: { tier: 'alert', cause: "the daemon process could not load its user's group list", action: 'check the user= of WSGIDaemonProcess resolves (`id USER`; NSS/LDAP reachable)' },
  WSGI0007: { tier: 'alert', cause: 'the daemon process could not switch to its user= (often the per-user process limit)', action: 'check `ulimit -u` of that user and raise the limit or run fewer processes' },
  WSGI0008: { tier: 'alert', cause: 'the daemon process exits after failing to drop privileges (companion of WSGI0007)', action: 'fix the cause logged as WSGI0007' },
  WSGI0009: { tier: 'alert', cause: 'the daemon process could not change to its home= directory', action: 'make home= an existing directory the daemon user can enter' },
  WSGI0010: { tier: 'alert', cause: "the daemon process could not change to its user's home directory (no home= given)", action: 'set home= on WSGIDaemonProcess or create the home directory' },
  WSGI0011: { tier: 'alert', cause: 'the home directory of the daemon user could not be looked up', action: 'check `getent passwd UID`, or set home= so no lookup is needed' },
  WSGI0012: { tier: 'alert', cause: 'the UNIX socket of a daemon group could not be created (file descriptors exhausted)', action: `check \`ulimit -n\` of Apache and the system file limit; ${NO_GROUP}` },
  WSGI0013: { tier: 'alert', cause: 'the UNIX socket of a daemon group could not be bound', action: `make the WSGISocketPrefix directory exist and be writable, or shorten it; ${NO_GROUP}` },
  WSGI0014: { tier: 'alert', cause: 'listening on the UNIX socket of a daemon group failed', action: `look for socket errors in the kernel log and check system limits; ${NO_GROUP}` },
  WSGI0015: { tier: 'alert', cause: 'the owner of the daemon socket could not be changed', action: 'run the Apache parent with the privilege to chown, on a file system that allows it' },
  WSGI0016: { tier: 'crit', cause: 'a daemon worker thread failed waiting for work and exits', action: 'restart the daemon process; if it recurs, report it with the log' },
  WSGI0017: { tier: 'crit', cause: 'a daemon process could not take its accept mutex and shuts down', action: 'none during an Apache restart; otherwise find what removes IPC objects (ipcrm, systemd RemoveIPC)' },
  WSGI0018: { tier: 'crit', cause: 'polling the daemon socket failed and the daemon shuts down', action: 'look at the kernel log around that time' },
  WSGI0019: { tier: 'crit', cause: 'a daemon process could not release its accept mutex', action: 'restart the daemon group; if it recurs, choose another WSGIAcceptMutex mechanism' },
  WSGI0020: { tier: 'alert', cause: 'a worker thread condition variable could not be created (memory or thread limits)', action: 'check memory and thread limits, or lower threads=' },
  WSGI0021: { tier: 'alert', cause: 'a worker thread mutex could not be created (memory or thread limits)', action: 'check memory and thread limits, or lower threads=' },
  WSGI0022: { tier: 'alert', cause: 'a daemon worker thread could not be created', action: 'check `ulimit -u` and kernel.threads-max, or lower threads=' },
  WSGI0023: { tier: 'alert', cause: 'the daemon signal pipe could not be read; the daemon shuts down', action: 'none once during a restart; otherwise look for descriptor leaks' },
  WSGI0024: { tier: 'alert', cause: 'Apache could not fork a daemon process', action: `check process limits and free memory, or lower processes=; ${NO_GROUP}` },
  WSGI0025: { tier: 'alert', cause: 'the daemon process exits after a failed privilege, chroot or directory setup', action: 'fix the WSGI0003-WSGI0011 error logged just before it' },
  WSGI0026: { tier: 'crit', cause: 'a daemon process could not attach to its accept mutex', action: 'make the WSGISocketPrefix directory accessible to the daemon user; check `ipcs -s` for sysvsem' },
  WSGI0027: { tier: 'alert', cause: 'the daemon signal pipe could not be created (descriptors or memory exhausted)', action: 'check `ulimit -n` of Apache and free memory' },
  WSGI0028: { tier: 'crit', cause: 'Python could not be initialised in a daemon process; its requests fail with 500', action: 'check WSGIPythonHome and the group\'s python-home= point at a usable Python of the version mod_wsgi was built for' },
  WSGI0029: { tier: 'crit', cause: 'per-child Python setup failed in a daemon process', action: 'verify the Python installation on its own (as for WSGI0002)' },
  WSGI0030: { tier: 'crit', cause: 'the accept lock of a multi-process daemon group could not be created', action: `check the WSGISocketPrefix directory is writable and sysvsem limits (\`ipcs -ls\`); ${NO_GROUP}` },
  WSGI0031: { tier: 'crit', cause: 'permissions of the sysvsem accept mutex could not be set', action: 'check SELinux/AppArmor policy on IPC and the privilege of the Apache parent' },
  WSGI0032: { tier: 'crit', cause: 'the owner of the flock accept mutex file could not be changed', action: 'put WSGISocketPrefix on a file system that supports chown' },
  WSGI0033: { tier: 'alert', cause: 'a request reached a daemon socket without the mod_wsgi origin token', action: 'treat as a security event: only Apache may write to the WSGISocketPrefix directory' },
  WSGI0034: { tier: 'alert', cause: 'a request reached a daemon socket with a wrong origin token', action: 'treat as a security event, as for WSGI0033' },
  WSGI0035: { tier: 'crit', cause: 'a Python (sub-)interpreter could not be set up', action: 'read the traceback logged after it; check memory, and that no mod_wsgi.py or apache.py shadows the built-in modules' },
  WSGI0036: { tier: 'crit', cause: 'Python rejected the interpreter configuration (often an invalid WSGIPythonHome or a version mismatch)', action: 'read the Python message on the line; fix WSGIPythonHome or rebuild mod_wsgi for this Python' },
  WSGI0037: { tier: 'crit', cause: "mod_wsgi's Python types could not be initialised (Python C-API mismatch)", action: 'use a Python version this mod_wsgi build supports, or rebuild mod_wsgi against it' },
  WSGI0038: { tier: 'error', cause: 'Python handlers are unavailable in this process (main interpreter not created)', action: 'read the WSGI0035 entry and traceback before it; check free memory' },
  WSGI0039: { tier: 'crit', cause: 'the main interpreter could not be registered (Python out of memory)', action: 'check free memory; as for WSGI0038' },
  WSGI0040: { tier: 'crit', cause: 'a WSGIImportScript preload was skipped: no interpreter could be acquired', action: 'fix the first Python initialisation error logged before it (WSGI0028, WSGI0035-WSGI0039)' },
  WSGI0041: { tier: 'error', cause: 'AuthBasicProvider wsgi is used without a WSGIAuthUserScript', action: 'add WSGIAuthUserScript to that scope, or stop using the wsgi provider' },
  WSGI0043: { tier: 'error', cause: 'the WSGIAuthUserScript has no check_password()', action: 'define check_password(environ, user, password) in the script' },
  WSGI0047: { tier: 'error', cause: 'group authentication runs without a WSGIAuthGroupScript', action: 'add WSGIAuthGroupScript to that scope' },
  WSGI0053: { tier: 'error', cause: 'host access control runs without a WSGIAccessScript', action: 'add WSGIAccessScript to that scope, or remove the directive that calls it' },
  WSGI0057: { tier: 'error', cause: 'a client was denied by the WSGIAccessScript', action: 'none when the denial is intended; otherwise review allow_access()' },
  WSGI0061: { tier: 'warn', cause: 'Apache children cannot be made dumpable: no core dumps after crashes', action: 'check CoreDumpDirectory and the kernel policy' },
  WSGI0062: { tier: 'warn', cause: 'send-buffer-size= could not be applied to the daemon socket', action: 'keep it within net.core.wmem_max or drop the option' },
  WSGI0063: { tier: 'warn', cause: 'receive-buffer-size= could not be applied to the daemon socket', action: 'keep it within net.core.rmem_max or drop the option' },
  WSGI0064: { tier: 'warn', cause: 'the daemon socket path is too long and will be cut (bind will likely fail)', action: 'shorten WSGISocketPrefix or the daemon group name' },
  WSGI0065: { tier: 'warn', cause: 'a stale daemon socket was removed before binding (Apache did not shut down cleanly)', action: 'none if the daemon starts; if frequent, find why Apache is killed' },
  WSGI0068: { tier: 'error', cause: 'the daemon monitor thread could not start: request and idle timeouts are not enforced', action: 'check thread limits of the daemon user and restart the group' },
  WSGI0069: { tier: 'error', cause: 'the deadlock detection thread could not start: deadlock-timeout= is not enforced', action: 'check thread limits of the daemon user and restart the group' },
  WSGI0075: { tier: 'warn', cause: 'cpu-priority= could not be applied', action: 'only root can lower niceness below 0; adjust cpu-priority=' },
  WSGI0076: { tier: 'warn', cause: 'cpu-time-limit= could not be applied', action: 'keep it within the hard limit of the daemon user (`ulimit -t`)' },
  WSGI0077: { tier: 'warn', cause: 'memory-limit= could not be applied', action: 'check the limit against the system, or use virtual-memory-limit=' },
  WSGI0078: { tier: 'warn', cause: 'virtual-memory-limit= could not be applied', action: 'check the limit against the system constraints' },
  WSGI0079: { tier: 'warn', cause: 'the locale= of a daemon group is not installed; the inherited locale is used', action: 'install the locale (locale-gen), fix its name, or use C.UTF-8' },
  WSGI0080: { tier: 'error', cause: 'a daemon could not read a request from the Apache child (answered 500)', action: 'none once; if sustained, look at the Apache children and the socket' },
  WSGI0081: { tier: 'error', cause: 'a WSGI script lies outside the chroot= of its daemon group', action: 'move the script into the chroot or drop chroot=' },
  WSGI0083: { tier: 'warn', cause: 'the target WSGI script could not be stat()ed', action: 'check the script exists and is readable by the daemon user' },
  WSGI0084: { tier: 'error', cause: 'requests waited longer than queue-timeout= for a daemon (answered 504)', action: 'add threads= or processes= to the group, or find what makes requests slow' },
  WSGI0087: { tier: 'error', cause: 'no interpreter could be acquired for a request (answered 500)', action: 'fix the Python initialisation error logged earlier for that process' },
  WSGI0089: { tier: 'error', cause: 'the WSGI script defines no application callable (answered 404)', action: 'define `application` in the script, or set WSGICallableObject' },
  WSGI0091: { tier: 'error', cause: 'a WSGIPythonPath / python-path= entry could not be added to sys.path', action: 'check each entry exists, is a directory and is readable by the daemon user' },
  WSGI0095: { tier: 'error', cause: "Python's site module could not be imported (broken Python installation)", action: "run `python -c 'import site'` as the daemon user and repair the installation" },
};

/** The catalogue entry of a code, if listed. */
export function wsgiErrorCode(code: string): WsgiErrorCode | undefined {
  return Object.prototype.hasOwnProperty.call(WSGI_ERROR_CODES, code) ? WSGI_ERROR_CODES[code] : undefined;
}
