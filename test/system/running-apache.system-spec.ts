/**
 * Which Apache, really: a bookworm host with the distribution's apache2 installed and a
 * source-built Apache in /usr/local/apache2 (the cached source-built root, releases/build-httpd.sh)
 * that is the one running. Registered WITHOUT apachectl/apxs overrides and scanned as an
 * unprivileged user (whose PATH has no /usr/sbin, where the distribution's apache2ctl is found
 * first): the probe must take the running one (its pid file, its command line) and run every
 * check against it, with its own apxs.
 *
 * Beside it, a mod_wsgi-express-like server: pip cannot reach an index here, so its server root
 * is hand-built the way mod_wsgi-express generates one (an `apachectl` that exports
 * MOD_WSGI_SERVER_ROOT and friends and runs `HTTPD -f httpd.conf`, an httpd.conf with
 * `LoadModule wsgi_module '<module>'`), with Debian's own mod_wsgi.so standing for the
 * pip-installed module and Debian's /usr/sbin/apache2 as HTTPD, started by the login user as
 * mod_wsgi-express is. It must be listed as an instance of its own, never chosen for the checks.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientKey, generateClientKey } from '@driftwatch/lab';
import { CollectorHarness, startCollector } from '../support/collector-harness';
import { isAlive, terminate } from './fleet/processes';
import { ReleaseHost } from './releases/release-host';
import { SOURCE_BUILT, releaseRoot } from './releases/release-roots';

jest.setTimeout(2_400_000);

const PREFIX = '/usr/local/apache2';
const ADDRESS = '127.0.45.1';
const EXPRESS_PORT = 8000;
const EXPRESS_ROOT = `/tmp/mod_wsgi-${ADDRESS}:${EXPRESS_PORT}:1000`;
const DEBIAN_WSGI = '/usr/lib/apache2/modules/mod_wsgi.so';

/** What mod_wsgi-express writes into its server root, cut to what Apache needs to run it. */
const EXPRESS_APACHECTL = `#!/bin/bash

# ['/home/ops/venv/bin/mod_wsgi-express', 'start-server', '--host', '${ADDRESS}', '--port', '${EXPRESS_PORT}']

HTTPD="/usr/sbin/apache2"
HTTPD_ARGS="-f ${EXPRESS_ROOT}/httpd.conf -DMOD_WSGI_MPM_ENABLE_EVENT_MODULE -DMOD_WSGI_MPM_EXISTS_EVENT_MODULE"

HTTPD_COMMAND="$HTTPD $HTTPD_ARGS"

MOD_WSGI_MODULES_DIRECTORY="/usr/lib/apache2/modules"
export MOD_WSGI_MODULES_DIRECTORY

MOD_WSGI_SERVER_ROOT="${EXPRESS_ROOT}"

export MOD_WSGI_SERVER_ROOT

MOD_WSGI_LISTENER_HOST="${ADDRESS}"

export MOD_WSGI_LISTENER_HOST

MOD_WSGI_HTTP_PORT="${EXPRESS_PORT}"

export MOD_WSGI_HTTP_PORT

ACMD="$1"
ARGV="$@"

case $ACMD in
start|stop|restart|graceful|graceful-stop)
    exec $HTTPD_COMMAND -k $ARGV
    ;;
configtest)
    exec $HTTPD_COMMAND -t
    ;;
*)
    exec $HTTPD_COMMAND "$@"
    ;;
esac
`;

const EXPRESS_CONF = `ServerName \${MOD_WSGI_LISTENER_HOST}
ServerRoot '\${MOD_WSGI_SERVER_ROOT}'
PidFile '\${MOD_WSGI_SERVER_ROOT}/httpd.pid'
DefaultRuntimeDir '\${MOD_WSGI_SERVER_ROOT}'
Mutex file:\${MOD_WSGI_SERVER_ROOT} default

<IfDefine MOD_WSGI_MPM_ENABLE_EVENT_MODULE>
LoadModule mpm_event_module '\${MOD_WSGI_MODULES_DIRECTORY}/mod_mpm_event.so'
</IfDefine>

LoadModule wsgi_module '${DEBIAN_WSGI}'

ErrorLog '\${MOD_WSGI_SERVER_ROOT}/error_log'
Listen \${MOD_WSGI_LISTENER_HOST}:\${MOD_WSGI_HTTP_PORT}
`;

interface Finding {
  id: string;
  severity: string;
  message: string;
}

