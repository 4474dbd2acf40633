import { HostsService } from '@driftwatch/scans';
import { Command, CommandRunner, SubCommand } from 'nest-commander';
import { Printer } from '../output/printer';
import { OutputCommand, OutputOptions } from './common-options';

@SubCommand({
  name: 'rotate',
  description: 'seal every stored secret again with DRIFTWATCH_SECRET_KEY (the old key given as DRIFTWATCH_SECRET_KEY_PREVIOUS)',
})
export class SecretsRotateCommand extends OutputCommand {
  constructor(private readonly hosts: HostsService) {
    super();
  }

  async run(_args: string[], options: OutputOptions): Promise<void> {
    const result = await this.hosts.resealSecrets();
    new Printer(!!options.json).result(result, (r) => `resealed ${r.secrets} secret(s) of ${r.hosts} host(s) with the current key`);
  }
}

@Command({ name: 'secrets', description: 'manage the encryption of stored secrets', subCommands: [SecretsRotateCommand] })
export class SecretsCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help();
  }
}
