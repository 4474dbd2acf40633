import { Injectable } from '@nestjs/common';
import { HostEntity, HostPatch, HostsRepository } from '@driftwatch/persistence';
import { DomainError, DomainErrorCode } from '../errors';
import { isLocalHost } from '../local/local-host';
import { CreateHostInput, UpdateHostInput } from './host-input';

/** The host registry: registration, lookup, pinning. Inputs arrive validated. */
@Injectable()
export class HostsService {
  constructor(private readonly hosts: HostsRepository) {}

  async create(input: CreateHostInput): Promise<HostEntity> {
    if (await this.hosts.findByName(input.name)) {
      throw new DomainError(DomainErrorCode.HostExists, `a host named "${input.name}" already exists`);
    }
    try {
      return await this.hosts.create({
        name: input.name,
        address: input.address,
        port: input.port ?? 22,
        username: input.username,
        authType: input.auth.type,
        privateKeyPath: input.auth.type === 'key' ? (input.auth.privateKeyPath ?? null) : null,
        hostKey: input.hostKey ?? null,
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
    if (input.auth !== undefined) {
      patch.authType = input.auth.type;
      patch.privateKeyPath = input.auth.type === 'key' ? (input.auth.privateKeyPath ?? null) : null;
    }
    if (input.hostKey !== undefined) patch.hostKey = input.hostKey;
    if (input.labels !== undefined) patch.labels = input.labels;
    if (input.overrides !== undefined) patch.overrides = { ...input.overrides };
    if (input.golden !== undefined) patch.golden = input.golden;
    await this.hosts.update(host.id, patch);
    return this.get(name);
  }

  async remove(name: string): Promise<void> {
    const host = await this.get(name);
    await this.hosts.remove(host.id);
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
