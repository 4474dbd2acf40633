import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppConfig } from '@driftwatch/config';
import { ScansRepository } from '@driftwatch/persistence';
import { AppModule } from './app.module';
import { apiValidationPipe } from './http/validation.pipe';
import { collectorAssetPath } from './collector-asset';

/** Builds the collector application; shared by main.ts, the CLI's `serve`, the demo and e2e tests. */
export async function createCollectorApp(config: AppConfig, options: { logger?: false } = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { logger: options.logger ?? ['error', 'warn', 'log'] });
  app.useGlobalPipes(apiValidationPipe());
  // The web view: static files at /, talking to the REST API only.
  app.useStaticAssets(collectorAssetPath('web'), { index: 'index.html', fallthrough: true });
  app.enableShutdownHooks();
  // Runs left `running` by a previous process can never finish: say so instead of showing them as live.
  await app.get(ScansRepository).markInterrupted();
  return app;
}
