import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientKey, LabHost, debian12EventProfile, debian12PreforkEmbeddedProfile, generateClientKey } from '@driftwatch/lab';
import { CHECKS, RawSection, framedOutput } from '@driftwatch/checks';
import { CollectorHarness, startCollector } from '../support/collector-harness';
import { fencedBlocks } from '../support/report-fixtures';
import { cli } from '../support/run-cli';

jest.setTimeout(60_000);

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

/**
 * Every command and non-empty stream of every section is a fenced block of the Markdown, byte
 * for byte; a stdout the probe framed in parts, part by part, without the framing.
 */
function expectEvidenceIn(markdown: string, sections: RawSection[]): void {
  const blocks = fencedBlocks(markdown).map((b) => b.text);
  expect(sections.map((s) => s.id)).toEqual(CHECKS.map((c) => c.id));
  expect(markdown).not.toMatch(/^--- dw:/m);
  for (const s of sections) {
    if (s.meta.cmd) expect(blocks).toContain(withNewline(s.meta.cmd));
    const parts = framedOutput(s.stdout).parts;
    if (parts.length === 0 && s.stdout) expect(blocks).toContain(withNewline(s.stdout));
    for (const part of parts) if (part.text) expect(blocks).toContain(withNewline(part.text));
    if (s.stderr) expect(blocks).toContain(withNewline(s.stderr));
  }
}

