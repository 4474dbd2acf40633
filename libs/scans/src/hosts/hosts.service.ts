import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@driftwatch/config';
import { HostEntity, HostPatch, HostsRepository } from '@driftwatch/persistence';
import { DomainError, DomainErrorCode } from '../errors';
import { isLocalHost } from '../local/local-host';
import { SecretBox } from '../secrets/secret-box';
import { storedAuthOf } from './host-access';
import { CreateHostInput, UpdateHostInput } from './host-input';

/** How many jump hosts may be chained before the target. */
export const MAX_JUMP_CHAIN = 8;

/** The host registry: registration, lookup, pinning. Inputs arrive validated. */
@Injectable()
export class HostsService {
  constructor(
    private readonly hosts: HostsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly secrets: SecretBox,
  ) {}

  async create(input: CreateHostInput): Promise<HostEntity> {
    if (await this.hosts.findByName(input.name)) {
      throw new DomainError(DomainErrorCode.HostExists, `a host named "${input.name}" already exists`);
    }
    if (input.jumpHost !== undefined) await this.checkJumpHost(input.name, input.jumpHost);
    try {
      return await this.hosts.create({
        name: input.name,
        address: input.address,
        port: input.port ?? 22,
        username: input.username,
        ...storedAuthOf(input.auth, this.secrets, this.config.access.allowPasswordAuth),
        hostKey: input.hostKey ?? null,
        hostKeyPolicy: input.hostKeyPolicy ?? null,
        knownHostsFile: input.knownHostsFile ?? null,
        jumpHost: input.jumpHost ?? null,
        sudo: input.sudo ?? false,
        labels: input.labels ?? [],
        overrides: { ...(input.overrides ?? {}) },
      });
    } catch (error) {
      // Lost a race with another registration of the same name.
      if (await this.hosts.findByName(input.name)) {
        throw new DomainError(DomainErrorCode.HostExists, `a host named "${input.name}" already exists`);
      }
      throw error;
    }
  }

  list(): Promise<HostEntity[]> {
    return this.hosts.list();
  }

  async get(name: string): Promise<HostEntity> {
    const host = await this.hosts.findByName(name);
    if (!host) throw new DomainError(DomainErrorCode.HostNotFound, `no host named "${name}"`);
    return host;
  }

