import { Database } from 'sqlite3';
import { ClientKey, LabHost, debian12EventProfile, generateClientKey, withCommandScript } from '@driftwatch/lab';
import { CollectorHarness, registerLabHost, startCollector } from '../support/collector-harness';

function exec(db: Database, sql: string): Promise<void> {
  return new Promise((resolve, reject) => db.exec(sql, (error) => (error ? reject(error) : resolve())));
}

/** Another process holding the sqlite file's write lock while a scan finishes: the result waits and is stored. */
describe('sqlite locked by another writer during a scan', () => {
  let c: CollectorHarness;
  let key: ClientKey;
  let lab: LabHost;

  beforeAll(async () => {
    c = await startCollector();
    if (c.db.kind !== 'sqlite') throw new Error('this spec is about sqlite; run it without DATABASE_URL');
    key = generateClientKey();
    lab = await LabHost.start({ profile: withCommandScript(debian12EventProfile(), 'sh', '*', 'sleep 1; exec /bin/sh "$@"'), authorizedKey: key.publicKey });
    await registerLabHost(c, 'web-1', lab.port, key.path, { hostKey: lab.hostKeyFingerprint });
  });

  afterAll(async () => {
    await lab?.stop();
    key?.dispose();
    await c?.close();
  });

  it('keeps the result until the lock is released, then stores it', async () => {
    const other = new Database(c.db.url.replace(/^sqlite:/, ''));
    await exec(other, 'BEGIN EXCLUSIVE');
    const scan = c.http().post('/api/v1/hosts/web-1/scan');
    // The probe takes a second; the lock outlives it by two more.
    let releasedAt = Infinity;
    const released = new Promise<void>((resolve) => setTimeout(() => exec(other, 'COMMIT').then(() => ((releasedAt = Date.now()), resolve())), 3_000));
    const response = await scan;
    const answeredAt = Date.now();
    await released;
    // The scan could only answer once its result was written, after the other writer let go.
    expect(answeredAt).toBeGreaterThanOrEqual(releasedAt);
    await new Promise<void>((resolve) => other.close(() => resolve()));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'ok', changed: true, snapshotId: expect.any(Number) });
    const scans = (await c.http().get('/api/v1/hosts/web-1/scans').expect(200)).body;
    expect(scans.items).toEqual([expect.objectContaining({ status: 'ok' })]);
  });
});
