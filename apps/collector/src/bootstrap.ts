import { INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfig } from '@driftwatch/config';
import { ScansRepository } from '@driftwatch/persistence';
import { AppModule } from './app.module';
import { apiValidationPipe } from './http/validation.pipe';

/** Builds the collector application; shared by main.ts, the CLI's `serve`, the demo and e2e tests. */
export async function createCollectorApp(config: AppConfig, options: { logger?: false | LoggerService } = {}): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(config), { logger: options.logger ?? ['error', 'warn', 'log'] });
  app.useGlobalPipes(apiValidationPipe());
  app.enableShutdownHooks();
  // Runs left `running` by a previous process can never finish: say so instead of showing them as live.
  await app.get(ScansRepository).markInterrupted();
  return app;
}
