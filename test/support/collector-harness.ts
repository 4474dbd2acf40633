import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { loadConfig } from '@driftwatch/config';
import { createCollectorApp } from '../../apps/collector/src/bootstrap';
import { createTestDatabase, TestDatabase } from './test-database';

export interface CollectorHarness {
  app: INestApplication;
  db: TestDatabase;
  http: () => ReturnType<typeof request>;
  close(): Promise<void>;
}

/**
 * The real collector (real migrations, real SSH transport) on a throwaway database, or on `on`
 * (a database another collector used before: a restart), which close() then leaves in place.
 */
export async function startCollector(env: Record<string, string> = {}, on?: TestDatabase): Promise<CollectorHarness> {
  const db = on ?? (await createTestDatabase());
  // No schedule unless a test asks for one: scans (and prunes) happen when the test says so.
  const config = loadConfig({ DATABASE_URL: db.url, SSH_CONNECT_TIMEOUT_MS: '3000', SSH_COMMAND_TIMEOUT_MS: '20000', SCAN_SCHEDULE: 'off', PRUNE_SCHEDULE: 'off', ...env });
  const app = await createCollectorApp(config, { logger: false });
  await app.init();
  return {
    app,
    db,
    http: () => request(app.getHttpServer()),
    close: async () => {
      await app.close();
      if (!on) await db.cleanup();
    },
  };
}

/** Registers a lab host through the API: key login as `ops` on 127.0.0.1, plus any other fields. */
export async function registerLabHost(c: CollectorHarness, name: string, port: number, keyPath: string, extra: Record<string, unknown> = {}): Promise<void> {
  await c
    .http()
    .post('/api/v1/hosts')
    .send({ name, address: '127.0.0.1', port, username: 'ops', auth: { type: 'key', privateKeyPath: keyPath }, ...extra })
    .expect(201);
}
