// Partner journeys: import → list → customer checklist → plan editor → conflict → settings →
// calendar → Japanese, against the real proxy and its embedded sandbox. Each test builds on the
// data the previous ones saved, so they run in order against one proxy.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, openPage, screenshot } from './harness.mjs';
import { FIXTURES, getJson, prospectRows, startPartnerProxy } from './partner_helpers.mjs';

const XSS = '<img src=x onerror=window.__xss=1>';

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

const rows = prospectRows();
const customers = [...new Map(rows.map((r) => [r.domain, r])).values()];
// A prospect whose original is far enough ahead to have dated steps.
const target = customers.find((c) => c.end_date > '2027-03-01' && !/[",]/.test(c.customer)) || customers[0];

async function recordCount() {
  return (await getJson(proxy.url, '/api/store/records')).records.length;
}

async function openCustomer(page, key) {
  await page.goto(`${proxy.url}/customers/${encodeURIComponent(key)}`);
  await page.getByTestId('partner-checklist').waitFor({ timeout: 20_000 });
}

describe('partner screens', () => {
  test('a bad CSV lists every row error and saves nothing', async () => {
    const before = await recordCount();
    const page = await openPage(browser);
    await page.goto(`${proxy.url}/import`);
    const bad = 'customer,domain,offer,seats,end_date\nA,a.example,E3,many,2027-01-01\nB,b.example,E3,5,2027-02-30\n';
    await page.getByTestId('import-file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    const errors = page.getByTestId('import-errors');
    await errors.waitFor();
    const text = await errors.innerText();
    assert.match(text, /seats/);
    assert.match(text, /end_date/);
    assert.equal(await errors.locator('tbody tr').count(), 2, 'one line per error, with row and column');
    assert.equal(await page.getByTestId('confirm-import').count(), 0, 'nothing to confirm');
    await screenshot(page, 'partner-import-errors');
    assert.equal(await recordCount(), before, 'nothing was saved');
    assert.deepEqual(page.errors, []);
  });

  test('the prospects CSV is previewed with dates, then saved in one go', async () => {
    const page = await openPage(browser);
    await page.goto(`${proxy.url}/import`);
    await page.getByTestId('import-file').setInputFiles(path.join(FIXTURES, 'prospects.csv'));
    const preview = page.getByTestId('import-preview');
    await preview.waitFor();
    assert.equal(await preview.locator('tbody tr').count(), rows.length);
    assert.equal(await recordCount(), 0, 'nothing saved before confirming');
    await screenshot(page, 'partner-import-preview');
    await page.getByTestId('confirm-import').click();
    await page.getByTestId('import-done').waitFor();
    assert.equal(await recordCount(), customers.length);
    assert.deepEqual(page.errors, []);
  });

  test('the list merges prospects with Partner Center customers; filters live in the URL', async () => {
    const page = await openPage(browser);
    await page.goto(proxy.url);
    await page.getByTestId('load-status').filter({ hasText: /\d+ customers$/ }).waitFor({ timeout: 30_000 });
    await page.getByTestId('search').fill(target.domain);
    await page.getByTestId('customer-list').getByText(target.customer, { exact: true }).first().waitFor();
    assert.match(page.url(), /q=/);
    await page.getByTestId('search').fill('');
    await page.getByTestId('filter-warn').selectOption('any');
    await page.waitForURL(/warn=any/);
    const rowsInDom = await page.locator('[data-testid=customer-list] [role=row][data-pos]').count();
    assert.ok(rowsInDom <= 150, `virtualized (${rowsInDom})`);
    await screenshot(page, 'partner-customers');
    // The same URL in a new tab shows the same view.
    const shared = await openPage(browser);
    await shared.goto(page.url());
    await shared.getByTestId('filter-warn').waitFor();
    assert.equal(await shared.getByTestId('filter-warn').inputValue(), 'any');
    assert.deepEqual(page.errors, []);
  });

  test('a customer shows the checklist with dates and a why', async () => {
    const page = await openPage(browser);
    await openCustomer(page, target.domain);
    const step2 = page.getByTestId('work-step-2');
    await step2.getByText('Why:').first().waitFor();
    const text = await page.getByTestId('partner-checklist').innerText();
    assert.match(text, /Provision on/);
    assert.match(text, /days before the end date \d{4}-\d{2}-\d{2}/);
    await screenshot(page, 'partner-customer');
    assert.deepEqual(page.errors, []);
  });

  test('editing the plan re-plans at once and saves with the version', async () => {
    const page = await openPage(browser);
    await openCustomer(page, target.domain);
    const step2 = page.getByTestId('work-step-2');
    const before = await step2.innerText();
    await page.getByTestId('edit-end').first().fill('2028-06-30');
    await step2.getByText('2028-06-30').first().waitFor();
    assert.notEqual(await step2.innerText(), before, 'dates moved without saving');
    await page.getByTestId('edit-seats').first().fill('0');
    await page.getByText('Enter a whole number of seats').first().waitFor();
    assert.ok(await page.getByTestId('save-plan').isDisabled(), 'invalid input blocks saving');
    await page.getByTestId('edit-seats').first().fill('42');
    await page.getByTestId('save-plan').click();
    await page.getByTestId('save-state').filter({ hasText: 'Saved' }).waitFor();
    const stored = await getJson(proxy.url, `/api/store/records/${encodeURIComponent(target.domain)}`);
    assert.equal(stored.doc.originals[0].seats, 42);
    assert.equal(stored.doc.originals[0].endDate, '2028-06-30');
    await screenshot(page, 'partner-plan-editor');
    assert.deepEqual(page.errors, []);
  });

  test('adding an original gives a blank direct one ending in 90 days, saved with the plan', async () => {
    const page = await openPage(browser);
    await openCustomer(page, target.domain);
    const path = `/api/store/records/${encodeURIComponent(target.domain)}`;
    const before = (await getJson(proxy.url, path)).doc.originals.length;
    await page.getByTestId('add-original').click();
    const added = page.getByTestId('original-editor').nth(before);
    await added.waitFor();
    await added.getByTestId('edit-offer').fill('Exchange Online (Plan 1)');
    await page.getByTestId('save-plan').click();
    await page.getByTestId('save-state').filter({ hasText: 'Saved' }).waitFor();
    const stored = (await getJson(proxy.url, path)).doc.originals;
    assert.equal(stored.length, before + 1);
    const { offerName, seats, endDate, channel, autoRenew } = stored[before];
    const in90 = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);
    assert.deepEqual({ offerName, seats, endDate, channel, autoRenew },
      { offerName: 'Exchange Online (Plan 1)', seats: 1, endDate: in90, channel: 'direct', autoRenew: false });
    assert.deepEqual(page.errors, []);
  });

  test('a stale save from a second tab gets the conflict view, never an overwrite', async () => {
    const a = await openPage(browser);
    const b = await openPage(browser);
    await openCustomer(a, target.domain);
    await openCustomer(b, target.domain);
    await b.getByTestId('notes').fill('saved first by B');
    await b.getByTestId('save-notes').click();
    await b.getByTestId('save-state').filter({ hasText: 'Saved' }).waitFor();
    await a.getByTestId('edit-seats').first().fill('7');
    await a.getByTestId('save-plan').click();
    const conflict = a.getByTestId('conflict');
    await conflict.waitFor();
    assert.match(await conflict.innerText(), /saved first by B/);
    await screenshot(a, 'partner-conflict');
    let stored = await getJson(proxy.url, `/api/store/records/${encodeURIComponent(target.domain)}`);
    assert.equal(stored.doc.notes, 'saved first by B', 'B was not overwritten');
    await a.getByTestId('conflict-reapply').click();
    await a.getByTestId('save-state').filter({ hasText: 'Saved' }).waitFor();
    stored = await getJson(proxy.url, `/api/store/records/${encodeURIComponent(target.domain)}`);
    assert.equal(stored.doc.notes, 'saved first by B', 'their notes kept');
    assert.equal(stored.doc.originals[0].seats, 7, 'my change re-applied');
    // The browser logs the refused save (409) itself; nothing else may go wrong.
    assert.deepEqual(a.errors.filter((e) => !/status of 409/.test(e)), []);
  });

  test('typed markup in notes and the customer name stays text', async () => {
    const page = await openPage(browser);
    await openCustomer(page, target.domain);
    await page.getByTestId('notes').fill(XSS);
    await page.getByTestId('edit-name').fill(XSS);
    await page.getByTestId('save-plan').click();
    await page.getByTestId('save-state').filter({ hasText: 'Saved' }).waitFor();
    await page.reload();
    await page.getByTestId('partner-checklist').waitFor();
    assert.equal(await page.getByTestId('customer-name').innerText(), XSS);
    assert.equal(await page.getByTestId('notes-preview').innerText(), XSS);
    await page.goto(proxy.url);
    await page.getByTestId('search').fill(target.domain);
    await page.getByTestId('customer-list').getByText(XSS, { exact: true }).first().waitFor();
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    assert.equal(await page.locator('main img').count(), 0);
    assert.deepEqual(page.errors, []);
  });

  test('changing the settings re-plans every customer', async () => {
    const page = await openPage(browser);
    await openCustomer(page, target.domain);
    const step2 = page.getByTestId('work-step-2');
    await step2.getByText('7 days before the end date').first().waitFor();
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByTestId('setting-provision').fill('21');
    await page.getByTestId('save-settings').click();
    await page.getByTestId('settings-state').filter({ hasText: 'Saved' }).waitFor();
    await screenshot(page, 'partner-settings');
    await page.goBack();
    await page.getByTestId('work-step-2').getByText('21 days before the end date').first().waitFor();
    const settings = await getJson(proxy.url, '/api/store/settings');
    assert.equal(settings.doc.provisionLeadDays, 21);
    assert.deepEqual(page.errors, []);
  });

  test('the calendar shows upcoming actions with a today line and a plain list', async () => {
    const page = await openPage(browser);
    await page.goto(`${proxy.url}/calendar`);
    await page.locator('[data-testid=action-list] li').first().waitFor({ timeout: 30_000 });
    assert.ok(await page.locator('.tl-today').count() === 1, 'one today line');
    await screenshot(page, 'partner-calendar-weeks');
    await page.getByTestId('by-month').click();
    await page.locator('.tl-today').waitFor();
    await screenshot(page, 'partner-calendar-months');
    await page.locator('[data-testid=action-list] a').first().click();
    await page.getByTestId('partner-checklist').waitFor();
    assert.deepEqual(page.errors, []);
  });

  test('the Japanese UI uses Partner Center vocabulary and is remembered', async () => {
    const page = await openPage(browser);
    await openCustomer(page, target.domain);
    await page.getByRole('button', { name: '日本語' }).click();
    await page.getByText('チェックリスト').waitFor();
    await page.getByText('再販業者関係').first().waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'ja');
    await screenshot(page, 'partner-customer-ja');
    await page.goto(proxy.url);
    await page.getByRole('link', { name: '顧客' }).first().waitFor();
    await page.getByTestId('load-status').filter({ hasText: /顧客 \d+ 件/ }).waitFor({ timeout: 30_000 });
    await screenshot(page, 'partner-customers-ja');
    await page.goto(`${proxy.url}/calendar`);
    await page.getByText('未完了の作業').first().waitFor();
    assert.deepEqual(page.errors, []);
  });
});
