import { ReparseReport, ReparseService } from '@driftwatch/scans';
import { Command, Option } from 'nest-commander';
import { Printer } from '../output/printer';
import { OutputCommand, OutputOptions } from './common-options';

interface ReparseOptions extends OutputOptions {
  host?: string;
}

function describe(report: ReparseReport): string {
  const lines = report.hosts.map((h) => {
    const what = h.changed.length ? `${h.changed.length} of ${h.states} states re-derived (${h.changed.map((s) => s.id).join(', ')}), ${h.driftEvents} drift events rewritten` : `${h.states} states unchanged`;
    return `${h.host}: ${what}${h.skipped.length ? `; no readable evidence for ${h.skipped.join(', ')}` : ''}`;
  });
  return [...lines, `${report.changedStates} states changed`].join('\n');
}

@Command({ name: 'reparse', description: 're-derive stored facts from raw evidence with the current parsers (no host is contacted)' })
export class ReparseCommand extends OutputCommand {
  constructor(private readonly reparser: ReparseService) {
    super();
  }

  async run(_args: string[], options: ReparseOptions): Promise<void> {
    new Printer(!!options.json).result(await this.reparser.reparse(options.host), describe);
  }

  @Option({ flags: '--host <name>', description: 'only this host (default: every host)' })
  parseHost(v: string) {
    return v;
  }
}
