import { HistoryService } from '@driftwatch/scans';
import { Command, Option } from 'nest-commander';
import { Printer } from '../output/printer';
import { renderTable } from '../output/table';
import { OutputCommand, OutputOptions } from './common-options';

interface HistoryOptions extends OutputOptions {
  limit?: string;
}

@Command({ name: 'history', arguments: '<name>', description: "a host's distinct states, newest first" })
export class HistoryCommand extends OutputCommand {
  constructor(private readonly history: HistoryService) {
    super();
  }

  async run([name]: string[], options: HistoryOptions): Promise<void> {
    const page = await this.history.snapshots(name, Number(options.limit ?? 50), 0);
    new Printer(!!options.json).result(page, (p) =>
      p.items.length === 0
        ? `${name}: no snapshot yet`
        : renderTable(
            ['SNAPSHOT', 'FIRST SEEN', 'LAST SEEN', 'SEEN', 'HASH'],
            p.items.map((s) => [s.id, s.firstSeenAt, s.lastSeenAt, s.seenCount, s.hash.slice(0, 12)]),
          ),
    );
  }

  @Option({ flags: '--limit <n>', description: 'how many states (default 50)' })
  parseLimit(v: string) {
    return v;
  }
}
