import { DriftService } from '@driftwatch/scans';
import { Command, Option } from 'nest-commander';
import { Printer } from '../output/printer';
import { renderTable } from '../output/table';
import { OutputCommand, OutputOptions } from './common-options';

interface DriftOptions extends OutputOptions {
  since?: string;
  limit?: string;
}

@Command({ name: 'drift', arguments: '<name>', description: "a host's drift events, newest first" })
export class DriftCommand extends OutputCommand {
  constructor(private readonly drift: DriftService) {
    super();
  }

  async run([name]: string[], options: DriftOptions): Promise<void> {
    if (options.since !== undefined && Number.isNaN(Date.parse(options.since))) throw new Error('--since must be an ISO 8601 time');
    const limit = Number(options.limit ?? 50);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new Error('--limit must be an integer from 1 to 500');
    const page = await this.drift.timeline(name, { since: options.since, limit, offset: 0 });
    new Printer(!!options.json).result(page, (p) =>
      p.items.length === 0
        ? `${p.host}: no drift${options.since ? ` since ${options.since}` : ''}`
        : renderTable(
            ['DETECTED', 'SEVERITY', 'CATEGORY', 'CHANGE', 'SNAPSHOTS'],
            p.items.map((e) => [e.detectedAt, e.severity, e.category, e.summary, `${e.fromSnapshotId} → ${e.toSnapshotId}`]),
          ),
    );
  }

  @Option({ flags: '--since <time>', description: 'only events detected at or after this ISO time' })
  parseSince(v: string) {
    return v;
  }

  @Option({ flags: '--limit <n>', description: 'how many events (default 50)' })
  parseLimit(v: string) {
    return v;
  }
}
