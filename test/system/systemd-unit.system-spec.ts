/**
 * Apache's environment from its systemd unit, on a real Debian 12 host whose init is systemd
 * (PID 1 of the host's own PID namespace; Apache is its unit apache2.service). libpython is moved
 * out of the loader's path for real, so `systemctl restart apache2` fails and mod_wsgi is
 * `libpython-not-found`; the operator's fix in the unit, a drop-in `Environment=LD_LIBRARY_PATH=`
 * or an `EnvironmentFile=`, starts Apache again, and the probe (as the login user, `systemctl
 * show` over the system bus) reads it as Apache's environment: nothing is "not found" any more.
 */
import { ReleaseHost } from './releases/release-host';
import { SYSTEMD } from './releases/release-roots';
import { ScannedHost, startScannedHost } from './releases/scanned-host';

jest.setTimeout(1_200_000);

const LIB = '/usr/lib/x86_64-linux-gnu';
const SONAME = 'libpython3.11.so.1.0';
const DROPIN = '/etc/systemd/system/apache2.service.d/driftwatch.conf';

describe("Apache's environment from its systemd unit, on a real host run by systemd", () => {
  let scanned: ScannedHost;
  let host: ReleaseHost;

  const scanLinkage = async () => {
    expect((await scanned.scan()).status).toMatch(/^(ok|partial)$/);
    const latest = await scanned.latest();
    return { linkage: latest.checks['modwsgi.linkage'], finding: (id: string) => latest.findings.find((f) => f.id === id) };
  };
  /** The unit's drop-in, loaded, and Apache restarted with it: true when it started. */
  const restartWith = async (dropIn: string | null) => {
    await host.sh(dropIn === null ? `rm -f ${DROPIN}` : `install -d ${DROPIN.replace(/\/[^/]+$/, '')} && printf '%s\\n' '[Service]' ${JSON.stringify(dropIn)} > ${DROPIN}`);
    await host.sh('systemctl daemon-reload');
    return (await host.sh('systemctl restart apache2 >/dev/null 2>&1 && echo started || echo failed')).trim() === 'started';
  };

  beforeAll(async () => {
    scanned = await startScannedHost({ name: 'unit-1', release: 'bookworm', address: '127.0.49.1', flavour: SYSTEMD, init: 'systemd' });
    host = scanned.host;
  });

  afterAll(async () => {
    await scanned?.stop();
  });

  it('runs Apache as systemd unit apache2.service, and the healthy host reads the unit as Apache’s environment', async () => {
    expect(await host.sh('systemctl is-active apache2')).toBe('active\n');
    expect(await host.sh('cat /proc/1/comm')).toBe('systemd\n');
    const { linkage, finding } = await scanLinkage();
    expect(linkage.status).toBe('ok');
    expect(linkage.facts.libpython).toMatchObject({ name: SONAME, found: true });
    expect(finding('libpython-not-found')).toBeUndefined();
    // Apache's environment was read: the unit is there and sets no LD_LIBRARY_PATH.
    expect(linkage.facts.apacheEnvironment).toEqual([]);
  });

  it('libpython moved away: Apache does not start, libpython-not-found; the fix in the unit’s Environment= starts it, and is read as Apache’s environment', async () => {
    await host.sh(`install -d /opt/py && mv ${LIB}/${SONAME} /opt/py/ && ldconfig`);
    expect(await restartWith(null)).toBe(false);
    let { linkage, finding } = await scanLinkage();
    expect(linkage.facts.libpython).toMatchObject({ name: SONAME, found: false });
    expect(finding('libpython-not-found')).toMatchObject({ severity: 'critical' });

    expect(await restartWith('Environment=LD_LIBRARY_PATH=/opt/py')).toBe(true);
    expect(await host.sh('systemctl show -p Environment apache2')).toContain('LD_LIBRARY_PATH=/opt/py');
    ({ linkage, finding } = await scanLinkage());
    expect(linkage.facts.apacheEnvironment).toEqual([{ source: 'systemd', where: 'apache2.service', ldLibraryPath: '/opt/py' }]);
    expect(linkage.facts.resolutions).toMatchObject({ apacheEnvironment: `/opt/py/${SONAME}` });
    expect(finding('libpython-not-found')).toBeUndefined();
  });

  it('the same fix through EnvironmentFile= is read from that file, never run', async () => {
    await host.sh("printf 'LD_LIBRARY_PATH=/opt/py\\n' > /etc/default/driftwatch-apache");
    expect(await restartWith('EnvironmentFile=/etc/default/driftwatch-apache')).toBe(true);
    const { linkage, finding } = await scanLinkage();
    expect(linkage.facts.apacheEnvironment).toEqual([{ source: 'EnvironmentFile', where: '/etc/default/driftwatch-apache', ldLibraryPath: '/opt/py' }]);
    expect(linkage.facts.resolutions).toMatchObject({ apacheEnvironment: `/opt/py/${SONAME}` });
    expect(finding('libpython-not-found')).toBeUndefined();
  });
});
