import { DataSource, LessThan, Repository } from 'typeorm';
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

  /** The current state of each of the given hosts that has one. */
  latestOf(hostIds: number[]): Promise<HostStateEntity[]> {
    if (hostIds.length === 0) return Promise.resolve([]);
    return this.repo
      .createQueryBuilder('s')
      .where((qb) => `s.id IN ${qb.subQuery().select('MAX(l.id)').from(HostStateEntity, 'l').where('l.host_id IN (:...hostIds)').groupBy('l.host_id').getQuery()}`)
      .setParameter('hostIds', hostIds)
      .getMany();
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
   * anything else starts a new state. One transaction, so a crash never leaves half a state.
   */
  async record(hostId: number, hash: string, content: string, raw: unknown, at: Date = new Date()): Promise<RecordedState> {
    return this.writes.run(async (manager) => {
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
    });
  }
}
