import { DataSource, EntityManager, In, MoreThan, MoreThanOrEqual, Repository } from 'typeorm';
import { DriftEventEntity } from '../entities/drift-event.entity';

/** A change as the drift engine describes it; values are stored as JSON text. */
export interface DriftChangeRow {
  path: string;
  kind: string;
  category: string;
  severity: string;
  summary: string;
  before: unknown;
  after: unknown;
}

/** The changes between two consecutive states of one host. */
export interface DriftBetween {
  hostId: number;
  fromStateId: number;
  toStateId: number;
  detectedAt: string;
  changes: DriftChangeRow[];
}

export interface TimelineFilter {
  /** ISO time: events detected at or after it. */
  since?: string;
  category?: string;
  /** Any of these severities. */
  severities?: string[];
  limit: number;
  offset: number;
}

/** Writes one state transition's changes with `manager` (the caller's transaction). */
export async function insertDriftEvents(manager: EntityManager, drift: DriftBetween): Promise<DriftEventEntity[]> {
  if (drift.changes.length === 0) return [];
  const repo = manager.getRepository(DriftEventEntity);
  const rows = drift.changes.map((c) =>
    repo.create({
      hostId: drift.hostId,
      fromStateId: drift.fromStateId,
      toStateId: drift.toStateId,
      detectedAt: drift.detectedAt,
      path: c.path,
      kind: c.kind,
      category: c.category,
      severity: c.severity,
      summary: c.summary,
      before: JSON.stringify(c.before ?? null),
      after: JSON.stringify(c.after ?? null),
    }),
  );
  return repo.save(rows, { chunk: 100 });
}

/** Read side of drift events; they are written with the states they belong to (StatesRepository). */
export class DriftEventsRepository {
  private readonly repo: Repository<DriftEventEntity>;

  constructor(dataSource: DataSource) {
    this.repo = dataSource.getRepository(DriftEventEntity);
  }

  /** A host's drift events, newest first. */
  async timeline(hostId: number, filter: TimelineFilter): Promise<{ items: DriftEventEntity[]; total: number }> {
    const [items, total] = await this.repo.findAndCount({
      where: {
        hostId,
        ...(filter.since !== undefined ? { detectedAt: MoreThanOrEqual(filter.since) } : {}),
        ...(filter.category !== undefined ? { category: filter.category } : {}),
        ...(filter.severities !== undefined ? { severity: In(filter.severities) } : {}),
      },
      order: { id: 'DESC' },
      take: filter.limit,
      skip: filter.offset,
    });
    return { items, total };
  }

  /** Every host's events after event `afterId`, oldest first. */
  after(afterId: number, limit: number): Promise<DriftEventEntity[]> {
    return this.repo.find({ where: { id: MoreThan(afterId) }, order: { id: 'ASC' }, take: limit });
  }

  /** Events of the transitions into these states. */
  forStates(toStateIds: number[]): Promise<DriftEventEntity[]> {
    return toStateIds.length ? this.repo.find({ where: { toStateId: In(toStateIds) }, order: { id: 'ASC' } }) : Promise.resolve([]);
  }
}
