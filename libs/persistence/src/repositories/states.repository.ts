import { DataSource, EntityManager, In, LessThan, LessThanOrEqual, Repository } from 'typeorm';
import { isoNow } from '../clock';
import { DriftEventEntity } from '../entities/drift-event.entity';
import { HostStateEntity } from '../entities/host-state.entity';
import { DriftBetween, DriftChangeRow, insertDriftEvents } from './drift-events.repository';
import { insertRow, lastRowWhere, newestRowPerHost, updateRow } from '../plain-statements';
import { packRaw } from '../raw-evidence';
import { WriteQueue, writeQueueFor } from '../write-queue';

const SUMMARY_COLUMNS = ['id', 'hostId', 'hash', 'firstSeenAt', 'lastSeenAt', 'seenCount'] as const;

/** A state without its heavy columns (content, raw evidence): what recording one needs to read. */
export type StateSummary = Pick<HostStateEntity, (typeof SUMMARY_COLUMNS)[number]>;

export interface RecordedState {
  state: StateSummary;
  /** True when this observation started a new state. */
  changed: boolean;
  /** The state the host was in before, when `changed`. */
  previous: StateSummary | null;
  /** The drift events written with the new state (none for a host's first state). */
  driftEvents: DriftEventEntity[];
}

/** Computes the drift between the canonical contents of two consecutive states. */
export type DriftOf = (previousContent: string, content: string) => DriftChangeRow[];

export interface RecordOptions {
  /** When given, a new state's drift from the previous one is written in the same transaction. */
  driftOf?: DriftOf;
  /** More writes in the same transaction, once the state is recorded (the scan row that saw it). */
  alongside?: (manager: EntityManager, recorded: RecordedState) => Promise<unknown>;
  /**
   * The content holds observed-only facts, which the hash leaves out (when an error was last
   * logged, how often): when it extends the current state, the state takes this content and raw
   * evidence if they differ, so it shows the newest observation, not the first.
   */
  hasObservedFacts?: boolean;
}

/** A state whose content reparse re-derived. */
export interface ContentUpdate {
  id: number;
  hash: string;
  content: string;
}

export interface HistoryRewrite {
  updates: ContentUpdate[];
  /** The new events of every transition whose old events go. */
  drift: DriftBetween[];
}

export interface Page<T> {
  items: T[];
  total: number;
}

export class StatesRepository {
  private readonly repo: Repository<HostStateEntity>;
  private readonly writes: WriteQueue;

  constructor(dataSource: DataSource) {
    this.repo = dataSource.getRepository(HostStateEntity);
    this.writes = writeQueueFor(dataSource);
  }

  latest(hostId: number): Promise<HostStateEntity | null> {
    return this.repo.findOne({ where: { hostId }, order: { id: 'DESC' } });
  }

  /** The current state of each of the given hosts that has one, without its raw evidence (fleet views need the facts only). */
  latestOf(hostIds: number[]): Promise<Omit<HostStateEntity, 'raw'>[]> {
    if (hostIds.length === 0) return Promise.resolve([]);
    const columns = ['id', 'hostId', 'hash', 'content', 'firstSeenAt', 'lastSeenAt', 'seenCount'].map((c) => `s.${c}`);
    return this.repo.createQueryBuilder('s').select(columns).where(newestRowPerHost('host_states', 's'), { hostIds }).getMany();
  }

  findById(id: number): Promise<HostStateEntity | null> {
    return this.repo.findOne({ where: { id } });
  }

  /** The state just before `stateId` for the same host. */
  previous(hostId: number, stateId: number): Promise<HostStateEntity | null> {
    return this.repo.findOne({ where: { hostId, id: LessThan(stateId) }, order: { id: 'DESC' } });
  }

  /** Distinct states, newest first, without the heavy content/raw columns. */
  async page(hostId: number, limit: number, offset: number): Promise<Page<HostStateEntity>> {
    const [items, total] = await this.repo.findAndCount({
      where: { hostId },
      order: { id: 'DESC' },
      take: limit,
      skip: offset,
      select: { id: true, hostId: true, hash: true, firstSeenAt: true, lastSeenAt: true, seenCount: true },
    });
    return { items, total };
  }

  /**
   * Records one observation of a host. The same hash as the current state extends it;
   * anything else starts a new state. One transaction, so a crash never leaves half a state;
   * `options.alongside` writes in it too (the scan row that observed the state).
   */
  async record(hostId: number, hash: string, content: string, raw: unknown, at: Date = new Date(), options: RecordOptions = {}): Promise<RecordedState> {
    return this.writes.run(async (manager) => {
      const recorded = await this.recordIn(manager, hostId, hash, content, raw, at, options);
      await options.alongside?.(manager, recorded);
      return recorded;
    });
  }