describe('the running Apache is not the one on PATH', () => {
  let work: string;
  let key: ClientKey;
  let c: CollectorHarness;
  let host: ReleaseHost;
  let expressPid = 0;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'driftwatch-running-apache-'));
    key = generateClientKey();
    const root = await releaseRoot('bookworm', SOURCE_BUILT);
    process.stdout.write(`source-built root ${root.dir}: ${root.built ? `built in ${Math.round(root.buildMs / 1000)} s` : 'cached'}\n`);
    host = await ReleaseHost.start({ name: 'running-1', release: 'bookworm', root: root.dir, address: ADDRESS, user: 'ops', publicKey: key.publicKey, dir: join(work, 'running-1'), apache: 'source-built' });
    const q = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
    await host.sh(
      [
        `install -d -o ops -g ops ${q(EXPRESS_ROOT)}`,
        `printf '%s' ${q(EXPRESS_APACHECTL)} > ${q(`${EXPRESS_ROOT}/apachectl`)}`,
        `printf '%s' ${q(EXPRESS_CONF)} > ${q(`${EXPRESS_ROOT}/httpd.conf`)}`,
        `chown ops:ops ${q(`${EXPRESS_ROOT}/apachectl`)} ${q(`${EXPRESS_ROOT}/httpd.conf`)} && chmod 0755 ${q(`${EXPRESS_ROOT}/apachectl`)}`,
        // Started by the login user, as mod_wsgi-express is.
        `su ops -s /bin/sh -c ${q(`${EXPRESS_ROOT}/apachectl start`)}`,
        `i=0; while [ ! -s ${q(`${EXPRESS_ROOT}/httpd.pid`)} ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done`,
      ].join(' && '),
    );
    expressPid = Number((await host.sh(`cat ${q(`${EXPRESS_ROOT}/httpd.pid`)}`)).trim());
    c = await startCollector();
    await c
      .http()
      .post('/api/v1/hosts')
      .send({ name: 'running-1', address: host.address, port: host.sshPort, username: 'ops', auth: { type: 'key', privateKeyPath: key.path } })
      .expect(201);
  });

  afterAll(async () => {
    await c?.close();
    if (expressPid && isAlive(expressPid)) await terminate([expressPid]);
    await host?.stop();
    key?.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  it('scans the running source build (its version, config.nice, static modules, apxs) and lists the mod_wsgi-express server', async () => {
    const outcome = (await c.http().post('/api/v1/hosts/running-1/scan').expect(200)).body;
    expect(outcome).toMatchObject({ status: 'ok' });
    const latest = (await c.http().get('/api/v1/hosts/running-1/snapshots/latest').expect(200)).body;
    const findings = latest.findings as Finding[];

    // What the host itself says: the distribution's apache2 is installed, the source build runs.
    expect(await host.dpkgVersion('apache2')).toMatch(/^2\.4\./);
    const sourcePid = Number((await host.sh(`cat ${PREFIX}/logs/httpd.pid`)).trim());
    expect(await host.sh(`tr '\\0' ' ' < /proc/${sourcePid}/cmdline`)).toContain(`${PREFIX}/bin/httpd -k start`);
    const version = /Apache\/(\S+)/.exec(await host.sh(`${PREFIX}/bin/httpd -v`))![1];
    const staticModules = (await host.sh(`${PREFIX}/bin/httpd -l`)).match(/^\s+(\S+\.c)$/gm)!.map((m) => m.trim());
    const debianVersion = /Apache\/(\S+)/.exec(await host.sh('/usr/sbin/apache2 -v'))![1];

    const discovery = latest.checks['apache.discovery'];
    expect(discovery.status).toBe('ok');
    expect(discovery.facts).toMatchObject({
      discoveredBy: 'running',
      binary: `${PREFIX}/bin/httpd`,
      // As ops, root's /proc/PID/exe is unreadable: the binary is the command line's.
      binarySource: 'cmdline',
      // apachectl beside it (with the build's bin/envvars), not the distribution's apache2ctl.
      ctl: `${PREFIX}/bin/apachectl`,
      pathCtl: '/usr/sbin/apache2ctl',
      apxs: `${PREFIX}/bin/apxs`,
      apxsFoundBy: 'beside',
      apxsFor: `${PREFIX}/bin/httpd`,
      apxsPaired: true,
      processTable: true,
    });
    expect(discovery.facts.pids).toEqual(expect.arrayContaining([sourcePid, expressPid]));
    const running = discovery.facts.running as { kind: string; binary: string | null; pidFile: string | null; express: unknown }[];
    expect(running.find((r) => r.kind === 'apache')).toMatchObject({ binary: `${PREFIX}/bin/httpd`, foundVia: 'pidfile', pidFile: `${PREFIX}/logs/httpd.pid`, config: null, express: null });
    expect(running.filter((r) => r.kind === 'mod_wsgi-express')).toEqual([
      expect.objectContaining({
        // Started by ops: its own user can read its exe.
        binary: '/usr/sbin/apache2',
        binarySource: 'exe',
        config: `${EXPRESS_ROOT}/httpd.conf`,
        defines: ['MOD_WSGI_MPM_ENABLE_EVENT_MODULE', 'MOD_WSGI_MPM_EXISTS_EVENT_MODULE'],
        express: {
          serverRoot: EXPRESS_ROOT,
          config: `${EXPRESS_ROOT}/httpd.conf`,
          apachectl: `${EXPRESS_ROOT}/apachectl`,
          httpd: '/usr/sbin/apache2',
          modWsgiSo: DEBIAN_WSGI,
          libpython: expect.objectContaining({ name: 'libpython3.11.so.1.0', found: true }),
        },
      }),
    ]);
    expect(findings.map((f) => f.id)).toContain('apache-shadowed-on-path');
    expect(findings.map((f) => f.id)).not.toContain('apxs-other-apache');

    // Every check ran the source build, not the distribution's apache2 nor the express server.
    expect(latest.checks['apache.build'].facts.version).toBe(version);
    expect(latest.checks['apache.build'].facts.defines.HTTPD_ROOT).toBe(PREFIX);
    process.stdout.write(`running source build ${version}, distribution apache2 ${debianVersion}\n`);
    expect(latest.checks['apache.configure'].status).toBe('ok');
    expect(latest.checks['apache.configure'].facts.installBuildDir).toBe(`${PREFIX}/build`);
    expect(latest.checks['apache.configure'].facts.configureArgs).toEqual(expect.arrayContaining([`--prefix=${PREFIX}`, '--enable-mpms-shared=all']));
    expect(latest.checks['apache.compiled'].facts.modules).toEqual(staticModules);
    expect(latest.checks['apache.modules'].facts.wsgiLoaded).toBe(true);
    expect(latest.checks['modwsgi.linkage'].facts).toMatchObject({ path: `${PREFIX}/modules/mod_wsgi.so`, linkage: 'shared' });
  });
});
