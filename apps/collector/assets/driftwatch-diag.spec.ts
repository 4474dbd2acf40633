import { parsePythonRuntime } from '@driftwatch/checks';
import { spawnSync } from 'node:child_process';

/**
 * The diagnostic WSGI application, called directly with a fake environ by each Python found on
 * this machine (no Apache, no network): local requests get the JSON the python.runtime check
 * parses, anything else gets 403.
 */
const ASSETS = __dirname;

/** Imports the app, calls it with the environ given as JSON, prints {status, headers, body}. */
const DRIVER = `
import json, sys
sys.path.insert(0, sys.argv[1])
if len(sys.argv) > 3 and sys.argv[3] == "sys-only":
    # A standard library that is not there: the module runs with builtins whose every import
    # but sys fails, as under a wrong Python home.
    try:
        import builtins
    except ImportError:
        import __builtin__ as builtins
    def only_sys(name, *args, **kwargs):
        if name == "sys":
            return sys
        raise ImportError("No module named %r (standard library unavailable)" % name)
    blocked = dict(vars(builtins), __import__=only_sys)
    namespace = {"__builtins__": blocked, "__name__": "driftwatch_diag"}
    source = sys.argv[1] + "/driftwatch_diag.py"
    exec(compile(open(source).read(), source, "exec"), namespace)
    driftwatch_diag = type(sys)("driftwatch_diag")
    driftwatch_diag.__dict__.update(namespace)
else:
    import driftwatch_diag
environ = json.loads(sys.argv[2])
if "mod_wsgi.version" in environ:
    environ["mod_wsgi.version"] = tuple(environ["mod_wsgi.version"])
seen = {}
def start_response(status, headers):
    seen["status"], seen["headers"] = status, headers
body = b"".join(driftwatch_diag.application(environ, start_response))
sys.stdout.write(json.dumps({"status": seen["status"], "headers": dict(seen["headers"]), "body": body.decode("utf-8")}))
`;

/** python3, plus python2.7/python2 when they run, plus any listed in DRIFTWATCH_TEST_PYTHONS (':'-separated). */
function pythons(): string[] {
  const extra = (process.env.DRIFTWATCH_TEST_PYTHONS ?? '').split(':').filter(Boolean);
  const candidates = ['python3', 'python2.7', 'python2', ...extra];
  const found = new Map<string, string>();
  for (const exe of candidates) {
    const run = spawnSync(exe, ['-c', 'import sys; sys.stdout.write("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8' });
    if (run.status === 0 && !found.has(run.stdout)) found.set(run.stdout, exe);
  }
  return [...found.values()];
}

interface Response {
  status: string;
  headers: Record<string, string>;
  body: string;
}

function call(python: string, environ: Record<string, unknown>, mode: 'full' | 'sys-only' = 'full'): Response {
  const run = spawnSync(python, ['-c', DRIVER, ASSETS, JSON.stringify(environ), mode], { encoding: 'utf8', timeout: 30_000 });
  if (run.status !== 0) throw new Error(`${python} failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as Response;
}

const DAEMON = {
  'mod_wsgi.process_group': 'diag',
  'mod_wsgi.application_group': 'lab.local|/__driftwatch',
  'wsgi.multithread': true,
  'wsgi.multiprocess': false,
  'mod_wsgi.version': [4, 9, 4],
};

const PYTHONS = pythons();

it('finds at least one Python to run the diagnostic app with', () => {
  expect(PYTHONS.length).toBeGreaterThan(0);
});

describe.each(PYTHONS.map((p) => [p]))('driftwatch_diag.py under %s', (python) => {
  it.each([['127.0.0.1'], ['127.8.9.10'], ['::1'], ['0:0:0:0:0:0:0:1'], ['::ffff:127.0.0.1']])('answers a local request from %s with the JSON python.runtime parses', (addr) => {
    const response = call(python, { ...DAEMON, REMOTE_ADDR: addr });
    expect(response.status).toBe('200 OK');
    expect(response.headers['Content-Type']).toBe('application/json');
    expect(Number(response.headers['Content-Length'])).toBe(Buffer.byteLength(response.body));
    const parsed = parsePythonRuntime(response.body);
    expect(parsed.status).toBe('ok');
    expect(parsed.facts).toMatchObject({
      processGroup: 'diag',
      applicationGroup: 'lab.local|/__driftwatch',
      mode: 'daemon',
      multithread: true,
      multiprocess: false,
      modWsgiVersion: '4.9.4',
      python: { version: expect.stringMatching(/^[23]\.\d+\.\d+/), prefix: expect.any(String), path: expect.any(Array) },
    });
    expect(parsed.facts!.diagErrors).not.toHaveProperty('os');
    const packages = parsed.facts!.packages;
    expect(packages === null || Object.values(packages).every((v) => typeof v === 'string')).toBe(true);
  });

  it('reports embedded mode and unknown values as they are', () => {
    const response = call(python, { REMOTE_ADDR: '127.0.0.1', 'mod_wsgi.process_group': '', 'mod_wsgi.application_group': '', 'wsgi.multithread': false, 'wsgi.multiprocess': true });
    expect(parsePythonRuntime(response.body).facts).toMatchObject({ processGroup: '', mode: 'embedded', multithread: false, multiprocess: true, modWsgiVersion: null });
  });

  it("answers the guide's values when every import but sys fails (a broken standard library)", () => {
    const response = call(python, { ...DAEMON, REMOTE_ADDR: '::1' }, 'sys-only');
    expect(response.status).toBe('200 OK');
    const parsed = parsePythonRuntime(response.body);
    expect(parsed.facts).toMatchObject({
      processGroup: 'diag',
      multithread: true,
      multiprocess: false,
      modWsgiVersion: '4.9.4',
      packages: null,
      python: { version: expect.stringMatching(/^[23]\.\d+\.\d+/), prefix: expect.any(String), path: expect.any(Array) },
    });
    expect(Object.keys(parsed.facts!.diagErrors ?? {})).toEqual(expect.arrayContaining(['os', 're', 'json', 'codecs', 'importlib.metadata', 'pkg_resources']));
  });

  it('escapes text the way JSON does (quotes, control characters, non-ASCII paths)', () => {
    const response = call(python, { ...DAEMON, REMOTE_ADDR: '127.0.0.1', 'mod_wsgi.application_group': 'caf\u00e9 "x"\t\u{1F600}|/' });
    expect(parsePythonRuntime(response.body).facts!.applicationGroup).toBe('caf\u00e9 "x"\t\u{1F600}|/');
  });

  it.each([['10.0.0.5'], ['192.168.1.20'], ['2001:db8::1'], ['127.0.0.1.evil.example'], ['127.256.0.1'], ['1::1'], [''], [undefined]])('refuses a request from %s with 403', (addr) => {
    const response = call(python, { ...DAEMON, ...(addr === undefined ? {} : { REMOTE_ADDR: addr }) });
    expect(response.status).toBe('403 Forbidden');
    expect(response.body).not.toContain('sys.prefix');
  });
});
