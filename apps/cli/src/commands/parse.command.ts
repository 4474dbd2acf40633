import { readFileSync } from 'node:fs';
import { PARSE_KINDS, ParseKind, parseRaw } from '@driftwatch/checks';
import { Command } from 'nest-commander';
import { OutputCommand } from './common-options';

/** Parses one pasted command output without any host or database: `driftwatch parse httpd-V file`. */
@Command({
  name: 'parse',
  arguments: '<kind> [file]',
  description: `parse one raw output (file or - for stdin) and print {kind, status, reason?, facts} as JSON (with or without --json); kinds: ${PARSE_KINDS.join(', ')}`,
})
export class ParseCommand extends OutputCommand {
  async run([kind, file]: string[]): Promise<void> {
    if (!(PARSE_KINDS as readonly string[]).includes(kind)) {
      throw new Error(`unknown kind "${kind}"; kinds: ${PARSE_KINDS.join(', ')}`);
    }
    const text = readFileSync(!file || file === '-' ? 0 : file).toString('utf8');
    const result = parseRaw(kind as ParseKind, text);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    if (result.status === 'failed') process.exitCode = 1;
  }
}
