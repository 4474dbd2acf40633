import { loadConfig } from '@driftwatch/config';
import { Command, CommandRunner } from 'nest-commander';
import { runDemo } from '../demo/demo';

@Command({ name: 'demo', description: 'scan simulated hosts, change them, scan again and show the drift' })
export class DemoCommand extends CommandRunner {
  async run(): Promise<void> {
    await runDemo(loadConfig());
  }
}
