import { Command, CommandRunner } from 'nest-commander';
import { HostsAddCommand } from './hosts-add.command';
import { HostsImportCommand } from './hosts-import.command';
import { HostsListCommand } from './hosts-list.command';
import { HostsRemoveCommand } from './hosts-remove.command';

@Command({ name: 'hosts', description: 'manage registered hosts', subCommands: [HostsAddCommand, HostsImportCommand, HostsListCommand, HostsRemoveCommand] })
export class HostsCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help();
  }
}
