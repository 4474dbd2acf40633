import { DataSource, IsNull, Repository } from 'typeorm';
import { isoNow } from '../clock';
import { ApiTokenEntity, ApiTokenScope } from '../entities/api-token.entity';
import { WriteQueue, writeQueueFor } from '../write-queue';

export class ApiTokensRepository {
  private readonly repo: Repository<ApiTokenEntity>;
  private readonly writes: WriteQueue;

  constructor(dataSource: DataSource) {
    this.repo = dataSource.getRepository(ApiTokenEntity);
    this.writes = writeQueueFor(dataSource);
  }

  create(name: string, scope: ApiTokenScope, tokenHash: string): Promise<ApiTokenEntity> {
    return this.writes.run((m) => m.getRepository(ApiTokenEntity).save(this.repo.create({ name, scope, tokenHash, createdAt: isoNow(), revokedAt: null })));
  }

  findActiveByHash(tokenHash: string): Promise<ApiTokenEntity | null> {
    return this.repo.findOne({ where: { tokenHash, revokedAt: IsNull() } });
  }

  async anyActive(): Promise<boolean> {
    return (await this.repo.count({ where: { revokedAt: IsNull() }, take: 1 })) > 0;
  }

  list(): Promise<ApiTokenEntity[]> {
    return this.repo.find({ order: { id: 'ASC' } });
  }

  /** Returns false when there is no such active token. */
  async revoke(id: number): Promise<boolean> {
    const result = await this.writes.run((m) => m.getRepository(ApiTokenEntity).update({ id, revokedAt: IsNull() }, { revokedAt: isoNow() }));
    return (result.affected ?? 0) > 0;
  }
}
