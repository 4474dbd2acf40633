import 'reflect-metadata';
import { loadConfig } from '@driftwatch/config';
import { createCollectorApp, listenCollector, runWithoutHttp } from './bootstrap';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createCollectorApp(config);
  // Roles scheduler and worker serve no HTTP; api and all do (see README, "Scaling out").
  if (config.role === 'all' || config.role === 'api') await listenCollector(app, config);
  else await runWithoutHttp(app, config);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
