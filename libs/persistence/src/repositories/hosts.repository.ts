import { DataSource, In, Repository } from 'typeorm';
import { isoNow } from '../clock';
import { HostEntity } from '../entities/host.entity';
import { WebhookDeliveryEntity } from '../entities/webhook-delivery.entity';
import { WriteQueue, writeQueueFor } from '../write-queue';

/** Settings a new host may leave out (defaults: not golden, collector policy, no jump, no sudo, no secrets). */
type AccessFields = 'golden' | 'hostKeyPolicy' | 'knownHostsFile' | 'jumpHost' | 'sudo' | 'secretPassword' | 'secretPassphrase' | 'secretPrivateKey';
const ACCESS_DEFAULTS: Pick<HostEntity, AccessFields> = {
  golden: false,
  hostKeyPolicy: null,
  knownHostsFile: null,
  jumpHost: null,
  sudo: false,
  secretPassword: null,
  secretPassphrase: null,
  secretPrivateKey: null,
};

export type NewHost = Omit<HostEntity, 'id' | 'createdAt' | 'updatedAt' | AccessFields> & Partial<Pick<HostEntity, AccessFields>>;
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
    return this.writes.run((m) => m.getRepository(HostEntity).save(this.repo.create({ ...ACCESS_DEFAULTS, ...host, createdAt: now, updatedAt: now })));
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

  /** Hosts reached through the named one (so it is not removed from under them). */
  findByJumpHost(name: string): Promise<HostEntity[]> {
    return this.repo.find({ where: { jumpHost: name }, order: { name: 'ASC' } });
  }

  /**
   * Removes the host with all of its history: states, scans, drift events and alert state go
   * by their foreign keys; its finished (delivered or failed) webhook deliveries, which name the
   * host rather than its id, go here, while pending and interrupted ones are still sent.
   */
  async remove(id: number): Promise<void> {
    await this.writes.run(async (m) => {
      const host = await m.getRepository(HostEntity).findOne({ where: { id }, select: { id: true, name: true } });
      if (!host) return;
      await m.getRepository(WebhookDeliveryEntity).delete({ host: host.name, status: In(['delivered', 'failed']) });
      await m.getRepository(HostEntity).delete({ id });
    });
  }
}
