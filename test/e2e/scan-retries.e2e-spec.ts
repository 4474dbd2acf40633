import { ClientKey, LabHost, debian12EventProfile, generateClientKey, silentServer } from '@driftwatch/lab';
import { CollectorHarness, startCollector } from '../support/collector-harness';

interface ScanRow {
  id: number;
  status: string;
  attempts: number;
  error: string | null;
}

jest.setTimeout(90_000);

describe('transient failures are retried, final ones are not, and one slow host holds up nobody', () => {
  let c: CollectorHarness;
  let key: ClientKey;
  let otherKey: ClientKey;
  const labs: LabHost[] = [];
  let silent: Awaited<ReturnType<typeof silentServer>>;

  const lab = async (authorizedKey = key.publicKey) => {
    const host = await LabHost.start({ profile: debian12EventProfile(), authorizedKey });
    labs.push(host);
    return host;
  };
  const register = (name: string, port: number, labels: string[] = []) =>
    c.http()
      .post('/api/v1/hosts')
      .send({ name, address: '127.0.0.1', port, username: 'ops', auth: { type: 'key', privateKeyPath: key.path }, labels })
      .expect(201);
  const scans = async (name: string): Promise<ScanRow[]> => (await c.http().get(`/api/v1/hosts/${name}/scans`).expect(200)).body.items;

  beforeAll(async () => {
    c = await startCollector({ SCAN_RETRIES: '2', SCAN_RETRY_BACKOFF_MS: '50', SSH_CONNECT_TIMEOUT_MS: '5000', SCAN_CONCURRENCY: '2' });
    key = generateClientKey();
    otherKey = generateClientKey();
    silent = await silentServer();
  });

  afterAll(async () => {
    await Promise.all(labs.map((l) => l.stop()));
    await silent?.stop();
    key?.dispose();
    otherKey?.dispose();
    await c?.close();
  });

  it('a host that resets the first connection is scanned on the second attempt, and the scan says so', async () => {
    const flaky = await lab();
    flaky.dropNextConnections(1);
    await register('flaky', flaky.port);
    const result = (await c.http().post('/api/v1/hosts/flaky/scan').expect(200)).body;
    expect(result).toMatchObject({ status: 'ok', changed: true, attempts: 2 });
    expect(flaky.droppedConnections).toBe(1);
    expect(await scans('flaky')).toEqual([expect.objectContaining({ status: 'ok', attempts: 2, error: null })]);
  });

  it('gives up after SCAN_RETRIES more attempts and records the last failure', async () => {
    const dropping = await lab();
    dropping.dropNextConnections(10);
    await register('dropping', dropping.port);
    const result = (await c.http().post('/api/v1/hosts/dropping/scan').expect(200)).body;
    expect(result).toMatchObject({ status: 'failed', attempts: 3 });
    expect(dropping.droppedConnections).toBe(3);
    const [row] = await scans('dropping');
    expect(row).toMatchObject({ status: 'failed', attempts: 3 });
    expect(row.error).toMatch(/ECONNRESET|closed before the session was ready/);
  });

  it('never retries a refused login', async () => {
    const refusing = await lab(otherKey.publicKey);
    await register('refusing', refusing.port);
    const result = (await c.http().post('/api/v1/hosts/refusing/scan').expect(200)).body;
    expect(result.status).toBe('auth-failed');
    expect(result.attempts).toBeUndefined();
    expect(await scans('refusing')).toEqual([expect.objectContaining({ status: 'auth-failed', attempts: 1 })]);
  });

  it('a host that never answers times out on its own while the others are scanned', async () => {
    await register('silent', silent.port, ['mixed']);
    for (const name of ['n1', 'n2', 'n3', 'n4']) await register(name, (await lab()).port, ['mixed']);
    const run = (await c.http().post('/api/v1/scans').send({ labels: ['mixed'] }).expect(202)).body;
    let progress = run;
    while (progress.status === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 200));
      progress = (await c.http().get(`/api/v1/scans/${run.id}`).expect(200)).body;
    }
    expect(progress.counts).toEqual({ ok: 4, timeout: 1 });
    const [silentScan] = await scans('silent');
    expect(silentScan).toMatchObject({ status: 'timeout', attempts: 3 });
    // Scan rows are written as scans finish: with two slots, all four normal hosts went
    // through the other slot and finished before the silent host gave up (three attempts of
    // 5 s each, far longer than four scans of a lab host take).
    for (const name of ['n1', 'n2', 'n3', 'n4']) {
      const [scan] = await scans(name);
      expect(scan).toMatchObject({ status: 'ok', attempts: 1 });
      expect(scan.id).toBeLessThan(silentScan.id);
    }
  });
});
