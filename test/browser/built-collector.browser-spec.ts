import { closedPort } from '@driftwatch/lab';
import { CollectorProcess } from '../support/collector-process';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { Browser, openBrowser } from './support/browser';

// The build does not copy assets: the collector started from dist/ must still find the web view.
describe('web view of the built collector (npm run build)', () => {
  let db: TestDatabase;
  let collector: CollectorProcess;
  let browser: Browser;

  beforeAll(async () => {
    db = await createTestDatabase();
    collector = await CollectorProcess.start({ DATABASE_URL: db.url }, await closedPort());
    browser = await openBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await collector?.kill('SIGTERM');
    await db?.cleanup();
  });

  it('serves the pages and their scripts from dist/', async () => {
    const { page, errors } = browser;
    await page.goto(`${collector.url}/`);
    const emptyFleet = page.locator('main .empty');
    await emptyFleet.waitFor();
    expect(await page.locator('main h1').textContent()).toBe('Fleet');
    expect(await emptyFleet.textContent()).toMatch(/^No hosts registered yet/);
    expect(errors).toEqual([]);
  });
});
