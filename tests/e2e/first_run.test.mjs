// A newcomer's first run with the embedded sandbox, nothing imported: the list opens on a
// real-looking portfolio with cutover dates, next actions and warnings for most customers.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, openPage, screenshot } from './harness.mjs';
import { getJson, startPartnerProxy } from './partner_helpers.mjs';

let browser;
let proxy;
before(async () => {
  browser = await launchBrowser();
  proxy = await startPartnerProxy({ CUTOVER_SANDBOX_FIRST_RUN: 'plans' });
});
after(async () => {
  await browser?.close();
  await proxy?.stop();
});

test('the first screen shows planned dates, next actions and warnings without any import', async () => {
  const { records } = await getJson(proxy.url, '/api/store/records');
  assert.ok(records.length > 100, `first-run plans stored: ${records.length}`);
  const page = await openPage(browser);
  await page.goto(proxy.url);
  await page.getByTestId('load-status').filter({ hasText: /^\d+ customers$/ }).waitFor({ timeout: 30_000 });
  await page.locator('.vrow').first().waitFor();
  const rows = await page.locator('.vrow').evaluateAll((els) => els.map((e) => ({
    cutover: e.querySelector('.vrow-cutover')?.textContent.trim(),
    next: e.querySelector('.vrow-next')?.textContent.trim(),
    warn: e.querySelector('.warn-chip') !== null,
  })));
  const dated = rows.filter((r) => r.cutover);
  assert.ok(dated.length * 2 > rows.length, `${dated.length} of ${rows.length} visible rows have a cutover date`);
  assert.ok(rows.some((r) => r.next), 'next actions are shown');
  assert.ok(rows.some((r) => r.warn), 'warnings are shown');
  const counts = await page.getByTestId('step-counts').innerText();
  const noPlan = Number((counts.match(/(\d+)\s*No plan/) || [])[1]);
  const customers = (await getJson(proxy.url, '/api/pc/v1/customers?size=500')).totalCount;
  assert.ok(noPlan * 2 < customers, `most customers have a plan (${noPlan} of ${customers} without)`);
  await screenshot(page, 'first-run-customers');
  assert.deepEqual(page.errors, []);
});

test('the list waits for the plans: its first rows are planned and do not reorder when slow records arrive', async () => {
  const page = await openPage(browser);
  // The records answer late (a slow store), well after the first page of customers.
  await page.route('**/api/store/records', async (route) => {
    await new Promise((r) => setTimeout(r, 800));
    await route.continue();
  });
  await page.addInitScript(() => {
    window.__shown = [];
    new MutationObserver(() => {
      const first = document.querySelector('[data-testid=customer-list] [role=row][data-pos="0"]');
      const name = first?.querySelector('a')?.textContent.trim();
      const last = window.__shown.at(-1);
      if (name && name !== last?.name) {
        window.__shown.push({ at: performance.now(), name, cutover: first.querySelector('.vrow-cutover')?.textContent.trim() ?? '' });
      }
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  const recordsIn = page.waitForResponse((r) => r.url().endsWith('/api/store/records'));
  await page.goto(proxy.url);
  // While the plans are on their way the list says so, over no rows.
  await page.getByTestId('load-status').filter({ hasText: 'Loading the migration plans…' }).waitFor();
  assert.equal(await page.locator('[data-testid=customer-list] [role=row][data-pos]').count(), 0);
  await page.getByTestId('load-status').filter({ hasText: /^\d+ customers$/ }).waitFor({ timeout: 30_000 });
  await recordsIn;
  await page.locator('[data-testid=customer-list] [role=row][data-pos="0"]').waitFor();
  await page.waitForTimeout(300); // a redraw after the records would come within a frame or two
  const { shown, recordsAt } = await page.evaluate(() => ({
    shown: window.__shown,
    recordsAt: performance.getEntriesByType('resource').find((e) => e.name.endsWith('/api/store/records'))?.responseEnd,
  }));
  assert.ok(recordsAt > 0, 'the records were asked for');
  assert.ok(shown.length >= 1, 'rows were shown');
  assert.ok(shown[0].at >= recordsAt, `first rows at ${shown[0].at.toFixed(0)} ms, records in at ${recordsAt.toFixed(0)} ms`);
  assert.ok(shown[0].cutover !== '', `the first row shown is planned: ${JSON.stringify(shown[0])}`);
  assert.deepEqual(shown.map((s) => s.name), [shown[0].name], 'the top row never changed while the list loaded');
  assert.deepEqual(page.errors, []);
});
