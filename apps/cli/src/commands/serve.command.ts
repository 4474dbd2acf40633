import { Logger } from '@nestjs/common';
import { loadConfig } from '@driftwatch/config';
import { Command, CommandRunner } from 'nest-commander';
import { createCollectorApp } from '../../../collector/src/bootstrap';

@Command({ name: 'serve', description: 'run the collector (REST API) in the foreground' })
export class ServeCommand extends CommandRunner {
  async run(): Promise<void> {
    const config = loadConfig();
    const app = await createCollectorApp(config);
    await app.listen(config.port, config.host);
    new Logger('Collector').log(`listening on http://${config.host}:${config.port}`);
    await new Promise<void>((resolve) => process.once('SIGINT', resolve).once('SIGTERM', resolve));
    await app.close();
  }
}
