import { INSTALL_COMMAND, MachineProbe, THIS_MACHINE, checkPrerequisites } from './fleet/prerequisites';

/** A root Debian machine with everything the fleet needs, but for what a test takes away. */
function machine(overrides: Partial<MachineProbe> = {}, absent: string[] = []): MachineProbe {
  return { platform: 'linux', uid: 0, exists: (path) => !absent.includes(path), missingPackages: () => [], canCreateMountNamespace: () => true, ...overrides };
}

describe('system suite prerequisites', () => {
  it('are all met on this machine (the suite would not have started otherwise)', () => {
    expect(checkPrerequisites(THIS_MACHINE)).toEqual([]);
  });

  it('say sudo is missing, and how to install it, instead of failing later on /etc/sudoers.d', () => {
    expect(INSTALL_COMMAND).toMatch(/ sudo\b/);
    expect(checkPrerequisites(machine({ missingPackages: () => ['sudo'] }, ['/usr/bin/sudo', '/etc/sudoers.d']))).toEqual([
      `missing Debian packages: sudo -- install them with: ${INSTALL_COMMAND}`,
      'missing files: /usr/bin/sudo /etc/sudoers.d',
    ]);
  });

  it('name a file missing although its package is installed, root, and mount namespaces', () => {
    expect(checkPrerequisites(machine({}, ['/etc/sudoers.d']))).toEqual(['missing files although the packages are installed: /etc/sudoers.d']);
    expect(checkPrerequisites(machine({ uid: 1000 }))[0]).toMatch(/^not running as root \(uid 1000\)/);
    expect(checkPrerequisites(machine({ canCreateMountNamespace: () => false }))).toEqual([expect.stringMatching(/cannot create a mount namespace/)]);
  });
});
