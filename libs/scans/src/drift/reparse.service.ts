import { Injectable } from '@nestjs/common';
import { RawSection, evaluate } from '@driftwatch/checks';
import { ContentUpdate, DriftBetween, HostEntity, HostStateEntity, HostsRepository, StatesRepository, unpackRaw } from '@driftwatch/persistence';
import { probeRevisionOf, snapshotFromEvaluation } from '@driftwatch/snapshots';
import { HostsService } from '../hosts/hosts.service';
import { DriftRecorder } from './drift-recorder';

export interface ReparsedState {
  id: number;
  hashBefore: string;
  hashAfter: string;
}

export interface HostReparse {
  host: string;
  states: number;
  /** States whose facts the current parsers derive differently. */
  changed: ReparsedState[];
  /** States left alone because their raw evidence could not be read. */
  skipped: number[];
  /** Drift events written for the transitions into or out of changed states. */
  driftEvents: number;
}

export interface ReparseReport {
  hosts: HostReparse[];
  changedStates: number;
}

function sectionsOf(raw: string): RawSection[] | null {
  try {
    const sections = unpackRaw<unknown>(raw);
    return Array.isArray(sections) && sections.length > 0 ? (sections as RawSection[]) : null;
  } catch {
    return null;
  }
}

/**
 * Re-derives facts from stored raw evidence with the current parsers (the code a scan runs),
 * without contacting hosts: states whose content comes out different get the new content and
 * hash, and the drift events around them are recomputed, in one transaction per host.
 */
@Injectable()
export class ReparseService {
  constructor(
    private readonly hosts: HostsService,
    private readonly hostsRepo: HostsRepository,
    private readonly states: StatesRepository,
    private readonly drift: DriftRecorder,
  ) {}

  async reparse(hostName?: string): Promise<ReparseReport> {
    const hosts = hostName !== undefined ? [await this.hosts.get(hostName)] : await this.hostsRepo.list();
    const reports: HostReparse[] = [];
    for (const host of hosts) reports.push(await this.reparseHost(host));
    return { hosts: reports, changedStates: reports.reduce((n, r) => n + r.changed.length, 0) };
  }

  private async reparseHost(host: HostEntity): Promise<HostReparse> {
    const changed: ReparsedState[] = [];
    const skipped: number[] = [];
    let count = 0;
    const { written } = await this.states.rewrite(host.id, (states) => {
      count = states.length;
      const contents = states.map((s) => s.content);
      const updates: ContentUpdate[] = [];
      states.forEach((state, i) => {
        const sections = sectionsOf(state.raw);
        if (!sections) return void skipped.push(state.id);
        // The raw output is the probe's that took it: its revision stays.
        const snapshot = snapshotFromEvaluation(evaluate(sections), probeRevisionOf(state.content));
        if (snapshot.hash === state.hash) return;
        contents[i] = snapshot.canonical;
        updates.push({ id: state.id, hash: snapshot.hash, content: snapshot.canonical });
        changed.push({ id: state.id, hashBefore: state.hash, hashAfter: snapshot.hash });
      });
      return { updates, drift: this.transitionsAround(host.id, states, contents, new Set(updates.map((u) => u.id))) };
    });
    return { host: host.name, states: count, changed, skipped, driftEvents: written.length };
  }

  /** The drift of every transition into or out of a re-derived state, from the new contents. */
  private transitionsAround(hostId: number, states: HostStateEntity[], contents: string[], touched: Set<number>): DriftBetween[] {
    const drift: DriftBetween[] = [];
    for (let i = 1; i < states.length; i++) {
      if (!touched.has(states[i].id) && !touched.has(states[i - 1].id)) continue;
      drift.push({ hostId, fromStateId: states[i - 1].id, toStateId: states[i].id, detectedAt: states[i].firstSeenAt, changes: this.drift.driftOf(contents[i - 1], contents[i]) });
    }
    return drift;
  }
}
