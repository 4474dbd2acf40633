import { DataSource, EntityManager, EntityTarget, FindOptionsWhere, MoreThan, MoreThanOrEqual, ObjectLiteral } from 'typeorm';
import { isoNow } from '../clock';
import { DriftEventEntity } from '../entities/drift-event.entity';
import { HostStateEntity } from '../entities/host-state.entity';
import { HostEntity } from '../entities/host.entity';
import { ScanEntity } from '../entities/scan.entity';
import { insertRow } from '../plain-statements';
import { writeQueueFor } from '../write-queue';

/** The first line of every export; an importer refuses versions it does not know. */
export const EXPORT_FORMAT = 'driftwatch-history';
export const EXPORT_VERSION = 1;

const SECRET_FIELDS = ['secretPassword', 'secretPassphrase', 'secretPrivateKey'] as const;

export interface ExportOptions {
  /** ISO time: states last seen, drift detected and scans started at or after it (every host is exported). */
  since?: string;
  /** Include the hosts' stored secrets, still sealed under the collector's DRIFTWATCH_SECRET_KEY. */
  withSecrets?: boolean;
}

export interface TransferCounts {
  hosts: number;
  states: number;
  driftEvents: number;
  scans: number;
}

/**
 * One line of an export. Rows refer to each other by host name and by the state ids of the
 * exporting store (`id` of a state line); an import gives them new ids in the same order.
 */
export type ExportRecord =
  | { type: 'header'; format: typeof EXPORT_FORMAT; version: number; exportedAt: string; since: string | null; withSecrets: boolean }
  | ({ type: 'host' } & Omit<HostEntity, 'id'>)
  | ({ type: 'state'; host: string } & Omit<HostStateEntity, 'hostId'>)
  | ({ type: 'drift'; host: string } & Omit<DriftEventEntity, 'id' | 'hostId'>)
  | ({ type: 'scan'; host: string } & Omit<ScanEntity, 'id' | 'hostId' | 'runId'>)
  | { type: 'end'; counts: TransferCounts };

export class ImportError extends Error {}

const PAGE = 1000;

/** The rows of `target` matching `where`, in id order, a page at a time. */
async function* pages<T extends ObjectLiteral & { id: number }>(manager: EntityManager, target: EntityTarget<T>, where: FindOptionsWhere<T>): AsyncGenerator<T> {
  const repo = manager.getRepository(target);
  let after = 0;
  for (;;) {
    const rows = await repo.find({ where: { ...where, id: MoreThan(after) } as FindOptionsWhere<T>, order: { id: 'ASC' } as never, take: PAGE });
    yield* rows;
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1].id;
  }
}

/**
 * The store's history as export records: a header, every host, then its states, drift events
 * and scans in the order they were recorded, and a closing line with the counts (so a cut-off
 * file is recognised). Read page by page, never all at once, with `manager` (a read
 * transaction, for one consistent view: see withSnapshot).
 */
export async function* exportHistory(manager: EntityManager, options: ExportOptions = {}): AsyncGenerator<ExportRecord> {
  const since = options.since ?? null;
  yield { type: 'header', format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: isoNow(), since, withSecrets: !!options.withSecrets };
  const counts: TransferCounts = { hosts: 0, states: 0, driftEvents: 0, scans: 0 };
  const names = new Map<number, string>();
  for await (const { id, ...host } of pages(manager, HostEntity, {})) {
    names.set(id, host.name);
    if (!options.withSecrets) for (const field of SECRET_FIELDS) host[field] = null;
    counts.hosts += 1;
    yield { type: 'host', ...host };
  }
  const exportedStates = new Set<number>();
  for await (const { hostId, ...state } of pages(manager, HostStateEntity, since ? { lastSeenAt: MoreThanOrEqual(since) } : {})) {
    exportedStates.add(state.id);
    counts.states += 1;
    yield { type: 'state', host: names.get(hostId)!, ...state };
  }
  for await (const { id: _id, hostId, ...event } of pages(manager, DriftEventEntity, since ? { detectedAt: MoreThanOrEqual(since) } : {})) {
    if (!exportedStates.has(event.fromStateId) || !exportedStates.has(event.toStateId)) continue;
    counts.driftEvents += 1;
    yield { type: 'drift', host: names.get(hostId)!, ...event };
  }
  for await (const { id: _id, hostId, runId: _run, ...scan } of pages(manager, ScanEntity, since ? { startedAt: MoreThanOrEqual(since) } : {})) {
    counts.scans += 1;
    yield { type: 'scan', host: names.get(hostId)!, ...scan, stateId: scan.stateId !== null && exportedStates.has(scan.stateId) ? scan.stateId : null };
  }
  yield { type: 'end', counts };
}

/**
 * Runs `work` in one read transaction: every query sees the store as it was when it began,
 * while scans go on committing (PostgreSQL REPEATABLE READ; a sqlite read transaction in WAL
 * mode). For a process that writes nothing meanwhile (the CLI): on sqlite it holds the
 * process's one connection.
 */
export function withSnapshot<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  return dataSource.options.type === 'postgres' ? dataSource.transaction('REPEATABLE READ', work) : dataSource.transaction(work);
}

/** Rows written per statement (and read per batch) on import. */
const IMPORT_CHUNK = 200;

