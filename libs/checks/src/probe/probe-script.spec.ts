import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Check, CheckResult, CheckResults } from '../check';
import { apacheBuildCheck } from '../checks/apache-build.check';
import { ApacheInstancesFacts } from '../checks/apache-instances.check';
import { hostPlatformCheck } from '../checks/host-platform.check';
import { ModWsgiLinkageFacts } from '../checks/modwsgi-linkage.check';
import { evaluate } from '../evaluate';
import { CHECKS } from '../registry';
import { parseProbeOutput } from './probe-output';
import { framedOutput } from './parts';
import { ProbeOverrides, buildProbeScript } from './probe-script';
import { shellQuote } from './shell-quote';

/**
 * Runs the real probe script through several POSIX shells against stub hosts: a temp dir whose
 * `bin/` holds small stub commands (apache2ctl, apxs, ldd, curl, dpkg-query, uname) printing
 * captured outputs from test/fixtures, plus links to the few generic tools the fragments use.
 * PATH is that dir only and DRIFTWATCH_PROBE_DIRS is empty, so nothing of this machine's own
 * Apache is found. Nothing here touches the network.
 */

const FIXTURES = join(__dirname, '../../../../test/fixtures');
const NONCE = 'Abc123Def456Ghi789Jkl0';
const GENERIC_TOOLS = ['awk', 'grep', 'cat', 'tr', 'readlink', 'ps', 'ls', 'id'];

function which(tool: string): string | undefined {
  return ['/usr/bin', '/bin'].map((d) => join(d, tool)).find((p) => existsSync(p));
}

const SHELLS: [string, string, string[]][] = (
  [
    ['sh', '/bin/sh', []],
    ['dash', which('dash'), []],
    ['busybox sh', which('busybox'), ['sh']],
    ['bash --posix', which('bash'), ['--posix']],
  ] as [string, string | undefined, string[]][]
).filter((s): s is [string, string, string[]] => s[1] !== undefined);

const fixture = (path: string) => readFileSync(join(FIXTURES, path), 'utf8');

interface StubHost {
  root: string;
  bin: string;
  env: Record<string, string>;
}

/** Writes a file, creating its directory; `mode` makes it executable. */
function put(path: string, content: string, mode?: number): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  if (mode !== undefined) chmodSync(path, mode);
}

/** A stub command that prints the file named for its arguments, or fails like a missing flag. */
function stub(host: StubHost, name: string, outputs: Record<string, string>, extra = ''): void {
  const dir = join(host.root, 'out', name);
  const cases = Object.entries(outputs).map(([args, content], i) => {
    put(join(dir, String(i)), content);
    return `  ${shellQuote(args)}) cat ${shellQuote(join(dir, String(i)))} ;;`;
  });
  put(join(host.bin, name), `#!/bin/sh\n${extra}\ncase "$*" in\n${cases.join('\n')}\n  *) echo "${name}: unexpected arguments: $*" >&2; exit 2 ;;\nesac\n`, 0o755);
}

