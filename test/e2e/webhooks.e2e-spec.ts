import { createHmac, randomBytes } from 'node:crypto';
import { ClientKey, LabHost, debian12EventProfile, generateClientKey, withMpm, withoutModule } from '@driftwatch/lab';
import { HostsRepository, WebhooksRepository, openDataSource } from '@driftwatch/persistence';
import { DriftRecordedEvent, ScanEvents, ScanFinishedEvent } from '@driftwatch/scans';
import { CollectorHarness, startCollector } from '../support/collector-harness';
import { TestDatabase, createTestDatabase } from '../support/test-database';
import { WebhookReceiver } from '../support/webhook-receiver';

// Each test scans lab hosts over real SSH; a loaded machine can take seconds per scan.
jest.setTimeout(60_000);

const SECRET_KEY = randomBytes(32).toString('base64');
/** Receivers listen on 127.0.0.1, so these collectors allow private addresses. */
const FAST_RETRIES = {
  API_RATE_LIMIT: '0',
  WEBHOOK_RETRY_BASE_MS: '20',
  WEBHOOK_MAX_ATTEMPTS: '3',
  WEBHOOK_TIMEOUT_MS: '3000',
  WEBHOOK_ALLOW_PRIVATE: 'true',
  DRIFTWATCH_SECRET_KEY: SECRET_KEY,
};

const signed = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/** A failure of a host that is not registered: notified to `scan-failed` webhooks on each call. */
const failedScan = (): ScanFinishedEvent => ({ type: 'scan-finished', runId: null, hostId: 999, host: 'any', status: 'timeout', changed: false, durationMs: 1, at: new Date().toISOString() });

type Delivery = { status: string; event: string; payload: unknown; attempts: { statusCode: number | null; error: string | null; durationMs: number; at: string }[] };