describe('diagnostic report', () => {
  let c: CollectorHarness;
  let key: ClientKey;
  let event: LabHost;
  let prefork: LabHost;
  let snapshotId: number;
  let otherSnapshotId: number;
  const savedUrl = process.env.DATABASE_URL;

  const register = (name: string, lab: LabHost) =>
    c
      .http()
      .post('/api/v1/hosts')
      .send({ name, address: '127.0.0.1', port: lab.port, username: 'opsuser', auth: { type: 'key', privateKeyPath: key.path }, overrides: { diagnosticUrl: 'http://127.0.0.1:8080/__diag' } })
      .expect(201);

  beforeAll(async () => {
    c = await startCollector();
    process.env.DATABASE_URL = c.db.url;
    key = generateClientKey();
    event = await LabHost.start({ profile: debian12EventProfile(), authorizedKey: key.publicKey });
    prefork = await LabHost.start({ profile: debian12PreforkEmbeddedProfile(), authorizedKey: key.publicKey });
    await register('shop-web-1', event);
    await register('shop-web-2', prefork);
    snapshotId = (await c.http().post('/api/v1/hosts/shop-web-1/scan').expect(200)).body.snapshotId;
    otherSnapshotId = (await c.http().post('/api/v1/hosts/shop-web-2/scan').expect(200)).body.snapshotId;
  });

  afterAll(async () => {
    process.env.DATABASE_URL = savedUrl;
    await event?.stop();
    await prefork?.stop();
    key?.dispose();
    await c?.close();
  });

  describe('GET /api/v1/hosts/:name/report', () => {
    it('is Markdown with the summary, the findings and every check’s commands and raw output as stored', async () => {
      const res = await c.http().get('/api/v1/hosts/shop-web-1/report').expect(200);
      expect(res.headers['content-type']).toBe('text/markdown; charset=utf-8');
      const markdown = res.text;
      const raw = (await c.http().get(`/api/v1/snapshots/${snapshotId}/raw`).expect(200)).body.sections as RawSection[];
      expectEvidenceIn(markdown, raw);
      expect(markdown).toContain('# driftwatch diagnostic report: shop-web-1');
      expect(markdown).toContain(`Snapshot ${snapshotId} `);
      expect(markdown).toContain('| Apache | 2.4.71, event MPM |');
      expect(markdown).toContain('| Python | 3.11.2, sys.prefix /usr |');
      const { findings } = (await c.http().get('/api/v1/hosts/shop-web-1/findings').expect(200)).body;
      for (const f of findings) expect(markdown).toContain(`| ${f.severity} | ${f.id} | ${f.checkId} |`);
    });

    it('gives the same model as JSON, for the current state or one named by ?snapshot=', async () => {
      const body = (await c.http().get(`/api/v1/hosts/shop-web-1/report?format=json&snapshot=${snapshotId}`).expect(200)).body;
      expect(body).toMatchObject({ format: 'driftwatch-report/1', redacted: false, source: { host: 'shop-web-1', snapshotId, via: 'ssh' } });
      expect(body.checks.map((check: { id: string }) => check.id)).toEqual(CHECKS.map((check) => check.id));
      expect(body.summary.rows[0]).toEqual({ label: 'Apache', value: '2.4.71, event MPM', known: true });
    });

    it('redacts the host name and the login with ?redact=true, and says so', async () => {
      const res = await c.http().get('/api/v1/hosts/shop-web-1/report?redact=true').expect(200);
      expect(res.text).toContain('# driftwatch diagnostic report: host-1');
      expect(res.text).toContain('This report was redacted');
      expect(res.text).not.toMatch(/shop-web-1|opsuser/);
      expect(res.text).toContain('| Apache | 2.4.71, event MPM |');
    });

    it('answers 404 for an unknown host or snapshot, and for a snapshot of another host', async () => {
      expect((await c.http().get('/api/v1/hosts/nope/report').expect(404)).body.error).toBe('HOST_NOT_FOUND');
      expect((await c.http().get('/api/v1/hosts/shop-web-1/report?snapshot=99999').expect(404)).body.error).toBe('SNAPSHOT_NOT_FOUND');
      const other = await c.http().get(`/api/v1/hosts/shop-web-1/report?snapshot=${otherSnapshotId}`).expect(404);
      expect(other.body.message).toBe(`host "shop-web-1" has no snapshot ${otherSnapshotId}`);
    });

    it('answers 400 naming the field for a bad format, snapshot or redact', async () => {
      expect((await c.http().get('/api/v1/hosts/shop-web-1/report?format=html').expect(400)).body.message).toBe('format must be "markdown" or "json"');
      expect((await c.http().get('/api/v1/hosts/shop-web-1/report?snapshot=abc').expect(400)).body.message).toBe('snapshot must be a snapshot id');
      expect((await c.http().get('/api/v1/hosts/shop-web-1/report?snapshot=0').expect(400)).body.message).toBe('snapshot must be a snapshot id');
      expect((await c.http().get('/api/v1/hosts/shop-web-1/report?redact=yes').expect(400)).body.message).toBe('redact must be "true" or "false"');
      expect((await c.http().get('/api/v1/hosts/shop-web-1/report?colour=red').expect(400)).body.message).toMatch(/colour/);
    });
  });

  describe('driftwatch report', () => {
    it('prints the same Markdown as the REST route', async () => {
      const rest = (await c.http().get('/api/v1/hosts/shop-web-2/report').expect(200)).text;
      const run = await cli('report', 'shop-web-2');
      expect(run).toMatchObject({ code: 0, err: '' });
      expect(run.out).toBe(rest);
      expect(run.out).toContain('| Apache | 2.4.71, prefork MPM |');
    });

    it('takes --snapshot, --redact and --json', async () => {
      const run = await cli('report', 'shop-web-1', '--snapshot', String(snapshotId), '--redact', '--json');
      expect(run.code).toBe(0);
      const report = JSON.parse(run.out);
      expect(report).toMatchObject({ redacted: true, source: { host: 'host-1', snapshotId } });
      expect(run.out).not.toMatch(/shop-web-1|opsuser/);
    });

    it('fails with a message for an unknown host or a snapshot of another host', async () => {
      expect(await cli('report', 'nope')).toMatchObject({ code: 2, err: 'driftwatch: no host named "nope"\n' });
      const other = await cli('report', 'shop-web-1', '--snapshot', String(otherSnapshotId));
      expect(other).toMatchObject({ code: 2, err: `driftwatch: host "shop-web-1" has no snapshot ${otherSnapshotId}\n` });
      expect((await cli('report', 'shop-web-1', '--snapshot', 'x')).err).toContain('--snapshot must be a snapshot id');
    });
  });
});

