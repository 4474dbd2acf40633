import { loadConfig } from '@driftwatch/config';
import { Command, CommandRunner } from 'nest-commander';

@Command({ name: 'serve', description: 'run the collector (REST API) in the foreground' })
export class ServeCommand extends CommandRunner {
  async run(): Promise<void> {
    const config = loadConfig();
    // Required here, not at the top: every other command would load the collector (Swagger included).
    const { createCollectorApp, listenCollector } = await import('../../../collector/src/bootstrap');
    const app = await createCollectorApp(config);
    await listenCollector(app, config);
    await new Promise<void>((resolve) => process.once('SIGINT', resolve).once('SIGTERM', resolve));
    await app.close();
  }
}
