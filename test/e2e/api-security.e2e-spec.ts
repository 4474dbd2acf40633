import { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { loadConfig } from '@driftwatch/config';
import { createCollectorApp, listenCollector } from '../../apps/collector/src/bootstrap';
import { CollectorHarness, startCollector } from '../support/collector-harness';
import { cli } from '../support/run-cli';
import { createTestDatabase } from '../support/test-database';

const host = { name: 'web-1', address: '127.0.0.1', port: 22, username: 'ops', auth: { type: 'agent' } };

describe('API access: tokens, scopes, headers, limits', () => {
  let collector: CollectorHarness;
  const savedUrl = process.env.DATABASE_URL;

  beforeAll(async () => {
    collector = await startCollector();
    process.env.DATABASE_URL = collector.db.url;
  });

  afterAll(async () => {
    process.env.DATABASE_URL = savedUrl;
    await collector?.close();
  });

  it('is open until the first token exists, then needs a token with the right scope on every route but /health', async () => {
    await collector.http().get('/api/v1/hosts').expect(200);

    const admin = JSON.parse((await cli('tokens', 'create', '--scope', 'admin', '--name', 'ops', '--json')).out);
    const read = JSON.parse((await cli('tokens', 'create', '--scope', 'read', '--json')).out);
    expect(admin).toMatchObject({ scope: 'admin', name: 'ops', token: expect.stringMatching(/^dw_[\w-]{43}$/) });

    const anonymous = await collector.http().get('/api/v1/hosts').expect(401);
    expect(anonymous.body.message).toMatch(/API token is required/);
    expect((await collector.http().get('/api/v1/hosts').set('Authorization', 'Bearer dw_not-a-token').expect(401)).body.message).toMatch(/unknown or revoked/);
    await collector.http().get('/health').expect(200);

    await collector.http().get('/api/v1/hosts').set('Authorization', `Bearer ${read.token}`).expect(200);
    const denied = await collector.http().post('/api/v1/hosts').set('Authorization', `Bearer ${read.token}`).send(host).expect(403);
    expect(denied.body.message).toMatch(/read scope/);
    await collector.http().post('/api/v1/hosts').set('Authorization', `Bearer ${admin.token}`).send(host).expect(201);

    expect((await cli('tokens', 'revoke', String(read.id))).code).toBe(0);
    await collector.http().get('/api/v1/hosts').set('Authorization', `Bearer ${read.token}`).expect(401);

    const listed = await cli('tokens', 'list', '--json');
    expect(listed.out).not.toContain(admin.token);
    expect(JSON.parse(listed.out).map((t: { scope: string; revokedAt: string | null }) => [t.scope, t.revokedAt !== null])).toEqual([
      ['admin', false],
      ['read', true],
    ]);
  });

  it('refuses a bad scope or token id with a clear message', async () => {
    const bad = await cli('tokens', 'create', '--scope', 'root');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('scope must be one of: read, admin');
    expect((await cli('tokens', 'revoke', 'abc')).err).toContain('token id must be a positive integer');
  });

  it('sends security headers and refuses oversized bodies with JSON', async () => {
    const response = await collector.http().get('/health').expect(200);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['x-powered-by']).toBeUndefined();
    const big = await collector
      .http()
      .post('/api/v1/hosts')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ ...host, name: 'x'.repeat(2 * 1024 * 1024) }))
      .expect(413);
    expect(big.body).toMatchObject({ statusCode: 413, message: expect.stringMatching(/too large/) });
  });
});

describe('API rate limiting', () => {
  it('answers 429 with a message past the configured rate', async () => {
    const collector = await startCollector({ API_RATE_LIMIT: '5' });
    try {
      for (let i = 0; i < 5; i++) await collector.http().get('/api/v1/hosts').expect(200);
      const limited = await collector.http().get('/api/v1/hosts').expect(429);
      expect(limited.body).toMatchObject({ statusCode: 429, message: expect.any(String) });
    } finally {
      await collector.close();
    }
  });
});

describe('listen address', () => {
  it('listens on loopback, not the configured address, while no token exists', async () => {
    const db = await createTestDatabase();
    const config = loadConfig({ DATABASE_URL: db.url, HOST: '0.0.0.0', PORT: '0' });
    const app = await createCollectorApp(config, { logger: false });
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    try {
      await listenCollector(app, config);
      expect((app.getHttpServer().address() as AddressInfo).address).toBe('127.0.0.1');
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('listening on 127.0.0.1 instead of 0.0.0.0'));
    } finally {
      jest.restoreAllMocks();
      await app.close();
      await db.cleanup();
    }
  });
});