/** Waits until the webhook has at least `count` deliveries and none is pending; newest first. */
async function settledDeliveries(c: CollectorHarness, id: number, count = 1): Promise<Delivery[]> {
  for (;;) {
    const items: Delivery[] = (await c.http().get(`/api/v1/webhooks/${id}/deliveries`).expect(200)).body.items;
    if (items.length >= count && items.every((d) => d.status !== 'pending')) return items;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('webhooks', () => {
  let c: CollectorHarness;
  let key: ClientKey;
  let lab: LabHost;
  let receiver: WebhookReceiver;
  let hostId: number;

  const drift = (changes: DriftRecordedEvent['changes'], host = 'web-1', id = hostId): DriftRecordedEvent => ({
    type: 'drift-recorded',
    runId: null,
    hostId: id,
    host,
    fromStateId: 1,
    toStateId: 2,
    changes,
    at: new Date().toISOString(),
  });
  const mpmChange = { id: 1, path: 'apache.build.mpm', kind: 'changed', category: 'apache', severity: 'critical', summary: 'mpm: event → prefork', before: 'event', after: 'prefork' };
  const builtChange = { id: 2, path: 'apache.build.built', kind: 'changed', category: 'build', severity: 'info', summary: 'built: a → b' };
  const findingChange = { id: 3, path: 'findings.embedded-mode', kind: 'added', category: 'wsgi', severity: 'warning', summary: 'embedded-mode: + embedded-mode' };

  const register = async (events: string[], minSeverity = 'info') =>
    (await c.http().post('/api/v1/webhooks').send({ url: receiver.url, events, minSeverity }).expect(201)).body as { id: number; secret: string };

  const settled = (id: number, count = 1) => settledDeliveries(c, id, count);

  const addHost = async (name: string, port: number, extra: Record<string, unknown> = {}) =>
    c
      .http()
      .post('/api/v1/hosts')
      .send({ name, address: '127.0.0.1', port, username: 'ops', auth: { type: 'key', privateKeyPath: key.path }, ...extra })
      .expect(201);

  const idOf = async (name: string) => (await c.app.get(HostsRepository).findByName(name))!.id;

  beforeAll(async () => {
    c = await startCollector(FAST_RETRIES);
    key = generateClientKey();
    lab = await LabHost.start({ profile: debian12EventProfile(), authorizedKey: key.publicKey });
    await addHost('web-1', lab.port);
    hostId = await idOf('web-1');
    receiver = await WebhookReceiver.start();
  });

  afterAll(async () => {
    await receiver?.stop();
    await lab?.stop();
    key?.dispose();
    await c?.close();
  });

  afterEach(async () => {
    for (const w of (await c.http().get('/api/v1/webhooks').expect(200)).body) await c.http().delete(`/api/v1/webhooks/${w.id}`).expect(204);
    receiver.requests.length = 0;
  });

  it('rejects a url that is not http(s), unknown events and severities, naming the field', async () => {
    const post = (body: object) => c.http().post('/api/v1/webhooks').send(body).expect(400);
    expect((await post({ url: 'ftp://example.org/x', events: ['drift'] })).body.message).toMatch(/^url must be an http\(s\) URL/);
    expect((await post({ url: 'file:///etc/passwd', events: ['drift'] })).body.message).toMatch(/^url /);
    // Credentials in the URL would show in every GET /webhooks answer.
    expect((await post({ url: 'https://ops:hunter2@hooks.example.org/x', events: ['drift'] })).body.message).toMatch(/^url must be an http\(s\) URL without user or password/);
    expect((await post({ url: 'http://127.0.0.1:9/x', events: ['drift', 'everything'] })).body.message).toMatch(/^events must each be one of/);
    expect((await post({ url: 'http://127.0.0.1:9/x', events: [] })).body.message).toMatch(/^events /);
    expect((await post({ url: 'http://127.0.0.1:9/x' })).body.message).toMatch(/^events /);
    expect((await post({ url: 'http://127.0.0.1:9/x', events: ['drift'], minSeverity: 'loud' })).body.message).toMatch(/^minSeverity must be one of info, warning, critical/);
    expect((await c.http().get('/api/v1/webhooks/abc/deliveries').expect(400)).body.message).toMatch(/^id /);
  });

  it('shows the signing secret once, lists webhooks without it, and deletes them', async () => {
    const created = await register(['drift', 'scan-failed'], 'warning');
    expect(created).toMatchObject({ id: expect.any(Number), url: receiver.url, events: ['drift', 'scan-failed'], minSeverity: 'warning', secret: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const listed = (await c.http().get('/api/v1/webhooks').expect(200)).body;
    expect(listed).toEqual([{ id: created.id, url: receiver.url, events: ['drift', 'scan-failed'], minSeverity: 'warning', createdAt: expect.any(String) }]);
    expect(JSON.stringify(listed)).not.toContain(created.secret);
    expect((await c.http().get(`/api/v1/webhooks/${created.id}/deliveries`).expect(200)).body).toEqual({ items: [], total: 0, limit: 50, offset: 0 });
    await c.http().delete(`/api/v1/webhooks/${created.id}`).expect(204);
    expect((await c.http().delete(`/api/v1/webhooks/${created.id}`).expect(404)).body.error).toBe('WEBHOOK_NOT_FOUND');
    await c.http().get(`/api/v1/webhooks/${created.id}/deliveries`).expect(404);
  });

  it('POSTs drift as signed JSON, keeping only changes at or above minSeverity, and findings apart', async () => {
    const { id, secret } = await register(['drift', 'finding'], 'warning');
    c.app.get(ScanEvents).emit(drift([mpmChange, builtChange, findingChange]));
    const requests = await receiver.received(2);
    const byEvent = Object.fromEntries(requests.map((r) => [r.headers['x-driftwatch-event'], r]));
    const body = byEvent.drift.body;
    expect(byEvent.drift.headers['x-driftwatch-signature']).toBe(signed(secret, body));
    expect(byEvent.drift.headers['content-type']).toBe('application/json');
    expect(byEvent.drift.headers['x-driftwatch-timestamp']).toMatch(/^\d{10}$/);
    const payload = JSON.parse(body);
    expect(payload).toEqual({
      id: byEvent.drift.headers['x-driftwatch-event-id'],
      event: 'drift',
      at: expect.any(String),
      host: 'web-1',
      data: { runId: null, fromSnapshotId: 1, toSnapshotId: 2, changes: [mpmChange] },
    });
    expect(JSON.parse(byEvent.finding.body).data.changes).toEqual([findingChange]);

    const deliveries = await settled(id, 2);
    expect(deliveries.map((d) => d.status)).toEqual(['delivered', 'delivered']);
    expect(deliveries[0].attempts).toEqual([{ at: expect.any(String), statusCode: 200, error: null, durationMs: expect.any(Number) }]);
  });

  it('retries network errors and 5xx with backoff, recording every attempt, until a 2xx', async () => {
    const { id } = await register(['drift']);
    receiver.answer(503, 502);
    c.app.get(ScanEvents).emit(drift([mpmChange]));
    const requests = await receiver.received(3);
    expect(requests.map((r) => r.answered)).toEqual([503, 502, 200]);
    expect(new Set(requests.map((r) => r.body)).size).toBe(1);
    expect(new Set(requests.map((r) => r.headers['x-driftwatch-event-id'])).size).toBe(1);
    const [delivery] = await settled(id);
    expect(delivery.status).toBe('delivered');
    expect(delivery.attempts.map((a) => [a.statusCode, a.error])).toEqual([
      [503, 'HTTP 503'],
      [502, 'HTTP 502'],
      [200, null],
    ]);
  });

  it('gives up after the last attempt, and at once on a 4xx', async () => {
    const { id } = await register(['drift']);
    receiver.answer(500, 500, 500);
    c.app.get(ScanEvents).emit(drift([mpmChange]));
    const [exhausted] = await settled(id);
    expect(exhausted).toMatchObject({ status: 'failed' });
    expect(exhausted.attempts.map((a) => a.statusCode)).toEqual([500, 500, 500]);

    receiver.answer(410);
    c.app.get(ScanEvents).emit(drift([mpmChange]));
    const [gone] = await settled(id, 2);
    expect(gone.attempts.map((a) => a.statusCode)).toEqual([410]);
    expect(gone.status).toBe('failed');
  });

  it('does not follow a redirect: the 3xx is recorded and fails the delivery at once', async () => {
    const elsewhere = await WebhookReceiver.start();
    try {
      const { id } = await register(['drift']);
      receiver.redirect(307, elsewhere.url);
      c.app.get(ScanEvents).emit(drift([mpmChange]));
      const [delivery] = await settled(id);
      expect(delivery.status).toBe('failed');
      expect(delivery.attempts.map((a) => [a.statusCode, a.error])).toEqual([[307, 'HTTP 307: redirects are not followed']]);
      expect(receiver.requests).toHaveLength(1);
      expect(elsewhere.requests).toEqual([]);
    } finally {
      await elsewhere.stop();
    }
  });

  it('keeps the signing secret sealed in the database and opens it only to sign', async () => {
    const { id, secret } = await register(['drift']);
    const stored = (await c.app.get(WebhooksRepository).findById(id))!.secret;
    expect(stored).toMatch(/^v1:[0-9a-f]{8}:/);
    expect(stored).not.toContain(secret);
    c.app.get(ScanEvents).emit(drift([mpmChange]));
    const [request] = await receiver.received(1);
    expect(request.headers['x-driftwatch-signature']).toBe(signed(secret, request.body));
  });

  it('signs with a plain secret stored before secrets were sealed', async () => {
    const plain = 'f'.repeat(64);
    const legacy = await c.app.get(WebhooksRepository).create({ url: receiver.url, events: ['drift'], minSeverity: 'info', secret: plain });
    c.app.get(ScanEvents).emit(drift([mpmChange]));
    const [request] = await receiver.received(1);
    expect(request.headers['x-driftwatch-signature']).toBe(signed(plain, request.body));
    expect((await settled(legacy.id))[0].status).toBe('delivered');
  });

  it('records a network error as an attempt', async () => {
    const closed = await WebhookReceiver.start();
    const url = closed.url;
    await closed.stop();
    const created = (await c.http().post('/api/v1/webhooks').send({ url, events: ['drift'] }).expect(201)).body;
    c.app.get(ScanEvents).emit(drift([mpmChange]));
    const [delivery] = await settled(created.id);
    expect(delivery.status).toBe('failed');
    expect(delivery.attempts).toHaveLength(3);
    expect(delivery.attempts[0]).toMatchObject({ statusCode: null, error: expect.stringMatching(/ECONNREFUSED/) });
  });

  it('tells scan-failed once when a lab host becomes unreachable, not on each failed rescan', async () => {
    const { id } = await register(['scan-failed', 'drift']);
    const gone = await LabHost.start({ profile: debian12EventProfile(), authorizedKey: key.publicKey });
    await addHost('gone-1', gone.port);
    expect((await c.http().post('/api/v1/hosts/gone-1/scan').expect(200)).body.status).toBe('ok');
    await gone.stop();
    expect((await c.http().post('/api/v1/hosts/gone-1/scan').expect(200)).body.status).toBe('unreachable');
    expect((await c.http().post('/api/v1/hosts/gone-1/scan').expect(200)).body.status).toBe('unreachable');
    // A later event of the same host marks the point where both failed scans were judged.
    const goneId = await idOf('gone-1');
    c.app.get(ScanEvents).emit(drift([mpmChange], 'gone-1', goneId));
    await receiver.received(2);
    const events = (await settled(id, 2)).map((d) => d.event).reverse();
    expect(events).toEqual(['scan-failed', 'drift']);
    const failed = JSON.parse(receiver.requests.find((r) => r.headers['x-driftwatch-event'] === 'scan-failed')!.body);
    expect(failed).toMatchObject({ event: 'scan-failed', host: 'gone-1', data: { status: 'unreachable', error: expect.any(String) } });
  });

  it('tells hostkey-mismatch once per presented key', async () => {
    const { id } = await register(['hostkey-mismatch', 'drift']);
    await addHost('moved-1', lab.port, { hostKey: `SHA256:${'A'.repeat(43)}` });
    for (let i = 0; i < 2; i++) expect((await c.http().post('/api/v1/hosts/moved-1/scan').expect(200)).body.status).toBe('hostkey-mismatch');
    const movedId = await idOf('moved-1');
    c.app.get(ScanEvents).emit(drift([mpmChange], 'moved-1', movedId));
    await receiver.received(2);
    const deliveries = (await settled(id, 2)).reverse();
    expect(deliveries.map((d) => d.event)).toEqual(['hostkey-mismatch', 'drift']);
    const presented = (await c.http().get('/api/v1/hosts/moved-1/scans').expect(200)).body.items[0].presentedHostKey;
    expect(deliveries[0].payload).toMatchObject({ event: 'hostkey-mismatch', host: 'moved-1', data: { presentedHostKey: presented } });
  });
});

describe('webhooks on real drift of a lab host', () => {
  let c: CollectorHarness;
  let key: ClientKey;
  let lab: LabHost;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    c = await startCollector(FAST_RETRIES);
    key = generateClientKey();
    lab = await LabHost.start({ profile: debian12EventProfile(), authorizedKey: key.publicKey });
    receiver = await WebhookReceiver.start();
    await c
      .http()
      .post('/api/v1/hosts')
      .send({ name: 'real-1', address: '127.0.0.1', port: lab.port, username: 'ops', auth: { type: 'key', privateKeyPath: key.path } })
      .expect(201);
    expect((await c.http().post('/api/v1/hosts/real-1/scan').expect(200)).body.status).toBe('ok');
  });

  afterAll(async () => {
    await receiver?.stop();
    await lab?.stop();
    key?.dispose();
    await c?.close();
  });

  it('signs and delivers the drift of a real MPM change through two failed attempts, and nothing for an unchanged rescan', async () => {
    const { id, secret } = (await c.http().post('/api/v1/webhooks').send({ url: receiver.url, events: ['drift'], minSeverity: 'warning' }).expect(201)).body;
    receiver.answer(503, 500);
    lab.setProfile(withMpm(debian12EventProfile(), 'prefork'));
    const scan = (await c.http().post('/api/v1/hosts/real-1/scan').expect(200)).body;
    expect(scan).toMatchObject({ status: 'ok', changed: true });

    const requests = await receiver.received(3);
    expect(requests.map((r) => r.answered)).toEqual([503, 500, 200]);
    const last = requests[2];
    expect(last.headers['x-driftwatch-signature']).toBe(signed(secret, last.body));
    const payload = JSON.parse(last.body);
    expect(payload).toMatchObject({ event: 'drift', host: 'real-1', id: last.headers['x-driftwatch-event-id'], data: { toSnapshotId: scan.snapshotId } });
    expect(payload.data.changes).toContainEqual(expect.objectContaining({ path: 'apache.build.mpm', before: 'event', after: 'prefork', severity: 'critical' }));
    expect(payload.data.changes.every((ch: { severity: string }) => ch.severity !== 'info')).toBe(true);
    const [delivery] = await settledDeliveries(c, id);
    expect(delivery.attempts.map((a) => a.statusCode)).toEqual([503, 500, 200]);

    // Unchanged: no drift. A later real change marks the point where the rescan was judged.
    expect((await c.http().post('/api/v1/hosts/real-1/scan').expect(200)).body).toMatchObject({ status: 'ok', changed: false });
    lab.setProfile(withoutModule(withMpm(debian12EventProfile(), 'prefork'), 'deflate'));
    expect((await c.http().post('/api/v1/hosts/real-1/scan').expect(200)).body).toMatchObject({ status: 'ok', changed: true });
    await receiver.received(4);
    const deliveries = await settledDeliveries(c, id, 2);
    expect(deliveries).toHaveLength(2);
    expect((deliveries[0].payload as { data: { changes: { path: string }[] } }).data.changes.map((ch) => ch.path)).toContain('apache.modules.modules');
  });
});

describe('webhook URL policy', () => {
  const post = (c: CollectorHarness, url: string) => c.http().post('/api/v1/webhooks').send({ url, events: ['scan-failed'] });

  it('refuses loopback, link-local and private URLs at registration, naming the field', async () => {
    const c = await startCollector({ API_RATE_LIMIT: '0', DRIFTWATCH_SECRET_KEY: SECRET_KEY });
    try {
      const refused = async (url: string) => (await post(c, url).expect(400)).body.message as string;
      const literal = (shown: string) => new RegExp(`^url names the private address ${shown.replace(/[.]/g, '\\.')}: .*unless WEBHOOK_ALLOW_PRIVATE=true$`);
      expect(await refused('http://127.0.0.1:9/x')).toMatch(literal('127.0.0.1'));
      expect(await refused('http://[::1]:9/x')).toMatch(literal('::1'));
      expect(await refused('http://[::ffff:127.0.0.1]:9/x')).toMatch(literal('::ffff:7f00:1'));
      expect(await refused('http://169.254.169.254/latest/meta-data')).toMatch(literal('169.254.169.254'));
      expect(await refused('https://10.20.30.40/hook')).toMatch(literal('10.20.30.40'));
      expect(await refused('https://172.16.5.4/hook')).toMatch(literal('172.16.5.4'));
      expect(await refused('https://192.168.1.10/hook')).toMatch(literal('192.168.1.10'));
      expect(await refused('http://[fd00::1]/x')).toMatch(literal('fd00::1'));
      expect(await refused('http://[fe80::1]/x')).toMatch(literal('fe80::1'));
      expect(await refused('http://localhost:9/x')).toMatch(/^url host "localhost" resolves only to private addresses \(.*127\.0\.0\.1.*\): /);
      // A public address is accepted (and nothing is sent to it: no event happens here).
      const accepted = (await post(c, 'https://203.0.113.7/hook').expect(201)).body;
      await c.http().delete(`/api/v1/webhooks/${accepted.id}`).expect(204);
      expect((await c.http().get('/api/v1/webhooks').expect(200)).body).toEqual([]);
    } finally {
      await c.close();
    }
  });

  it('refuses to register a webhook while there is no DRIFTWATCH_SECRET_KEY to seal its secret with', async () => {
    const c = await startCollector({ API_RATE_LIMIT: '0', WEBHOOK_ALLOW_PRIVATE: 'true' });
    try {
      expect((await post(c, 'https://hooks.example.test/x').expect(400)).body).toMatchObject({
        error: 'INVALID_INPUT',
        message: expect.stringMatching(/^a webhook cannot be registered: the collector has no DRIFTWATCH_SECRET_KEY/),
      });
      expect((await c.http().get('/api/v1/webhooks').expect(200)).body).toEqual([]);
    } finally {
      await c.close();
    }
  });

  it('checks again at delivery: URLs registered while private addresses were allowed are not sent to once they are not', async () => {
    const db = await createTestDatabase();
    const receiver = await WebhookReceiver.start();
    const urls = [receiver.url, receiver.url.replace('127.0.0.1', 'localhost')];
    try {
      const allowing = await startCollector(FAST_RETRIES, db);
      const ids: number[] = [];
      for (const url of urls) ids.push((await post(allowing, url).expect(201)).body.id);
      allowing.app.get(ScanEvents).emit(failedScan());
      await receiver.received(2);
      for (const id of ids) expect((await settledDeliveries(allowing, id))[0].status).toBe('delivered');
      await allowing.close();

      const refusing = await startCollector({ ...FAST_RETRIES, WEBHOOK_ALLOW_PRIVATE: 'false' }, db);
      try {
        refusing.app.get(ScanEvents).emit(failedScan());
        const [literal, named] = await Promise.all(ids.map(async (id) => (await settledDeliveries(refusing, id, 2))[0]));
        expect(literal).toMatchObject({ status: 'failed', attempts: [{ statusCode: null, error: expect.stringMatching(/^not sent: the url names the private address 127\.0\.0\.1: /) }] });
        expect(named).toMatchObject({ status: 'failed', attempts: [{ statusCode: null, error: expect.stringMatching(/^not sent: "localhost" resolves only to private addresses/) }] });
        expect(receiver.requests).toHaveLength(2);
      } finally {
        await refusing.close();
      }
    } finally {
      await receiver.stop();
      await db.cleanup();
    }
  });
});

describe('webhook deliveries across a restart', () => {
  let db: TestDatabase;
  let receiver: WebhookReceiver;

  beforeEach(async () => {
    db = await createTestDatabase();
    receiver = await WebhookReceiver.start();
  });
  afterEach(async () => {
    await receiver.stop();
    await db.cleanup();
  });

  /** What the database holds of a webhook's deliveries while no collector runs. */
  const stored = async (id: number) => {
    const dataSource = await openDataSource(db.url);
    try {
      return (await new WebhooksRepository(dataSource).deliveriesOf(id, 10, 0)).items;
    } finally {
      await dataSource.destroy();
    }
  };

  /** A run that sends one delivery, answered 503, and stops while it waits (10 minutes) for its retry. */
  async function stoppedWaitingForRetry(): Promise<{ id: number; secret: string }> {
    const first = await startCollector({ ...FAST_RETRIES, WEBHOOK_RETRY_BASE_MS: '600000' }, db);
    const created = (await first.http().post('/api/v1/webhooks').send({ url: receiver.url, events: ['scan-failed'] }).expect(201)).body;
    receiver.answer(503);
    first.app.get(ScanEvents).emit(failedScan());
    await receiver.received(1);
    while ((await first.http().get(`/api/v1/webhooks/${created.id}/deliveries`).expect(200)).body.items[0]?.attempts.length !== 1) await new Promise((r) => setTimeout(r, 20));
    await first.close();
    const [delivery] = await stored(created.id);
    expect(delivery).toMatchObject({ status: 'interrupted', attempts: [expect.objectContaining({ statusCode: 503 })] });
    return created;
  }

  it('resends a delivery interrupted by a shutdown at the next start, with the same body, event id and signature', async () => {
    const { id, secret } = await stoppedWaitingForRetry();
    const second = await startCollector(FAST_RETRIES, db);
    try {
      const [before, again] = await receiver.received(2);
      expect(again.body).toBe(before.body);
      expect(again.headers['x-driftwatch-event-id']).toBe(before.headers['x-driftwatch-event-id']);
      expect(again.headers['x-driftwatch-signature']).toBe(signed(secret, again.body));
      const [delivery] = await settledDeliveries(second, id);
      expect(delivery).toMatchObject({ status: 'delivered', event: 'scan-failed' });
      expect(delivery.attempts.map((a) => [a.statusCode, a.error])).toEqual([
        [503, 'HTTP 503'],
        [200, null],
      ]);
    } finally {
      await second.close();
    }
    // Delivered: a third start sends nothing.
    const third = await startCollector(FAST_RETRIES, db);
    await new Promise((r) => setTimeout(r, 500));
    await third.close();
    expect(receiver.requests).toHaveLength(2);
  });

  it('resends a delivery a crash left pending', async () => {
    const { id } = await stoppedWaitingForRetry();
    // A crash records nothing: the row stays as the last attempt left it.
    const dataSource = await openDataSource(db.url);
    await dataSource.query(`UPDATE webhook_deliveries SET status = 'pending' WHERE webhook_id = ${id}`);
    await dataSource.destroy();
    const second = await startCollector(FAST_RETRIES, db);
    try {
      await receiver.received(2);
      const [delivery] = await settledDeliveries(second, id);
      expect(delivery.status).toBe('delivered');
      expect(delivery.attempts.map((a) => a.statusCode)).toEqual([503, 200]);
    } finally {
      await second.close();
    }
  });

  it('counts the attempts made before the restart against WEBHOOK_MAX_ATTEMPTS', async () => {
    const { id } = await stoppedWaitingForRetry();
    receiver.answer(503);
    const second = await startCollector({ ...FAST_RETRIES, WEBHOOK_MAX_ATTEMPTS: '2' }, db);
    try {
      const [delivery] = await settledDeliveries(second, id);
      expect(delivery.status).toBe('failed');
      expect(delivery.attempts.map((a) => a.statusCode)).toEqual([503, 503]);
    } finally {
      await second.close();
    }
    expect(receiver.requests).toHaveLength(2);

    // Interrupted again with its budget used up: marked failed at the next start, not sent.
    const dataSource = await openDataSource(db.url);
    await dataSource.query(`UPDATE webhook_deliveries SET status = 'interrupted' WHERE webhook_id = ${id}`);
    await dataSource.destroy();
    const third = await startCollector({ ...FAST_RETRIES, WEBHOOK_MAX_ATTEMPTS: '2' }, db);
    try {
      const [delivery] = await settledDeliveries(third, id);
      expect(delivery.status).toBe('failed');
      expect(delivery.attempts).toHaveLength(2);
    } finally {
      await third.close();
    }
    expect(receiver.requests).toHaveLength(2);
  });
});
