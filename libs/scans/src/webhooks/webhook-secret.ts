import { SecretBox } from '../secrets/secret-box';

/*
 * Webhook signing secrets at rest: sealed under DRIFTWATCH_SECRET_KEY like host secrets. Rows
 * written before secrets were sealed hold the secret in plain text; they keep signing as they
 * are until `driftwatch secrets rotate` seals them.
 */

export function sealWebhookSecret(box: SecretBox, plain: string): string {
  return box.seal(plain, 'webhook-secret');
}

/** The secret to sign with, opened in memory; throws SecretBoxError when its key is missing. */
export function openWebhookSecret(box: SecretBox, stored: string): string {
  return SecretBox.isSealed(stored) ? box.open(stored, 'webhook-secret') : stored;
}

/** `stored` sealed with the current key, or null when it already is. */
export function resealedWebhookSecret(box: SecretBox, stored: string): string | null {
  if (SecretBox.isSealed(stored) && !box.needsResealing(stored)) return null;
  return sealWebhookSecret(box, openWebhookSecret(box, stored));
}
