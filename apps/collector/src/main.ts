import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadConfig } from '@driftwatch/config';
import { createCollectorApp } from './bootstrap';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createCollectorApp(config);
  const database = config.databaseUrl.replace(/\/\/[^@]*@/, '//***@');
  const queue = config.queue ? `, queue ${config.queue.prefix} on ${config.queue.redisUrl.replace(/\/\/[^@]*@/, '//***@')}` : '';
  if (config.role === 'all' || config.role === 'api') {
    await app.listen(config.port, config.host);
    new Logger('Collector').log(`role ${config.role}: listening on http://${config.host}:${config.port} (database ${database}${queue})`);
  } else {
    await app.init();
    new Logger('Collector').log(`role ${config.role}: running without HTTP (database ${database}${queue})`);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
