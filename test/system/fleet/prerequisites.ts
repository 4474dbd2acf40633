/**
 * What this machine lacks to run the real fleet, in words a person can act on. An empty list
 * means the fleet can start. The system suite fails (never skips) when the list is not empty.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ROOT_ENV } from './processes';

/** The Debian packages the fleet needs, in the order `apt-get install` is given them. */
export const REQUIRED_PACKAGES = ['openssh-server', 'apache2', 'apache2-dev', 'libapache2-mod-wsgi-py3', 'curl', 'sudo', 'mmdebstrap'] as const;

export const INSTALL_COMMAND = `apt-get update && apt-get install -y ${REQUIRED_PACKAGES.join(' ')}`;

/** Files the harness runs directly (util-linux and passwd are Essential on Debian). */
const REQUIRED_FILES = [
  '/usr/sbin/sshd',
  '/usr/bin/ssh',
  '/usr/bin/ssh-keygen',
  '/usr/sbin/apache2ctl',
  '/usr/sbin/a2enmod',
  '/usr/lib/apache2/modules/mod_wsgi.so',
  '/usr/bin/curl',
  // the jump-host and probe-install scenarios grant their users sudo rights here
  '/usr/bin/sudo',
  '/etc/sudoers.d',
  // the hosts of other Debian releases are built from Debian's archive
  '/usr/bin/mmdebstrap',
  '/usr/bin/unshare',
  '/usr/bin/nsenter',
  '/usr/sbin/useradd',
  '/usr/sbin/userdel',
];

/** What the check asks of the machine (a real one by default; a described one in the check's own test). */
export interface MachineProbe {
  platform: string;
  uid: number;
  exists(path: string): boolean;
  /** Packages of REQUIRED_PACKAGES not installed, or null when dpkg-query is not there. */
  missingPackages(): string[] | null;
  canCreateMountNamespace(): boolean;
}

export const THIS_MACHINE: MachineProbe = {
  platform: process.platform,
  uid: process.getuid?.() ?? -1,
  exists: existsSync,
  missingPackages,
  canCreateMountNamespace,
};

export function checkPrerequisites(machine: MachineProbe = THIS_MACHINE): string[] {
  if (machine.platform !== 'linux') return [`the real fleet needs Linux (mount namespaces); this is ${machine.platform}`];
  const missing: string[] = [];
  const { uid } = machine;
  if (uid !== 0) {
    missing.push(
      `not running as root (uid ${uid}): the fleet creates a user, mount namespaces and per-host sshd/Apache; run the suite as root`,
    );
  }
  const packages = machine.missingPackages();
  if (packages === null) {
    missing.push(`dpkg-query not found: the real fleet is written for Debian (packages: ${REQUIRED_PACKAGES.join(' ')})`);
  } else if (packages.length > 0) {
    missing.push(`missing Debian packages: ${packages.join(' ')} -- install them with: ${INSTALL_COMMAND}`);
  }
  const files = REQUIRED_FILES.filter((f) => !machine.exists(f));
  if (files.length > 0 && packages !== null && packages.length === 0) {
    missing.push(`missing files although the packages are installed: ${files.join(' ')}`);
  } else if (files.length > 0) {
    missing.push(`missing files: ${files.join(' ')}`);
  }
  if (uid === 0 && machine.exists('/usr/bin/unshare') && !machine.canCreateMountNamespace()) {
    missing.push('cannot create a mount namespace (unshare -m failed): the suite needs CAP_SYS_ADMIN (a privileged container)');
  }
  return missing;
}

/** Packages not installed, or null when dpkg-query is not there. */
function missingPackages(): string[] | null {
  const result = spawnSync('dpkg-query', ['-W', '-f', '${Package} ${db:Status-Status}\\n', ...REQUIRED_PACKAGES], {
    env: ROOT_ENV,
    encoding: 'utf8',
  });
  if (result.error) return null;
  const installed = new Set(
    result.stdout
      .split('\n')
      .map((line) => line.split(' '))
      .filter(([, status]) => status === 'installed')
      .map(([name]) => name),
  );
  return REQUIRED_PACKAGES.filter((p) => !installed.has(p));
}

function canCreateMountNamespace(): boolean {
  const result = spawnSync('unshare', ['-m', '--propagation', 'private', 'true'], { env: ROOT_ENV });
  return result.status === 0;
}
