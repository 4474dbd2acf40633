/**
 * mod_wsgi that cannot load, on a real Debian 12 host (packaged apache2 + libapache2-mod-wsgi-py3)
 * broken for real inside its overlay:
 * (a) libpython moved out of the loader's path, so Apache's own configuration test fails: the
 *     probe reads the configuration files itself, and libpython is not found (critical, with the
 *     fix), never a static build; the login user's profile finds it, Apache does not;
 * (b) the same with LD_LIBRARY_PATH exported in /etc/apache2/envvars: Apache starts again, nothing
 *     is "not found", the resolution names envvars, and the LD_LIBRARY_PATH warning remains;
 * (c) mod_wsgi.so patched (patchelf --replace-needed) to need a libpython soname that exists
 *     nowhere: readelf's NEEDED names it, and it is not found.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientKey, generateClientKey } from '@driftwatch/lab';
import { CollectorHarness, startCollector } from '../support/collector-harness';
import { ReleaseHost } from './releases/release-host';
import { releaseRoot } from './releases/release-roots';

jest.setTimeout(1_200_000);

const LIB = '/usr/lib/x86_64-linux-gnu';
const SONAME = 'libpython3.11.so.1.0';
const SO = '/usr/lib/apache2/modules/mod_wsgi.so';
const NOWHERE = 'libpython3.11.so.rh-python311-1.0';

interface Finding {
  id: string;
  severity: string;
  message: string;
}

describe('a host where mod_wsgi cannot load', () => {
  let work: string;
  let key: ClientKey;
  let c: CollectorHarness;
  let host: ReleaseHost;

  /** `partial` where Apache itself cannot list its modules (-M fails with the configuration). */
  const scan = async (status: 'ok' | 'partial') => {
    const outcome = (await c.http().post('/api/v1/hosts/unloadable-1/scan').expect(200)).body;
    expect(outcome.status).toBe(status);
    const latest = (await c.http().get('/api/v1/hosts/unloadable-1/snapshots/latest').expect(200)).body;
    const failed = Object.entries(latest.checks as Record<string, { status: string }>).filter(([, r]) => r.status === 'failed').map(([id]) => id);
    expect(failed).toEqual(status === 'ok' ? [] : ['apache.modules']);
    const findings = latest.findings as Finding[];
    return { latest, linkage: latest.checks['modwsgi.linkage'], config: latest.checks['python.config'], finding: (id: string) => findings.find((f) => f.id === id), ids: findings.map((f) => f.id) };
  };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'driftwatch-unloadable-'));
    key = generateClientKey();
    const root = await releaseRoot('bookworm');
    host = await ReleaseHost.start({ name: 'unloadable-1', release: 'bookworm', root: root.dir, address: '127.0.41.1', user: 'ops', publicKey: key.publicKey, dir: join(work, 'unloadable-1') });
    // readelf (binutils) and patchelf, installed inside the host's own overlay.
    await host.sh('DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends binutils patchelf >/tmp/apt.log 2>&1 || { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends binutils patchelf >/tmp/apt.log 2>&1; }', 300_000);
    c = await startCollector();
    await c
      .http()
      .post('/api/v1/hosts')
      .send({ name: 'unloadable-1', address: host.address, port: host.sshPort, username: 'ops', auth: { type: 'key', privateKeyPath: key.path } })
      .expect(201);
  });

  afterAll(async () => {
    await c?.close();
    await host?.stop();
    key?.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  it('(a) libpython moved away: the configuration is still read, libpython is not found (critical), never static', async () => {
    await host.sh(`install -d /opt/py && mv ${LIB}/${SONAME} /opt/py/ && ldconfig`);
    await host.sh(`printf 'LD_LIBRARY_PATH=/opt/py\\nexport LD_LIBRARY_PATH\\n' >> /home/ops/.profile`);
    // Apache's own configuration test fails for real.
    const test = await host.sh('. /etc/apache2/envvars; apache2ctl -t 2>&1; echo rc=$?');
    expect(test).toContain(`Cannot load ${SO} into server: ${SONAME}: cannot open shared object file`);
    expect(test).toMatch(/rc=[1-9]/);

    const { config, linkage, finding, latest } = await scan('partial');
    expect(config.status).toBe('ok');
    expect(config.facts).toMatchObject({ configSource: 'walk', loadModule: SO });
    expect(latest.checks['apache.mutex'].facts.configError).toContain('Cannot load');
    expect(linkage.status).toBe('ok');
    expect(linkage.facts).toMatchObject({
      path: SO,
      linkage: 'missing',
      libpython: { name: SONAME, found: false, resolvedPath: null },
      neededFrom: 'readelf',
      needed: expect.arrayContaining([SONAME]),
      resolutions: { withoutLdLibraryPath: null, apacheEnvironment: null, loginShell: `/opt/py/${SONAME}` },
      resolvedBy: null,
    });
    expect(linkage.facts.linkage).not.toBe('static');
    expect(finding('modwsgi-static-python')).toBeUndefined();
    expect(finding('libpython-not-found')).toMatchObject({ severity: 'critical', message: expect.stringContaining(`${SONAME} => not found in Apache's environment`) });
    expect(finding('libpython-not-found')!.message).toContain('rebuild mod_wsgi with LD_RUN_PATH');
    expect(finding('libpython-ld-library-path-sensitive')).toMatchObject({ severity: 'warning', message: expect.stringContaining(`loginShell: /opt/py/${SONAME}`) });
  });

  it('(b) LD_LIBRARY_PATH in envvars: Apache starts, nothing is not found, envvars is named as the fix', async () => {
    await host.sh(`printf '%s\\n' 'LD_LIBRARY_PATH=/opt/py' 'export LD_LIBRARY_PATH' >> /etc/apache2/envvars`);
    await host.restartApache();
    expect(await host.sh('. /etc/apache2/envvars; apache2ctl -t 2>&1')).toContain('Syntax OK');

    const { config, linkage, finding } = await scan('ok');
    expect(config.facts).toMatchObject({ configSource: 'dump' });
    expect(linkage.facts).toMatchObject({
      linkage: 'shared',
      libpython: { name: SONAME, found: true, resolvedPath: `/opt/py/${SONAME}` },
      resolutions: { withoutLdLibraryPath: null, apacheEnvironment: `/opt/py/${SONAME}` },
      apacheEnvironment: [{ source: 'envvars', where: '/etc/apache2/envvars', ldLibraryPath: '/opt/py' }],
      resolvedBy: 'envvars /etc/apache2/envvars',
    });
    expect(finding('libpython-not-found')).toBeUndefined();
    expect(finding('libpython-ld-library-path-sensitive')).toMatchObject({
      severity: 'warning',
      message: expect.stringContaining('Apache finds it only because envvars /etc/apache2/envvars sets LD_LIBRARY_PATH'),
    });
  });

  it('(c) mod_wsgi.so patched to need a soname that exists nowhere: NEEDED names it, and it is not found', async () => {
    await host.sh(`sed -i '/^LD_LIBRARY_PATH=\\/opt\\/py$/d' /etc/apache2/envvars && mv /opt/py/${SONAME} ${LIB}/ && ldconfig`);
    await host.sh(`patchelf --replace-needed ${SONAME} ${NOWHERE} ${SO}`);
    const needed = await host.sh(`readelf -d ${SO}`);
    expect(needed).toContain(`(NEEDED)             Shared library: [${NOWHERE}]`);

    const { config, linkage, finding } = await scan('partial');
    expect(config.facts).toMatchObject({ configSource: 'walk', loadModule: SO });
    expect(linkage.facts).toMatchObject({
      linkage: 'missing',
      neededFrom: 'readelf',
      libpython: { name: NOWHERE, version: '3.11', found: false },
    });
    expect(linkage.facts.needed).toContain(NOWHERE);
    expect(linkage.facts.needed).not.toContain(SONAME);
    expect(finding('libpython-not-found')).toMatchObject({ severity: 'critical', message: expect.stringContaining(`${NOWHERE} => not found`) });
  });
});
