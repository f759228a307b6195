// Every way onto CSP, in the sandbox: choosing a path per original re-plans and is saved; a
// partner-to-partner transfer is requested and completed; an EA channel transfer is recorded as
// scheduled; an order waits for the Microsoft Customer Agreement and co-terms with an allowed date.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, openPage, screenshot } from './harness.mjs';
import { getJson, startPartnerProxy } from './partner_helpers.mjs';

async function importOriginals(page, proxy) {
  const csv = await (await fetch(`${proxy.sandboxUrl}/sandbox/originals.csv`)).text();
  const file = path.join(proxy.dataDir, 'originals.csv');
  writeFileSync(file, csv);
  await page.goto(`${proxy.url}/import`);
  await page.getByTestId('import-file').setInputFiles(file);
  await page.getByTestId('import-preview').waitFor({ timeout: 30_000 });
  await page.waitForFunction(() => !document.querySelector('[data-testid=confirm-import]')?.disabled, null, { timeout: 30_000 });
  await page.getByTestId('confirm-import').click();
  await page.getByTestId('import-done').waitFor({ timeout: 30_000 });
}

async function openCustomerWith(page, proxy, predicate) {
  const { records } = await getJson(proxy.url, '/api/store/records');
  const r = records.find((x) => !x.key.includes('.') && predicate(x));
  assert.ok(r, 'a matching customer');
  await page.goto(`${proxy.url}/customers/${r.key}`);
  await page.getByTestId('partner-checklist').waitFor({ timeout: 20_000 });
  await page.getByTestId('pc-subscriptions').waitFor({ timeout: 20_000 });
  return r;
}

