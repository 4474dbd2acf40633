import type { AddressInfo } from 'node:net';
import { ClientKey, LabHost, LabProfile, centos7HttpdProfile, debian12EventProfile, generateClientKey, withModule, withMpm } from '@driftwatch/lab';
import { ApiTokensService } from '@driftwatch/scans';
import { CollectorHarness, startCollector } from '../support/collector-harness';
import type { Page } from 'playwright-core';
import { Browser, openBrowser } from './support/browser';

const HOSTILE = '<img src=x onerror="window.__pwned = 1"><script>window.__pwned = 2</script>';

/** A host whose `-V` output carries markup: it must reach the page as text. */
function withHostileBuildOutput(profile: LabProfile): LabProfile {
  const commands = Object.fromEntries(
    Object.entries(profile.commands).map(([command, cases]) => [command, cases.map((c) => (c.args.split('|').includes('-V') && c.stdout ? { ...c, stdout: `${c.stdout}${HOSTILE}\n` } : c))]),
  );
  return { ...profile, commands };
}

/** Waits until every named row of the fleet table shows its scans, findings and drift (each an element once loaded). */
async function fleetRowsFilled(page: Page, names: string[]): Promise<void> {
  for (const name of names) {
    for (const cell of ['status', 'findings', 'drift']) await page.locator(`#fleet-table tr[data-host="${name}"] td.${cell} > *`).first().waitFor();
  }
}

