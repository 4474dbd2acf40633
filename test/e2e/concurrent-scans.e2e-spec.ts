import { ClientKey, LabHost, debian12EventProfile, generateClientKey, withCommandScript } from '@driftwatch/lab';
import { CollectorHarness, registerLabHost, startCollector } from '../support/collector-harness';

interface ScanRow {
  status: string;
  startedAt: string;
  durationMs: number;
  snapshotId?: number | null;
  stateId?: number | null;
}

describe('two scans of the same host at once', () => {
  let c: CollectorHarness;
  let key: ClientKey;
  let lab: LabHost;

  beforeAll(async () => {
    c = await startCollector();
    key = generateClientKey();
    // A slow login, so the two requests certainly arrive while the first scan runs.
    lab = await LabHost.start({ profile: withCommandScript(debian12EventProfile(), 'sh', '*', 'sleep 1; exec /bin/sh "$@"'), authorizedKey: key.publicKey });
    await registerLabHost(c, 'web-1', lab.port, key.path, { labels: ['web'] });
  });

  afterAll(async () => {
    await lab?.stop();
    key?.dispose();
    await c?.close();
  });

  it('runs them one after the other and keeps one state for one result', async () => {
    const [direct, run] = await Promise.all([
      c.http().post('/api/v1/hosts/web-1/scan').expect(200),
      c.http().post('/api/v1/scans').send({ labels: ['web'] }).expect(202),
    ]);
    expect(direct.body.status).toBe('ok');
    for (let progress = run.body; progress.status !== 'finished'; ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      progress = (await c.http().get(`/api/v1/scans/${run.body.id}`).expect(200)).body;
    }

    const scans: ScanRow[] = (await c.http().get('/api/v1/hosts/web-1/scans').expect(200)).body.items;
    expect(scans.map((s) => s.status)).toEqual(['ok', 'ok']);
    const [first, second] = [...scans].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    expect(Date.parse(second.startedAt)).toBeGreaterThanOrEqual(Date.parse(first.startedAt) + first.durationMs - 1); // ms rounding

    const states = (await c.http().get('/api/v1/hosts/web-1/snapshots').expect(200)).body;
    expect(states.total).toBe(1);
    expect(states.items[0].seenCount).toBe(2);
  });
});
