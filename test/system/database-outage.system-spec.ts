import { ClientKey, closedPort, LabFleet, debian12EventProfile, generateClientKey, withCommandScript } from '@driftwatch/lab';
import { CollectorHarness, startCollector } from '../support/collector-harness';
import { PrivatePostgres } from '../support/private-postgres';

const HOSTS = 6;

/**
 * PostgreSQL stopped while a fleet scan is running, then started again: the API says 503 while
 * it is away, and every scan's result is stored once it is back; none is dropped.
 */
describe('database outage during a scan', () => {
  let postgres: PrivatePostgres;
  let collector: CollectorHarness;
  let key: ClientKey;
  let fleet: LabFleet;

  beforeAll(async () => {
    postgres = PrivatePostgres.create(await closedPort());
    postgres.start();
    key = generateClientKey();
    // Logins take a while, so the results arrive while the database is down.
    const slow = withCommandScript(debian12EventProfile(), 'sh', '*', 'sleep 2; exec /bin/sh "$@"');
    fleet = await LabFleet.start({ count: HOSTS, profile: () => slow, authorizedKey: key.publicKey });
    collector = await startCollector({ DATABASE_URL: postgres.url, SCAN_CONCURRENCY: String(HOSTS), DB_RETRY_WINDOW_MS: '60000' });
    for (const [i, host] of fleet.hosts.entries()) {
      await collector
        .http()
        .post('/api/v1/hosts')
        .send({ name: `db-${i}`, address: host.address, port: host.port, username: 'ops', auth: { type: 'key', privateKeyPath: key.path }, labels: ['outage'] })
        .expect(201);
    }
  });

  afterAll(async () => {
    await collector?.close();
    await fleet?.stop();
    key?.dispose();
    postgres?.remove();
  });

  it('answers 503 while PostgreSQL is stopped and stores every result once it is back', async () => {
    const run = (await collector.http().post('/api/v1/scans').send({ labels: ['outage'] }).expect(202)).body;
    postgres.stop();

    const away = await collector.http().get('/api/v1/hosts');
    expect(away.status).toBe(503);
    expect(away.body).toMatchObject({ statusCode: 503, message: expect.stringContaining('database is unavailable') });
    expect(away.headers['retry-after']).toBe('5');

    await new Promise((resolve) => setTimeout(resolve, 3_000));
    postgres.start();

    let progress = { status: 'running', done: 0, counts: {} as Record<string, number> };
    for (const deadline = Date.now() + 90_000; progress.status !== 'finished' && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const response = await collector.http().get(`/api/v1/scans/${run.id}`);
      if (response.status === 200) progress = response.body;
    }
    expect(progress).toMatchObject({ status: 'finished', done: HOSTS, counts: { ok: HOSTS } });
    for (let i = 0; i < HOSTS; i++) {
      const states = (await collector.http().get(`/api/v1/hosts/db-${i}/snapshots`).expect(200)).body;
      expect(states.total).toBe(1);
    }
  });
});
