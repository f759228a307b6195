// Team use in the browser: signing in through the sandbox's identity provider (its account
// picker), roles in the app and in the proxy, the history panel, the people page, and the
// activity page with filters and CSV, in English and Japanese. One proxy; the tests run in order.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, openPage, screenshot } from './harness.mjs';
import { startPartnerProxy } from './partner_helpers.mjs';
import { a11yContext, axeViolations, overflowing, pageWidth } from './a11y_helpers.mjs';

const KEY = 'team-journey.example';

let browser;
let proxy;
before(async () => {
  browser = await launchBrowser();
  proxy = await startPartnerProxy({ CUTOVER_OIDC_ISSUER: 'sandbox', CUTOVER_SANDBOX_CUSTOMERS: '20' });
});
after(async () => {
  await browser?.close();
  await proxy?.stop();
});

/** Signs in through the app's button and the sandbox's account picker; returns the page. */
async function signIn(name, path = '/') {
  const page = await openPage(browser);
  await page.goto(`${proxy.url}${path}`);
  await page.getByTestId('sign-in').click();
  await page.getByRole('button', { name: new RegExp(name) }).click();
  await page.getByTestId('who-am-i').waitFor();
  dropSandboxIconErrors(page);
  return page;
}

/** The sandbox's own pages have no icon; Chromium's request for one is not the app's error. */
function dropSandboxIconErrors(page) {
  page.errors = page.errors.filter((e) => !/favicon\.ico/.test(e));
}

async function saveNotes(page, text) {
  await page.getByTestId('notes').fill(text);
  await page.getByTestId('save-notes').click();
}

