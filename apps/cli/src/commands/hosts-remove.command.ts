import { HostsService } from '@driftwatch/scans';
import { SubCommand } from 'nest-commander';
import { Printer } from '../output/printer';
import { OutputCommand, OutputOptions } from './common-options';

@SubCommand({ name: 'remove', arguments: '<name>', description: 'forget a host and its history' })
export class HostsRemoveCommand extends OutputCommand {
  constructor(private readonly hosts: HostsService) {
    super();
  }

  async run([name]: string[], options: OutputOptions): Promise<void> {
    await this.hosts.remove(name);
    new Printer(!!options.json).result({ removed: name }, () => `removed ${name}`);
  }
}
