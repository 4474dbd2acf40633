import { randomBytes } from 'node:crypto';
import { SecretKey } from '@driftwatch/config';
import type { AlertState, NewWebhook, WebhooksRepository } from '@driftwatch/persistence';
import { DomainError } from '../errors';
import { ScanEvents, ScanFinishedEvent } from '../events/scan-events';
import { SecretBox } from '../secrets/secret-box';
import type { Notification } from './notifications';
import { WebhookAddressPolicy } from './webhook-address-policy';
import type { WebhookDeliveryService } from './webhook-delivery.service';
import { WebhooksService } from './webhooks.service';

const finished = (hostId: number, status: ScanFinishedEvent['status']): ScanFinishedEvent => ({
  type: 'scan-finished',
  runId: null,
  hostId,
  host: `h${hostId}`,
  status,
  changed: false,
  durationMs: 1,
  at: '2026-11-21T00:00:00.000Z',
});

describe(WebhooksService.name, () => {
  let bus: ScanEvents;
  let sut: WebhooksService;
  let dispatched: Notification[];
  let states: Map<number, AlertState>;
  let subscribed: string[];
  let created: NewWebhook[];
  const box = new SecretBox(new SecretKey(randomBytes(32)));
  // No real DNS: hooks.example.test is public, intranet.example.test private.
  const addresses = new WebhookAddressPolicy(false, async (name) => [{ address: name === 'hooks.example.test' ? '203.0.113.7' : '10.1.2.3', family: 4 }]);

  beforeEach(() => {
    bus = new ScanEvents();
    dispatched = [];
    states = new Map();
    subscribed = ['scan-failed'];
    created = [];
    const repo = {
      list: async () => [{ events: subscribed }],
      create: async (w: NewWebhook) => (created.push(w), { ...w, id: created.length, createdAt: '2026-11-21T00:00:00.000Z' }),
      alertState: async (id: number) => states.get(id) ?? { failing: false, mismatchKey: null },
      // Slow writes widen the window in which a second event of the host could be judged on stale state.
      saveAlertState: async (id: number, s: AlertState) => {
        await new Promise((r) => setTimeout(r, 5));
        states.set(id, s);
      },
    } as unknown as WebhooksRepository;
    const deliveries = { dispatch: async (n: Notification) => void dispatched.push(n) } as unknown as WebhookDeliveryService;
    sut = new WebhooksService(repo, deliveries, bus, box, addresses);
    sut.onModuleInit();
  });

  afterEach(() => sut.onModuleDestroy());

  const idle = () => new Promise((r) => setTimeout(r, 50));

  it('judges one host’s events in order, so a burst of failures notifies once', async () => {
    for (let i = 0; i < 5; i++) bus.emit(finished(1, 'unreachable'));
    bus.emit(finished(2, 'timeout'));
    await idle();
    expect(dispatched.map((n) => [n.event, n.host])).toEqual([
      ['scan-failed', 'h1'],
      ['scan-failed', 'h2'],
    ]);
  });

  it('turns drift-recorded events from the bus into drift and finding notifications', async () => {
    bus.emit({
      type: 'drift-recorded',
      runId: 1,
      hostId: 3,
      host: 'h3',
      fromStateId: 4,
      toStateId: 5,
      changes: [
        { id: 1, path: 'apache.build.mpm', kind: 'changed', category: 'apache', severity: 'critical', summary: 'mpm' },
        { id: 2, path: 'findings.wsgi-not-loaded', kind: 'added', category: 'modules', severity: 'critical', summary: 'wsgi' },
      ],
      at: '2026-11-21T00:00:00.000Z',
    });
    await idle();
    expect(dispatched.map((n) => n.event)).toEqual(['drift', 'finding']);
  });

  it('tracks no failure condition while no webhook wants to hear of failures', async () => {
    subscribed = ['drift'];
    bus.emit(finished(1, 'unreachable'));
    await idle();
    expect(states.size).toBe(0);
    subscribed = ['scan-failed'];
    bus.emit(finished(1, 'unreachable'));
    await idle();
    expect(dispatched.map((n) => n.event)).toEqual(['scan-failed']);
  });

  it('stops listening when the module is destroyed', async () => {
    sut.onModuleDestroy();
    bus.emit(finished(1, 'failed'));
    await idle();
    expect(dispatched).toEqual([]);
  });

  it('stores the signing secret sealed and answers it once in plain text', async () => {
    const answer = await sut.create({ url: 'https://hooks.example.test/x', events: ['drift'], minSeverity: 'info' });
    expect(answer.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(created[0].secret).toMatch(/^v1:/);
    expect(created[0].secret).not.toContain(answer.secret);
    expect(box.open(created[0].secret, 'webhook-secret')).toBe(answer.secret);
  });

  it('refuses a webhook without a key to seal its secret with, and one on a private address, naming the field', async () => {
    const keyless = new WebhooksService({} as WebhooksRepository, {} as WebhookDeliveryService, bus, new SecretBox(null), addresses);
    await expect(keyless.create({ url: 'https://hooks.example.test/x', events: ['drift'], minSeverity: 'info' })).rejects.toThrow(/no DRIFTWATCH_SECRET_KEY/);
    const privately = sut.create({ url: 'https://intranet.example.test/x', events: ['drift'], minSeverity: 'info' });
    await expect(privately).rejects.toBeInstanceOf(DomainError);
    await expect(privately).rejects.toThrow(/^url host "intranet.example.test" resolves only to private addresses \(10.1.2.3\)/);
    expect(created).toEqual([]);
  });
});