describe('team use', () => {
  test('a signed-out visitor signs in by picking an account and comes back where they were', async () => {
    const page = await openPage(browser);
    await page.goto(`${proxy.url}/customers/${KEY}`);
    await page.getByTestId('sign-in').waitFor();
    await screenshot(page, 'team-sign-in');
    await page.getByTestId('sign-in').click();
    await page.getByRole('heading', { name: 'Pick an account' }).waitFor();
    await screenshot(page, 'team-sandbox-account-picker');
    await page.getByRole('button', { name: /Eddie Editor/ }).click();
    await page.getByTestId('who-am-i').waitFor();
    assert.equal(new URL(page.url()).pathname, `/customers/${KEY}`);
    assert.match(await page.getByTestId('who-am-i').innerText(), /Eddie Editor[\s\S]*Editor/);
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'cutover_sid');
    assert.ok(session?.httpOnly, 'the session cookie is HttpOnly');
    assert.equal(session.sameSite, 'Lax');
    dropSandboxIconErrors(page);
    assert.deepEqual(page.errors, []);
  });

  test('an editor plans and the history panel says who changed what', async () => {
    const page = await signIn('Eddie Editor', `/customers/${KEY}`);
    await page.getByTestId('create-record').click();
    await page.getByTestId('notes').waitFor();
    await saveNotes(page, 'Call the customer about the EA end date');
    const history = page.getByTestId('history');
    await history.getByTestId('history-row').nth(1).waitFor({ timeout: 15_000 });
    const newest = history.getByTestId('history-row').first();
    assert.match(await newest.innerText(), /editor@partner\.example[\s\S]*Plan edit[\s\S]*notes[\s\S]*Call the customer/);
    assert.match(await history.getByTestId('history-row').nth(1).innerText(), /Created/);
    await history.scrollIntoViewIfNeeded();
    await screenshot(page, 'team-history-panel');
    assert.deepEqual(page.errors, []);
  });

  test("a viewer's save is refused by the proxy with a sentence, and the history is unchanged", async () => {
    const page = await signIn('Vera Viewer', `/customers/${KEY}`);
    assert.match(await page.getByTestId('my-role').innerText(), /Viewer/);
    await page.getByTestId('notes').waitFor();
    // The editor's test left history behind: count it once the panel has loaded it.
    const history = page.getByTestId('history');
    await history.getByTestId('history-row').nth(1).waitFor({ timeout: 15_000 });
    const rows = await history.getByTestId('history-row').count();
    await saveNotes(page, 'A viewer tries to write');
    const alert = page.getByRole('alert').filter({ hasText: 'editor role' });
    await alert.waitFor();
    assert.match(await alert.innerText(), /viewer@partner\.example has the viewer role/);
    await screenshot(page, 'team-viewer-refused');
    await page.getByTestId('history-reload').click();
    await page.waitForTimeout(300);
    assert.equal(await history.getByTestId('history-row').count(), rows);
    // People is an admin's page: not offered, and refused by the proxy if opened.
    assert.equal(await page.getByRole('link', { name: 'People' }).count(), 0);
    page.errors = page.errors.filter((e) => !/status of 403/.test(e));
    assert.deepEqual(page.errors, []);
  });

  test('an admin gives a role on the people page', async () => {
    const page = await signIn('Ada Admin', '/people');
    const vera = page.getByTestId('person-row').filter({ hasText: 'viewer@partner.example' });
    await vera.waitFor();
    assert.match(await vera.getByTestId('person-role').innerText(), /Viewer/);
    await vera.getByTestId('person-assign').selectOption('editor');
    await vera.getByTestId('person-role').filter({ hasText: 'Editor' }).waitFor();
    assert.match(await vera.innerText(), /given by an admin/);
    const me = page.getByTestId('person-row').filter({ hasText: 'admin@partner.example' });
    assert.ok(await me.getByTestId('person-assign').isDisabled(), 'nobody changes their own role');
    await screenshot(page, 'team-people');
    assert.deepEqual(page.errors, []);
  });

  test('the activity page filters by person, customer and kind, exports CSV, and speaks Japanese', async () => {
    const page = await signIn('Ada Admin', '/activity');
    const asked = [];
    page.on('request', (req) => {
      const u = new URL(req.url());
      if (u.pathname === '/api/activity') asked.push(u.search);
    });
    const table = page.getByTestId('history-table');
    await table.waitFor();
    const all = await table.getByTestId('history-row').count();
    assert.ok(all >= 3, `${all} rows`);
    assert.match(await table.innerText(), /role of viewer@partner\.example[\s\S]*From groups[\s\S]*Editor/);
    await page.getByTestId('filter-person').fill('editor@');
    await page.getByTestId('filter-kind').selectOption('plan');
    await page.getByTestId('activity-show').click();
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="history-row"]').length < n, all);
    const rows = await table.getByTestId('history-row').allInnerTexts();
    assert.equal(rows.length, 1);
    assert.match(rows[0], /editor@partner\.example[\s\S]*Plan edit/);
    // Only the filters set are sent, encoded, and nothing trails the last one.
    assert.match(asked.at(-1), /^\?from=[^&]+&to=[^&]+&person=editor%40&kind=plan$/, JSON.stringify(asked));
    await page.getByTestId('filter-customer').fill('no-such-customer');
    await page.getByTestId('activity-show').click();
    await page.getByTestId('history-empty').waitFor();
    await page.getByTestId('filter-customer').fill(KEY);
    await page.getByTestId('activity-show').click();
    await table.getByTestId('history-row').first().waitFor();
    await screenshot(page, 'team-activity');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('activity-export').click(),
    ]);
    const csv = readFileSync(await download.path(), 'utf8');
    const lines = csv.replace(/^\ufeff/, '').trim().split('\r\n');
    assert.equal(lines[0], 'time (UTC),time (local),Who,Customer,key,Kind,Field,Before,After');
    assert.match(lines[1], /Z,.*,editor@partner\.example,team-journey\.example,team-journey\.example,Plan edit,notes,,Call the customer/);
    // Japanese: the same page in the viewer's language.
    await page.getByRole('button', { name: '日本語' }).click();
    await page.getByRole('heading', { name: 'アクティビティ' }).waitFor();
    assert.match(await table.innerText(), /計画の編集/);
    await screenshot(page, 'team-activity-ja');
    await page.getByRole('button', { name: 'English' }).click();
    assert.deepEqual(page.errors, []);
  });

  test('a sign-in answer for another application is refused and explained', async () => {
    const page = await openPage(browser);
    await page.goto(`${proxy.url}/`);
    await page.getByTestId('sign-in').click();
    await page.getByRole('heading', { name: 'Pick an account' }).waitFor();
    const spoiled = await fetch(`${proxy.sandboxUrl}/sandbox/oidc/tamper/audience`, { method: 'POST' });
    assert.equal(spoiled.status, 204);
    await page.getByRole('button', { name: /Ada Admin/ }).click();
    const error = page.getByTestId('sign-in-error');
    await error.waitFor();
    assert.match(await error.innerText(), /another application/);
    assert.equal(new URL(page.url()).pathname, '/sign-in');
    assert.equal((await page.context().cookies()).filter((c) => c.name === 'cutover_sid').length, 0);
    await screenshot(page, 'team-sign-in-refused');
    dropSandboxIconErrors(page);
    assert.deepEqual(page.errors, []);
  });

  // The screens only team use has (signing in, people, activity, a history panel) pass axe-core
  // in English and Japanese on a wide screen and a phone, and never scroll sideways.
  test('sign-in, people, activity and the history panel pass axe in both languages at 1280 and 375 px', async () => {
    const problems = [];
    for (const lang of ['en', 'ja']) {
      for (const width of [1280, 375]) {
        const context = await a11yContext(browser, { lang, width });
        const page = await context.newPage();
        const check = async (name) => {
          for (const v of await axeViolations(page)) problems.push(`${name} ${lang} ${width}: ${v.id} (${v.impact}) ${v.help}\n    ${v.nodes.slice(0, 3).join('\n    ')}`);
          const w = await pageWidth(page);
          if (w > width) problems.push(`${name} ${lang} ${width}: ${w} px wide: ${(await overflowing(page)).join(', ')}`);
        };
        await page.goto(`${proxy.url}/activity`);
        await page.getByTestId('sign-in').waitFor();
        await check('sign-in');
        await page.getByTestId('sign-in').click();
        await page.getByRole('button', { name: /Ada Admin/ }).click();
        await page.getByTestId('history-table').waitFor({ timeout: 20_000 });
        await check('activity');
        await page.goto(`${proxy.url}/people`);
        await page.getByTestId('person-row').first().waitFor({ timeout: 20_000 });
        await check('people');
        await page.goto(`${proxy.url}/customers/${KEY}`);
        await page.getByTestId('history').getByTestId('history-row').first().waitFor({ timeout: 20_000 });
        await check('customer-history');
        if (width < 600) await screenshot(page, `team-customer-history-${lang}-375`);
        await context.close();
      }
    }
    assert.deepEqual(problems, [], problems.join('\n'));
  });
});
