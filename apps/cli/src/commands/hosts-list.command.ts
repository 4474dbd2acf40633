import { HostsService, toHostView } from '@driftwatch/scans';
import { SubCommand } from 'nest-commander';
import { Printer } from '../output/printer';
import { renderTable } from '../output/table';
import { OutputCommand, OutputOptions } from './common-options';

@SubCommand({ name: 'list', description: 'list registered hosts' })
export class HostsListCommand extends OutputCommand {
  constructor(private readonly hosts: HostsService) {
    super();
  }

  async run(_args: string[], options: OutputOptions): Promise<void> {
    const hosts = (await this.hosts.list()).map(toHostView);
    new Printer(!!options.json).result(hosts, (list) =>
      list.length === 0
        ? 'no hosts registered (driftwatch hosts add …)'
        : renderTable(
            ['NAME', 'TARGET', 'AUTH', 'HOST KEY', 'LABELS'],
            list.map((h) => [h.name, `${h.username}@${h.address}:${h.port}`, h.auth.type, h.hostKey ?? '(first scan pins)', h.labels.join(',')]),
          ),
    );
  }
}