describe('web view', () => {
  let c: CollectorHarness;
  let key: ClientKey;
  let browser: Browser;
  let base: string;
  const labs: LabHost[] = [];

  const register = async (name: string, profile: LabProfile, labels: string[]) => {
    const lab = await LabHost.start({ profile, authorizedKey: key.publicKey });
    labs.push(lab);
    await c.http().post('/api/v1/hosts').send({ name, address: '127.0.0.1', port: lab.port, username: 'ops', auth: { type: 'key', privateKeyPath: key.path }, labels }).expect(201);
    return lab;
  };
  const scan = async (name: string) => expect((await c.http().post(`/api/v1/hosts/${name}/scan`).expect(200)).body).toMatchObject({ status: 'ok' });

  beforeAll(async () => {
    c = await startCollector();
    await c.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(c.app.getHttpServer().address() as AddressInfo).port}`;
    key = generateClientKey();
    const web1 = await register('web-1', debian12EventProfile(), ['web']);
    await register('web-2', withHostileBuildOutput(debian12EventProfile()), ['web']);
    await register('web-3', debian12EventProfile(), ['web']);
    await register('batch-1', centos7HttpdProfile(), ['batch']);
    for (const name of ['web-1', 'web-2', 'web-3', 'batch-1']) await scan(name);
    web1.setProfile(withMpm(withModule(debian12EventProfile(), 'headers'), 'prefork'));
    await scan('web-1');
    browser = await openBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    for (const lab of labs) await lab.stop();
    key?.dispose();
    await c?.close();
  });

  afterEach(() => {
    expect(browser.errors).toEqual([]);
  });

  it('the fleet page lists every host with its last scan and findings, and filters by label', async () => {
    const { page } = browser;
    await page.goto(`${base}/`);
    const rows = page.locator('#fleet-table tbody tr');
    await rows.nth(3).waitFor();
    expect(await rows.count()).toBe(4);
    for (const name of ['web-1', 'web-2', 'web-3', 'batch-1']) {
      await page.locator(`tr[data-host="${name}"] td.status .badge`).waitFor();
      expect(await page.locator(`tr[data-host="${name}"] td.status`).textContent()).toBe('ok');
    }
    await fleetRowsFilled(page, ['web-1', 'web-2', 'web-3', 'batch-1']);
    await browser.screenshot('fleet');

    await page.selectOption('select[name="label"]', 'web');
    await page.waitForURL(/#\/\?label=web$/);
    await rows.nth(3).waitFor({ state: 'detached' });
    await rows.nth(2).waitFor();
    expect(await page.locator('#fleet-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-host')))).toEqual(['web-1', 'web-2', 'web-3']);
    await fleetRowsFilled(page, ['web-1', 'web-2', 'web-3']);
    await browser.screenshot('fleet-label-web');
  });

  it('the host page compares any two chosen states side by side, grouped by category', async () => {
    const { page } = browser;
    await page.goto(`${base}/#/`);
    await page.click('a.host-link:text-is("web-1")');
    await page.waitForURL(/#\/hosts\/web-1/);
    const states = page.locator('#states-table tbody tr');
    await states.nth(1).waitFor();
    expect(await states.count()).toBe(2);
    const [newest, oldest] = await states.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-state'))));

    // Same state on both sides: nothing to show.
    await page.check(`input[name="to"][value="${oldest}"]`);
    await page.locator(`#diff >> text=No changes between state #${oldest} and state #${oldest}.`).waitFor();

    await page.check(`input[name="from"][value="${oldest}"]`);
    await page.check(`input[name="to"][value="${newest}"]`);
    const apache = page.locator('#diff section[data-category="apache"]');
    await apache.waitFor();
    const mpm = apache.locator('tr[data-path="apache.build.mpm"]');
    expect(await mpm.locator('.summary').textContent()).toBe('mpm: event → prefork');
    expect(await mpm.locator('td.before').textContent()).toBe('event');
    expect(await mpm.locator('td.after').textContent()).toBe('prefork');
    expect(await mpm.locator('.badge').textContent()).toBe('critical');
    expect(await page.locator('#diff section[data-category="modules"]').textContent()).toContain('headers_module');
    // The headlines come first, most important subject first.
    const headlines = await page.locator('#diff .diff-headlines li').evaluateAll((lis) => lis.map((li) => [li.getAttribute('data-subject'), li.textContent]));
    expect(headlines[0]).toEqual(['mpm', 'critical MPM event → prefork']);
    expect(headlines.map(([subject]) => subject)).toContain('modules');
    expect(page.url()).toContain(`?from=${oldest}&to=${newest}`);
    await browser.screenshot('host-diff');
  });

  it('opens the raw evidence of a check in one click, from the checks table or from a change', async () => {
    const { page } = browser;
    await page.click('#checks-table tr[data-check="apache.modules"] button');
    await page.locator('#evidence[data-check="apache.modules"]').waitFor();
    expect(await page.locator('#evidence .stdout').textContent()).toContain('mpm_prefork_module (shared)');

    await page.click('#diff tr[data-path="apache.build.mpm"] button:text("evidence of apache.build")');
    await page.locator('#evidence[data-check="apache.build"]').waitFor();
    expect(await page.locator('#evidence .stdout').textContent()).toMatch(/Server MPM:\s+prefork/);
    expect(await page.locator('#evidence').textContent()).toMatch(/apache2ctl -V/);
    await browser.screenshot('host-evidence');
  });

  it('shows host output as text, never as markup', async () => {
    const { page } = browser;
    await page.goto(`${base}/#/hosts/web-2`);
    await page.click('#checks-table tr[data-check="apache.build"] button');
    await page.locator('#evidence[data-check="apache.build"]').waitFor();
    expect(await page.locator('#evidence .stdout').textContent()).toContain(HOSTILE);
    expect(await page.locator('#evidence img, #evidence script').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it('counts each host\'s recent drift on the fleet page', async () => {
    const { page } = browser;
    await page.goto(`${base}/#/`);
    const web1 = page.locator('tr[data-host="web-1"] td.drift');
    await web1.locator('strong').waitFor();
    expect(Number(await web1.textContent())).toBeGreaterThan(0);
    await page.locator('tr[data-host="web-3"] td.drift .muted').waitFor();
    expect(await page.locator('tr[data-host="web-3"] td.drift').textContent()).toBe('0');
  });

  it('shows the host\'s drift timeline, filters it, and opens an event\'s two states', async () => {
    const { page } = browser;
    await page.goto(`${base}/#/hosts/web-1`);
    const events = page.locator('#drift-table tbody tr');
    await events.first().waitFor();
    const mpm = events.filter({ hasText: 'mpm: event → prefork' });
    expect(await mpm.count()).toBe(1);
    expect(await mpm.locator('.badge').textContent()).toBe('critical');
    await browser.screenshot('host-drift-timeline');

    await page.selectOption('select[name="severity"]', 'critical');
    await page.locator('#drift-table tbody tr .badge.sev-warning').first().waitFor({ state: 'detached' });
    await events.first().waitFor();
    expect(new Set(await page.locator('#drift-table tbody tr .badge').allTextContents())).toEqual(new Set(['critical']));
    expect(page.url()).toContain('severity=critical');

    // Compare the same state with itself first, so the event's button visibly changes the diff.
    const [newest] = await page.locator('#states-table tbody tr').evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-state'))));
    await page.check(`input[name="from"][value="${newest}"]`);
    await page.locator('#diff .empty').waitFor();
    await page.locator('#drift-table tbody tr').filter({ hasText: 'mpm: event → prefork' }).locator('button.compare-event').click();
    await page.locator('#diff tr[data-path="apache.build.mpm"]').waitFor();
    expect(await page.locator('input[name="to"]:checked').getAttribute('value')).toBe(String(newest));
    expect(await page.locator('input[name="from"]:checked').getAttribute('value')).not.toBe(String(newest));
  });

  it('shows the diagnostic report of the chosen state as Markdown, copies it, and redacts it on request', async () => {
    const { page } = browser;
    await page.goto(`${base}/#/hosts/web-1`);
    await page.locator('#states-table tbody tr').nth(1).waitFor();
    const [newest, oldest] = await page.locator('#states-table tbody tr').evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-state'))));
    await page.check(`input[name="to"][value="${oldest}"]`);
    await page.locator('#diff .empty').waitFor();
    await page.click('#report-button');
    const markdown = page.locator('#report-markdown');
    await markdown.waitFor();
    const text = (await markdown.textContent()) ?? '';
    expect(text).toMatch(/^# /);
    expect(text).toContain('web-1');
    expect(text).toMatch(/Server MPM:\s+event/);
    expect(text).not.toMatch(/Server MPM:\s+prefork/);
    expect(await page.locator('#report-dialog h2').textContent()).toBe(`Diagnostic report: web-1, state #${oldest}`);
    await browser.screenshot('host-report', { fullPage: false });

    await page.click('#report-copy');
    await page.locator('#report-status:text("Copied to the clipboard.")').waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(text);

    // Redaction reloads the report: the old text goes at once, the redacted one replaces it.
    await page.check('#report-redact');
    await markdown.waitFor();
    expect(await markdown.textContent()).not.toContain('web-1');
    await page.keyboard.press('Escape');
    await page.locator('#report-dialog').waitFor({ state: 'detached' });
    expect(newest).toBeGreaterThan(oldest);
  });

  it('shows the cohort table of a label on the fleet drift page', async () => {
    const { page } = browser;
    await page.goto(`${base}/#/drift`);
    await page.selectOption('select[name="label"]', 'web');
    const rows = page.locator('#cohort-table tbody tr');
    await rows.nth(2).waitFor();
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-host')))).toEqual(['web-1', 'web-2', 'web-3']);
    const mpm = rows.nth(0).locator('li[data-path="apache.build.mpm"]');
    expect(await mpm.textContent()).toBe('critical apache.build.mpm changed prefork vs event');
    expect(await rows.nth(2).locator('td:nth-child(2)').textContent()).toBe('matches');
    await browser.screenshot('fleet-drift');
  });

  it('shows the fleet at a glance above the fleet table, for the chosen label', async () => {
    const { page } = browser;
    await page.goto(`${base}/#/?label=web`);
    const summary = page.locator('#fleet-summary');
    await summary.waitFor();
    const mpms = summary.locator('.glance').filter({ has: page.locator('h3', { hasText: /^MPM$/ }) });
    expect(await mpms.locator('div').allTextContents()).toEqual(['event × 2', 'prefork × 1']);
    expect(await summary.locator('.glance').first().locator('div').allTextContents()).toEqual(['ok × 3']);
  });

  it('shows API errors as the API states them', async () => {
    const { page } = browser;
    await page.goto(`${base}/#/hosts/no-such-host`);
    const error = page.locator('.error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/^HTTP 404 HOST_NOT_FOUND: .*no-such-host/);
  });

  // Last: once a token exists, every API call needs one.
  it('asks for an API token when the collector wants one, and shows what a read token may not do', async () => {
    const { page } = browser;
    const { token } = await c.app.get(ApiTokensService).create('read', 'web view');
    await page.goto(`${base}/#/`);
    const form = page.locator('form.error');
    await form.waitFor();
    expect(await form.textContent()).toContain('The collector wants an API token (an API token is required: Authorization: Bearer <token>).');
    await form.locator('input[type="password"]').fill(token);
    await form.locator('button[type="submit"]').click();
    await page.locator('#fleet-table tr[data-host="web-1"] td.status .badge').waitFor();

    await page.goto(`${base}/#/hosts/web-1`);
    await page.click('#scan-button');
    const refused = page.locator('.title-row .error');
    await refused.waitFor();
    expect(await refused.textContent()).toBe('HTTP 403 FORBIDDEN: this API token has read scope and cannot change anything');
  });
});