describe('move paths', () => {
  let browser;
  let proxy;
  before(async () => {
    browser = await launchBrowser();
    proxy = await startPartnerProxy({ CUTOVER_SANDBOX_CUSTOMERS: '60', CUTOVER_SANDBOX_REQUIRE_MCA: '1' });
    const page = await openPage(browser);
    await importOriginals(page, proxy);
    await page.close();
  });
  after(async () => {
    await browser?.close();
    await proxy?.stop();
  });

  test('every path is shown side by side; choosing grace re-plans and is saved', async () => {
    const page = await openPage(browser);
    const r = await openCustomerWith(page, proxy, (x) => x.doc.originals.some((o) => o.channel === 'direct' && o.endDate > new Date().toISOString().slice(0, 10)));
    const i = r.doc.originals.findIndex((o) => o.channel === 'direct' && o.endDate > new Date().toISOString().slice(0, 10));
    const paths = page.getByTestId('work-step-2').getByTestId('paths').nth(i);
    await paths.locator('summary').click();
    const options = paths.getByTestId('path-option');
    assert.equal(await options.count(), 4);
    assert.match(await options.nth(2).innerText(), /Not possible/, 'EA transfer is not for a direct subscription');
    await screenshot(page, 'paths-side-by-side');
    await paths.locator('[data-path=grace]').getByTestId('choose-path').click();
    await paths.locator('[data-path=grace][data-chosen=true]').waitFor();
    await page.getByTestId('save-state').filter({ hasText: 'Saved' }).waitFor({ timeout: 20_000 });
    const stored = await getJson(proxy.url, `/api/store/records/${r.key}`);
    assert.equal(stored.doc.originals[i].path, 'grace');
    assert.deepEqual(page.errors, []);
  });

  test('an EA original can be recorded as scheduled', async () => {
    const page = await openPage(browser);
    const r = await openCustomerWith(page, proxy, (x) => x.doc.originals.some((o) => o.channel === 'ea' && o.endDate > new Date(Date.now() + 20 * 86400000).toISOString().slice(0, 10)));
    const i = r.doc.originals.findIndex((o) => o.channel === 'ea' && o.endDate > new Date(Date.now() + 20 * 86400000).toISOString().slice(0, 10));
    const paths = page.getByTestId('work-step-2').getByTestId('paths').nth(i);
    await paths.locator('summary').click();
    await paths.locator('[data-path=ea_transfer]').getByTestId('choose-path').click();
    await page.getByTestId('record-ea-schedule').click();
    await page.getByTestId('work-step-2').getByText('EA channel transfer scheduled').first().waitFor({ timeout: 20_000 });
    await screenshot(page, 'ea-transfer-scheduled');
    assert.deepEqual(page.errors, []);
  });

  test('a partner-to-partner transfer is requested, then completed by the other partner', async () => {
    const page = await openPage(browser);
    const r = await openCustomerWith(page, proxy, (x) => x.doc.originals.some((o) => o.channel === 'partner' && !o.target && o.endDate > new Date(Date.now() + 40 * 86400000).toISOString().slice(0, 10)));
    const i = r.doc.originals.findIndex((o) => o.channel === 'partner' && !o.target && o.endDate > new Date(Date.now() + 40 * 86400000).toISOString().slice(0, 10));
    const paths = page.getByTestId('work-step-2').getByTestId('paths').nth(i);
    await paths.locator('summary').click();
    await paths.locator('[data-path=csp_transfer]').getByTestId('choose-path').click();
    const form = page.getByTestId('transfer-form').first();
    await form.waitFor({ timeout: 20_000 });
    await form.getByTestId('transfer-source').fill('not-a-guid');
    await form.getByTestId('request-transfer').click();
    await form.getByText('a GUID').waitFor();
    await form.getByTestId('transfer-source').fill('3b33e682-00c3-41ee-9dd2-a548adf56438');
    await form.getByTestId('transfer-email').fill('it@customer.example');
    await form.getByTestId('request-transfer').click();
    await page.getByTestId('work-step-2').getByText('Transfer requested').first().waitFor({ timeout: 20_000 });
    await screenshot(page, 'transfer-requested');
    let stored = await getJson(proxy.url, `/api/store/records/${r.key}`);
    for (let n = 0; n < 50 && !stored.doc.transfers?.length; n += 1) {
      await new Promise((res) => setTimeout(res, 200));
      stored = await getJson(proxy.url, `/api/store/records/${r.key}`);
    }
    const transfer = stored.doc.transfers[0];
    assert.ok(transfer.id);
    const done = await fetch(`${proxy.sandboxUrl}/sandbox/transfers/${transfer.id}/complete`, { method: 'POST' });
    assert.ok(done.ok, `complete answered ${done.status}`);
    await page.reload();
    await page.getByTestId('pc-subscriptions').waitFor({ timeout: 20_000 });
    await page.getByTestId('work-step-2').getByText(/Transferred from the other partner|Provisioned/).first().waitFor({ timeout: 20_000 });
    assert.deepEqual(page.errors, []);
  });

  test('an order waits for the MCA acceptance and co-terms with an allowed end date', async () => {
    const page = await openPage(browser);
    // The queries the app asks Partner Center with, exactly as sent (no stray '&').
    const asked = [];
    page.on('request', (req) => {
      const u = new URL(req.url());
      if (/\/(agreements|customTermEndDates)$/.test(u.pathname) && req.method() === 'GET') asked.push(`${u.pathname.split('/').pop()}${u.search}`);
    });
    let r = null;
    const { records } = await getJson(proxy.url, '/api/store/records');
    for (const x of records) {
      if (x.key.includes('.')) continue;
      await page.goto(`${proxy.url}/customers/${x.key}`);
      await page.getByTestId('pc-subscriptions').waitFor({ timeout: 20_000 });
      if (await page.getByTestId('provision').count()) { r = x; break; }
    }
    assert.ok(r, 'a customer with something to buy');
    await page.getByTestId('provision').click();
    const dialog = page.getByTestId('order-dialog');
    await dialog.getByTestId('mca-form').waitFor({ timeout: 20_000 });
    assert.ok(await page.getByTestId('confirm-order').isDisabled(), 'no order before the agreement');
    await dialog.getByTestId('mca-first').fill('Ann');
    await dialog.getByTestId('mca-last').fill('Lee');
    await dialog.getByTestId('mca-email').fill('ann@customer.example');
    await dialog.getByTestId('record-mca').click();
    await dialog.getByTestId('mca-form').waitFor({ state: 'detached', timeout: 20_000 });
    const select = dialog.getByTestId('term-end').first();
    await page.waitForFunction(() => document.querySelector('[data-testid=term-end]')?.options.length > 1, null, { timeout: 20_000 });
    const chosen = await select.locator('option').nth(1).getAttribute('value');
    assert.ok(asked.includes('agreements?agreementType=MicrosoftCustomerAgreement'), JSON.stringify(asked));
    assert.ok(asked.includes('customTermEndDates?term_duration=P1Y'), JSON.stringify(asked));
    assert.deepEqual(asked.filter((a) => a.endsWith('&')), [], 'no query ends with a stray &');
    await select.selectOption(chosen);
    await screenshot(page, 'order-co-term');
    await page.getByTestId('confirm-order').click();
    await page.getByTestId('order-row').first().waitFor({ timeout: 30_000 });
    let stored = await getJson(proxy.url, `/api/store/records/${r.key}`);
    for (let n = 0; n < 50 && !stored.doc.orders?.[0]?.id; n += 1) {
      await new Promise((res) => setTimeout(res, 200));
      stored = await getJson(proxy.url, `/api/store/records/${r.key}`);
    }
    assert.ok(stored.doc.orders[0].id, 'the order was placed');
    assert.equal(stored.doc.orders[0].lines[0].customTermEnd, chosen);
    assert.deepEqual(page.errors, []);
  });
});
