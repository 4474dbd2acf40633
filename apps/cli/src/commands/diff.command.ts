import { HistoryService } from '@driftwatch/scans';
import { Command, Option } from 'nest-commander';
import { formatChanges, formatHeadlines } from '../output/format-changes';
import { Printer } from '../output/printer';
import { OutputCommand, OutputOptions } from './common-options';

interface DiffOptions extends OutputOptions {
  from?: string;
  to?: string;
}

function snapshotId(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9][0-9]*$/.test(value)) throw new Error(`--${name} must be a snapshot id`);
  return Number(value);
}

@Command({ name: 'diff', arguments: '<name>', description: 'what changed between two states (default: previous → current)' })
export class DiffCommand extends OutputCommand {
  constructor(private readonly history: HistoryService) {
    super();
  }

  async run([name]: string[], options: DiffOptions): Promise<void> {
    const diff = await this.history.diff(name, snapshotId(options.from, 'from'), snapshotId(options.to, 'to'));
    new Printer(!!options.json).result(diff, (d) =>
      d.from ? `${d.host}: snapshot ${d.from.id} → ${d.to.id}\n${formatHeadlines(d.headlines)}${formatChanges(d.changes)}` : `${d.host}: only one state so far (snapshot ${d.to.id})`,
    );
  }

  @Option({ flags: '--from <id>', description: 'older snapshot id' })
  parseFrom(v: string) {
    return v;
  }

  @Option({ flags: '--to <id>', description: 'newer snapshot id' })
  parseTo(v: string) {
    return v;
  }
}
