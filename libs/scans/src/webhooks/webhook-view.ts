import type { DeliveryAttempt, DeliveryStatus, WebhookDeliveryEntity, WebhookEntity } from '@driftwatch/persistence';

/** A webhook as the API shows it: never its secret. */
export interface WebhookView {
  id: number;
  url: string;
  events: WebhookEntity['events'];
  minSeverity: WebhookEntity['minSeverity'];
  createdAt: string;
}

/** The answer to its creation, the only time the secret is shown. */
export interface CreatedWebhookView extends WebhookView {
  secret: string;
}

export interface DeliveryView {
  id: number;
  eventId: string;
  event: string;
  host: string | null;
  status: DeliveryStatus;
  attempts: DeliveryAttempt[];
  /** The body as sent (and signed). */
  payload: unknown;
  createdAt: string;
  updatedAt: string;
}

export function toWebhookView(webhook: WebhookEntity): WebhookView {
  return { id: webhook.id, url: webhook.url, events: webhook.events, minSeverity: webhook.minSeverity, createdAt: webhook.createdAt };
}

export function toDeliveryView(delivery: WebhookDeliveryEntity): DeliveryView {
  return {
    id: delivery.id,
    eventId: delivery.eventId,
    event: delivery.event,
    host: delivery.host,
    status: delivery.status,
    attempts: delivery.attempts,
    payload: JSON.parse(delivery.body) as unknown,
    createdAt: delivery.createdAt,
    updatedAt: delivery.updatedAt,
  };
}
