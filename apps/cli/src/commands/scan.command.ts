import { ScanOutcome, ScanRunsService } from '@driftwatch/scans';
import { Command, Option } from 'nest-commander';
import { Printer } from '../output/printer';
import { renderTable } from '../output/table';
import { progressFor } from '../progress/scan-progress';
import { renderScanSummary } from '../progress/scan-summary';
import { OutputCommand, OutputOptions, collect } from './common-options';

interface ScanOptions extends OutputOptions {
  label?: string[];
}

@Command({ name: 'scan', arguments: '[names...]', description: 'scan hosts now (all when no name or label is given)' })
export class ScanCommand extends OutputCommand {
  constructor(private readonly runs: ScanRunsService) {
    super();
  }

  async run(names: string[], options: ScanOptions): Promise<void> {
    const json = !!options.json;
    const selection = { hosts: names, labels: options.label ?? [] };
    const live = progressFor(process.stderr, { quiet: json });
    const { run, outcomes } = await this.runs
      .runToCompletion(
        selection,
        (o) => live.hostFinished(o),
        (started) => live.start(started.total),
      )
      .finally(() => live.stop());
    const progress = await this.runs.progress(run.id);
    new Printer(json).result({ run: progress, scans: outcomes }, ({ scans }) => this.summary(scans));
    if (outcomes.some((o) => o.status !== 'ok')) process.exitCode = 3;
  }

  private summary(scans: ScanOutcome[]): string {
    const sorted = [...scans].sort((a, b) => a.host.localeCompare(b.host));
    const table = renderTable(
      ['HOST', 'STATUS', 'CHANGED', 'SNAPSHOT', 'MS', 'ERROR'],
      sorted.map((s) => [s.host, s.status, s.changed ? 'yes' : 'no', s.snapshotId, s.durationMs, s.error ?? '']),
    );
    const findings = sorted.flatMap((s) => (s.findings ?? []).map((f) => `  ${s.host}: [${f.severity}] ${f.id}: ${f.message}`));
    const perHost = findings.length ? `${table}\n\nfindings:\n${findings.join('\n')}` : table;
    return `${perHost}\n\n${renderScanSummary(scans)}`;
  }

  @Option({ flags: '--label <label>', description: 'scan the hosts with this label (repeatable)' })
  parseLabel(v: string, previous?: string[]) {
    return collect(v, previous);
  }
}
