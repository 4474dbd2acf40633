import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DomainError, DomainErrorCode, HostImportService, ImportReport, InventoryFormat } from '@driftwatch/scans';
import { Option, SubCommand } from 'nest-commander';
import { Printer } from '../output/printer';
import { OutputCommand, OutputOptions } from './common-options';

interface ImportOptions extends OutputOptions {
  user?: string;
}

@SubCommand({
  name: 'import',
  arguments: '<format> [file]',
  description: 'register the hosts of an Ansible inventory (format ansible, INI or YAML) or an OpenSSH client config (format ssh-config, default ~/.ssh/config); idempotent',
})
export class HostsImportCommand extends OutputCommand {
  constructor(private readonly importer: HostImportService) {
    super();
  }

  async run([format, file]: string[], options: ImportOptions): Promise<void> {
    if (format !== 'ansible' && format !== 'ssh-config') throw new DomainError(DomainErrorCode.InvalidInput, 'format must be "ansible" or "ssh-config"');
    const path = file ?? (format === 'ssh-config' ? join(homedir(), '.ssh', 'config') : undefined);
    if (!path) throw new DomainError(DomainErrorCode.InvalidInput, 'give the inventory file');
    const content = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new DomainError(DomainErrorCode.InvalidInput, `cannot read ${path} (${error.code ?? error.message})`);
    });
    const report = await this.importer.import(format as InventoryFormat, content, { ...(options.user ? { username: options.user } : {}), home: homedir() });
    new Printer(!!options.json).result(report, summary);
  }

  @Option({ flags: '--user <user>', description: 'login for hosts the inventory gives no user' })
  parseUser(v: string) {
    return v;
  }
}

function summary(r: ImportReport): string {
  const lines = [`created ${r.created.length}, updated ${r.updated.length}, unchanged ${r.unchanged.length}, skipped ${r.skipped.length}`];
  for (const s of r.skipped) lines.push(`skipped ${s.name}: ${s.reason}`);
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n');
}
