import { Inject, Injectable } from '@nestjs/common';
import type { RawSection } from '@driftwatch/checks';
import { APP_CONFIG, AppConfig } from '@driftwatch/config';
import { Change, DriftHeadline, diffSnapshots, explainChanges } from '@driftwatch/drift';
import { HostStateEntity, HostsRepository, ScansRepository, StatesRepository, unpackRaw } from '@driftwatch/persistence';
import { DomainError, DomainErrorCode } from '../errors';
import { HostsService } from '../hosts/hosts.service';
import { RawView, ScanView, SnapshotSummary, SnapshotView, contentOf, toScanView, toSnapshotView, toSummary } from './snapshot-view';

export interface SnapshotPage {
  items: SnapshotSummary[];
  total: number;
  limit: number;
  offset: number;
}

export interface ScanPage {
  items: ScanView[];
  total: number;
  limit: number;
  offset: number;
}

export interface DiffView {
  host: string;
  from: SnapshotSummary | null;
  to: SnapshotSummary;
  /** One line per subject that changed (Apache, mod_wsgi, Python, libpython…), most important first. */
  headlines: DriftHeadline[];
  changes: Change[];
}

/** Read side: a host's timeline of states, one state's facts and evidence, diffs between states. */
@Injectable()
export class HistoryService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly hosts: HostsService,
    private readonly hostsRepo: HostsRepository,
    private readonly states: StatesRepository,
    private readonly scans: ScansRepository,
  ) {}

  /** Every scan attempt of a host, newest first, including those that stored nothing. */
  async scanHistory(hostName: string, limit: number, offset: number): Promise<ScanPage> {
    const host = await this.hosts.get(hostName);
    const page = await this.scans.pageForHost(host.id, limit, offset);
    return { items: page.items.map(toScanView), total: page.total, limit, offset };
  }

  async snapshots(hostName: string, limit: number, offset: number): Promise<SnapshotPage> {
    const host = await this.hosts.get(hostName);
    const page = await this.states.page(host.id, limit, offset);
    return { items: page.items.map(toSummary), total: page.total, limit, offset };
  }

  async latest(hostName: string): Promise<SnapshotView> {
    const host = await this.hosts.get(hostName);
    const state = await this.states.latest(host.id);
    if (!state) throw new DomainError(DomainErrorCode.SnapshotNotFound, `host "${hostName}" has no snapshot yet`);
    return toSnapshotView(state, host.name);
  }

  /** The findings of a host's current state. */
  async findings(hostName: string): Promise<{ host: string; snapshotId: number; findings: SnapshotView['findings'] }> {
    const latest = await this.latest(hostName);
    return { host: latest.host, snapshotId: latest.id, findings: latest.findings };
  }

  async snapshot(id: number): Promise<SnapshotView> {
    const { state, hostName } = await this.stateWithHost(id);
    return toSnapshotView(state, hostName);
  }

  async raw(id: number): Promise<RawView> {
    const { state, hostName } = await this.stateWithHost(id);
    return { id: state.id, host: hostName, sections: unpackRaw<RawSection[]>(state.raw) };
  }

  /** Diff between two states of a host; by default the previous state → the current one. */
  async diff(hostName: string, fromId?: number, toId?: number): Promise<DiffView> {
    const host = await this.hosts.get(hostName);
    const to = toId !== undefined ? await this.stateOfHost(host.id, hostName, toId) : await this.states.latest(host.id);
    if (!to) throw new DomainError(DomainErrorCode.SnapshotNotFound, `host "${hostName}" has no snapshot yet`);
    const from = fromId !== undefined ? await this.stateOfHost(host.id, hostName, fromId) : await this.states.previous(host.id, to.id);
    const changes = from ? diffSnapshots(contentOf(from), contentOf(to), { ignore: this.config.drift.ignore }) : [];
    return { host: host.name, from: from ? toSummary(from) : null, to: toSummary(to), headlines: explainChanges(changes), changes };
  }

  private async stateOfHost(hostId: number, hostName: string, id: number): Promise<HostStateEntity> {
    const state = await this.states.findById(id);
    if (!state || state.hostId !== hostId) {
      throw new DomainError(DomainErrorCode.SnapshotNotFound, `host "${hostName}" has no snapshot ${id}`);
    }
    return state;
  }

  private async stateWithHost(id: number): Promise<{ state: HostStateEntity; hostName: string }> {
    const state = await this.states.findById(id);
    const host = state ? await this.hostsRepo.findById(state.hostId) : null;
    if (!state || !host) throw new DomainError(DomainErrorCode.SnapshotNotFound, `no snapshot ${id}`);
    return { state, hostName: host.name };
  }
}
