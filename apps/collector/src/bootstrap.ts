import { INestApplication, Logger, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { AppConfig } from '@driftwatch/config';
import { ScansRepository } from '@driftwatch/persistence';
import { ApiTokensService, AppLogger } from '@driftwatch/scans';
import { AppModule } from './app.module';
import { apiValidationPipe } from './http/validation.pipe';
import { collectorAssetPath } from './collector-asset';
import { mountOpenApi, OPENAPI_UI_PATH } from './openapi/openapi';
import { protectApiDocs } from './security/docs-access';
import { listenAddressFor } from './security/listen-address';

/** Builds the collector application; shared by main.ts, the CLI's `serve`, the demo and e2e tests. */
export async function createCollectorApp(config: AppConfig, options: { logger?: false | LoggerService } = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger: options.logger ?? new AppLogger({ format: config.logFormat, level: config.logLevel }),
    bodyParser: false,
  });
  // Plain HTTP unless a proxy adds TLS: upgrading the web view's own script and API requests to
  // https (helmet's default CSP) would break the page on any address but loopback.
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  app.useBodyParser('json', { limit: config.api.bodyLimitBytes });
  app.useGlobalPipes(apiValidationPipe());
  protectApiDocs(app, OPENAPI_UI_PATH);
  mountOpenApi(app);
  // The web view: static files at /, talking to the REST API only.
  app.useStaticAssets(collectorAssetPath('web'), { index: 'index.html', fallthrough: true });
  app.enableShutdownHooks();
  // Runs left `running` by a previous process can never finish: say so instead of showing them as
  // live. With a shared queue other processes may be running them, and their jobs survive us.
  if (!config.queue) await app.get(ScansRepository).markInterrupted();
  return app;
}

/** Starts listening where it is safe to: an API without tokens stays on loopback. */
export async function listenCollector(app: INestApplication, config: AppConfig): Promise<string> {
  const logger = new Logger('Collector');
  const address = listenAddressFor(config.host, await app.get(ApiTokensService).anyActive());
  if (address.warning) logger.warn(address.warning);
  await app.listen(config.port, address.host);
  const url = `http://${address.host}:${config.port}`;
  logger.log(`listening on ${url} (database ${config.databaseUrl.replace(/\/\/[^@]*@/, '//***@')}${queueNote(config)}), role ${config.role}`);
  return url;
}

/** Roles `scheduler` and `worker`: the application runs (cron, queue worker) without an HTTP server. */
export async function runWithoutHttp(app: INestApplication, config: AppConfig): Promise<void> {
  await app.init();
  new Logger('Collector').log(`role ${config.role}: running without HTTP (database ${config.databaseUrl.replace(/\/\/[^@]*@/, '//***@')}${queueNote(config)})`);
}

function queueNote(config: AppConfig): string {
  return config.queue ? `, scan queue ${config.queue.prefix} on ${config.queue.redisUrl.replace(/\/\/[^@]*@/, '//***@')}` : '';
}
