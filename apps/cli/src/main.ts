import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { CliModule, StandaloneCliModule } from './cli.module';

const STANDALONE = new Set(['parse', 'serve', 'demo', 'migrate']);

function fail(error: Error): void {
  process.stderr.write(`driftwatch: ${error.message}\n`);
  process.exit(error.name === 'DomainError' ? 2 : 1);
}

async function main(): Promise<void> {
  // Commands that open no database (or open it themselves) skip the full module, so that
  // `driftwatch parse` works anywhere without creating a database file.
  const module = STANDALONE.has(process.argv[2] ?? '') ? StandaloneCliModule : CliModule.forRoot();
  await CommandFactory.run(module, {
    cliName: 'driftwatch',
    logger: ['error', 'warn'],
    serviceErrorHandler: fail,
    errorHandler: (error) => {
      // commander reports --help and --version as errors with exit code 0.
      const code = (error as { exitCode?: number }).exitCode ?? 1;
      process.exit(code);
    },
  });
}

main().catch(fail);
