import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfig } from '@driftwatch/config';
import { ScansRepository } from '@driftwatch/persistence';
import { AppLogger } from '@driftwatch/scans';
import { AppModule } from './app.module';
import { apiValidationPipe } from './http/validation.pipe';
import { mountOpenApi } from './openapi/openapi';

/** Builds the collector application; shared by main.ts, the CLI's `serve`, the demo and e2e tests. */
export async function createCollectorApp(config: AppConfig, options: { logger?: false } = {}): Promise<INestApplication> {
  const logger = options.logger ?? new AppLogger({ format: config.logFormat, level: config.logLevel });
  const app = await NestFactory.create(AppModule.forRoot(config), { logger });
  app.useGlobalPipes(apiValidationPipe());
  mountOpenApi(app);
  app.enableShutdownHooks();
  // Runs left `running` by a previous process can never finish: say so instead of showing them as live.
  await app.get(ScansRepository).markInterrupted();
  return app;
}
