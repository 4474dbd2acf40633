import { DataSource, EntityManager, LessThan, Repository } from 'typeorm';
import { isoNow } from '../clock';
import { HostStateEntity } from '../entities/host-state.entity';
import { packRaw } from '../raw-evidence';
import { WriteQueue, writeQueueFor } from '../write-queue';

export interface RecordedState {
  state: HostStateEntity;
  /** True when this observation started a new state. */
  changed: boolean;
  /** The state the host was in before, when `changed`. */
  previous: HostStateEntity | null;
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
   * `alongside` writes in that same transaction (the scan row that observed the state).
   */
  async record(
    hostId: number,
    hash: string,
    content: string,
    raw: unknown,
    at: Date = new Date(),
    alongside?: (manager: EntityManager, recorded: RecordedState) => Promise<unknown>,
  ): Promise<RecordedState> {
    return this.writes.run(async (manager) => {
      const recorded = await this.recordIn(manager, hostId, hash, content, raw, at);
      await alongside?.(manager, recorded);
      return recorded;
    });
  }

  private async recordIn(manager: EntityManager, hostId: number, hash: string, content: string, raw: unknown, at: Date): Promise<RecordedState> {
    const repo = manager.getRepository(HostStateEntity);
    const current = await repo.findOne({ where: { hostId }, order: { id: 'DESC' } });
    const seenAt = isoNow(at);
    if (current && current.hash === hash) {
      current.lastSeenAt = seenAt;
      current.seenCount += 1;
      await repo.update({ id: current.id }, { lastSeenAt: seenAt, seenCount: current.seenCount });
      return { state: current, changed: false, previous: null };
    }
    const state = await repo.save(
      repo.create({ hostId, hash, content, raw: packRaw(raw), firstSeenAt: seenAt, lastSeenAt: seenAt, seenCount: 1 }),
    );
    return { state, changed: true, previous: current };
  }
}
