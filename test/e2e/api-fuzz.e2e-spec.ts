import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { CollectorHarness, startCollector } from '../support/collector-harness';

interface Route {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  path: string;
}

/** Every route Nest registered, read from the Express router, so a new route is fuzzed too. */
function registeredRoutes(collector: CollectorHarness): Route[] {
  const router = collector.app.getHttpAdapter().getInstance().router as { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> };
  return router.stack.flatMap((layer) =>
    layer.route ? Object.keys(layer.route.methods).map((method) => ({ method: method as Route['method'], path: layer.route!.path })) : [],
  );
}

const QUERY_KEYS = ['limit', 'offset', 'since', 'until', 'category', 'severity', 'from', 'to', 'format', 'time', 'label', 'snapshot', 'redact', 'host', 'cursor'];

const segment = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer().map(String),
  fc.double().map(String),
  fc.constantFrom('web-1', '0', '-1', '1e309', '..', '%00', '%E0%A4%A', 'NaN', 'latest', 'x'.repeat(5000)),
);
const query = fc.dictionary(fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 8 })), fc.oneof(segment, fc.array(segment, { maxLength: 3 })), { maxKeys: 4 });
const body = fc.oneof(
  fc.jsonValue().map((value) => ({ json: value })),
  fc.string({ maxLength: 200 }).map((text) => ({ raw: text })),
  fc.record({ name: segment, address: segment, port: fc.oneof(fc.integer(), segment), username: segment, labels: fc.anything(), auth: fc.anything() }, { requiredKeys: [] }).map((value) => ({ json: value })),
);

/** What a rejected request must leave alone: the row count and the newest id of every table. */
async function fingerprint(dataSource: DataSource): Promise<string> {
  const tables = dataSource.entityMetadatas.map((m) => m.tableName).sort();
  const rows = [];
  for (const table of tables) rows.push(await dataSource.query(`SELECT COUNT(*) AS n, MAX(id) AS last FROM ${table}`));
  return JSON.stringify(rows);
}

jest.setTimeout(600_000);

describe('REST API under malformed input', () => {
  let collector: CollectorHarness;
  let dataSource: DataSource;

  beforeAll(async () => {
    collector = await startCollector({ API_RATE_LIMIT: '0', SSH_CONNECT_TIMEOUT_MS: '500' });
    dataSource = collector.app.get(DataSource);
    await collector
      .http()
      .post('/api/v1/hosts')
      .send({ name: 'web-1', address: '127.0.0.1', port: 1, username: 'ops', auth: { type: 'agent' }, labels: ['web'] })
      .expect(201);
  });

  afterAll(async () => {
    await collector?.close();
  });

  it('answers every route with 2xx or 4xx and a JSON message, never 500, and rejected requests change nothing', async () => {
    const routes = registeredRoutes(collector).filter((r) => !r.path.startsWith('/api/docs'));
    expect(routes.length).toBeGreaterThan(10);
    let requests = 0;
    for (const route of routes) {
      await fc.assert(
        fc.asyncProperty(fc.array(segment, { minLength: 3, maxLength: 3 }), query, body, async (params, q, payload) => {
          let i = 0;
          const path = route.path.replace(/:\w+/g, () => encodeURIComponent(params[i++ % params.length]));
          const before = await fingerprint(dataSource);
          let test = collector.http()[route.method](path).query(q);
          if (route.method !== 'get' && route.method !== 'delete') {
            test = test.set('Content-Type', 'application/json').send('json' in payload ? JSON.stringify(payload.json) : payload.raw);
          }
          const response = await test;
          requests++;
          expect({ route: `${route.method} ${route.path}`, path, status: response.status }).toEqual(expect.objectContaining({ status: expect.any(Number) }));
          if (response.status >= 500) throw new Error(`${route.method.toUpperCase()} ${path} → ${response.status}: ${JSON.stringify(response.body)}`);
          if (response.status >= 400) {
            expect(response.headers['content-type']).toMatch(/application\/json/);
            expect(typeof response.body.message).toBe('string');
            expect(response.body.message.length).toBeGreaterThan(0);
            expect(await fingerprint(dataSource)).toBe(before);
          }
        }),
        { numRuns: 60 },
      );
    }
    expect(requests).toBeGreaterThanOrEqual(routes.length * 60);
  });
});
