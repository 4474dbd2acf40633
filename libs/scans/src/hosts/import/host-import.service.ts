import { Injectable } from '@nestjs/common';
import type { HostEntity } from '@driftwatch/persistence';
import { DomainError, DomainErrorCode } from '../../errors';
import { validateInput } from '../../validate-input';
import { CreateHostInput, UpdateHostInput } from '../host-input';
import { HostsService } from '../hosts.service';
import { parseAnsibleInventory } from './ansible-inventory.parser';
import { ImportedHost, ParsedInventory } from './imported-host';
import { parseSshConfig } from './ssh-config.parser';

export type InventoryFormat = 'ansible' | 'ssh-config';

export interface ImportDefaults {
  /** Login for hosts the inventory gives no user. */
  username?: string;
  /** `~` in ssh_config IdentityFile paths. */
  home?: string;
}

export interface ImportReport {
  created: string[];
  updated: string[];
  unchanged: string[];
  skipped: { name: string; reason: string }[];
  warnings: string[];
}

/**
 * Registers the hosts of an Ansible inventory or an OpenSSH client config. Idempotent: a host
 * already registered with the same settings is left alone, one with other settings is updated
 * (stored secrets stay unless its login changes), so importing twice changes nothing.
 * Jump hosts are registered before the hosts that go through them.
 */
@Injectable()
export class HostImportService {
  constructor(private readonly hosts: HostsService) {}

  parse(format: InventoryFormat, content: string, defaults: ImportDefaults = {}): ParsedInventory {
    return format === 'ansible' ? parseAnsibleInventory(content) : parseSshConfig(content, defaults.home ?? process.env.HOME ?? '/root');
  }

  async import(format: InventoryFormat, content: string, defaults: ImportDefaults = {}): Promise<ImportReport> {
    const parsed = this.parse(format, content, defaults);
    const report: ImportReport = { created: [], updated: [], unchanged: [], skipped: [], warnings: parsed.warnings };
    for (const host of jumpHostsFirst(parsed.hosts)) {
      try {
        const outcome = await this.importOne(host, defaults);
        report[outcome].push(host.name);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        report.skipped.push({ name: host.name, reason: error.message });
      }
    }
    return report;
  }

  private async importOne(host: ImportedHost, defaults: ImportDefaults): Promise<'created' | 'updated' | 'unchanged'> {
    const username = host.username ?? defaults.username;
    if (!username) throw new DomainError(DomainErrorCode.InvalidInput, 'username: the inventory gives no user and no default user was given');
    const wanted = {
      address: host.address,
      port: host.port ?? 22,
      username,
      auth: host.privateKeyPath ? { type: 'key' as const, privateKeyPath: host.privateKeyPath } : { type: 'agent' as const },
      labels: host.labels,
      ...(host.jumpHost ? { jumpHost: host.jumpHost } : {}),
    };
    const existing = await this.hosts.get(host.name).catch((error: unknown) => {
      if (error instanceof DomainError && error.code === DomainErrorCode.HostNotFound) return null;
      throw error;
    });
    if (!existing) {
      await this.hosts.create(validateInput(CreateHostInput, { name: host.name, ...wanted }));
      return 'created';
    }
    const patch = differences(existing, wanted);
    if (Object.keys(patch).length === 0) return 'unchanged';
    await this.hosts.update(host.name, validateInput(UpdateHostInput, patch));
    return 'updated';
  }
}

type Wanted = { address: string; port: number; username: string; auth: { type: 'key'; privateKeyPath: string } | { type: 'agent' }; labels: string[]; jumpHost?: string };

function differences(existing: HostEntity, wanted: Wanted): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  if (existing.address !== wanted.address) patch.address = wanted.address;
  if (existing.port !== wanted.port) patch.port = wanted.port;
  if (existing.username !== wanted.username) patch.username = wanted.username;
  const path = wanted.auth.type === 'key' ? wanted.auth.privateKeyPath : null;
  if (existing.authType !== wanted.auth.type || (existing.privateKeyPath ?? null) !== path) patch.auth = wanted.auth;
  if (JSON.stringify([...existing.labels].sort()) !== JSON.stringify([...wanted.labels].sort())) patch.labels = wanted.labels;
  if ((existing.jumpHost ?? null) !== (wanted.jumpHost ?? null)) patch.jumpHost = wanted.jumpHost ?? null;
  return patch;
}

/** Hosts ordered so that a jump host of the same import comes before those that use it. */
function jumpHostsFirst(hosts: ImportedHost[]): ImportedHost[] {
  const byName = new Map(hosts.map((h) => [h.name, h]));
  const ordered: ImportedHost[] = [];
  const placed = new Set<string>();
  const place = (host: ImportedHost, path: Set<string>) => {
    if (placed.has(host.name) || path.has(host.name)) return; // a cycle is reported by validation
    path.add(host.name);
    const jump = host.jumpHost ? byName.get(host.jumpHost) : undefined;
    if (jump) place(jump, path);
    placed.add(host.name);
    ordered.push(host);
  };
  for (const host of hosts) place(host, new Set());
  return ordered;
}
