import { loadConfig } from '@driftwatch/config';
import { AppLogger } from '@driftwatch/scans';
import { CommandFactory } from 'nest-commander';
import { CliModule, StandaloneCliModule } from './cli.module';
import { LocalScanCliModule, isLocalScan } from './local-scan.module';

const STANDALONE = new Set(['parse', 'serve', 'demo', 'migrate']);

/** Help lists every command, so it needs the full module: on a throwaway in-memory database, whatever the environment says. */
function asksForHelp(args: string[]): boolean {
  return args.length === 0 || args[0] === 'help' || args.includes('--help') || args.includes('-h');
}

/**
 * Runs one CLI invocation and returns its exit code. `args` are the words after the program
 * name. Commands that open no database (or open it themselves) skip the full module, so that
 * `driftwatch parse` works anywhere without creating a database file; help opens none either.
 */
export async function runCli(args: string[]): Promise<number> {
  const module = isLocalScan(args)
    ? LocalScanCliModule.forRoot(args.includes('--save'))
    : STANDALONE.has(args[0] ?? '')
      ? StandaloneCliModule
      : CliModule.forRoot(asksForHelp(args) ? loadConfig({ DATABASE_URL: 'sqlite::memory:' }) : undefined);
  let code = 0;
  const argv = process.argv;
  process.argv = [argv[0], 'driftwatch', ...args];
  process.exitCode = undefined;
  try {
    await CommandFactory.run(module, {
      cliName: 'driftwatch',
      logger: new AppLogger({ format: logFormat(process.env.LOG_FORMAT), level: 'warn', isTTY: process.stderr.isTTY, stderrOnly: true }),
      serviceErrorHandler: (error) => {
        process.stderr.write(`driftwatch: ${error.message}\n`);
        code = error.name === 'DomainError' ? 2 : 1;
      },
      // commander reports --help and usage errors this way; --help carries exit code 0.
      errorHandler: (error) => {
        code = (error as { exitCode?: number }).exitCode ?? 1;
      },
    });
  } finally {
    process.argv = argv;
  }
  const requested = typeof process.exitCode === 'number' ? process.exitCode : 0;
  process.exitCode = undefined;
  return code || requested;
}

/** LOG_FORMAT as the collector reads it; anything else is left to `auto` (config validation reports it where it matters). */
function logFormat(value: string | undefined): 'json' | 'text' | 'auto' {
  return value === 'json' || value === 'text' ? value : 'auto';
}
