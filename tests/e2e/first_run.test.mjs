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
