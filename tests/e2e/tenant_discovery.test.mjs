// Originals from the customer's tenant: admin access (GDAP) is requested from step 1, the customer
// is asked to approve it on the status page, and once it is active the tenant's subscriptions are
// read through Microsoft Graph (the sandbox emulates it), proposed as a diff and accepted with the
// sandbox's true end dates; bulk discovery reads every active tenant, also under Graph faults.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, openPage, screenshot } from './harness.mjs';
import { getJson, startPartnerProxy } from './partner_helpers.mjs';
import { createLink } from './status_helpers.mjs';

function csvRows(text) {
  const lines = text.trim().split('\n');
  const header = lines[0].split(',');
  return lines.slice(1).map((line) => {
    const cells = [];
    let cur = '';
    let quoted = false;
    for (const ch of line) {
      if (ch === '"') quoted = !quoted;
      else if (ch === ',' && !quoted) { cells.push(cur); cur = ''; } else cur += ch;
    }
    cells.push(cur);
    return Object.fromEntries(header.map((h, i) => [h, cells[i]]));
  });
}

async function sandboxState(proxy) {
  const gdap = (await getJson(proxy.sandboxUrl, '/sandbox/gdap')).items;
  const customers = (await getJson(proxy.url, '/api/pc/v1/customers?size=500')).items;
  const originals = csvRows(await (await fetch(`${proxy.sandboxUrl}/sandbox/originals.csv`)).text());
  return { gdap, customers, originals };
}

