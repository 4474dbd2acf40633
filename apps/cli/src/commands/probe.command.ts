import { Command, CommandRunner } from 'nest-commander';
import { ProbeInstallCommand } from './probe-install.command';

@Command({ name: 'probe', description: 'the probe’s helpers on the hosts', subCommands: [ProbeInstallCommand] })
export class ProbeCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help();
  }
}
