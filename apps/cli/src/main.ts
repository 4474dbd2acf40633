import 'reflect-metadata';
import { runCli } from './cli';

runCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`driftwatch: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
