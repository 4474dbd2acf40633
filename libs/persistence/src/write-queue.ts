import { DataSource, EntityManager } from 'typeorm';

interface QueuedWrite {
  work: (manager: EntityManager) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** Most writes one sqlite transaction takes; the rest wait for the next one. */
export const MAX_WRITES_PER_TRANSACTION = 256;

/**
 * Every write goes through here. TypeORM's sqlite driver shares one connection between all
 * query runners, so two concurrent transactions would nest their BEGINs (and a plain write
 * issued meanwhile would join, and share the fate of, someone else's transaction). On sqlite
 * writes therefore run one after another — and, so that committing is never what a busy
 * collector waits for, the writes queued while a transaction runs are coalesced into the next
 * one: one BEGIN/COMMIT (one WAL sync) per batch. Each write runs in its own savepoint, so a
 * write that fails is rolled back alone and the others of its batch are kept. A write's
 * promise settles once its batch has committed. PostgreSQL gives each transaction its own
 * connection and needs no queue.
 */
export class WriteQueue {
  private readonly serial: boolean;
  private readonly pending: QueuedWrite[] = [];
  private draining = false;
  private transactions = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly maxBatch = MAX_WRITES_PER_TRANSACTION,
  ) {
    this.serial = dataSource.options.type === 'sqlite';
  }

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!this.serial) return this.dataSource.transaction(work);
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.draining) void this.drain();
    });
  }

  /** Transactions committed or attempted so far (a batch is one). */
  get transactionCount(): number {
    return this.transactions;
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      // Let the writes issued in the same tick as the first one join its batch.
      await new Promise((resolve) => setImmediate(resolve));
      while (this.pending.length > 0) await this.runBatch(this.pending.splice(0, this.maxBatch));
    } finally {
      this.draining = false;
    }
  }

  private async runBatch(batch: QueuedWrite[]): Promise<void> {
    this.transactions += 1;
    const runner = this.dataSource.createQueryRunner();
    const outcomes: Array<() => void> = [];
    try {
      await runner.startTransaction();
      for (const write of batch) {
        await runner.startTransaction(); // a savepoint inside the batch's transaction
        try {
          const value = await write.work(runner.manager);
          await runner.commitTransaction();
          outcomes.push(() => write.resolve(value));
        } catch (error) {
          await runner.rollbackTransaction();
          outcomes.push(() => write.reject(error));
        }
      }
      await runner.commitTransaction();
    } catch (error) {
      // The batch's own transaction failed (BEGIN, a savepoint or COMMIT): none of it is kept.
      for (let depth = 0; runner.isTransactionActive && depth <= batch.length + 1; depth++) await runner.rollbackTransaction().catch(() => undefined);
      for (const write of batch) write.reject(error);
      return;
    } finally {
      await runner.release();
    }
    for (const settle of outcomes) settle();
  }
}

const queues = new WeakMap<DataSource, WriteQueue>();

/** The one queue of a data source, shared by all its repositories. */
export function writeQueueFor(dataSource: DataSource): WriteQueue {
  let queue = queues.get(dataSource);
  if (!queue) queues.set(dataSource, (queue = new WriteQueue(dataSource)));
  return queue;
}