/**
 * Loads an export into this store in one transaction: nothing is kept unless every line was
 * read and the closing counts match. Refuses a host name the store already has (an import adds
 * hosts with their history; it does not merge two histories of one host). The lines are read
 * inside the write, so it must be the only write of its process (the CLI's), which the write
 * queue then never replays.
 */
export async function importHistory(dataSource: DataSource, lines: AsyncIterable<string>): Promise<TransferCounts> {
  return writeQueueFor(dataSource).run(async (m) => {
    const importer = new Importer(m);
    let lineNo = 0;
    for await (const line of lines) {
      lineNo += 1;
      if (!line.trim()) continue;
      let record: ExportRecord;
      try {
        record = JSON.parse(line) as ExportRecord;
      } catch {
        throw new ImportError(`line ${lineNo}: not JSON`);
      }
      try {
        await importer.take(record, lineNo);
      } catch (error) {
        if (error instanceof ImportError) throw error;
        throw new ImportError(`line ${lineNo} (${record.type}): ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return importer.finish();
  });
}

class Importer {
  private readonly counts: TransferCounts = { hosts: 0, states: 0, driftEvents: 0, scans: 0 };
  private readonly hostIds = new Map<string, number>();
  private readonly stateIds = new Map<number, number>();
  private header = false;
  private ended: TransferCounts | null = null;
  private driftRows: Partial<DriftEventEntity>[] = [];
  private scanRows: Partial<ScanEntity>[] = [];

  constructor(private readonly m: EntityManager) {}

  async take(record: ExportRecord, lineNo: number): Promise<void> {
    if (!this.header) {
      if (record.type !== 'header' || record.format !== EXPORT_FORMAT) throw new ImportError(`line ${lineNo}: not a driftwatch export (no ${EXPORT_FORMAT} header)`);
      if (record.version !== EXPORT_VERSION) throw new ImportError(`line ${lineNo}: export format version ${record.version}; this driftwatch reads version ${EXPORT_VERSION}`);
      this.header = true;
      return;
    }
    if (this.ended) throw new ImportError(`line ${lineNo}: data after the closing line`);
    switch (record.type) {
      case 'host':
        return this.host(record);
      case 'state':
        return this.state(record);
      case 'drift':
        this.driftRows.push({ ...this.rowOf(record), fromStateId: this.stateOf(record.fromStateId), toStateId: this.stateOf(record.toStateId) });
        if (this.driftRows.length >= IMPORT_CHUNK) await this.flush();
        return;
      case 'scan':
        this.scanRows.push({ ...this.rowOf(record), runId: null, stateId: record.stateId === null ? null : this.stateOf(record.stateId) });
        if (this.scanRows.length >= IMPORT_CHUNK) await this.flush();
        return;
      case 'end':
        await this.flush();
        this.ended = record.counts;
        return;
      default:
        throw new ImportError(`line ${lineNo}: unknown record type "${(record as { type: string }).type}"`);
    }
  }

  async finish(): Promise<TransferCounts> {
    if (!this.header) throw new ImportError('the file is empty');
    if (!this.ended) throw new ImportError('the export is incomplete: its closing line is missing (cut off?); nothing was imported');
    const expected = this.ended;
    if ((Object.keys(expected) as Array<keyof TransferCounts>).some((k) => expected[k] !== this.counts[k])) {
      throw new ImportError(`the export announces ${JSON.stringify(expected)} but holds ${JSON.stringify(this.counts)}; nothing was imported`);
    }
    return this.counts;
  }

  private async host(record: Extract<ExportRecord, { type: 'host' }>): Promise<void> {
    const { type: _type, ...host } = record;
    if (await this.m.getRepository(HostEntity).exists({ where: { name: host.name } })) throw new ImportError(`host ${host.name} already exists in this store; nothing was imported`);
    this.hostIds.set(host.name, await insertRow(this.m, HostEntity, host));
    this.counts.hosts += 1;
  }

  private async state(record: Extract<ExportRecord, { type: 'state' }>): Promise<void> {
    const { type: _type, host, id, ...state } = record;
    this.stateIds.set(id, await insertRow(this.m, HostStateEntity, { ...state, hostId: this.hostOf(host) }));
    this.counts.states += 1;
  }

  /** A drift or scan line as its row: the host's new id in place of its name. */
  private rowOf<T extends { type: string; host: string }>(record: T): Omit<T, 'type' | 'host'> & { hostId: number } {
    const { type: _type, host, ...row } = record;
    return { ...row, hostId: this.hostOf(host) };
  }

  private async flush(): Promise<void> {
    for (const [target, rows, key] of [
      [DriftEventEntity, this.driftRows, 'driftEvents'],
      [ScanEntity, this.scanRows, 'scans'],
    ] as const) {
      if (rows.length === 0) continue;
      await this.m.createQueryBuilder().insert().into(target).values(rows).updateEntity(false).execute();
      this.counts[key] += rows.length;
      rows.length = 0;
    }
  }

  private hostOf(name: string): number {
    const id = this.hostIds.get(name);
    if (id === undefined) throw new ImportError(`refers to host ${name}, which the export does not define before it`);
    return id;
  }

  private stateOf(exportedId: number): number {
    const id = this.stateIds.get(exportedId);
    if (id === undefined) throw new ImportError(`refers to state ${exportedId}, which the export does not define before it`);
    return id;
  }
}