function newHost(): StubHost {
  const root = mkdtempSync(join(tmpdir(), 'dw-probe-'));
  const bin = join(root, 'bin');
  mkdirSync(bin);
  for (const tool of GENERIC_TOOLS) symlinkSync(which(tool)!, join(bin, tool));
  put(join(bin, 'uname'), `#!/bin/sh\ncase $1 in -m) echo x86_64 ;; *) echo 'Linux 6.1.0-28-amd64 x86_64' ;; esac\n`, 0o755);
  put(join(root, 'os-release'), 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n');
  // SHELL set but empty: bash would otherwise set it and the probe would run this machine's login shell.
  // No systemd and no sysconfig files unless a test makes them.
  const env = { PATH: bin, SHELL: '', DRIFTWATCH_PROBE_DIRS: '', DRIFTWATCH_PROBE_PROC: '', DRIFTWATCH_OS_RELEASE: join(root, 'os-release'), DRIFTWATCH_SYSTEMD_DIR: join(root, 'no-systemd'), DRIFTWATCH_SYSCONFIG: '' };
  return { root, bin, env };
}

interface ApacheOptions {
  /** Text appended to the site configuration. */
  siteExtra?: string;
  withoutWsgi?: boolean;
  build?: string;
  ldd?: string;
  diag?: string;
  configNice?: boolean;
  /** Apache's configuration test fails as when mod_wsgi.so cannot load: no dump, no file list. */
  configTestFails?: boolean;
  /** More (or other) outputs of apache2ctl, by arguments. */
  ctl?: Record<string, string>;
  /** sh the apache2ctl stub runs first, whatever its arguments. */
  ctlExtra?: string;
}

/** A Debian-like Apache 2.4 + mod_wsgi host built from the captured event-MPM host fixtures. */
function apacheHost(options: ApacheOptions = {}): StubHost {
  const host = newHost();
  const { root } = host;
  const conf = join(root, 'etc/apache2');
  const so = join(root, 'modules/mod_wsgi.so');
  put(so, '');
  put(join(conf, 'apache2.conf'), `# AcceptMutex flock\nMutex file:/var/lock/apache2 default\nIncludeOptional mods-enabled/*.load\nIncludeOptional sites-enabled/*.conf\nInclude \${APACHE_LOG_DIR}/extra.conf\n`);
  put(join(conf, 'mods-enabled/mpm_event.load'), `LoadModule mpm_event_module ${join(root, 'modules/mod_mpm_event.so')}\n`);
  put(join(conf, 'mods-enabled/wsgi.load'), `LoadModule wsgi_module "${so}"\n`);
  put(
    join(conf, 'sites-enabled/site.conf'),
    [
      '<VirtualHost *:80>',
      '    WSGIDaemonProcess diag processes=2 threads=4 \\',
      '        display-name=%{GROUP} python-home=/usr',
      '    WSGIProcessGroup diag',
      '    WSGIApplicationGroup %{GLOBAL}',
      '    WSGIScriptAlias /__diag /var/www/diag/diag.wsgi process-group=diag',
      '</VirtualHost>',
      'WSGIPythonHome /usr',
      'WSGIAcceptMutex flock',
      options.siteExtra ?? '',
    ].join('\n'),
  );
  put(join(conf, 'envvars'), 'export APACHE_RUN_USER=www-data\nexport DW_STUB_APACHE_ENV=1\n');
  const files = ['apache2.conf', 'mods-enabled/mpm_event.load', ...(options.withoutWsgi ? [] : ['mods-enabled/wsgi.load']), 'sites-enabled/site.conf', 'conf-enabled/missing.conf'];
  const includes = ['Included configuration files:', `  (*) ${join(conf, files[0])}`, ...files.slice(1).map((f) => `    (146) ${join(conf, f)}`)];
  const runCfg = fixture('hosts/debian-12-apache-2.4.71-event/apachectl-DUMP_RUN_CFG.stdout')
    .replace('"/etc/apache2"', `"${conf}"`)
    .replace(/PidFile: "[^"]*"/, `PidFile: "${join(root, 'apache2.pid')}"`);
  const modules = fixture('hosts/debian-12-apache-2.4.71-event/apachectl-M.stdout');
  stub(host, 'apache2ctl', {
    '-V': (options.build ?? fixture('hosts/debian-12-apache-2.4.71-event/apachectl-V.stdout')).replace('HTTPD_ROOT="/etc/apache2"', options.configTestFails ? `HTTPD_ROOT="${conf}"` : '$&'),
    '-l': fixture('hosts/debian-12-apache-2.4.71-event/apachectl-l.stdout'),
    '-M': options.withoutWsgi ? modules.replace(' wsgi_module (shared)\n', '') : modules,
    '-D DUMP_RUN_CFG -D DUMP_INCLUDES -t': `${includes.join('\n')}\n${runCfg}`,
    '-t -C Mutex dw-invalid': fixture('raw/mutex/debian12-2.4.71-Mutex-xxx-invalid-live.txt').replace('xxx', 'dw-invalid'),
    '-t -c WSGIAcceptMutex dw-invalid': options.withoutWsgi
      ? fixture('raw/mutex/debian12-2.4.71-AcceptMutex-removed-in-2.4-live.txt').replace("'AcceptMutex'", "'WSGIAcceptMutex'")
      : fixture('raw/mutex/generic-wsgiacceptmutex-xxx-modwsgidocs-current-mangled.txt').replace('xxx', 'dw-invalid'),
    ...options.ctl,
  }, options.configTestFails ? `[ "$*" != '-D DUMP_RUN_CFG -D DUMP_INCLUDES -t' ] || { printf '%s\\n' ${includes.slice(0, 2).map(shellQuote).join(' ')}; echo "apache2: Syntax error on line 3 of ${conf}/apache2.conf: Syntax error on line 1 of ${conf}/mods-enabled/wsgi.load: Cannot load ${so} into server: libpython3.11.so.1.0: cannot open shared object file: No such file or directory" >&2; exit 1; }` : options.ctlExtra ?? '');
  put(join(root, 'include/apr.h'), `/* apr.h */\n${fixture('raw/apr-h/debian12-apr1.7.2-live.txt')}`);
  put(join(root, 'build/config_vars.mk'), '');
  if (options.configNice) put(join(root, 'build/config.nice'), fixture('raw/config-nice/macos-system-2.2.14-modwsgidocs.txt'));
  stub(host, 'apxs', { '-q installbuilddir': `${join(root, 'build')}\n`, '-q APR_INCLUDEDIR': `${join(root, 'include')}\n` });
  stub(host, 'ldd', { [so]: options.ldd ?? fixture('hosts/debian-12-apache-2.4.71-event/ldd-mod_wsgi.stdout') });
  stub(host, 'dpkg-query', { [`-W -f \${Package} \${Version} \${Status}\\n apache2 apache2-bin libapache2-mod-wsgi* python3 python3.[0-9] python3.[0-9][0-9] python python2`]: fixture('hosts/debian-12-apache-2.4.71-event/dpkg-versions.txt') });
  put(join(host.bin, 'curl'), `#!/bin/sh\nfor a; do last=$a; done\nprintf '%s' "$last" > '${join(root, 'curl-url')}'\ncat '${join(root, 'diag.txt')}'\n`, 0o755);
  put(join(root, 'diag.txt'), options.diag ?? fixture('hosts/debian-12-apache-2.4.71-event/wsgi-diag-daemon.txt'));
  return host;
}

interface ProbeRun {
  complete: boolean;
  problem?: string;
  results: CheckResults;
  findings: string[];
  meta: Record<string, Record<string, string>>;
  stderr: string;
}

function runProbe(shell: [string, string, string[]], host: StubHost, overrides: ProbeOverrides = {}, checks: readonly Check[] = CHECKS, env: Record<string, string> = {}): ProbeRun {
  const script = buildProbeScript(checks, NONCE, overrides);
  const [, exe, args] = shell;
  const run = spawnSync(exe, [...args, '-s'], { input: script.text, env: { ...host.env, ...env }, encoding: 'utf8', timeout: 30_000 });
  const parsed = parseProbeOutput({ stdout: run.stdout, stderr: run.stderr }, NONCE, script.checkIds);
  const { results, findings } = evaluate(parsed.sections, checks);
  return {
    complete: parsed.complete,
    problem: parsed.problem,
    results,
    findings: findings.map((f) => f.id),
    meta: Object.fromEntries(parsed.sections.map((s) => [s.id, s.meta])),
    stderr: run.stderr,
  };
}

function facts<F = Record<string, unknown>>(result: CheckResult | undefined): F {
  expect(result?.status).toBe('ok');
  return result!.facts as F;
}

const hosts: StubHost[] = [];
const track = (h: StubHost) => (hosts.push(h), h);
const running: ChildProcess[] = [];
afterAll(() => {
  for (const p of running) if (p.pid) p.kill();
  hosts.forEach((h) => rmSync(h.root, { recursive: true, force: true }));
});

/**
 * A process tree shaped like a running Apache with one daemon group: a parent, one child with
 * the parent's own title (a forked subshell, as Apache's workers are forks of it) and two
 * children titled `(wsgi:diag)` as display-name=%{GROUP} titles them; its pid in the PidFile.
 */
async function startApacheLike(host: StubHost): Promise<void> {
  // argv[0] as long as Apache's: mod_wsgi writes the display name over it and cuts it to that length.
  const tree = spawn('bash', ['-c', '(exec -a "(wsgi:diag)" sleep 120) & (exec -a "(wsgi:diag)" sleep 120) & (sleep 120; true) & wait'], { stdio: 'ignore', argv0: '/usr/sbin/apache2' });
  running.push(tree);
  writeFileSync(join(host.root, 'apache2.pid'), `${tree.pid}\n`);
  for (let i = 0; i < 100; i++) {
    const children = spawnSync('ps', ['-o', 'pid=', '--ppid', String(tree.pid)], { encoding: 'utf8' }).stdout.trim().split(/\s+/).filter(Boolean);
    if (children.length === 3) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the Apache-like process tree did not start');
}

/**
 * The rows of a published `ps` listing under test/fixtures/processes: user, pid, parent (where
 * the listing has one: `ps -ef`), and the command line's words from column `commandAt` (0-based).
 */
function publishedRows(path: string, commandAt: number): { user: string; pid: number; ppid: number | null; args: string[] }[] {
  return fixture(path)
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => {
      const words = line.trim().split(/\s+/);
      return { user: words[0], pid: Number(words[1]), ppid: commandAt === 7 ? Number(words[2]) : null, args: words.slice(commandAt) };
    });
}

/** ps's words back into arguments: the value of -C/-c runs up to the next option (SUSE's -C "PidFile /run/httpd.pid"). */
function optionWords(words: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    out.push(words[i]);
    if (words[i] !== '-C' && words[i] !== '-c') continue;
    const value: string[] = [];
    while (i + 1 < words.length && !words[i + 1].startsWith('-')) value.push(words[++i]);
    out.push(value.join(' '));
  }
  return out;
}

