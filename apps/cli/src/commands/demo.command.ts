import { loadConfig } from '@driftwatch/config';
import { Command, CommandRunner } from 'nest-commander';

@Command({ name: 'demo', description: 'scan simulated hosts, change them, scan again and show the drift' })
export class DemoCommand extends CommandRunner {
  async run(): Promise<void> {
    // Required here, not at the top: the demo brings the collector and the lab hosts.
    const { runDemo } = await import('../demo/demo');
    await runDemo(loadConfig());
  }
}
