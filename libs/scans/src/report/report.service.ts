import { Injectable } from '@nestjs/common';
import type { RawSection } from '@driftwatch/checks';
import { HostEntity, HostStateEntity, StatesRepository, unpackRaw } from '@driftwatch/persistence';
import { DiagnosticReport, KnownIdentities, buildReport, redactReport } from '@driftwatch/report';
import { DomainError, DomainErrorCode } from '../errors';
import { contentOf } from '../history/snapshot-view';
import { HostsService } from '../hosts/hosts.service';
import { isLocalHost } from '../local/local-host';

export interface ReportRequest {
  /** A stored state of the host; default: its current state. */
  snapshotId?: number;
  redact?: boolean;
}

/** What identifies a registered host, for redaction: its name, SSH address and login. */
export function identitiesOf(host: HostEntity): KnownIdentities {
  return {
    hosts: isLocalHost(host) ? [host.name] : [host.name, host.address],
    users: [{ name: host.username }],
  };
}

/** The diagnostic report of one stored state of a host (`GET /hosts/:name/report`, `driftwatch report`). */
@Injectable()
export class ReportService {
  constructor(
    private readonly hosts: HostsService,
    private readonly states: StatesRepository,
  ) {}

  async report(hostName: string, request: ReportRequest = {}): Promise<DiagnosticReport> {
    const host = await this.hosts.get(hostName);
    const state = await this.stateOf(host, request.snapshotId);
    const report = buildReport({
      source: {
        host: host.name,
        snapshotId: state.id,
        hash: state.hash,
        firstSeenAt: state.firstSeenAt,
        lastSeenAt: state.lastSeenAt,
        seenCount: state.seenCount,
        via: isLocalHost(host) ? 'local' : 'ssh',
      },
      content: contentOf(state),
      sections: unpackRaw<RawSection[]>(state.raw),
    });
    return request.redact ? redactReport(report, identitiesOf(host)) : report;
  }

  private async stateOf(host: HostEntity, snapshotId: number | undefined): Promise<HostStateEntity> {
    if (snapshotId === undefined) {
      const latest = await this.states.latest(host.id);
      if (!latest) throw new DomainError(DomainErrorCode.SnapshotNotFound, `host "${host.name}" has no snapshot yet`);
      return latest;
    }
    const state = await this.states.findById(snapshotId);
    if (!state || state.hostId !== host.id) throw new DomainError(DomainErrorCode.SnapshotNotFound, `host "${host.name}" has no snapshot ${snapshotId}`);
    return state;
  }
}
