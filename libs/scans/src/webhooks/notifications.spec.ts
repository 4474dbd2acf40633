import { createHmac } from 'node:crypto';
import type { DriftRecordedEvent, ScanFinishedEvent } from '../events/scan-events';
import { deliveryBody, driftNews, forWebhook, isRetryable, retryDelayMs, scanNews, signBody } from './notifications';

const finished = (status: ScanFinishedEvent['status'], over: Partial<ScanFinishedEvent> = {}): ScanFinishedEvent => ({
  type: 'scan-finished',
  runId: null,
  hostId: 1,
  host: 'web-1',
  status,
  changed: false,
  durationMs: 10,
  at: '2026-11-21T00:00:00.000Z',
  ...over,
});
const change = (path: string, severity: string) => ({ id: 1, path, kind: 'changed', category: 'apache', severity, summary: path });
const drift = (changes: DriftRecordedEvent['changes']): DriftRecordedEvent => ({
  type: 'drift-recorded',
  runId: 7,
  hostId: 1,
  host: 'web-1',
  fromStateId: 1,
  toStateId: 2,
  changes,
  at: '2026-11-21T00:00:00.000Z',
});
const healthy = { failing: false, mismatchKey: null };

describe(scanNews.name, () => {
  it('tells scan-failed when a host starts failing, not while it keeps failing, and again after a recovery', () => {
    const first = scanNews(finished('unreachable', { error: 'ECONNREFUSED' }), healthy);
    expect(first.notifications).toEqual([{ event: 'scan-failed', host: 'web-1', data: { runId: null, status: 'unreachable', error: 'ECONNREFUSED' } }]);
    const second = scanNews(finished('timeout'), first.next);
    expect(second.notifications).toEqual([]);
    const recovered = scanNews(finished('ok'), second.next);
    expect(recovered).toEqual({ notifications: [], next: healthy });
    expect(scanNews(finished('auth-failed'), recovered.next).notifications).toHaveLength(1);
  });

  it('does not treat a partial scan as a failure', () => {
    expect(scanNews(finished('partial'), { failing: true, mismatchKey: null })).toEqual({ notifications: [], next: healthy });
  });

  it('tells hostkey-mismatch once per distinct presented key', () => {
    const k1 = scanNews(finished('hostkey-mismatch', { presentedHostKey: 'SHA256:one' }), healthy);
    expect(k1.notifications).toEqual([{ event: 'hostkey-mismatch', host: 'web-1', data: { runId: null, presentedHostKey: 'SHA256:one', error: null } }]);
    expect(scanNews(finished('hostkey-mismatch', { presentedHostKey: 'SHA256:one' }), k1.next).notifications).toEqual([]);
    expect(scanNews(finished('hostkey-mismatch', { presentedHostKey: 'SHA256:two' }), k1.next).notifications).toHaveLength(1);
  });
});

describe(driftNews.name, () => {
  it('splits findings from the other changes', () => {
    const news = driftNews(drift([change('apache.build.mpm', 'critical'), change('findings.embedded-mode', 'warning')]));
    expect(news.map((n) => [n.event, (n.data as { changes: { path: string }[] }).changes.map((c) => c.path)])).toEqual([
      ['drift', ['apache.build.mpm']],
      ['finding', ['findings.embedded-mode']],
    ]);
  });
});

describe(forWebhook.name, () => {
  const [news] = driftNews(drift([change('apache.build.mpm', 'critical'), change('apache.build.built', 'info')]));

  it('keeps only changes at or above the webhook’s minSeverity, and nothing below it', () => {
    expect((forWebhook(news, { events: ['drift'], minSeverity: 'warning' })!.data as { changes: unknown[] }).changes).toEqual([change('apache.build.mpm', 'critical')]);
    expect(forWebhook(driftNews(drift([change('a.b', 'info')]))[0], { events: ['drift'], minSeverity: 'warning' })).toBeNull();
  });

  it('sends only subscribed events, and failures whatever the severity floor', () => {
    expect(forWebhook(news, { events: ['finding'], minSeverity: 'info' })).toBeNull();
    const failed = scanNews(finished('failed'), healthy).notifications[0];
    expect(forWebhook(failed, { events: ['scan-failed'], minSeverity: 'critical' })).toBe(failed);
  });
});

describe('signing and retries', () => {
  it('signs the exact body with HMAC-SHA256', () => {
    const body = deliveryBody(driftNews(drift([change('apache.build.mpm', 'critical')]))[0], 'e-1', '2026-11-21T00:00:00.000Z');
    expect(JSON.parse(body)).toMatchObject({ id: 'e-1', event: 'drift', host: 'web-1', data: { toSnapshotId: 2 } });
    expect(signBody('s3cret', body)).toBe(`sha256=${createHmac('sha256', 's3cret').update(body).digest('hex')}`);
    expect(signBody('other', body)).not.toBe(signBody('s3cret', body));
  });

  it('doubles the wait after each attempt and retries only network errors, 429 and 5xx', () => {
    expect([1, 2, 3].map((n) => retryDelayMs(n, 100))).toEqual([100, 200, 400]);
    expect([null, 429, 500, 503].every(isRetryable)).toBe(true);
    expect([200, 301, 400, 404].some(isRetryable)).toBe(false);
  });
});
