// A throttled Partner Center: the list says what is loaded and when it tries again, instead of failing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, openPage, screenshot, startProxy } from './harness.mjs';

let browser;
let proxy;
before(async () => {
  browser = await launchBrowser();
  // Every call is throttled with a Retry-After longer than the proxy waits out itself.
  proxy = await startProxy({ CUTOVER_SANDBOX_RATE_429: '1.0', CUTOVER_SANDBOX_RETRY_AFTER: '30' });
});
after(async () => {
  await proxy?.stop();
  await browser?.close();
});

test('throttling shows a countdown and keeps waiting instead of giving up', async () => {
  const page = await openPage(browser);
  await page.goto(proxy.url);
  const status = page.getByTestId('load-status');
  await status.filter({ hasText: /Partner Center is throttling, retrying in \d+ s/ }).waitFor({ timeout: 20_000 });
  const first = Number((await status.innerText()).match(/retrying in (\d+) s/)[1]);
  assert.ok(first > 0 && first <= 30, `countdown starts from Partner Center's Retry-After (${first})`);
  await page.waitForTimeout(2_200);
  const later = Number((await status.innerText()).match(/retrying in (\d+) s/)[1]);
  assert.ok(later < first, `the countdown runs (${first} → ${later})`);
  assert.equal(await page.getByRole('alert').count(), 0, 'no error banner while waiting as asked');
  await screenshot(page, 'customers-throttled');
  // 429s are expected here; anything else (a panic) is not.
  assert.deepEqual(page.errors.filter((e) => !/429|Too Many Requests/.test(e)), []);
});
