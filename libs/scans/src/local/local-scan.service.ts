import { Injectable } from '@nestjs/common';
import type { ProbeOverrides } from '@driftwatch/checks';
import { HostEntity, HostsRepository } from '@driftwatch/persistence';
import { DomainError, DomainErrorCode } from '../errors';
import { CreateHostInput } from '../hosts/host-input';
import { HostsService } from '../hosts/hosts.service';
import { ScanOutcome } from '../scanning/scan-outcome';
import { ScanService } from '../scanning/scan.service';
import { ProbeExecutor } from '../scanning/probe-executor';
import { validateInput } from '../validate-input';
import { LOCAL_HOST_ADDRESS, LOCAL_HOST_LABEL, isLocalHost } from './local-host';

export interface LocalSaveRequest {
  /** The host's name: the machine's host name unless chosen. */
  name: string;
  /** The user the probe runs as (recorded as the host's login). */
  username: string;
  /** Overrides for this scan; kept on the host. Absent: the host's stored ones. */
  overrides?: ProbeOverrides;
}

/**
 * `driftwatch scan --local --save`: records this machine as a local host (created on first
 * use) and scans it through the one scan path, with the probe run locally.
 */
@Injectable()
export class LocalScanService {
  constructor(
    private readonly hosts: HostsService,
    private readonly hostsRepo: HostsRepository,
    private readonly scanner: ScanService,
  ) {}

  async scanAndSave(request: LocalSaveRequest, executor: ProbeExecutor): Promise<ScanOutcome> {
    const host = await this.localHost(request);
    return this.scanner.scanHost(host, null, executor);
  }

  private async localHost(request: LocalSaveRequest): Promise<HostEntity> {
    const existing = await this.hostsRepo.findByName(request.name);
    if (existing && !isLocalHost(existing)) {
      throw new DomainError(
        DomainErrorCode.HostExists,
        `host "${request.name}" is registered for SSH scans; record this machine under another name with --name`,
      );
    }
    if (!existing) {
      return this.hosts.create(
        validateInput(CreateHostInput, {
          name: request.name,
          address: LOCAL_HOST_ADDRESS,
          username: request.username,
          auth: { type: 'agent' },
          labels: [LOCAL_HOST_LABEL],
          overrides: request.overrides ?? {},
        }),
      );
    }
    if (request.overrides && Object.keys(request.overrides).length > 0) {
      return this.hosts.update(request.name, { overrides: { ...request.overrides } });
    }
    return existing;
  }
}
