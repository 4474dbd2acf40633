import { Injectable } from '@nestjs/common';
import { WebhooksRepository } from '@driftwatch/persistence';
import { HostsService } from '../hosts/hosts.service';
import { resealedWebhookSecret } from '../webhooks/webhook-secret';
import { SecretBox } from './secret-box';

export interface RotationResult {
  /** Hosts with at least one secret resealed. */
  hosts: number;
  /** Webhooks whose signing secret was sealed (a plain one from before sealing) or resealed. */
  webhooks: number;
  /** Secrets sealed again in all, hosts' and webhooks'. */
  secrets: number;
}

/**
 * `driftwatch secrets rotate`: every stored secret not sealed with the current
 * DRIFTWATCH_SECRET_KEY (host secrets, webhook signing secrets, and webhook secrets still in
 * plain text from before they were sealed) is sealed with it.
 */
@Injectable()
export class SecretRotationService {
  constructor(
    private readonly hosts: HostsService,
    private readonly webhooks: WebhooksRepository,
    private readonly box: SecretBox,
  ) {}

  async rotate(): Promise<RotationResult> {
    const hosts = await this.hosts.resealSecrets(); // refuses without a key, before anything changes
    let webhooks = 0;
    for (const webhook of await this.webhooks.list()) {
      const resealed = resealedWebhookSecret(this.box, webhook.secret);
      if (resealed === null) continue;
      await this.webhooks.updateSecret(webhook.id, resealed);
      webhooks++;
    }
    return { hosts: hosts.hosts, webhooks, secrets: hosts.secrets + webhooks };
  }
}
