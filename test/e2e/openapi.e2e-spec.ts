import { SpecData, Validator } from '@seriousme/openapi-schema-validator';
import { CollectorHarness, startCollector } from '../support/collector-harness';

interface RouteLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

/** Every route the Express router serves, as `METHOD /path/{param}` (OpenAPI's spelling). */
function registeredRoutes(c: CollectorHarness): string[] {
  const express = c.app.getHttpAdapter().getInstance() as { router?: { stack: RouteLayer[] }; _router?: { stack: RouteLayer[] } };
  const stack = (express.router ?? express._router)?.stack ?? [];
  return stack.flatMap((layer) =>
    layer.route
      ? Object.keys(layer.route.methods)
          .filter((m) => layer.route!.methods[m] && m !== '_all')
          .map((m) => `${m.toUpperCase()} ${layer.route!.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`)
      : [],
  );
}

describe('OpenAPI at /api/docs', () => {
  // Scans of lab hosts are quick, but the machine running the suite may be busy.
  jest.setTimeout(30_000);

  let c: CollectorHarness;
  let document: { openapi: string; paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: unknown }> }> }>> };

  beforeAll(async () => {
    c = await startCollector();
    document = (await c.http().get('/api/docs-json').expect(200)).body;
  }, 60_000);

  afterAll(async () => {
    await c?.close();
  });

  it('serves a document that is valid OpenAPI', async () => {
    const validator = new Validator();
    const result = await validator.validate(document as unknown as SpecData);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toMatch(/^3\./);
  });

  it('says which routes need a bearer token', () => {
    const raw = document as unknown as { security: unknown; paths: Record<string, Record<string, { security?: unknown }>> };
    expect(raw.security).toEqual([{ bearer: [] }]);
    expect(raw.paths['/health/ready'].get.security).toEqual([{}]);
    expect(raw.paths['/api/v1/hosts'].get.security).toBeUndefined();
  });

  it('serves the Swagger UI', async () => {
    const page = await c.http().get('/api/docs/').expect(200);
    expect(page.text).toContain('swagger-ui');
  });

  it('documents every route the collector serves (a new route fails here until it is documented)', () => {
    const documented = new Set(Object.entries(document.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)));
    const served = registeredRoutes(c).filter((r) => !/ \/api\/docs/.test(r));
    expect(served.length).toBeGreaterThanOrEqual(17);
    expect(served.filter((r) => !documented.has(r))).toEqual([]);
    // And nothing documented that is not served.
    expect([...documented].filter((r) => !served.includes(r))).toEqual([]);
  });

  it('describes the JSON bodies of successful answers, not just their status', () => {
    const missing: string[] = [];
    for (const [path, ops] of Object.entries(document.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const ok = Object.entries(op.responses).find(([status]) => /^2/.test(status));
        if (!ok) missing.push(`${method} ${path}: no 2xx response`);
        else if (ok[0] !== '204' && !Object.values(ok[1].content ?? {}).some((m) => m.schema)) missing.push(`${method} ${path}: no schema`);
      }
    }
    expect(missing).toEqual([]);
    const host = (document as unknown as { components: { schemas: Record<string, { properties: Record<string, unknown> }> } }).components.schemas.HostView;
    expect(Object.keys(host.properties)).toEqual(expect.arrayContaining(['name', 'address', 'port', 'auth', 'hostKey', 'labels']));
  });
});