  /** Hosts by name and/or label; with neither, every host. Unknown names are an error. */
  /**
   * The hosts a scan request means: those named, plus those carrying one of the labels (all
   * hosts when neither is given). Hosts recorded by `scan --local` can only be scanned on the
   * machine itself, so they come in only when named.
   */
  async select(names: string[] = [], labels: string[] = []): Promise<HostEntity[]> {
    const remote = async () => (await this.hosts.list()).filter((h) => !isLocalHost(h));
    if (names.length === 0 && labels.length === 0) return remote();
    const byName = await this.hosts.findByNames(names);
    const missing = names.filter((n) => !byName.some((h) => h.name === n));
    if (missing.length) throw new DomainError(DomainErrorCode.HostNotFound, `no host named ${missing.map((n) => `"${n}"`).join(', ')}`);
    const byLabel = labels.length ? (await remote()).filter((h) => h.labels.some((l) => labels.includes(l))) : [];
    const unique = new Map([...byName, ...byLabel].map((h) => [h.id, h]));
    return [...unique.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  async update(name: string, input: UpdateHostInput): Promise<HostEntity> {
    const host = await this.get(name);
    const patch: HostPatch = {};
    if (input.address !== undefined) patch.address = input.address;
    if (input.port !== undefined) patch.port = input.port;
    if (input.username !== undefined) patch.username = input.username;
    if (input.auth !== undefined) Object.assign(patch, storedAuthOf(input.auth, this.secrets, this.config.access.allowPasswordAuth));
    if (input.hostKey !== undefined) patch.hostKey = input.hostKey;
    if (input.hostKeyPolicy !== undefined) patch.hostKeyPolicy = input.hostKeyPolicy;
    if (input.knownHostsFile !== undefined) patch.knownHostsFile = input.knownHostsFile;
    if (input.sudo !== undefined) patch.sudo = input.sudo;
    if (input.jumpHost !== undefined) {
      if (input.jumpHost !== null) await this.checkJumpHost(host.name, input.jumpHost);
      patch.jumpHost = input.jumpHost;
    }
    const policy = patch.hostKeyPolicy !== undefined ? patch.hostKeyPolicy : host.hostKeyPolicy;
    const pinned = patch.hostKey !== undefined ? patch.hostKey : host.hostKey;
    if (policy === 'pinned' && !pinned) throw new DomainError(DomainErrorCode.InvalidInput, 'hostKey is required when hostKeyPolicy is "pinned"');
    if (input.labels !== undefined) patch.labels = input.labels;
    if (input.overrides !== undefined) patch.overrides = { ...input.overrides };
    if (input.golden !== undefined) patch.golden = input.golden;
    await this.hosts.update(host.id, patch);
    return this.get(name);
  }

  async remove(name: string): Promise<void> {
    const host = await this.get(name);
    const through = await this.hosts.findByJumpHost(host.name);
    if (through.length) {
      throw new DomainError(DomainErrorCode.InvalidInput, `host "${name}" is the jumpHost of ${through.map((h) => `"${h.name}"`).join(', ')}: change their jumpHost first`);
    }
    await this.hosts.remove(host.id);
  }

  /**
   * Key rotation: every stored secret not sealed with the current DRIFTWATCH_SECRET_KEY is
   * opened (with DRIFTWATCH_SECRET_KEY_PREVIOUS) and sealed again with the current key.
   */
  async resealSecrets(): Promise<{ hosts: number; secrets: number }> {
    if (!this.secrets.canSeal) throw new DomainError(DomainErrorCode.InvalidInput, 'DRIFTWATCH_SECRET_KEY is not set: there is no key to seal secrets with');
    const columns = [
      ['secretPassword', 'password'],
      ['secretPassphrase', 'passphrase'],
      ['secretPrivateKey', 'private-key'],
    ] as const;
    let hosts = 0;
    let secrets = 0;
    for (const host of await this.hosts.list()) {
      const patch: HostPatch = {};
      for (const [column, purpose] of columns) {
        const envelope = host[column];
        if (!envelope || !this.secrets.needsResealing(envelope)) continue;
        patch[column] = this.secrets.seal(this.secrets.open(envelope, purpose), purpose);
        secrets++;
      }
      if (Object.keys(patch).length === 0) continue;
      await this.hosts.update(host.id, patch);
      hosts++;
    }
    return { hosts, secrets };
  }

  /** A jump host must be registered, not the host itself, and must not lead back to it. */
  private async checkJumpHost(name: string, jumpHost: string): Promise<void> {
    const bad = (why: string) => new DomainError(DomainErrorCode.InvalidInput, `jumpHost ${why}`);
    if (jumpHost === name) throw bad(`"${jumpHost}" is the host itself`);
    const chain = [name];
    let next: string | null = jumpHost;
    while (next !== null) {
      if (chain.includes(next)) throw bad(`"${jumpHost}" makes a cycle: ${[...chain, next].join(' → ')}`);
      if (chain.length > MAX_JUMP_CHAIN) throw bad(`"${jumpHost}" chains more than ${MAX_JUMP_CHAIN} jump hosts`);
      const hop: HostEntity | null = await this.hosts.findByName(next);
      if (!hop) throw bad(next === jumpHost ? `"${jumpHost}" is not a registered host` : `"${jumpHost}" goes through "${next}", which is not registered`);
      chain.push(next);
      next = hop.jumpHost;
    }
  }

  /** The host a scan of `host` goes through, if any. */
  async jumpHostOf(host: HostEntity): Promise<HostEntity | null> {
    if (!host.jumpHost) return null;
    const jump = await this.hosts.findByName(host.jumpHost);
    if (!jump) throw new DomainError(DomainErrorCode.InvalidInput, `jumpHost "${host.jumpHost}" of host "${host.name}" is not registered`);
    return jump;
  }

  /**
   * Trust on first use: pin the key the host presented when none was pinned yet. Returns the
   * key now pinned, which differs from `fingerprint` if a concurrent scan pinned another one.
   */
  async pinHostKey(host: HostEntity, fingerprint: string): Promise<string | null> {
    if (await this.hosts.pinHostKeyIfUnset(host.id, fingerprint)) return fingerprint;
    return (await this.hosts.findById(host.id))?.hostKey ?? null;
  }
}
