// A prospect accepts the reseller invitation in the sandbox and step 1 completes by itself; the
// partner provisions after a confirmation and step 2 completes from Partner Center's subscriptions.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, openPage, screenshot } from './harness.mjs';
import { FIXTURES, prospectRows, startPartnerProxy } from './partner_helpers.mjs';

let browser;
let proxy;
before(async () => {
  browser = await launchBrowser();
  proxy = await startPartnerProxy();
});
after(async () => {
  await browser?.close();
  await proxy?.stop();
});

test('accepting the invitation completes step 1; provisioning completes step 2', async () => {
  assert.ok(proxy.sandboxUrl, 'the proxy reports its embedded sandbox');
  const rows = prospectRows();
  const counts = new Map();
  for (const r of rows) counts.set(r.domain, (counts.get(r.domain) || 0) + 1);
  const one = rows.find((r) => counts.get(r.domain) === 1 && Number(r.seats) <= 50 && !r.target_offer);
  assert.ok(one, 'a small single-subscription prospect');

  const page = await openPage(browser);
  await page.goto(`${proxy.url}/import`);
  await page.getByTestId('import-file').setInputFiles(path.join(FIXTURES, 'prospects.csv'));
  await page.getByTestId('confirm-import').click();
  await page.getByTestId('import-done').waitFor();

  await page.goto(`${proxy.url}/customers/${encodeURIComponent(one.domain)}`);
  const step1 = page.getByTestId('work-step-1');
  await step1.getByText('To do').waitFor({ timeout: 20_000 });

  const res = await fetch(`${proxy.sandboxUrl}/sandbox/prospects/${encodeURIComponent(one.domain)}/accept`, { method: 'POST' });
  assert.ok(res.ok, `accept answered ${res.status}`);

  await page.reload();
  await page.getByTestId('work-step-1').getByText('Done').waitFor({ timeout: 30_000 });
  await screenshot(page, 'partner-accepted');

  await page.getByTestId('provision').click();
  const dialog = page.getByTestId('order-dialog');
  await dialog.waitFor();
  assert.match(await dialog.innerText(), new RegExp(one.offer.replace(/[()+]/g, '\\$&')));
  await screenshot(page, 'partner-provision-confirm');
  await page.getByTestId('confirm-order').click();
  await page.getByTestId('work-step-2').locator('.step-head').getByText('Done').waitFor({ timeout: 30_000 });
  await screenshot(page, 'partner-provisioned');
  assert.deepEqual(page.errors, []);
});