describe('driftwatch scan --local', () => {
  let dir: string;
  const savedUrl = process.env.DATABASE_URL;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'driftwatch-local-'));
    process.env.DATABASE_URL = `sqlite:${join(dir, 'local.sqlite')}`;
  });

  afterAll(async () => {
    process.env.DATABASE_URL = savedUrl;
    await rm(dir, { recursive: true, force: true });
  });

  it('probes this machine with its own sh and prints the summary, without touching a database', async () => {
    const run = await cli('scan', '--local');
    expect(run.out).toMatch(new RegExp(`^${hostname().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(local\\): (ok|partial)\\n\\nApache  `));
    expect(run.out).toMatch(/\nOperating system +\S/);
    expect(existsSync(join(dir, 'local.sqlite'))).toBe(false);
  });

  it('prints every check’s commands and output with --report', async () => {
    const run = await cli('scan', '--local', '--report');
    expect(run.out).toContain(`# driftwatch diagnostic report: ${hostname()}`);
    expect(run.out).toContain('Unsaved scan (sha256 ');
    for (const check of CHECKS) expect(run.out).toContain(`Check \`${check.id}\`: `);
    expect(run.out).toContain('uname -srm');
  });

  it('redacts the machine’s name and the user with --redact', async () => {
    const run = await cli('scan', '--local', '--report', '--redact');
    expect(run.out).toContain('# driftwatch diagnostic report: host-1');
    if (hostname().length >= 3) expect(run.out.toLowerCase()).not.toContain(hostname().toLowerCase());
  });

  it('--save stores the same facts under a local host that SSH scans refuse', async () => {
    const unsaved = JSON.parse((await cli('scan', '--local', '--json')).out);
    const saved = await cli('scan', '--local', '--save', '--json', '--name', 'this-machine');
    const view = JSON.parse(saved.out);
    expect(view).toMatchObject({ host: 'this-machine', via: 'local', changed: true, snapshotId: expect.any(Number) });
    expect(view.hash).toBe(unsaved.hash);
    expect(view.checks).toEqual(unsaved.checks);

    const again = JSON.parse((await cli('scan', '--local', '--save', '--json', '--name', 'this-machine')).out);
    expect(again).toMatchObject({ changed: false, snapshotId: view.snapshotId });

    const listed = JSON.parse((await cli('hosts', 'list', '--json')).out);
    expect(listed).toEqual([expect.objectContaining({ name: 'this-machine', address: 'local.invalid', labels: ['local'] })]);
    const history = JSON.parse((await cli('history', 'this-machine', '--json')).out);
    expect(history.items).toEqual([expect.objectContaining({ id: view.snapshotId, seenCount: 2 })]);

    const ssh = await cli('scan', 'this-machine', '--json');
    expect(ssh.code).toBe(3);
    expect(JSON.parse(ssh.out).scans).toEqual([expect.objectContaining({ status: 'failed', error: expect.stringContaining('recorded by local scans') })]);

    const fleetWide = await cli('scan', '--label', 'local');
    expect(fleetWide.code).toBe(2);
    expect(fleetWide.err).toContain('no hosts match the selection');

    const report = await cli('report', 'this-machine');
    expect(report.out).toContain('scanned locally (`driftwatch scan --local`)');
  });

  it('refuses to record this machine under the name of an SSH host', async () => {
    await cli('hosts', 'add', 'ssh-box', '--address', '127.0.0.1', '--user', 'ops', '--agent');
    const run = await cli('scan', '--local', '--save', '--name', 'ssh-box');
    expect(run.code).toBe(2);
    expect(run.err).toContain('host "ssh-box" is registered for SSH scans');
  });
});