describe.each(SHELLS)('the probe under %s', (...shell) => {
  it('collects every check from a Debian-like Apache + mod_wsgi host', async () => {
    const host = track(apacheHost({ configNice: true }));
    await startApacheLike(host);
    const run = runProbe(shell, host, { diagnosticUrl: 'http://127.0.0.1:8080/__diag' });
    const conf = join(host.root, 'etc/apache2');
    const so = join(host.root, 'modules/mod_wsgi.so');

    expect(run.problem).toBeUndefined();
    expect(run.complete).toBe(true);
    // The stub's ErrorLog is the machine's own /var/log/apache2/error.log: absent or unreadable here, and said so.
    // No /proc is given (DRIFTWATCH_PROBE_PROC is empty): no other running server can be looked for.
    expect(Object.fromEntries(Object.entries(run.results).map(([id, r]) => [id, r.status]))).toEqual(
      Object.fromEntries(CHECKS.map((c) => [c.id, c.id === 'apache.errorlog' ? run.results[c.id].status : c.id === 'apache.instances' ? 'unavailable' : 'ok'])),
    );
    expect(run.results['apache.errorlog']).toMatchObject(run.results['apache.errorlog'].status === 'ok' ? { facts: { source: 'file' } } : { status: 'unavailable', reason: expect.stringMatching(/ErrorLog/) });

    expect(facts(run.results['apache.build'])).toMatchObject({ version: '2.4.71', mpm: 'event', serialize: ['PROC_PTHREAD', 'PTHREAD'] });
    expect(facts(run.results['apache.configure'])).toMatchObject({
      installBuildDir: join(host.root, 'build'),
      configure: '/SourceCache/apache/apache-747.1/httpd/configure',
    });
    expect(facts<{ configureArgs: string[] }>(run.results['apache.configure']).configureArgs).toHaveLength(13);
    expect(facts(run.results['apache.compiled'])).toMatchObject({ modules: expect.arrayContaining(['core.c', 'mod_so.c']) });
    expect(facts(run.results['apache.modules'])).toMatchObject({ wsgiLoaded: true });
    expect(facts(run.results['apache.mutex'])).toEqual({
      defaultMechanism: 'proc_pthread',
      defaultFrom: 'apr.h',
      available: ['flock', 'sysvsem', 'posixsem', 'fcntl', 'proc_pthread'],
      mutexes: [
        { name: 'default', mechanism: 'default', dir: '/var/run/apache2/', usingDefaults: false },
        { name: 'watchdog-callback', mechanism: null, dir: null, usingDefaults: true },
      ],
      directives: [
        { name: 'Mutex', args: ['file:/var/lock/apache2', 'default'], file: join(conf, 'apache2.conf') },
        { name: 'WSGIAcceptMutex', args: ['flock'], file: join(conf, 'sites-enabled/site.conf') },
      ],
      unreadableFiles: [join(conf, 'conf-enabled/missing.conf')],
      configError: null,
      configErrorAt: null,
      aprHeader: join(host.root, 'include/apr.h'),
      aprHeaderWrapper: null,
      listed: [
        { directive: 'Mutex', mechanisms: ['none', 'default', 'flock', 'fcntl', 'file', 'pthread', 'sysvsem', 'posixsem', 'sem'], note: null },
        { directive: 'WSGIAcceptMutex', mechanisms: ['default', 'flock', 'fcntl', 'sysvsem', 'posixsem'], note: null },
      ],
      acceptDirective: 'Mutex',
      // DUMP_RUN_CFG of the event MPM lists no mpm-accept: its children take no accept mutex.
      apacheAccept: { mechanism: 'none', from: 'MPM', reason: expect.stringContaining('event does not') },
      wsgiAccept: { mechanism: 'flock', from: 'WSGIAcceptMutex' },
    });
    const libpython = { name: 'libpython3.11.so.1.0', version: '3.11', resolvedPath: '/lib/x86_64-linux-gnu/libpython3.11.so.1.0', found: true };
    expect(facts(run.results['modwsgi.linkage'])).toEqual({
      path: so,
      tool: 'ldd',
      libpython,
      linkage: 'shared',
      resolutions: { apacheEnvironment: libpython.resolvedPath, withoutLdLibraryPath: libpython.resolvedPath, caller: libpython.resolvedPath },
      ldLibraryPathSensitive: false,
      needed: null,
      neededFrom: null,
      runpath: null,
      apacheEnvironment: [],
      resolvedBy: null,
    });
    expect(facts(run.results['python.runtime'])).toMatchObject({ processGroup: 'diag', mode: 'daemon', multithread: true, python: { version: '3.11.2', prefix: '/usr' } });
    expect(readFileSync(join(host.root, 'curl-url'), 'utf8')).toBe('http://127.0.0.1:8080/__diag');
    const usrHome = { path: '/usr', user: 'www-data', exists: true, directory: true, libVersions: expect.arrayContaining(['3.11']), venv: null, access: { readable: true, deniedAt: null, unknown: null } };
    expect(facts(run.results['python.home'])).toMatchObject({ homes: [{ ...usrHome, setBy: 'WSGIDaemonProcess diag' }, { ...usrHome, setBy: 'WSGIPythonHome' }] });
    const me = spawnSync('id', ['-un'], { encoding: 'utf8' }).stdout.trim();
    expect(facts(run.results['python.processes'])).toEqual({
      pidFile: join(host.root, 'apache2.pid'),
      running: true,
      parentUser: me,
      titleLength: '/usr/sbin/apache2'.length,
      daemons: [{ command: '(wsgi:diag)', group: 'diag', count: 2, users: [me], threads: [1], libpython: [], pythonLib: [] }],
      children: { users: [me], threads: [1], libpython: [], pythonLib: [] },
      childCount: 1,
      mapsUnknown: null,
    });
    expect(facts(run.results['python.config'])).toEqual({
      pythonHome: '/usr',
      pythonPath: null,
      daemonProcesses: [{ name: 'diag', processes: 2, threads: 4, options: { processes: '2', threads: '4', 'display-name': '%{GROUP}', 'python-home': '/usr' } }],
      processGroup: 'diag',
      processGroups: ['diag'],
      applicationGroup: '%{GLOBAL}',
      scriptAliases: [{ directive: 'WSGIScriptAlias', urlPath: '/__diag', script: '/var/www/diag/diag.wsgi', options: { 'process-group': 'diag' } }],
      loadModule: so,
      loadFiles: [],
      modPython: null,
      perInterpreterGil: null,
      freeThreading: null,
      unreadableFiles: [join(conf, 'conf-enabled/missing.conf')],
      configSource: 'dump',
    });
    expect(facts(run.results['packages.os'])).toMatchObject({ manager: 'dpkg', apache: '2.4.71-1~deb12u1', modWsgi: '4.9.4-1+b2', python: '3.11.2-1+b1' });
    expect(facts(run.results['host.platform'])).toEqual({ os: 'debian', osVersion: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)', kernel: 'Linux 6.1.0-28-amd64', arch: 'x86_64' });
    // The stand-in daemon processes are single-threaded sleeps, where threads=4 wants 4 + 3.
    expect(run.findings).toEqual(['daemon-thread-count-mismatch', 'multithreaded-app']);

    expect(run.meta['modwsgi.linkage'].cmd.split('\n')).toEqual([
      `${join(host.bin, 'apache2ctl')} -D DUMP_RUN_CFG -D DUMP_INCLUDES -t`,
      `ldd ${so}`,
      `(unset LD_LIBRARY_PATH; ldd ${so})`,
      `ldd ${so} in Apache's environment (part apache-env)`,
    ]);
  });

  it('reads the configuration files itself when Apache cannot test its configuration', () => {
    const host = track(apacheHost({ configTestFails: true }));
    const conf = join(host.root, 'etc/apache2');
    const so = join(host.root, 'modules/mod_wsgi.so');
    // A file that includes itself: the walk stops at its depth limit instead of looping.
    put(join(conf, 'loop/self.conf'), 'Include loop/self.conf\n');
    writeFileSync(join(conf, 'apache2.conf'), `${readFileSync(join(conf, 'apache2.conf'), 'utf8')}Include loop/\n`);
    const run = runProbe(shell, host);

    expect(run.complete).toBe(true);
    const config = facts(run.results['python.config']);
    expect(config).toMatchObject({ configSource: 'walk', loadModule: so, processGroup: 'diag', pythonHome: '/usr', unreadableFiles: ['${APACHE_LOG_DIR}/extra.conf'] });
    expect(facts(run.results['apache.mutex'])).toMatchObject({
      directives: [
        { name: 'Mutex', args: ['file:/var/lock/apache2', 'default'], file: join(conf, 'apache2.conf') },
        { name: 'WSGIAcceptMutex', args: ['flock'], file: join(conf, 'sites-enabled/site.conf') },
      ],
      configError: expect.stringContaining('Cannot load'),
    });
    expect(facts(run.results['modwsgi.linkage'])).toMatchObject({ path: so, linkage: 'shared' });
    expect(run.meta['python.config'].configSource).toBe('walk');
    expect(run.meta['python.config'].walkLimit).toMatch(/nested deeper than 16 levels/);
  });

  it('reports what the guide warns about on a troubled host', () => {
    const notFound = fixture('raw/ldd/linux-py2.5-notfound-modwsgidocs.txt').replace(/2\.5/g, '3.11');
    const fromOpt = fixture('raw/ldd/linux-py2.5-usrlib-modwsgidocs.txt').replace(/2\.5/g, '3.11').replace('/usr/lib/libpython', '/opt/py/lib/libpython');
    const host = track(
      apacheHost({
        withoutWsgi: true,
        siteExtra: 'AcceptMutex fcntl\nWSGIPythonHome /opt/py\n',
        build: fixture('hosts/debian-12-apache-2.4.71-event/apachectl-V.stdout').replace('Server loaded:  APR 1.7.2', 'Server loaded:  APR 1.7.5'),
        diag: fixture('hosts/debian-12-apache-2.4.71-prefork-embedded/wsgi-diag-embedded.txt').replace(/'3\.11\.2 /, "'3.9.2 "),
      }),
    );
    // Only the caller's LD_LIBRARY_PATH finds libpython; without it (and in Apache's envvars) it is missing.
    put(join(host.bin, 'ldd'), `#!/bin/sh\nif [ -n "$LD_LIBRARY_PATH" ]; then cat '${join(host.root, 'ldd-opt')}'; else cat '${join(host.root, 'ldd-nf')}'; fi\n`, 0o755);
    put(join(host.root, 'ldd-opt'), fromOpt);
    put(join(host.root, 'ldd-nf'), notFound);
    const run = runProbe(shell, host, { diagnosticUrl: 'http://127.0.0.1/__diag' }, CHECKS, { LD_LIBRARY_PATH: '/opt/py/lib' });

    expect(run.complete).toBe(true);
    expect(facts(run.results['modwsgi.linkage'])).toMatchObject({
      linkage: 'missing',
      libpython: { name: 'libpython3.11.so.1.0', version: '3.11', found: false, resolvedPath: null },
      resolutions: { caller: '/opt/py/lib/libpython3.11.so.1.0', withoutLdLibraryPath: null, apacheEnvironment: null },
      ldLibraryPathSensitive: true,
    });
    expect(run.findings).toEqual([
      'accept-mutex-deprecated',
      'apr-loaded-compiled-mismatch',
      // The site defines daemon group diag, yet the answer came from embedded mode; and under the
      // event MPM embedded mode is multithreaded, which the (prefork) answer denies.
      'embedded-not-daemon',
      'libpython-ld-library-path-sensitive',
      'libpython-not-found',
      'python-home-mismatch',
      // WSGIPythonHome /opt/py exists nowhere on the machine.
      'python-home-missing',
      'python-version-mismatch',
      'wsgi-multithread-unexpected',
      'wsgi-not-loaded',
    ]);
  });

  it("takes Apache's LD_LIBRARY_PATH from envvars and compares the login shell's", () => {
    const notFound = fixture('raw/ldd/linux-py2.5-notfound-modwsgidocs.txt').replace(/2\.5/g, '3.11');
    const fromOpt = fixture('raw/ldd/linux-py2.5-usrlib-modwsgidocs.txt').replace(/2\.5/g, '3.11').replace('/usr/lib/libpython', '/opt/py/lib/libpython');
    const host = track(apacheHost());
    const conf = join(host.root, 'etc/apache2');
    put(join(host.bin, 'ldd'), `#!/bin/sh\nif [ -n "$LD_LIBRARY_PATH" ]; then cat '${join(host.root, 'ldd-opt')}'; else cat '${join(host.root, 'ldd-nf')}'; fi\n`, 0o755);
    put(join(host.root, 'ldd-opt'), fromOpt);
    put(join(host.root, 'ldd-nf'), notFound);
    put(join(conf, 'envvars'), 'export APACHE_RUN_USER=www-data\nLD_LIBRARY_PATH=/opt/py/lib\nexport LD_LIBRARY_PATH\n');
    // The login user's profile sets it too; the probe's own session has none.
    put(join(host.bin, 'login-sh'), `#!/bin/sh\nLD_LIBRARY_PATH=/opt/py/lib; export LD_LIBRARY_PATH\nshift; exec /bin/sh -c "$@"\n`, 0o755);
    const run = runProbe(shell, host, {}, CHECKS, { SHELL: join(host.bin, 'login-sh') });

    const linkage = facts<ModWsgiLinkageFacts>(run.results['modwsgi.linkage']);
    expect(linkage).toMatchObject({
      linkage: 'shared',
      libpython: { name: 'libpython3.11.so.1.0', found: true, resolvedPath: '/opt/py/lib/libpython3.11.so.1.0' },
      resolutions: { caller: null, withoutLdLibraryPath: null, apacheEnvironment: '/opt/py/lib/libpython3.11.so.1.0', loginShell: '/opt/py/lib/libpython3.11.so.1.0' },
      apacheEnvironment: [{ source: 'envvars', where: join(conf, 'envvars'), ldLibraryPath: '/opt/py/lib' }],
      resolvedBy: `envvars ${join(conf, 'envvars')}`,
      ldLibraryPathSensitive: true,
    });
    expect(run.findings).toContain('libpython-ld-library-path-sensitive');
    expect(run.findings).not.toContain('libpython-not-found');
  });

  it("reads the unit's Environment= and EnvironmentFile= and sysconfig as data, never running them", () => {
    const notFound = fixture('raw/ldd/linux-py2.5-notfound-modwsgidocs.txt').replace(/2\.5/g, '3.11');
    const fromOpt = fixture('raw/ldd/linux-py2.5-usrlib-modwsgidocs.txt').replace(/2\.5/g, '3.11').replace('/usr/lib/libpython', '/opt/py/lib/libpython');
    const host = track(apacheHost());
    rmSync(join(host.root, 'etc/apache2/envvars'));
    put(join(host.bin, 'ldd'), `#!/bin/sh\ncase "$LD_LIBRARY_PATH" in /opt/py/lib) cat '${join(host.root, 'ldd-opt')}' ;; *) cat '${join(host.root, 'ldd-nf')}' ;; esac\n`, 0o755);
    put(join(host.root, 'ldd-opt'), fromOpt);
    put(join(host.root, 'ldd-nf'), notFound);
    const unitFile = join(host.root, 'etc/sysconfig/httpd');
    const suse = join(host.root, 'etc/sysconfig/apache2');
    const ran = join(host.root, 'ran');
    // A value that would run a command if it were sourced; the parser only reads it.
    put(unitFile, `# comment\nOPTIONS=-DFOREGROUND\nLD_LIBRARY_PATH="/opt/py/lib"\nLANG=$(touch ${ran})\n`);
    put(suse, `APACHE_MODULES="wsgi"\nexport LD_LIBRARY_PATH='/srv/suse/lib'\n`);
    mkdirSync(join(host.root, 'systemd'));
    stub(host, 'systemctl', {
      'show -p LoadState -p Environment -p EnvironmentFiles apache2.service': 'LoadState=not-found\nEnvironment=\n',
      'show -p LoadState -p Environment -p EnvironmentFiles httpd.service': `LoadState=loaded\nEnvironment=LANG=C LD_LIBRARY_PATH=/opt/unit/lib\nEnvironmentFiles=${unitFile} (ignore_errors=no)\n`,
    });
    const run = runProbe(shell, host, {}, CHECKS, { DRIFTWATCH_SYSTEMD_DIR: join(host.root, 'systemd'), DRIFTWATCH_SYSCONFIG: `${unitFile} ${suse}` });

    expect(existsSync(ran)).toBe(false);
    const linkage = facts<ModWsgiLinkageFacts>(run.results['modwsgi.linkage']);
    expect(linkage.apacheEnvironment).toEqual([
      { source: 'systemd', where: 'httpd.service', ldLibraryPath: '/opt/unit/lib' },
      { source: 'EnvironmentFile', where: unitFile, ldLibraryPath: '/opt/py/lib' },
      { source: 'sysconfig', where: suse, ldLibraryPath: '/srv/suse/lib' },
    ]);
    // The last source read wins, as when Apache starts: SUSE's file here, where libpython is not.
    expect(linkage).toMatchObject({ linkage: 'missing', resolutions: { apacheEnvironment: null } });
    expect(run.findings).toContain('libpython-not-found');
  });

  it('checks the running Apache, found in /proc, with the -f its command line gives, before the one on PATH', () => {
    const host = track(apacheHost({ ctl: { '-f /srv/site/httpd.conf -V': fixture('hosts/debian-12-apache-2.4.71-event/apachectl-V.stdout') } }));
    // The running server's own directory: Debian's apache2 with its apache2ctl beside it.
    const sbin = join(host.root, 'sbin');
    put(join(sbin, 'apache2'), '#!/bin/sh\nexit 0\n', 0o755);
    symlinkSync(join(host.bin, 'apache2ctl'), join(sbin, 'apache2ctl'));
    const proc = join(host.root, 'proc');
    const process = (pid: number, comm: string, ppid: number, argv: string[], exe?: string) => {
      put(join(proc, String(pid), 'comm'), `${comm}\n`);
      put(join(proc, String(pid), 'status'), `Name:\t${comm}\nState:\tS (sleeping)\nPPid:\t${ppid}\n`);
      put(join(proc, String(pid), 'cmdline'), `${argv.join('\0')}\0`);
      if (exe) symlinkSync(exe, join(proc, String(pid), 'exe'));
    };
    process(1, 'init', 0, ['/sbin/init']);
    process(200, 'apache2', 1, [join(sbin, 'apache2'), '-f', '/srv/site/httpd.conf', '-k', 'start'], join(sbin, 'apache2'));
    process(201, 'apache2', 200, [join(sbin, 'apache2'), '-f', '/srv/site/httpd.conf', '-k', 'start']);
    process(299, 'apache2ctl', 1, ['/bin/sh', '/usr/sbin/apache2ctl', '-t']);
    process(300, 'apache2', 299, ['/usr/sbin/apache2', '-t']);
    const run = runProbe(shell, host, {}, [apacheBuildCheck], { DRIFTWATCH_PROBE_PROC: proc });
    expect(facts(run.results['apache.build'])).toMatchObject({
      version: '2.4.71',
      discovery: {
        discoveredBy: 'running',
        control: join(sbin, 'apache2ctl'),
        running: { binary: join(sbin, 'apache2'), via: 'exe', replacedOnDisk: false, serverRoot: null, configFile: '/srv/site/httpd.conf' },
        onPath: join(host.bin, 'apache2ctl'),
        apxs: { path: join(host.bin, 'apxs'), sbindir: null, matches: null },
      },
    });
    expect(run.meta['apache.build'].cmd).toBe(`${join(sbin, 'apache2ctl')} -f /srv/site/httpd.conf -V`);
    expect(run.findings).toContain('running-apache-not-on-path');

    // Nothing running: the name search, and it says so.
    const idle = runProbe(shell, host, {}, [apacheBuildCheck]);
    expect(facts(idle.results['apache.build'])).toMatchObject({ discovery: { discoveredBy: 'path', control: join(host.bin, 'apache2ctl'), running: null } });
    expect(idle.findings).toEqual([]);
  });

  /** Replaces the host's link to this machine's ps by a stub (never writing through the link). */
  const stubPs = (host: StubHost, outputs: Record<string, string>, extra = '') => {
    rmSync(join(host.bin, 'ps'));
    stub(host, 'ps', outputs, extra);
  };
  /**
   * An Apache binary at PATH that appends each call's arguments (one a line, then `--`) to
   * PATH.calls and answers a call ending in -V with the captured event-MPM build.
   */
  const recordingApache = (path: string) => {
    const script = [
      '#!/bin/sh',
      `printf '%s\\n' "$@" -- >> ${shellQuote(`${path}.calls`)}`,
      'for last; do :; done',
      `[ "$last" = -V ] && cat ${shellQuote(join(FIXTURES, 'hosts/debian-12-apache-2.4.71-event/apachectl-V.stdout'))}`,
      'exit 0',
    ];
    put(path, `${script.join('\n')}\n`, 0o755);
  };
  /** The -V call's arguments of a recordingApache, one a line. */
  const versionCall = (path: string) => readFileSync(`${path}.calls`, 'utf8').split('--\n').find((c) => c.endsWith('-V\n'))!.trimEnd().split('\n');
  /** An upstream-layout Apache in DIR: httpd (a recordingApache), apachectl and envvars. */
  const upstreamApache = (host: StubHost, dir: string) => {
    recordingApache(join(dir, 'httpd'));
    put(join(dir, 'apachectl'), `#!/bin/sh\nexec ${shellQuote(join(dir, 'httpd'))} "$@"\n`, 0o755);
    put(join(dir, 'envvars'), '');
  };
  const CHECKS_RUNNING = CHECKS.filter((c) => c.id === 'apache.build' || c.id === 'apache.instances');

  it("passes the running server's -D, -C and -c on to its checks: SUSE's httpd-prefork names its modules with -C", () => {
    const host = track(apacheHost());
    const sbin = join(host.root, 'usr/sbin');
    // SUSE's binary is not run through an apachectl.
    recordingApache(join(sbin, 'httpd-prefork'));
    const proc = join(host.root, 'proc');
    put(join(proc, '1', 'comm'), 'systemd\n');
    put(join(proc, '1', 'status'), 'Name:\tsystemd\nPPid:\t0\n');
    for (const row of publishedRows('processes/opensuse-ps-ef-httpd-prefork.txt', 7)) {
      const argv = [join(sbin, 'httpd-prefork'), ...optionWords(row.args.slice(1))];
      put(join(proc, String(row.pid), 'comm'), 'httpd-prefork\n');
      put(join(proc, String(row.pid), 'status'), `Name:\thttpd-prefork\nPPid:\t${row.ppid}\n`);
      put(join(proc, String(row.pid), 'cmdline'), `${argv.join('\0')}\0`);
      symlinkSync(join(sbin, 'httpd-prefork'), join(proc, String(row.pid), 'exe'));
    }
    const run = runProbe(shell, host, {}, [apacheBuildCheck], { DRIFTWATCH_PROBE_PROC: proc });
    expect(facts(run.results['apache.build'])).toMatchObject({
      version: '2.4.71',
      discovery: { discoveredBy: 'running', control: join(sbin, 'httpd-prefork'), running: { binary: join(sbin, 'httpd-prefork'), via: 'exe', configFile: '/etc/apache2/httpd.conf' } },
    });
    expect(versionCall(join(sbin, 'httpd-prefork'))).toEqual([
      '-f', '/etc/apache2/httpd.conf',
      '-D', 'SYSCONFIG',
      '-C', 'PidFile /var/run/httpd.pid',
      '-C', 'Include /etc/apache2/sysconfig.d//loadmodule.conf',
      '-C', 'Include /etc/apache2/sysconfig.d//global.conf',
      '-c', 'Include /etc/apache2/sysconfig.d//include.conf',
      '-D', 'SYSTEMD',
      '-D', 'FOREGROUND',
      '-V',
    ]);
  });

  it("without /proc (macOS), finds the running Homebrew httpd in ps's table, where PATH finds the system's", () => {
    const host = track(apacheHost());
    const brew = join(host.root, 'opt/homebrew/opt/httpd/bin');
    upstreamApache(host, brew);
    // macOS's ps knows no jails and prints each process's executable path as its name.
    stubPs(host, {
      '-ax -o pid= -o ppid= -o comm=': ['    1     0 /sbin/launchd', `  412     1 ${brew}/httpd`, `  530   412 ${brew}/httpd`, '  611     1 /usr/sbin/cfprefsd', ''].join('\n'),
      '-ww -o args= -p 412': `${brew}/httpd -D FOREGROUND\n`,
    }, 'case "$*" in *jid=*) echo "ps: jid: keyword not found" >&2; exit 1 ;; esac');
    const run = runProbe(shell, host, {}, CHECKS_RUNNING, { DRIFTWATCH_PROBE_PROC: join(host.root, 'no-proc') });
    expect(facts(run.results['apache.build'])).toMatchObject({
      discovery: {
        discoveredBy: 'running',
        control: join(brew, 'apachectl'),
        running: { binary: join(brew, 'httpd'), via: 'cmdline', replacedOnDisk: false, serverRoot: null, configFile: null },
        onPath: join(host.bin, 'apache2ctl'),
      },
    });
    expect(run.findings).toContain('running-apache-not-on-path');
    expect(versionCall(join(brew, 'httpd'))).toEqual(['-D', 'FOREGROUND', '-V']);
    // The table was read: no other server runs, which is not "cannot tell".
    expect(run.results['apache.instances']).toMatchObject({ status: 'ok', facts: { instances: [] } });
  });

  it("without /proc (FreeBSD), takes the binary from procstat and leaves out a jail's Apache", () => {
    const host = track(apacheHost());
    const sbin = join(host.root, 'usr/local/sbin');
    upstreamApache(host, sbin);
    const jailed = join(host.root, 'jails/www/usr/local/sbin');
    upstreamApache(host, jailed);
    // FreeBSD's ps prints the short name and each process's jail id; procstat -b the binary's path.
    // The host's own rows are the published ones (the root-owned httpd is the others' parent);
    // a jail's Apache (jail 3, lower pids) is added before them.
    const published = publishedRows('processes/freebsd-ps-waux-httpd.txt', 10);
    const parent = published.find((r) => r.user === 'root')!;
    const table = [
      '    1     0     0 init',
      '  150     1     3 httpd',
      '  151   150     3 httpd',
      ...published.map((r) => `${r.pid} ${r === parent ? 1 : parent.pid} 0 httpd`),
    ];
    stubPs(host, {
      '-ax -o pid= -o ppid= -o jid= -o comm=': `${table.join('\n')}\n`,
      '-ww -o args= -p 150': '/usr/local/sbin/httpd\n',
      [`-ww -o args= -p ${parent.pid}`]: `${parent.args.join(' ')}\n`,
    });
    stub(host, 'procstat', {
      '-h -b 150': `  150 httpd             1402000 ${jailed}/httpd\n`,
      [`-h -b ${parent.pid}`]: `  ${parent.pid} httpd             1402000 ${sbin}/httpd\n`,
    });
    const run = runProbe(shell, host, {}, CHECKS_RUNNING, { DRIFTWATCH_PROBE_PROC: join(host.root, 'no-proc') });
    expect(facts(run.results['apache.build'])).toMatchObject({
      discovery: { discoveredBy: 'running', control: join(sbin, 'apachectl'), running: { binary: join(sbin, 'httpd'), via: 'exe', configFile: null } },
    });
    expect(run.results['apache.instances']).toMatchObject({ status: 'ok', facts: { instances: [] } });

    // No ps either: the name search, and no claim about other servers.
    rmSync(join(host.bin, 'ps'));
    const blind = runProbe(shell, host, {}, CHECKS_RUNNING, { DRIFTWATCH_PROBE_PROC: join(host.root, 'no-proc') });
    expect(facts(blind.results['apache.build'])).toMatchObject({ discovery: { discoveredBy: 'path', running: null } });
    expect(blind.results['apache.instances']).toMatchObject({ status: 'unavailable', reason: expect.stringMatching(/neither \/proc nor ps/) });
  });

  it('checks every other running server as an instance: a real mod_wsgi-express server root with its -D defines and environment, and a second apache2 -f', () => {
    const host = track(apacheHost());
    const { root } = host;
    const X = join(FIXTURES, 'express/bookworm-modwsgi-5.0.2');
    const xfix = (name: string) => readFileSync(join(X, name), 'utf8');
    // The real server root, moved under the stub host: its generated apachectl, httpd.conf and the module pip installed.
    const serverRoot = join(root, 'tmp/mod_wsgi-127.0.46.1:8046:1000');
    const venv = join(root, 'opt/express-venv');
    const sbin = join(root, 'sbin');
    const moved = (text: string) => text.split('/tmp/mod_wsgi-127.0.46.1:8046:1000').join(serverRoot).split('/opt/express-venv').join(venv).split('/usr/sbin/apache2').join(join(sbin, 'apache2'));
    const so = join(venv, 'lib/python3.11/site-packages/mod_wsgi/server/mod_wsgi-py311.cpython-311-x86_64-linux-gnu.so');
    put(join(serverRoot, 'apachectl'), moved(xfix('apachectl')), 0o755);
    put(join(serverRoot, 'httpd.conf'), moved(xfix('httpd.conf')));
    put(join(serverRoot, 'rewrite.conf'), '');
    put(so, '');
    put(join(venv, 'pyvenv.cfg'), 'home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.11.2\n');
    mkdirSync(join(venv, 'lib/python3.11/site-packages'), { recursive: true });
    const other = join(root, 'etc/apache2/other.conf');
    put(other, `ServerRoot ${join(root, 'etc/apache2')}\n`);
    const pwned = join(root, 'pwned');
    // Debian's apache2 and apache2ctl: the main server's commands go to the fixture stub; an
    // instance's answer only with its -f, and express's only with its -D defines and MOD_WSGI_* set, as real Apache does.
    const defines = ['MOD_WSGI_KEEP_ALIVE', 'MOD_WSGI_WITH_LISTENER_HOST', 'MOD_WSGI_MPM_ENABLE_EVENT_MODULE', 'MOD_WSGI_MPM_EXISTS_EVENT_MODULE', 'MOD_WSGI_MPM_EXISTS_WORKER_MODULE', 'MOD_WSGI_MPM_EXISTS_PREFORK_MODULE'];
    const xargs = `-f ${serverRoot}/httpd.conf ${defines.map((d) => `-D ${d}`).join(' ')}`;
    put(join(sbin, 'apache2'), '#!/bin/sh\nexit 0\n', 0o755);
    put(join(root, 'out/express-V'), xfix('apachectl-V.stdout'));
    put(join(root, 'out/express-M'), xfix('apachectl-M.stdout'));
    put(join(root, 'out/express-dump'), moved(xfix('apachectl-DUMP_RUN_CFG-DUMP_INCLUDES.stdout')));
    put(join(root, 'out/other-M'), fixture('hosts/debian-12-apache-2.4.71-event/apachectl-M.stdout').replace(' wsgi_module (shared)\n', ''));
    put(
      join(sbin, 'apache2ctl'),
      [
        '#!/bin/sh',
        `case "$*" in`,
        `  ${shellQuote(`${xargs} `)}*)`,
        `    [ "$MOD_WSGI_MODULES_DIRECTORY" = /usr/lib/apache2/modules ] || { echo "AH00111: Config variable \\\${MOD_WSGI_MODULES_DIRECTORY} is not defined" >&2; exit 1; }`,
        `    case "$*" in *' -V') cat ${shellQuote(join(root, 'out/express-V'))} ;; *' -M') cat ${shellQuote(join(root, 'out/express-M'))} ;; *DUMP_RUN_CFG*) [ ! -e ${shellQuote(join(root, 'express-broken'))} ] || { echo "apache2: Syntax error on line 163 of ${serverRoot}/httpd.conf: Cannot load ${so} into server: libpython3.11.so.1.0: cannot open shared object file" >&2; exit 1; }; cat ${shellQuote(join(root, 'out/express-dump'))} ;; *) exit 2 ;; esac ;;`,
        `  ${shellQuote(`-f ${other} -D `)}*) case "$*" in *' -V') cat ${shellQuote(join(root, 'out/express-V'))} ;; *' -M') cat ${shellQuote(join(root, 'out/other-M'))} ;; *) echo "AH00526: Syntax error" >&2; exit 1 ;; esac ;;`,
        `  -f*) echo "unexpected: $*" >&2; exit 2 ;;`,
        `  *) exec ${shellQuote(join(host.bin, 'apache2ctl'))} "$@" ;;`,
        'esac',
      ].join('\n'),
      0o755,
    );
    stub(host, 'ldd', { [join(root, 'modules/mod_wsgi.so')]: fixture('hosts/debian-12-apache-2.4.71-event/ldd-mod_wsgi.stdout'), [so]: xfix('ldd-mod_wsgi-py311.stdout') });
    const proc = join(host.root, 'proc');
    const procEntry = (pid: number, comm: string, ppid: number, argv: string[], options: { exe?: string; root?: string; environ?: string } = {}) => {
      put(join(proc, String(pid), 'comm'), `${comm}\n`);
      put(join(proc, String(pid), 'status'), `Name:\t${comm}\nState:\tS (sleeping)\nPPid:\t${ppid}\n`);
      put(join(proc, String(pid), 'cmdline'), `${argv.join('\0')}\0`);
      if (options.exe) symlinkSync(options.exe, join(proc, String(pid), 'exe'));
      if (options.root) symlinkSync(options.root, join(proc, String(pid), 'root'));
      if (options.environ !== undefined) put(join(proc, String(pid), 'environ'), options.environ);
    };
    // The real ps rows of the express server: argv[0] renamed by its apachectl, the -D defines, -k start.
    const psRow = xfix('ps-ef.txt').split('\n').find((l) => l.includes('(mod_wsgi-express)') && / 1 +0 /.test(l))!;
    const xargv = ['apache2 (mod_wsgi-express) ', ...moved(psRow.slice(psRow.indexOf(' -f ') + 1)).split(' ')];
    const environ = moved(xfix('environ-MOD_WSGI.txt')).trim().split('\n').concat(['PATH=/usr/bin', 'MOD_WSGI_EVIL=$(touch ' + pwned + ')', 'MOD_WSGI_BAD;NAME=x']).join('\0') + '\0';
    procEntry(1, 'init', 0, ['/sbin/init']);
    procEntry(200, 'apache2', 1, [join(sbin, 'apache2'), '-k', 'start'], { exe: join(sbin, 'apache2'), root: '/' });
    procEntry(201, 'apache2', 200, [join(sbin, 'apache2'), '-k', 'start']);
    procEntry(300, 'apache2', 1, xargv, { exe: join(sbin, 'apache2'), root: '/', environ });
    procEntry(301, 'apache2', 300, xargv);
    // Another chroot's server with the same command line: not this host's.
    procEntry(310, 'apache2', 1, xargv, { exe: join(sbin, 'apache2'), root: join(root, 'out') });
    // A second plain server, seen as another user sees root's: no exe, no root link; a -D value that is shell text.
    procEntry(400, 'apache2', 1, [join(sbin, 'apache2'), '-f', other, '-D', `X$(touch ${pwned})`, '-k', 'start']);
    // A server of another host on a shared /proc: its configuration is not here.
    procEntry(500, 'apache2', 1, [join(sbin, 'apache2'), '-f', '/nonexistent/httpd.conf', '-k', 'start']);
    const run = runProbe(shell, host, {}, CHECKS, { DRIFTWATCH_PROBE_PROC: proc });
    expect(run.complete).toBe(true);
    expect(existsSync(pwned)).toBe(false);

    // The main server is checked as before: the one without -f, not an instance.
    expect(facts(run.results['apache.build'])).toMatchObject({ discovery: { discoveredBy: 'running', control: join(sbin, 'apache2ctl'), running: { binary: join(sbin, 'apache2'), configFile: null } } });
    expect(facts<ModWsgiLinkageFacts>(run.results['modwsgi.linkage']).path).toBe(join(root, 'modules/mod_wsgi.so'));

    const { instances } = facts<ApacheInstancesFacts>(run.results['apache.instances']);
    expect(instances.map((i) => i.id)).toEqual([other, join(serverRoot, 'httpd.conf')].sort());
    const express = instances.find((i) => i.kind === 'mod_wsgi-express')!;
    expect(express).toMatchObject({
      binary: join(sbin, 'apache2'),
      via: 'exe',
      expressRoot: serverRoot,
      configFile: join(serverRoot, 'httpd.conf'),
      options: defines.map((value) => ({ option: '-D', value })),
      control: `${join(sbin, 'apache2ctl')} ${xargs}`,
      skipped: null,
      build: { status: 'ok', facts: { version: '2.4.68', mpm: 'event' } },
      modules: { status: 'ok', facts: { wsgiLoaded: true } },
      linkage: { status: 'ok', facts: { path: so, linkage: 'shared', libpython: { name: 'libpython3.11.so.1.0', found: true, resolvedPath: '/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0' } } },
      pythonHome: { status: 'ok', facts: { homes: [{ path: venv, setBy: 'WSGIPythonHome', exists: true, directory: true, venv: { version: '3.11.2', home: '/usr/bin' } }] } },
    });
    const plain = instances.find((i) => i.id === other)!;
    expect(plain).toMatchObject({ kind: 'apache', via: 'cmdline', options: [{ option: '-D', value: `X$(touch ${pwned})` }], modules: { status: 'ok', facts: { wsgiLoaded: false } } });
    expect(run.findings).toContain('instance-wsgi-not-loaded');
    expect(run.findings).not.toContain('wsgi-not-loaded');
    // Nothing of a run that changes per restart: no pid.
    expect(JSON.stringify(instances)).not.toMatch(/"(pid|ppid)"|\b(300|301|400)\b/);

    // Read as another user reads it: no exe and no environ; the binary and MOD_WSGI_* come from its apachectl, as data.
    rmSync(join(proc, '300/exe'));
    rmSync(join(proc, '300/environ'));
    rmSync(join(proc, '300/root'));
    stub(host, 'ldd', { [join(root, 'modules/mod_wsgi.so')]: fixture('hosts/debian-12-apache-2.4.71-event/ldd-mod_wsgi.stdout'), [so]: xfix('ldd-mod_wsgi-py311.stdout').replace(/libpython3\.11\.so\.1\.0 => \S+ \(0x[0-9a-f]+\)/, 'libpython3.11.so.1.0 => not found') });
    // And its configuration no longer loads: its own files are read (its -f, not the compiled-in apache2.conf).
    put(join(root, 'express-broken'), '');
    const other2 = runProbe(shell, host, {}, CHECKS, { DRIFTWATCH_PROBE_PROC: proc });
    const unread = facts<ApacheInstancesFacts>(other2.results['apache.instances']).instances.find((i) => i.kind === 'mod_wsgi-express')!;
    expect(unread).toMatchObject({ id: join(serverRoot, 'httpd.conf'), binary: join(sbin, 'apache2'), via: 'apachectl', build: { status: 'ok' }, linkage: { status: 'ok', facts: { path: so, linkage: 'missing', libpython: { found: false } } } });
    expect(other2.findings).toContain('instance-libpython-not-found');
    expect(other2.findings).not.toContain('libpython-not-found');
    expect(existsSync(pwned)).toBe(false);

    // A scan as root does not run Apache on another user's configuration (it would load that user's modules as root).
    if (process.getuid?.() === 0) {
      chownSync(join(serverRoot, 'httpd.conf'), 1000, 1000);
      const asRoot = facts<ApacheInstancesFacts>(runProbe(shell, host, {}, CHECKS, { DRIFTWATCH_PROBE_PROC: proc }).results['apache.instances']).instances.find((i) => i.kind === 'mod_wsgi-express')!;
      expect(asRoot).toMatchObject({ skipped: expect.stringContaining('owned by uid 1000'), build: { status: 'skipped' }, linkage: { status: 'skipped' } });
    }
  });

  it('follows a multilib apr.h to the header of the architecture, and on 2.2 lists AcceptMutex mechanisms', () => {
    const host = track(
      apacheHost({
        ctl: {
          '-t -C Mutex dw-invalid': "Syntax error on line 1 of /etc/apache2/apache2.conf:\nInvalid command 'Mutex', perhaps misspelled or defined by a module not included in the server configuration\n",
          '-t -c AcceptMutex dw-invalid': fixture('raw/mutex/macos-system-2.2.14-acceptmutex-modwsgidocs-mangled.txt').replace('xxx', 'dw-invalid'),
        },
      }),
    );
    const include = join(host.root, 'include');
    put(join(include, 'apr.h'), fixture('raw/apr-h/rhel-fedora-multilib-apr-wrapper.txt'));
    put(join(include, 'apr-x86_64.h'), `/* apr.h */\n${fixture('raw/apr-h/debian12-apr1.7.2-live.txt')}`);
    const run = runProbe(shell, host, {}, CHECKS.filter((c) => c.id === 'apache.mutex'));
    const mutex = facts(run.results['apache.mutex']);
    expect(mutex).toMatchObject({
      aprHeader: join(include, 'apr-x86_64.h'),
      aprHeaderWrapper: join(include, 'apr.h'),
      defaultFrom: 'apr.h',
      defaultMechanism: 'proc_pthread',
      acceptDirective: 'AcceptMutex',
      listed: [
        { directive: 'Mutex', mechanisms: null, note: 'this Apache does not know Mutex' },
        { directive: 'AcceptMutex', mechanisms: ['default', 'flock', 'fcntl', 'sysvsem', 'posixsem'], note: null },
        { directive: 'WSGIAcceptMutex', mechanisms: ['default', 'flock', 'fcntl', 'sysvsem', 'posixsem'], note: null },
      ],
      // 2.2: no AcceptMutex in the configuration, WSGIAcceptMutex flock for the daemon groups.
      apacheAccept: { mechanism: 'pthread', from: 'APR default' },
      wsgiAccept: { mechanism: 'flock', from: 'WSGIAcceptMutex' },
    });
    expect(run.meta['apache.mutex']['part.apr-h-wrapper']).toContain(join(include, 'apr.h'));
    expect(run.meta['apache.mutex']['part.wsgiacceptmutex-list']).toBe(`${join(host.bin, 'apache2ctl')} -t -c 'WSGIAcceptMutex dw-invalid'`);
  });

  it('reports a host without Apache as unavailable checks, not a failed scan', () => {
    const host = track(newHost());
    const run = runProbe(shell, host);
    expect(run.complete).toBe(true);
    const statuses = Object.fromEntries(Object.entries(run.results).map(([id, r]) => [id, r.status]));
    expect(statuses).toEqual({ ...Object.fromEntries(CHECKS.map((c) => [c.id, 'unavailable'])), 'host.platform': 'ok' });
    expect(run.results['apache.build'].reason).toMatch(/no Apache control binary/);
    expect(run.results['python.runtime'].reason).toMatch(/no diagnostic URL is configured/);
    expect(run.results['packages.os'].reason).toMatch(/no package manager/);
    expect(run.findings).toEqual([]);
  });

  it('passes override values as data: quotes, ;, $(), backticks and newlines never execute', () => {
    const host = track(apacheHost());
    const mark = join(host.root, 'pwned');
    const evil = (prefix: string) => `${prefix}; touch ${mark} $(touch ${mark}) \`touch ${mark}\` ' " \\ \n touch ${mark} @@DW:${NONCE}:done@@`;
    const url = evil('http://127.0.0.1/__diag?x=');
    const run = runProbe(shell, host, { apachectl: evil('/nonexistent/apachectl'), apxs: evil('apxs'), modWsgiSo: evil('/x/mod_wsgi.so'), python: evil('py'), diagnosticUrl: url });

    expect(existsSync(mark)).toBe(false);
    expect(run.complete).toBe(true);
    expect(readFileSync(join(host.root, 'curl-url'), 'utf8')).toBe(url);
    expect(run.results['apache.build'].status).toBe('failed');
    expect(run.results['modwsgi.linkage']).toMatchObject({ status: 'unavailable', reason: expect.stringContaining('mod_wsgi.so not found at /x/mod_wsgi.so; touch') });
    expect(run.meta['apache.build'].cmd).toBe(`${evil('/nonexistent/apachectl').replace('\n', ' ')} -V`);
    expect(run.results['host.platform'].status).toBe('ok');
  });

  it("runs Apache's configuration dump once for every check that reads it, so they all show the same output", () => {
    // Like Apache's own Mutex lines (hash order), the stub's dump differs from run to run.
    const runs = join(tmpdir(), `dw-dump-runs-${process.pid}-${shell[0].replace(/\W/g, '')}`);
    const host = track(apacheHost({ ctlExtra: `if [ "$*" = '-D DUMP_RUN_CFG -D DUMP_INCLUDES -t' ]; then echo run >> ${shellQuote(runs)}; echo "# dump $$"; fi` }));
    const script = buildProbeScript(CHECKS, NONCE);
    const [, exe, args] = shell;
    const out = spawnSync(exe, [...args, '-s'], { input: script.text, env: host.env, encoding: 'utf8', timeout: 30_000 });
    const runCount = readFileSync(runs, 'utf8').split('\n').filter(Boolean).length;
    rmSync(runs, { force: true });
    expect(runCount).toBe(1);
    const sections = parseProbeOutput({ stdout: out.stdout, stderr: out.stderr }, NONCE, script.checkIds).sections;
    const dumps = sections.flatMap((s) => framedOutput(s.stdout).parts.filter((p) => p.name === 'apache-cfg').map((p) => ({ id: s.id, text: p.text })));
    const readers = CHECKS.filter((c) => /\bdw_apache_cfg\b/.test(c.script)).map((c) => c.id);
    expect(dumps.map((d) => d.id)).toEqual(readers.filter((id) => dumps.some((d) => d.id === id)));
    expect(readers).toEqual(expect.arrayContaining(['apache.mutex', 'modwsgi.linkage', 'python.config', 'python.home', 'python.processes', 'apache.errorlog']));
    expect(dumps.length).toBeGreaterThanOrEqual(3);
    expect(new Set(dumps.map((d) => d.text)).size).toBe(1);
    expect(dumps[0].text).toMatch(/^# dump \d+$/m);
  });

  it('keeps a fragment that reads stdin from swallowing the rest of the script', () => {
    const host = track(apacheHost());
    const greedy: Check = { id: 'test.stdin', title: 'reads stdin', script: 'cat\necho after-cat', parse: (s) => ({ status: 'ok', facts: { stdout: s.stdout } }) };
    const run = runProbe(shell, host, {}, [greedy, apacheBuildCheck, hostPlatformCheck]);
    expect(run.complete).toBe(true);
    expect(run.results['test.stdin']).toEqual({ status: 'ok', facts: { stdout: 'after-cat\n' } });
    expect(run.results['apache.build'].status).toBe('ok');
    expect(run.results['host.platform'].status).toBe('ok');
  });
});
