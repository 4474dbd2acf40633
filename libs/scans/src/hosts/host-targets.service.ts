import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@driftwatch/config';
import type { HostEntity } from '@driftwatch/persistence';
import type { SshTarget } from '@driftwatch/ssh';
import { SecretBox } from '../secrets/secret-box';
import { HostsService, MAX_JUMP_CHAIN } from './hosts.service';
import { sshTargetOf } from './ssh-target-of';

export type ResolvedTarget = { ok: true; target: SshTarget; jumpHost: HostEntity | null } | { ok: false; error: string };

/**
 * Resolves a registered host into everything the transport needs at scan time: the collector's
 * key policy defaults, secrets opened from their sealed form, and its jump host chain (each
 * jump host with its own policy and login). Errors never hold a secret.
 */
@Injectable()
export class HostTargetsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly hosts: HostsService,
    private readonly secrets: SecretBox,
  ) {}

  async resolve(host: HostEntity): Promise<ResolvedTarget> {
    try {
      const jumpHost = await this.hosts.jumpHostOf(host);
      return { ok: true, target: await this.targetOf(host, 0), jumpHost };
    } catch (error) {
      return { ok: false, error: (error as Error).message };
    }
  }

  private async targetOf(host: HostEntity, depth: number): Promise<SshTarget> {
    if (depth > MAX_JUMP_CHAIN) throw new Error(`host "${host.name}" chains more than ${MAX_JUMP_CHAIN} jump hosts`);
    const jump = await this.hosts.jumpHostOf(host);
    const jumpTarget = jump ? { ...(await this.targetOf(jump, depth + 1)), name: jump.name } : undefined;
    return sshTargetOf(host, {
      defaultPolicy: this.config.access.hostKeyPolicy,
      defaultKnownHostsFile: this.config.access.knownHostsFile,
      open: (envelope, purpose) => this.secrets.open(envelope, purpose),
      ...(jumpTarget ? { jumpHost: jumpTarget } : {}),
    });
  }
}
