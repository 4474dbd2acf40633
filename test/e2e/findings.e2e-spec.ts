import { ClientKey, LabHost, debian12PreforkEmbeddedProfile, generateClientKey, withoutModule } from '@driftwatch/lab';
import { CollectorHarness, registerLabHost, startCollector } from '../support/collector-harness';

describe('findings', () => {
  let c: CollectorHarness;
  let key: ClientKey;
  let lab: LabHost;

  beforeAll(async () => {
    c = await startCollector();
    key = generateClientKey();
    lab = await LabHost.start({ profile: debian12PreforkEmbeddedProfile(), authorizedKey: key.publicKey });
    await registerLabHost(c, 'embedded-1', lab.port, key.path, { overrides: { diagnosticUrl: 'http://127.0.0.1:8080/__diag' } });
  });

  afterAll(async () => {
    await lab?.stop();
    key?.dispose();
    await c?.close();
  });

  it('reports the guide’s advice for the current state in the scan result and under /findings', async () => {
    const scan = (await c.http().post('/api/v1/hosts/embedded-1/scan').expect(200)).body;
    expect(scan.status).toBe('ok');
    const ids = scan.findings.map((f: { id: string }) => f.id);
    expect(ids).toContain('embedded-mode');
    expect(ids).not.toContain('wsgi-not-loaded');

    const body = (await c.http().get('/api/v1/hosts/embedded-1/findings').expect(200)).body;
    expect(body).toMatchObject({ host: 'embedded-1', snapshotId: scan.snapshotId });
    expect(body.findings).toContainEqual(expect.objectContaining({ id: 'embedded-mode', checkId: 'python.runtime', severity: expect.any(String), message: expect.any(String) }));
  });

  it('a finding that appears on a later scan is a drift event', async () => {
    lab.setProfile(withoutModule(debian12PreforkEmbeddedProfile(), 'wsgi'));
    await c.http().post('/api/v1/hosts/embedded-1/scan').expect(200);
    const { changes } = (await c.http().get('/api/v1/hosts/embedded-1/diff').expect(200)).body;
    expect(changes).toContainEqual(expect.objectContaining({ path: 'findings.wsgi-not-loaded', kind: 'added' }));
    expect(changes).toContainEqual(expect.objectContaining({ path: 'apache.modules.wsgiLoaded', before: true, after: false, severity: 'critical' }));
  });
});
