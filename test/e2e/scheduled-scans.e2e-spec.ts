import { ClientKey, LabFleet, debian12EventProfile, generateClientKey } from '@driftwatch/lab';
import { CollectorHarness, startCollector } from '../support/collector-harness';

jest.setTimeout(30_000);

interface ScanRow {
  runId: number | null;
  status: string;
}

/** One real tick of a real schedule: the collector's own cron, lab hosts over SSH, the database. */
describe('scheduled scans', () => {
  let c: CollectorHarness;
  let key: ClientKey;
  let fleet: LabFleet;
  const names = ['web-a', 'web-b', 'web-c', 'db-a'];

  beforeAll(async () => {
    key = generateClientKey();
    fleet = await LabFleet.start({ count: names.length, profile: () => debian12EventProfile(), authorizedKey: key.publicKey });
    // Every hour for all hosts (not within this test), every second for the web label.
    c = await startCollector({ SCAN_SCHEDULE: '0 * * * *', SCAN_SCHEDULE_LABELS: 'web=* * * * * *', SCAN_SPLAY_SECONDS: '1' });
    for (const [i, name] of names.entries()) {
      const lab = fleet.hosts[i];
      await c
        .http()
        .post('/api/v1/hosts')
        .send({ name, address: lab.address, port: lab.port, username: 'ops', auth: { type: 'key', privateKeyPath: key.path }, labels: [name.split('-')[0]] })
        .expect(201);
    }
  });

  afterAll(async () => {
    await c?.close();
    await fleet?.stop();
    key?.dispose();
  });

  const scans = async (name: string): Promise<ScanRow[]> => (await c.http().get(`/api/v1/hosts/${name}/scans`).expect(200)).body.items;

  it('scans the label\'s hosts on its tick, each once per run, and leaves the others alone', async () => {
    let firstRun: number | null = null;
    // The schedule ticks while the hosts are still being registered: a tick between two
    // registrations runs over fewer hosts. Take the first run that all three web hosts were in.
    while (firstRun === null) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const [a, ...others] = (await Promise.all(['web-a', 'web-b', 'web-c'].map(scans))).map((rows) => new Set(rows.map((r) => r.runId)));
      const common = [...a].filter((id): id is number => id !== null && others.every((ids) => ids.has(id)));
      if (common.length > 0) firstRun = Math.min(...common);
    }
    let run = (await c.http().get(`/api/v1/scans/${firstRun}`).expect(200)).body;
    while (run.status === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 100));
      run = (await c.http().get(`/api/v1/scans/${firstRun}`).expect(200)).body;
    }
    expect(run).toMatchObject({ status: 'finished', selection: { labels: ['web'] }, total: 3, done: 3, counts: { ok: 3 } });
    for (const name of ['web-a', 'web-b', 'web-c']) {
      expect((await scans(name)).filter((s) => s.runId === firstRun)).toEqual([expect.objectContaining({ status: 'ok' })]);
    }
    expect(await scans('db-a')).toEqual([]);
  });
});