describe('admin access and discovery', () => {
  let browser;
  let proxy;
  let state;
  before(async () => {
    browser = await launchBrowser();
    proxy = await startPartnerProxy({ CUTOVER_SANDBOX_CUSTOMERS: '60' });
    state = await sandboxState(proxy);
  });
  after(async () => {
    await browser?.close();
    await proxy?.stop();
  });

  test('requesting admin access asks the customer to approve it; approval makes it active', async () => {
    const withRelationship = new Set(state.gdap.map((r) => r.customer.tenantId));
    const customer = state.customers.find((c) => c.relationshipToPartner === 'reseller' && !withRelationship.has(c.id));
    assert.ok(customer, 'a reseller customer without admin access');
    const page = await openPage(browser);
    await page.goto(`${proxy.url}/customers/${customer.id}`);
    await page.getByTestId('create-record').click();
    const access = page.getByTestId('admin-access');
    await access.waitFor({ timeout: 20_000 });
    assert.equal(await access.getByTestId('admin-access-state').getAttribute('data-state'), 'none');
    await page.getByTestId('request-admin-access').click();
    await access.locator('[data-state=approval-pending]').waitFor({ timeout: 20_000 });
    const link = await access.getByTestId('approval-link').inputValue();
    assert.match(link, /^https:\/\/admin\.microsoft\.com\/AdminPortal\/Home#\/partners\/invitation\/granularAdminRelationships\//);
    await screenshot(page, 'admin-access-requested');

    // The customer is asked on the status page, with the same link.
    const { token } = await createLink(proxy.url, customer.id);
    const context = await browser.newContext();
    const status = await context.newPage();
    await status.goto(`${proxy.url}/status/${token}`);
    const todo = status.locator('[data-todo=approve-admin-access]');
    await todo.waitFor({ timeout: 20_000 });
    assert.equal(await todo.locator('a').getAttribute('href'), link);
    await screenshot(status, 'status-approve-admin-access');
    await context.close();

    const relationshipId = link.split('/').pop();
    const approved = await fetch(`${proxy.sandboxUrl}/sandbox/gdap/${relationshipId}/approve`, { method: 'POST' });
    assert.ok(approved.ok, `approve answered ${approved.status}`);
    await page.reload();
    await page.getByTestId('admin-access').locator('[data-state=active]').waitFor({ timeout: 20_000 });
    await page.getByTestId('discovery').waitFor();
    assert.deepEqual(page.errors, []);
  });

  test('the tenant\'s originals are proposed and accepted with the sandbox\'s end dates', async () => {
    const active = state.gdap.filter((r) => r.status === 'active').map((r) => r.customer.tenantId);
    const customer = state.customers.find((c) => active.includes(c.id)
      && state.originals.some((o) => o.domain === c.companyProfile.domain.toLowerCase()));
    assert.ok(customer, 'a customer with active admin access and originals');
    const truth = state.originals.filter((o) => o.domain === customer.companyProfile.domain.toLowerCase());
    const page = await openPage(browser);
    await page.goto(`${proxy.url}/customers/${customer.id}`);
    await page.getByTestId('create-record').click();
    const panel = page.getByTestId('discovery');
    await panel.waitFor({ timeout: 20_000 });
    await page.getByTestId('read-tenant').click();
    await panel.getByTestId('discovery-summary').waitFor({ timeout: 20_000 });
    await screenshot(page, 'discovery-proposals');
    assert.ok(await panel.locator('[data-kind=new]').count() >= truth.length, 'every original is proposed');
    await page.getByTestId('accept-discovery').click();
    await page.getByTestId('discovery-accepted').waitFor();
    await page.getByTestId('save-state').filter({ hasText: 'Saved' }).waitFor({ timeout: 20_000 });
    const stored = await getJson(proxy.url, `/api/store/records/${customer.id}`);
    for (const o of truth) {
      const match = stored.doc.originals.find((x) => x.seats === Number(o.seats) && x.endDate === o.end_date);
      assert.ok(match, `${o.offer} ${o.seats} seats ending ${o.end_date} is in the plan: ${JSON.stringify(stored.doc.originals)}`);
      assert.ok(match.tenantSubscriptionId, 'linked to the tenant subscription');
    }
    assert.ok(stored.doc.tenant?.subscriptions?.length >= truth.length, 'the reading is kept');
    // The checklist now has dates for the discovered originals.
    await page.getByTestId('work-step-2').getByText('Provision on').first().waitFor();
    assert.deepEqual(page.errors, []);
  });

  test('bulk discovery reads every tenant with active admin access', async () => {
    const page = await openPage(browser);
    await page.goto(`${proxy.url}/import`);
    await page.getByTestId('bulk-discover').click();
    const progress = page.getByTestId('bulk-progress');
    await progress.waitFor({ timeout: 20_000 });
    await page.waitForFunction(() => !document.querySelector('[data-testid=bulk-discover]')?.disabled, null, { timeout: 60_000 });
    const text = await progress.innerText();
    const [, done, total, failed] = text.match(/(\d+) of (\d+) customers read; (\d+) failed/).map(Number);
    assert.ok(total > 5, text);
    assert.equal(done, total, text);
    assert.equal(failed, 0, text);
    await screenshot(page, 'bulk-discovery');
    const { records } = await getJson(proxy.url, '/api/store/records');
    assert.ok(records.filter((r) => r.doc.tenant).length >= total, 'every reading is kept in a record');
    assert.deepEqual(page.errors, []);
  });
});

describe('bulk discovery under Graph faults', () => {
  let browser;
  let proxy;
  before(async () => {
    browser = await launchBrowser();
    proxy = await startPartnerProxy({
      CUTOVER_SANDBOX_CUSTOMERS: '60',
      CUTOVER_SANDBOX_RATE_429: '0.15',
      CUTOVER_SANDBOX_RATE_5XX: '0.05',
      CUTOVER_SANDBOX_RETRY_AFTER: '1',
    });
  });
  after(async () => {
    await browser?.close();
    await proxy?.stop();
  });

  test('every tenant is read in the end, resuming what failed; nothing stored is lost', async () => {
    const page = await openPage(browser);
    await page.goto(`${proxy.url}/import`);
    const button = page.getByTestId('bulk-discover');
    const progress = page.getByTestId('bulk-progress');
    let text = '';
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await button.click();
      await progress.waitFor({ timeout: 30_000 });
      await page.waitForFunction(() => !document.querySelector('[data-testid=bulk-discover]')?.disabled, null, { timeout: 120_000 });
      text = await progress.innerText();
      if (/; 0 failed/.test(text)) break;
    }
    const m = text.match(/(\d+) of (\d+) customers read; (\d+) failed/);
    assert.ok(m, text);
    assert.equal(Number(m[1]), Number(m[2]), text);
    assert.equal(Number(m[3]), 0, text);
    // Failures showed as sentences, never as a broken page.
    assert.deepEqual(page.errors.filter((e) => !/status of (429|5\d\d)/.test(e)), []);
  });
});
