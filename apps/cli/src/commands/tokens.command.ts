import { ApiTokensService } from '@driftwatch/scans';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { Printer } from '../output/printer';
import { renderTable } from '../output/table';
import { OutputCommand, OutputOptions } from './common-options';

interface CreateOptions extends OutputOptions {
  scope?: string;
  name?: string;
}

@SubCommand({ name: 'create', description: 'create an API token (shown once; read scope cannot change anything)' })
export class TokensCreateCommand extends OutputCommand {
  constructor(private readonly tokens: ApiTokensService) {
    super();
  }

  @Option({ flags: '--scope <scope>', description: 'read | admin', required: true })
  parseScope(value: string): string {
    return value;
  }

  @Option({ flags: '--name <name>', description: 'what the token is for' })
  parseName(value: string): string {
    return value;
  }

  async run(_args: string[], options: CreateOptions): Promise<void> {
    const created = await this.tokens.create(options.scope ?? '', options.name);
    new Printer(!!options.json).result(created, (t) => `${t.token}\n(token ${t.id}, ${t.scope} scope; it is shown only now: store it safely)`);
  }
}

@SubCommand({ name: 'list', description: 'list API tokens (never the tokens themselves)' })
export class TokensListCommand extends OutputCommand {
  constructor(private readonly tokens: ApiTokensService) {
    super();
  }

  async run(_args: string[], options: OutputOptions): Promise<void> {
    new Printer(!!options.json).result(await this.tokens.list(), (list) =>
      list.length === 0
        ? 'no API tokens: the API is open to local clients only'
        : renderTable(
            ['ID', 'NAME', 'SCOPE', 'CREATED', 'REVOKED'],
            list.map((t) => [String(t.id), t.name, t.scope, t.createdAt, t.revokedAt ?? '']),
          ),
    );
  }
}

@SubCommand({ name: 'revoke', arguments: '<id>', description: 'revoke an API token' })
export class TokensRevokeCommand extends OutputCommand {
  constructor(private readonly tokens: ApiTokensService) {
    super();
  }

  async run([id]: string[], options: OutputOptions): Promise<void> {
    await this.tokens.revoke(/^\d+$/.test(id) ? Number(id) : Number.NaN);
    new Printer(!!options.json).result({ revoked: Number(id) }, () => `revoked token ${id}`);
  }
}

@Command({ name: 'tokens', description: 'manage API tokens', subCommands: [TokensCreateCommand, TokensListCommand, TokensRevokeCommand] })
export class TokensCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help();
  }
}
