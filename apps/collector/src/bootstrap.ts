import { INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { AppConfig } from '@driftwatch/config';
import { ScansRepository } from '@driftwatch/persistence';
import { ApiTokensService } from '@driftwatch/scans';
import { AppModule } from './app.module';
import { apiValidationPipe } from './http/validation.pipe';
import { listenAddressFor } from './security/listen-address';

/** Builds the collector application; shared by main.ts, the CLI's `serve`, the demo and e2e tests. */
export async function createCollectorApp(config: AppConfig, options: { logger?: false } = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger: options.logger ?? ['error', 'warn', 'log'],
    bodyParser: false,
  });
  app.use(helmet());
  app.useBodyParser('json', { limit: config.api.bodyLimitBytes });
  app.useGlobalPipes(apiValidationPipe());
  app.enableShutdownHooks();
  // Runs left `running` by a previous process can never finish: say so instead of showing them as live.
  await app.get(ScansRepository).markInterrupted();
  return app;
}

/** Starts listening where it is safe to: an API without tokens stays on loopback. */
export async function listenCollector(app: INestApplication, config: AppConfig): Promise<string> {
  const logger = new Logger('Collector');
  const address = listenAddressFor(config.host, await app.get(ApiTokensService).anyActive());
  if (address.warning) logger.warn(address.warning);
  await app.listen(config.port, address.host);
  const url = `http://${address.host}:${config.port}`;
  logger.log(`listening on ${url} (database ${config.databaseUrl.replace(/\/\/[^@]*@/, '//***@')})`);
  return url;
}
