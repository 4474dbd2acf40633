import { CommandRunner, Option } from 'nest-commander';

/** Base for commands that print either human text or JSON. */
export abstract class OutputCommand extends CommandRunner {
  @Option({ flags: '--json', description: 'print JSON instead of text' })
  parseJson(): boolean {
    return true;
  }
}

export interface OutputOptions {
  json?: boolean;
}

/** Collects a repeatable option (--label a --label b). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
