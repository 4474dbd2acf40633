import 'reflect-metadata';
import { loadConfig } from '@driftwatch/config';
import { createCollectorApp, listenCollector } from './bootstrap';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createCollectorApp(config);
  await listenCollector(app, config);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
