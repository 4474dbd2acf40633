import { readFileSync } from 'node:fs';
import { PARSE_KINDS, ParseKind, parseRaw } from '@driftwatch/checks';
import { Command, CommandRunner } from 'nest-commander';

/** Parses one pasted command output without any host or database: `driftwatch parse httpd-V file`. */
@Command({
  name: 'parse',
  arguments: '<kind> [file]',
  description: `parse one raw output (file or - for stdin) and print {kind, status, reason?, facts} as JSON; kinds: ${PARSE_KINDS.join(', ')}`,
})
export class ParseCommand extends CommandRunner {
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
