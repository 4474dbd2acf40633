import { open } from 'node:fs/promises';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { ImportError, TransferCounts, backupSqlite, exportHistory, importHistory, withSnapshot } from '@driftwatch/persistence';
import { DomainError, DomainErrorCode } from '@driftwatch/scans';
import { Command, CommandRunner, Option } from 'nest-commander';
import { DataSource } from 'typeorm';
import { Printer } from '../output/printer';
import { OutputCommand, OutputOptions } from './common-options';

interface ExportOptions {
  since?: string;
  withSecrets?: boolean;
}

const describeCounts = (c: TransferCounts) => `${c.hosts} hosts, ${c.states} states, ${c.driftEvents} drift events, ${c.scans} scans`;

/**
 * The lines of `input`, read only once the import pulls the first (readline drops lines nobody
 * is iterating yet); a read error (no such file) ends them with that error instead of silence.
 */
async function* linesOf(input: NodeJS.ReadableStream): AsyncGenerator<string> {
  const failed = new Promise<never>((_, reject) => input.once('error', reject));
  const lines = createInterface({ input, crlfDelay: Infinity })[Symbol.asyncIterator]();
  for (;;) {
    const next = await Promise.race([lines.next(), failed]);
    if (next.done) return;
    yield next.value;
  }
}

async function writeLine(line: string): Promise<void> {
  if (!process.stdout.write(`${line}\n`)) await once(process.stdout, 'drain');
}

@Command({
  name: 'export',
  description: 'write hosts, states, drift events and scans as JSON Lines to stdout (format version 1), as of one instant; secrets only with --with-secrets, still sealed',
})
export class ExportCommand extends CommandRunner {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async run(_args: string[], options: ExportOptions): Promise<void> {
    const counts = await withSnapshot(this.dataSource, async (m) => {
      let last: TransferCounts | null = null;
      for await (const record of exportHistory(m, { since: options.since, withSecrets: options.withSecrets })) {
        await writeLine(JSON.stringify(record));
        if (record.type === 'end') last = record.counts;
      }
      return last!;
    });
    process.stderr.write(`exported ${describeCounts(counts)}\n`);
  }

  @Option({ flags: '--since <time>', description: 'only states last seen, drift detected and scans started at or after this ISO time (every host is written)' })
  parseSince(value: string): string {
    const time = Date.parse(value);
    if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(time)) throw new DomainError(DomainErrorCode.InvalidInput, `--since must be an ISO time such as 2026-01-31 or 2026-01-31T12:00:00Z, not "${value}"`);
    return new Date(time).toISOString();
  }

  @Option({ flags: '--with-secrets', description: "include the hosts' stored secrets, sealed: the importing collector needs the same DRIFTWATCH_SECRET_KEY" })
  parseWithSecrets(): boolean {
    return true;
  }
}

@Command({ name: 'import', arguments: '<file>', description: 'load an export (file, or - for stdin) into this store, all or nothing; refuses hosts it already has' })
export class ImportCommand extends OutputCommand {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async run([file]: string[], options: OutputOptions): Promise<void> {
    try {
      // Opened first, so that a missing file is an error here rather than an event nobody hears yet.
      const input = file === '-' ? process.stdin : (await open(resolve(file))).createReadStream();
      const counts = await importHistory(this.dataSource, linesOf(input));
      new Printer(!!options.json).result(counts, (c) => `imported ${describeCounts(c)}`);
    } catch (error) {
      if (error instanceof ImportError) throw new DomainError(DomainErrorCode.InvalidInput, error.message);
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new DomainError(DomainErrorCode.InvalidInput, `cannot read ${file}: no such file`);
      throw error;
    }
  }
}

@Command({ name: 'backup', arguments: '<file>', description: 'copy the sqlite store to a new file with the online backup API (consistent while scans run)' })
export class BackupCommand extends OutputCommand {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async run([file]: string[], options: OutputOptions): Promise<void> {
    const target = resolve(file);
    try {
      const { pages } = await backupSqlite(this.dataSource, target);
      new Printer(!!options.json).result({ file: target, pages }, (r) => `backed up to ${r.file} (${r.pages} pages)`);
    } catch (error) {
      throw new DomainError(DomainErrorCode.InvalidInput, error instanceof Error ? error.message : String(error));
    }
  }
}
