import { createHmac } from 'node:crypto';
import { SEVERITY_LEVELS } from '@driftwatch/drift';
import type { AlertState, WebhookEventType, WebhookSeverity } from '@driftwatch/persistence';
import type { DriftRecordedEvent, ScanFinishedEvent } from '../events/scan-events';

/**
 * What webhooks are told, decided without I/O: which scan outcomes are news (a change of
 * condition, never a repeat), which changes pass a webhook's severity floor, how a body is
 * signed and how long a retry waits.
 */

export const WEBHOOK_EVENTS: readonly WebhookEventType[] = ['drift', 'finding', 'scan-failed', 'hostkey-mismatch'];

const FAILING_STATUSES = new Set(['failed', 'unreachable', 'timeout', 'auth-failed']);

type DriftChange = DriftRecordedEvent['changes'][number];

/** One thing to tell the webhooks subscribed to `event`, before their severity filter. */
export type Notification =
  | { event: 'drift' | 'finding'; host: string; data: { runId: number | null; fromSnapshotId: number; toSnapshotId: number; changes: DriftChange[] } }
  | { event: 'scan-failed'; host: string; data: { runId: number | null; status: string; error: string | null } }
  | { event: 'hostkey-mismatch'; host: string; data: { runId: number | null; presentedHostKey: string | null; error: string | null } };

/**
 * The news in a finished scan given the condition last notified for its host. A host notifies
 * `scan-failed` when it starts failing, not on each failed scan after; `hostkey-mismatch` once
 * per distinct unexpected key. A scan that succeeds (ok or partial) ends both conditions, so a
 * later failure is news again.
 */
export function scanNews(event: ScanFinishedEvent, state: AlertState): { notifications: Notification[]; next: AlertState } {
  const base = { host: event.host };
  if (FAILING_STATUSES.has(event.status)) {
    const notifications: Notification[] = state.failing ? [] : [{ ...base, event: 'scan-failed', data: { runId: event.runId, status: event.status, error: event.error ?? null } }];
    return { notifications, next: { ...state, failing: true } };
  }
  if (event.status === 'hostkey-mismatch') {
    // '' stands for a mismatch whose key the transport could not tell.
    const key = event.presentedHostKey ?? '';
    const notifications: Notification[] =
      state.mismatchKey === key
        ? []
        : [{ ...base, event: 'hostkey-mismatch', data: { runId: event.runId, presentedHostKey: event.presentedHostKey ?? null, error: event.error ?? null } }];
    return { notifications, next: { ...state, mismatchKey: key } };
  }
  return { notifications: [], next: { failing: false, mismatchKey: null } };
}

/** A drift event splits into `finding` (findings that appeared or cleared) and `drift` (everything else). */
export function driftNews(event: DriftRecordedEvent): Notification[] {
  const data = (changes: DriftChange[]) => ({ runId: event.runId, fromSnapshotId: event.fromStateId, toSnapshotId: event.toStateId, changes });
  const findings = event.changes.filter((c) => c.path.startsWith('findings.'));
  const others = event.changes.filter((c) => !c.path.startsWith('findings.'));
  const out: Notification[] = [];
  if (others.length) out.push({ event: 'drift', host: event.host, data: data(others) });
  if (findings.length) out.push({ event: 'finding', host: event.host, data: data(findings) });
  return out;
}

const rank = (severity: string) => SEVERITY_LEVELS.indexOf(severity as WebhookSeverity);

/**
 * The notification as one webhook receives it, or null when it does not want it: drift and
 * finding keep only changes at or above its minSeverity; scan-failed and hostkey-mismatch are
 * always sent to webhooks subscribed to them.
 */
export function forWebhook(notification: Notification, webhook: { events: WebhookEventType[]; minSeverity: WebhookSeverity }): Notification | null {
  if (!webhook.events.includes(notification.event)) return null;
  if (notification.event !== 'drift' && notification.event !== 'finding') return notification;
  const changes = notification.data.changes.filter((c) => rank(c.severity) >= rank(webhook.minSeverity));
  return changes.length ? { ...notification, data: { ...notification.data, changes } } : null;
}

/** The JSON body a receiver gets; the signature covers exactly these bytes. */
export function deliveryBody(notification: Notification, eventId: string, at: string): string {
  return JSON.stringify({ id: eventId, event: notification.event, at, host: notification.host, data: notification.data });
}

/** `sha256=<hex>` of HMAC-SHA256(secret, body), the X-Driftwatch-Signature header. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** Wait before attempt `attempt + 1` (attempt counts from 1): base, 2×base, 4×base… */
export function retryDelayMs(attempt: number, baseMs: number): number {
  return baseMs * 2 ** (attempt - 1);
}

/** Network errors, timeouts, 429 and 5xx are worth another attempt; any other answer is final. */
export function isRetryable(statusCode: number | null): boolean {
  return statusCode === null || statusCode === 429 || statusCode >= 500;
}
