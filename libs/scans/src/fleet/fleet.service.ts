import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@driftwatch/config';
import { FleetDrift, FleetSummary, fleetBaseline, fleetSummary } from '@driftwatch/drift';
import { HostEntity, HostsRepository, ScansRepository, StatesRepository } from '@driftwatch/persistence';
import { DomainError, DomainErrorCode } from '../errors';
import { contentOf } from '../history/snapshot-view';

export interface CohortDriftView extends FleetDrift {
  label: string;
}

/** Fleet-wide views over every host's current state: label cohorts and the summary. */
@Injectable()
export class FleetService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly hosts: HostsRepository,
    private readonly states: StatesRepository,
    private readonly scans: ScansRepository,
  ) {}

  /** The baseline of the hosts labelled `label` and how each deviates from it. */
  async cohortDrift(label: string): Promise<CohortDriftView> {
    const cohort = (await this.hosts.list()).filter((h) => h.labels.includes(label));
    if (cohort.length === 0) throw new DomainError(DomainErrorCode.HostNotFound, `no host has the label "${label}"`);
    const latest = await this.latestContents(cohort);
    const drift = fleetBaseline(
      cohort.map((h) => ({ name: h.name, golden: h.golden, content: latest.get(h.id) ?? null })),
      { ignore: this.config.drift.ignore },
    );
    return { label, ...drift };
  }

  /** Distributions over every host (or those labelled `label`). */
  async summary(label?: string): Promise<FleetSummary & { label: string | null }> {
    const hosts = (await this.hosts.list()).filter((h) => label === undefined || h.labels.includes(label));
    const latest = await this.latestContents(hosts);
    const lastScans = new Map((await this.scans.lastScansOf(hosts.map((h) => h.id))).map((s) => [s.hostId, s.status]));
    return {
      label: label ?? null,
      ...fleetSummary(hosts.map((h) => ({ content: latest.get(h.id) ?? null, lastScanStatus: lastScans.get(h.id) ?? null }))),
    };
  }

  private async latestContents(hosts: HostEntity[]) {
    const states = await this.states.latestOf(hosts.map((h) => h.id));
    return new Map(states.map((s) => [s.hostId, contentOf(s)]));
  }
}
