import { DataSource, EntityManager } from 'typeorm';

/**
 * Every write goes through here. TypeORM's sqlite driver shares one connection between all
 * query runners, so two concurrent transactions would nest their BEGINs (and a plain write
 * issued meanwhile would join, and share the fate of, someone else's transaction). On sqlite
 * writes are therefore run one after another; PostgreSQL gives each transaction its own
 * connection and needs no queue.
 */
export class WriteQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly serial: boolean;

  constructor(private readonly dataSource: DataSource) {
    this.serial = dataSource.options.type === 'sqlite';
  }

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!this.serial) return this.dataSource.transaction(work);
    const result = this.tail.then(() => this.dataSource.transaction(work));
    this.tail = result.catch(() => undefined);
    return result;
  }
}

const queues = new WeakMap<DataSource, WriteQueue>();

/** The one queue of a data source, shared by all its repositories. */
export function writeQueueFor(dataSource: DataSource): WriteQueue {
  let queue = queues.get(dataSource);
  if (!queue) queues.set(dataSource, (queue = new WriteQueue(dataSource)));
  return queue;
}
