import type { AddressInfo } from 'node:net';
import { CollectorHarness, startCollector } from '../support/collector-harness';
import { Browser, openBrowser } from './support/browser';

/**
 * The Swagger UI at /api/docs under the collector's own security headers (helmet's CSP): its
 * scripts and styles must load, or the page is blank.
 */
describe('OpenAPI UI in a browser', () => {
  let c: CollectorHarness;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    c = await startCollector();
    const server = c.app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await openBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await c?.close();
  });

  it('renders every operation with no content-security-policy violation', async () => {
    const violations: string[] = [];
    browser.page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    const response = await browser.page.goto(`${base}/api/docs`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    // Operations appear only once the UI's scripts ran and fetched the document.
    await browser.page.locator('.opblock-summary-path', { hasText: '/api/v1/fleet/summary' }).first().waitFor();
    await browser.screenshot('api-docs');
    expect(violations).toEqual([]);
    expect(browser.errors).toEqual([]);
  });
});
