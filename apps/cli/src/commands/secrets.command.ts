import { SecretRotationService } from '@driftwatch/scans';
import { Command, CommandRunner, SubCommand } from 'nest-commander';
import { Printer } from '../output/printer';
import { OutputCommand, OutputOptions } from './common-options';

@SubCommand({
  name: 'rotate',
  description: 'seal every stored secret (hosts\' and webhooks\') again with DRIFTWATCH_SECRET_KEY (the old key given as DRIFTWATCH_SECRET_KEY_PREVIOUS)',
})
export class SecretsRotateCommand extends OutputCommand {
  constructor(private readonly secrets: SecretRotationService) {
    super();
  }

  async run(_args: string[], options: OutputOptions): Promise<void> {
    const result = await this.secrets.rotate();
    new Printer(!!options.json).result(result, (r) => `resealed ${r.secrets} secret(s) of ${r.hosts} host(s) and ${r.webhooks} webhook(s) with the current key`);
  }
}

@Command({ name: 'secrets', description: 'manage the encryption of stored secrets', subCommands: [SecretsRotateCommand] })
export class SecretsCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help();
  }
}