  private async recordIn(manager: EntityManager, hostId: number, hash: string, content: string, raw: unknown, at: Date, { driftOf, hasObservedFacts }: RecordOptions): Promise<RecordedState> {
    await lockHostHistory(manager, hostId);
    // Most scans find the host unchanged: the hash decides, the stored content is read only for a diff.
    const current: StateSummary | null = await lastRowWhere(manager, HostStateEntity, 'hostId', hostId, SUMMARY_COLUMNS);
    const seenAt = isoNow(at);
    if (current && current.hash === hash) {
      current.lastSeenAt = seenAt;
      current.seenCount += 1;
      const newer = hasObservedFacts && (await contentOf(manager, current.id)) !== content ? { content, raw: packRaw(raw) } : {};
      await updateRow(manager, HostStateEntity, current.id, { lastSeenAt: seenAt, seenCount: current.seenCount, ...newer });
      return { state: current, changed: false, previous: null, driftEvents: [] };
    }
    const summary = { hostId, hash, firstSeenAt: seenAt, lastSeenAt: seenAt, seenCount: 1 };
    const state: StateSummary = { id: await insertRow(manager, HostStateEntity, { ...summary, content, raw: packRaw(raw) }), ...summary };
    const driftEvents =
      current && driftOf
        ? await insertDriftEvents(manager, { hostId, fromStateId: current.id, toStateId: state.id, detectedAt: seenAt, changes: driftOf(await contentOf(manager, current.id), content) })
        : [];
    return { state, changed: true, previous: current, driftEvents };
  }

  /** The state the host was in at `time` (ISO): the last one first seen at or before it. */
  at(hostId: number, time: string): Promise<HostStateEntity | null> {
    return this.repo.findOne({ where: { hostId, firstSeenAt: LessThanOrEqual(time) }, order: { id: 'DESC' } });
  }

  /**
   * Rewrites a host's history in one transaction: `plan` sees every state of the host (oldest
   * first, with content and raw evidence) as of inside the transaction, and returns the
   * contents to replace and, for each transition whose events are to be replaced, its new
   * events. No scan of the host records a state in between: on sqlite the transaction runs in
   * the write queue, on PostgreSQL it holds the host's history lock, which recording takes too.
   */
  async rewrite(hostId: number, plan: (states: HostStateEntity[]) => HistoryRewrite): Promise<HistoryRewrite & { written: DriftEventEntity[] }> {
    return this.writes.run(async (manager) => {
      await lockHostHistory(manager, hostId);
      const states = await manager.getRepository(HostStateEntity).find({ where: { hostId }, order: { id: 'ASC' } });
      const { updates, drift } = plan(states);
      for (const u of updates) await manager.getRepository(HostStateEntity).update({ id: u.id, hostId }, { hash: u.hash, content: u.content });
      const toStateIds = drift.map((d) => d.toStateId);
      if (toStateIds.length) await manager.getRepository(DriftEventEntity).delete({ hostId, toStateId: In(toStateIds) });
      const written: DriftEventEntity[] = [];
      for (const d of drift) written.push(...(await insertDriftEvents(manager, d)));
      return { updates, drift, written };
    });
  }

  /** Every host's current state id, by host id. */
  async latestIds(): Promise<Map<number, number>> {
    const rows: { hostId: string | number; id: string | number }[] = await this.repo
      .createQueryBuilder('h')
      .select('h.host_id', 'hostId')
      .addSelect('MAX(h.id)', 'id')
      .groupBy('h.host_id')
      .getRawMany();
    return new Map(rows.map((r) => [Number(r.hostId), Number(r.id)]));
  }
}

/** Advisory lock namespace of a host's state history (PostgreSQL's two-key form: namespace, host id). */
const HOST_HISTORY_LOCK = 0x6477; // "dw"

/**
 * Serializes, on PostgreSQL, the transactions that read a host's latest state and write after
 * it (recording a scan, reparse's rewrite) across every process: a transaction-level advisory
 * lock on the host, released at commit. It locks no row, so reads and other hosts never wait.
 * sqlite needs none: its writes run one at a time through the write queue.
 */
export async function lockHostHistory(manager: EntityManager, hostId: number): Promise<void> {
  if (manager.connection.options.type === 'postgres') await manager.query('SELECT pg_advisory_xact_lock($1, $2)', [HOST_HISTORY_LOCK, hostId]);
}

async function contentOf(manager: EntityManager, stateId: number): Promise<string> {
  const row = await manager.getRepository(HostStateEntity).findOne({ where: { id: stateId }, select: { id: true, content: true } });
  if (!row) throw new Error(`state ${stateId} vanished while a newer one was recorded`);
  return row.content;
}
