import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadConfig } from '@driftwatch/config';
import { createCollectorApp } from './bootstrap';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createCollectorApp(config);
  await app.listen(config.port, config.host);
  new Logger('Collector').log(`listening on http://${config.host}:${config.port} (database ${config.databaseUrl.replace(/\/\/[^@]*@/, '//***@')})`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
