import { DataSource, In, Repository } from 'typeorm';
import { isoNow } from '../clock';
import { HostEntity } from '../entities/host.entity';
import { WriteQueue, writeQueueFor } from '../write-queue';

export type NewHost = Omit<HostEntity, 'id' | 'createdAt' | 'updatedAt'>;
export type HostPatch = Partial<NewHost>;

export class HostsRepository {
  private readonly repo: Repository<HostEntity>;
  private readonly writes: WriteQueue;

  constructor(dataSource: DataSource) {
    this.repo = dataSource.getRepository(HostEntity);
    this.writes = writeQueueFor(dataSource);
  }

  async create(host: NewHost): Promise<HostEntity> {
    const now = isoNow();
    return this.writes.run((m) => m.getRepository(HostEntity).save(this.repo.create({ ...host, createdAt: now, updatedAt: now })));
  }

  findByName(name: string): Promise<HostEntity | null> {
    return this.repo.findOne({ where: { name } });
  }

  findById(id: number): Promise<HostEntity | null> {
    return this.repo.findOne({ where: { id } });
  }

  async list(): Promise<HostEntity[]> {
    return this.repo.find({ order: { name: 'ASC' } });
  }

  findByIds(ids: number[]): Promise<HostEntity[]> {
    return ids.length ? this.repo.find({ where: { id: In(ids) } }) : Promise.resolve([]);
  }

  findByNames(names: string[]): Promise<HostEntity[]> {
    return names.length ? this.repo.find({ where: { name: In(names) }, order: { name: 'ASC' } }) : Promise.resolve([]);
  }

  async update(id: number, patch: HostPatch): Promise<void> {
    await this.writes.run((m) => m.getRepository(HostEntity).update({ id }, { ...patch, updatedAt: isoNow() }));
  }

  /** Pins a host key only if none is pinned yet; false when another scan pinned first. */
  async pinHostKeyIfUnset(id: number, fingerprint: string): Promise<boolean> {
    const result = await this.writes.run((m) =>
      m.createQueryBuilder().update(HostEntity).set({ hostKey: fingerprint, updatedAt: isoNow() }).where('id = :id AND host_key IS NULL', { id }).execute(),
    );
    return (result.affected ?? 0) > 0;
  }

  async remove(id: number): Promise<void> {
    await this.writes.run((m) => m.getRepository(HostEntity).delete({ id }));
  }
}
