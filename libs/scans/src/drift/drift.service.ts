import { Injectable } from '@nestjs/common';
import { Category, severitiesFrom } from '@driftwatch/drift';
import type { Severity } from '@driftwatch/checks';
import { DriftEventsRepository, HostsRepository, StatesRepository } from '@driftwatch/persistence';
import { DomainError, DomainErrorCode } from '../errors';
import { SnapshotView, toSnapshotView } from '../history/snapshot-view';
import { HostsService } from '../hosts/hosts.service';
import { decodeDriftCursor, encodeDriftCursor } from './drift-cursor';
import { DriftEventView, toDriftEventView } from './drift-event-view';

export interface DriftTimelineQuery {
  /** ISO time: events detected at or after it. */
  since?: string;
  category?: Category;
  /** Minimum severity. */
  severity?: Severity;
  limit: number;
  offset: number;
}

export interface DriftTimelinePage {
  host: string;
  items: DriftEventView[];
  total: number;
  limit: number;
  offset: number;
}

export interface DriftFeedPage {
  items: DriftEventView[];
  /** Pass as `since` next time to get only what came after these items. */
  cursor: string;
  /** True when more events than `limit` were waiting: ask again with `cursor` right away. */
  hasMore: boolean;
}

/** Read side of drift: a host's timeline, the fleet-wide feed, and the state at a time. */
@Injectable()
export class DriftService {
  constructor(
    private readonly hosts: HostsService,
    private readonly hostsRepo: HostsRepository,
    private readonly events: DriftEventsRepository,
    private readonly states: StatesRepository,
  ) {}

  async timeline(hostName: string, query: DriftTimelineQuery): Promise<DriftTimelinePage> {
    const host = await this.hosts.get(hostName);
    const page = await this.events.timeline(host.id, {
      since: query.since !== undefined ? new Date(query.since).toISOString() : undefined,
      category: query.category,
      severities: query.severity !== undefined ? severitiesFrom(query.severity) : undefined,
      limit: query.limit,
      offset: query.offset,
    });
    return { host: host.name, items: page.items.map((e) => toDriftEventView(e, host.name)), total: page.total, limit: query.limit, offset: query.offset };
  }

  /** Every host's drift events after `cursor` (from the beginning without one), oldest first. */
  async feed(cursor: string | undefined, limit: number): Promise<DriftFeedPage> {
    const afterId = cursor === undefined ? 0 : decodeDriftCursor(cursor);
    const found = await this.events.after(afterId, limit + 1);
    const items = found.slice(0, limit);
    const names = new Map((await this.hostsRepo.findByIds([...new Set(items.map((e) => e.hostId))])).map((h) => [h.id, h.name]));
    return {
      items: items.map((e) => toDriftEventView(e, names.get(e.hostId) ?? '')),
      cursor: encodeDriftCursor(items.length ? items[items.length - 1].id : afterId),
      hasMore: found.length > limit,
    };
  }

  /** The state the host was in at `time` (ISO). */
  async stateAt(hostName: string, time: string): Promise<SnapshotView> {
    const host = await this.hosts.get(hostName);
    const at = new Date(time).toISOString();
    const state = await this.states.at(host.id, at);
    if (!state) throw new DomainError(DomainErrorCode.SnapshotNotFound, `host "${host.name}" had no snapshot yet at ${at}`);
    return toSnapshotView(state, host.name);
  }
}
