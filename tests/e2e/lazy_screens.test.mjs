// The partner app's screens beyond the customer list are downloaded on first visit (route
// splitting, src/partner/lazy_routes.rs). The first screen downloads no screen chunk; a chunk that
// cannot be downloaded shows a sentence and a Retry button, and Retry brings the screen. The
// first screen's session, first page of customers, records and settings are asked for by
// index.html while the code downloads, and the app uses those answers instead of asking again (src/api/early.rs).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, openPage, screenshot, startProxy } from './harness.mjs';

let browser;
let proxy;
before(async () => {
  browser = await launchBrowser();
  proxy = await startProxy({ CUTOVER_SANDBOX_CUSTOMERS: '30' });
});
after(async () => {
  await browser?.close();
  await proxy?.stop();
});

const wasmFetched = (page) => page.evaluate(() => performance.getEntriesByType('resource')
  .map((r) => new URL(r.name).pathname).filter((p) => p.endsWith('.wasm')));

test('the customer list downloads no other screen; the calendar arrives when first opened', async () => {
  const page = await openPage(browser);
  const api = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith('/api/')) api.push({ path: `${u.pathname}${u.search}`, correlation: r.headers()['ms-correlationid'] });
  });
  await page.goto(proxy.url);
  await page.locator('[data-testid=customer-list] [role=row][data-pos]').first().waitFor({ timeout: 30_000 });
  const first = await wasmFetched(page);
  assert.equal(first.filter((p) => /^\/split_/.test(p)).length, 0, `screen chunks on the first screen: ${first}`);
  // Asked early once each, and not again by the app; the customers' load keeps the early id.
  await page.waitForLoadState('networkidle');
  const count = (path) => api.filter((a) => a.path === path).length;
  for (const path of ['/api/session', '/api/store/records', '/api/store/settings']) {
    assert.equal(count(path), 1, `${path}: ${JSON.stringify(api)}`);
  }
  const firstPage = api.filter((a) => a.path === '/api/pc/v1/customers?size=100');
  assert.equal(firstPage.length, 1, JSON.stringify(api));
  assert.match(firstPage[0].correlation ?? '', /^[0-9a-f-]{36}$/);
  await page.getByRole('link', { name: 'Calendar' }).click();
  await page.getByTestId('by-month').waitFor({ timeout: 30_000 });
  const later = await wasmFetched(page);
  assert.ok(later.some((p) => /^\/split_calendar_screen-[0-9a-f]{16}\.wasm$/.test(p)), `calendar chunk: ${later}`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a screen whose download fails says so and offers Retry, and the app keeps working', async () => {
  const page = await openPage(browser);
  await page.route(/\/(split|chunk)_[^/]*\.wasm$/, (route) => route.abort('connectionrefused'));
  await page.goto(`${proxy.url}/settings`);
  const failed = page.getByTestId('screen-failed');
  await failed.waitFor({ timeout: 30_000 });
  assert.match(await failed.innerText(), /could not be downloaded/);
  await screenshot(page, 'lazy-screen-failed');
  // The shell still works: the customer list (in the main module) opens.
  await page.getByRole('link', { name: 'Customers' }).first().click();
  await page.locator('[data-testid=customer-list] [role=row][data-pos]').first().waitFor({ timeout: 30_000 });
  await page.getByRole('link', { name: 'Settings' }).click();
  await failed.waitFor();
  // The network is back: Retry brings the screen.
  await page.unroute(/\/(split|chunk)_[^/]*\.wasm$/);
  await failed.getByRole('button', { name: 'Retry' }).click();
  await page.locator('[data-testid^=setting-]').first().waitFor({ timeout: 30_000 });
  assert.equal(await failed.count(), 0);
  // Only the refused downloads were logged; nothing panicked.
  const unexpected = page.errors.filter((e) => !/Failed to fetch|ERR_CONNECTION_REFUSED|TypeError/.test(e));
  assert.deepEqual(unexpected, []);
  assert.ok(!page.errors.some((e) => /panicked at|RuntimeError|unreachable/.test(e)), page.errors.join('\n'));
  await page.context().close();
});

test('after a small first page the list asks for pages of 500, all under the first load\'s correlation id', async () => {
  const big = await startProxy({ CUTOVER_SANDBOX_CUSTOMERS: '1250' });
  const page = await openPage(browser);
  try {
    const api = [];
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.pathname === '/api/pc/v1/customers') api.push({ search: u.search, correlation: r.headers()['ms-correlationid'] });
    });
    await page.goto(big.url);
    await page.getByTestId('load-status').filter({ hasText: /^1,?250 customers$/ }).waitFor({ timeout: 60_000 });
    assert.doesNotMatch(await page.getByTestId('load-status').innerText(), /of|loading/i);
    // 100 + 500 + 500 + 150.
    assert.deepEqual(api.map((a) => a.search), ['?size=100', '?size=500&seekOperation=Next', '?size=500&seekOperation=Next', '?size=500&seekOperation=Next']);
    assert.equal(new Set(api.map((a) => a.correlation)).size, 1, JSON.stringify(api));
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
    await big.stop();
  }
});
