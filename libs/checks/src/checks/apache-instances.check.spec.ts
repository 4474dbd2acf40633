import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RawSection } from '../check';
import { evaluate } from '../evaluate';
import { CHECKS } from '../registry';
import { ApacheInstancesFacts, INSTANCE_FINDING_IDS, apacheInstancesCheck, parseApacheInstances } from './apache-instances.check';
import { PROBE_REVISIONS } from '../probe-revision';

/**
 * The apache.instances sections of real scans (test/system/express-instances.system-spec.ts with
 * DRIFTWATCH_CAPTURE_DIR): a bookworm host's login user running a mod_wsgi-express server, root
 * running a second apache2 -f /etc/apache2/other.conf; then the express module's libpython
 * replaced by a missing soname.
 */
const DIR = join(__dirname, '../../../../test/fixtures/express/bookworm-modwsgi-5.0.2');
const section = (name: string): RawSection => JSON.parse(readFileSync(join(DIR, `apache.instances.${name}.section.json`), 'utf8')) as RawSection;
const ROOT = '/tmp/mod_wsgi-127.0.46.1:8046:1000';
const MODULE = '/opt/express-venv/lib/python3.11/site-packages/mod_wsgi/server/mod_wsgi-py311.cpython-311-x86_64-linux-gnu.so';

function instancesOf(name: string): ApacheInstancesFacts['instances'] {
  const result = parseApacheInstances(section(name));
  expect(result.status).toBe('ok');
  return result.facts!.instances;
}

describe(apacheInstancesCheck.id, () => {
  it('reads a real mod_wsgi-express server and a second apache2 -f, each with the results of the main checks', () => {
    const [other, express] = instancesOf('running');
    expect(express).toMatchObject({
      id: `${ROOT}/httpd.conf`,
      kind: 'mod_wsgi-express',
      binary: '/usr/sbin/apache2',
      via: 'exe',
      expressRoot: ROOT,
      serverRoot: null,
      skipped: null,
      build: { status: 'ok', facts: { version: '2.4.68', mpm: 'event' } },
      modules: { status: 'ok', facts: { wsgiLoaded: true } },
      linkage: { status: 'ok', facts: { path: MODULE, linkage: 'shared', runpath: '/usr/lib/x86_64-linux-gnu:/opt/express-venv/lib/python3.11/config', libpython: { name: 'libpython3.11.so.1.0', found: true } } },
      pythonHome: { status: 'ok', facts: { homes: [{ path: '/opt/express-venv', setBy: 'WSGIPythonHome', user: 'ops', exists: true, venv: { home: '/usr/bin' } }] } },
    });
    expect(express.options.map((o) => `${o.option} ${o.value}`)).toEqual([
      '-D MOD_WSGI_KEEP_ALIVE',
      '-D MOD_WSGI_WITH_LISTENER_HOST',
      '-D MOD_WSGI_MPM_ENABLE_EVENT_MODULE',
      '-D MOD_WSGI_MPM_EXISTS_EVENT_MODULE',
      '-D MOD_WSGI_MPM_EXISTS_WORKER_MODULE',
      '-D MOD_WSGI_MPM_EXISTS_PREFORK_MODULE',
    ]);
    expect(express.modules.facts!.modules).toHaveLength(22);
    expect(other).toMatchObject({ id: '/etc/apache2/other.conf', kind: 'apache', via: 'cmdline', options: [], expressRoot: null, linkage: { facts: { path: '/usr/lib/apache2/modules/mod_wsgi.so' } } });
    expect(evaluate([section('running')], [apacheInstancesCheck]).findings).toEqual([]);
  });

  it('turns an instance whose module lost its libpython into that instance\'s finding, read from its own configuration files when Apache cannot load it', () => {
    const express = instancesOf('libpython-missing').find((i) => i.kind === 'mod_wsgi-express')!;
    // -V still prints the build (exit 1); -M cannot list modules of a configuration that does not load.
    expect(express.build).toMatchObject({ status: 'ok', facts: { mpm: 'event' } });
    expect(express.modules).toMatchObject({ status: 'failed', reason: expect.stringContaining('Cannot load') });
    expect(express.linkage).toMatchObject({ status: 'ok', facts: { path: MODULE, linkage: 'missing', libpython: { name: 'libpython3.11-driftwatch-missing.so.1.0', found: false } } });
    const { findings } = evaluate([section('libpython-missing')], [apacheInstancesCheck]);
    expect(findings.map((f) => f.id)).toEqual(['instance-libpython-not-found']);
    expect(findings[0]).toMatchObject({ checkId: 'apache.instances', severity: 'critical', message: expect.stringMatching(new RegExp(`^mod_wsgi-express server ${ROOT.replace(/[.]/g, '\\.')} \\(/usr/sbin/apache2\\): libpython3\\.11-driftwatch-missing\\.so\\.1\\.0 => not found`)) });
  });

  it('lists no instance, and is not a failure, when only the main server runs; a server listed twice is one instance', () => {
    expect(parseApacheInstances({ id: 'apache.instances', exitCode: 0, stdout: '', stderr: '', durationMs: null, truncated: false, meta: {} })).toEqual({ status: 'ok', facts: { instances: [] } });
    const s = section('running');
    const twice = parseApacheInstances({ ...s, stdout: `${s.stdout}\n${s.stdout}` });
    expect(twice.facts!.instances.map((i) => i.id)).toEqual(['/etc/apache2/other.conf', `${ROOT}/httpd.conf`]);
  });

  it('has every finding id it can report listed by the probe revision that first observed it', () => {
    const observed = PROBE_REVISIONS.find((r) => r.revision === 4)!.observes;
    expect(INSTANCE_FINDING_IDS.map((id) => `findings.${id}`).filter((p) => !observed.includes(p))).toEqual([]);
    // Each is the instance- form of a finding id of the checks an instance runs.
    const reused = ['apache.build', 'apache.modules', 'modwsgi.linkage', 'python.home'];
    expect(CHECKS.filter((c) => reused.includes(c.id))).toHaveLength(4);
    for (const id of INSTANCE_FINDING_IDS) expect(id).toMatch(/^instance-[a-z0-9-]+$/);
  });
});
