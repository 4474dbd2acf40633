import { renderMarkdown } from '@driftwatch/report';
import { ReportService } from '@driftwatch/scans';
import { Command, Option } from 'nest-commander';
import { OutputCommand, OutputOptions } from './common-options';

interface ReportOptions extends OutputOptions {
  snapshot?: string;
  redact?: boolean;
}

@Command({
  name: 'report',
  arguments: '<host>',
  description: "paste-ready diagnostic report of a host's current state (or --snapshot): summary, findings, every check's commands and complete output, as Markdown",
})
export class ReportCommand extends OutputCommand {
  constructor(private readonly reports: ReportService) {
    super();
  }

  async run([host]: string[], options: ReportOptions): Promise<void> {
    if (options.snapshot !== undefined && !/^[1-9][0-9]*$/.test(options.snapshot)) throw new Error('--snapshot must be a snapshot id');
    const report = await this.reports.report(host, {
      snapshotId: options.snapshot === undefined ? undefined : Number(options.snapshot),
      redact: !!options.redact,
    });
    process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : renderMarkdown(report));
  }

  @Option({ flags: '--snapshot <id>', description: 'a stored state of the host instead of its current one' })
  parseSnapshot(v: string) {
    return v;
  }

  @Option({ flags: '--redact', description: 'replace host names, IP addresses, user names and home directories with placeholders' })
  parseRedact(): boolean {
    return true;
  }
}
