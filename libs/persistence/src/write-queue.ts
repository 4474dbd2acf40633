import { DataSource, EntityManager, QueryRunner } from 'typeorm';

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
 * one: one BEGIN/COMMIT (one WAL sync) per batch. A write that fails is rolled back alone and
 * the others of its batch are kept: the batch runs as one plain transaction, and only when a
 * write fails in it is it rolled back and run again with a savepoint around each write (every
 * savepoint is two statements more per write, a third of a scan's). A write may therefore run
 * twice, so it must touch nothing but the database, through the manager it is given. A
 * write's promise settles once its batch has committed. PostgreSQL gives each transaction its
 * own connection and needs no queue.
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
    const runner = this.dataSource.createQueryRunner();
    let outcomes: Array<() => void>;
    try {
      const attempt = await this.allOrNothing(runner, batch);
      if ('values' in attempt) outcomes = batch.map((write, i) => () => write.resolve(attempt.values[i]));
      else if (batch.length === 1) outcomes = [() => batch[0].reject(attempt.error)];
      else outcomes = await this.eachInSavepoint(runner, batch);
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

  /** Every write in one transaction; when one throws, the transaction is rolled back and its error returned. */
  private async allOrNothing(runner: QueryRunner, batch: QueuedWrite[]): Promise<{ values: unknown[] } | { error: unknown }> {
    this.transactions += 1;
    await runner.startTransaction();
    const values: unknown[] = [];
    try {
      for (const write of batch) values.push(await write.work(runner.manager));
    } catch (error) {
      await runner.rollbackTransaction();
      return { error };
    }
    await runner.commitTransaction();
    return { values };
  }

  /** Every write in a savepoint of one transaction: a write that throws is rolled back alone. */
  private async eachInSavepoint(runner: QueryRunner, batch: QueuedWrite[]): Promise<Array<() => void>> {
    this.transactions += 1;
    const outcomes: Array<() => void> = [];
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
    return outcomes;
  }
}

const queues = new WeakMap<DataSource, WriteQueue>();

/** The one queue of a data source, shared by all its repositories. */
export function writeQueueFor(dataSource: DataSource): WriteQueue {
  let queue = queues.get(dataSource);
  if (!queue) queues.set(dataSource, (queue = new WriteQueue(dataSource)));
  return queue;
}
