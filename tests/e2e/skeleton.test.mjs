// The walking skeleton: real app in Chromium, real proxy, embedded sandbox, over loopback.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fetchAllCustomers, launchBrowser, openPage, screenshot, startProxy } from './harness.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

describe('customer list against the sandbox', () => {
  let proxy;
  before(async () => { proxy = await startProxy(); });
  after(async () => { await proxy?.stop(); });

  test('every sandbox customer is listed, with Japanese names among them', async () => {
    const { total, items } = await fetchAllCustomers(proxy.url);
    assert.ok(items.length >= 100, `sandbox should hold a few hundred customers, got ${items.length}`);
    assert.equal(items.length, total, 'totalCount matches the items walked');
    const page = await openPage(browser);
    await page.goto(proxy.url);
    await page.getByTestId('load-status').filter({ hasText: `${items.length} customers` }).waitFor({ timeout: 20_000 });
    const first = items[0].companyProfile.companyName;
    await page.getByTestId('customer-list').getByText(first, { exact: true }).first().waitFor();
    const rows = await page.locator('[data-testid=customer-list] [role=row][data-pos]').count();
    assert.ok(rows > 5 && rows <= 150, `virtualized list keeps a window of rows in the DOM (${rows})`);
    // Each row's steps cell shows its meter and its text whole (it once read "No plar").
    const clipped = await page.locator('[data-testid=customer-list] .vrow-progress')
      .evaluateAll((cells) => cells.filter((c) => c.scrollWidth > c.clientWidth).map((c) => c.textContent));
    assert.deepEqual(clipped, []);
    const japanese = items.find((c) => /[\u3040-\u30ff\u4e00-\u9fff]/.test(c.companyProfile.companyName));
    assert.ok(japanese, 'the sandbox has Japanese company names');
    await page.getByTestId('search').fill(japanese.companyProfile.companyName);
    await page.getByTestId('customer-list').getByText(japanese.companyProfile.companyName, { exact: true }).first().waitFor();
    await screenshot(page, 'customers-search-japanese');
    await page.getByTestId('search').fill('');
    await screenshot(page, 'customers-loaded');
    assert.deepEqual(page.errors, []);
  });

  test('each page links one stylesheet: its sources joined in order, with a matching integrity', async () => {
    const root = path.resolve(import.meta.dirname, '../..');
    for (const [route, source] of [['/', 'index.html'], ['/status/abc', 'status.html']]) {
      const html = await (await fetch(proxy.url + route)).text();
      const links = html.match(/<link\b[^>]*\brel="?stylesheet"?[^>]*>/g) ?? [];
      assert.equal(links.length, 1, `${route}: ${links.join(' ')}`);
      const href = links[0].match(/href="?([^"\s>]+)/)[1];
      const integrity = links[0].match(/integrity="?([^"\s>]+)/)[1];
      const bytes = Buffer.from(await (await fetch(proxy.url + href)).arrayBuffer());
      assert.equal(integrity, `sha384-${createHash('sha384').update(bytes).digest('base64')}`, route);
      // Every stylesheet the source page names, in its order (the status page's are minified by
      // its Trunk build, so compare them without white space).
      const sources = [...readFileSync(path.join(root, source), 'utf8').matchAll(/data-trunk rel="css" href="([^"]+)"/g)].map((m) => m[1]);
      assert.ok(sources.length >= 3, `${source} names its stylesheets`);
      const squeeze = (css) => css.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\s+/g, '');
      const bundle = squeeze(bytes.toString('utf8'));
      let at = 0;
      for (const s of sources) {
        const opening = squeeze(readFileSync(path.join(root, s), 'utf8')).slice(0, 12);
        const found = bundle.indexOf(opening, at);
        assert.ok(found >= at, `${route}: ${s} is in the bundle after the files before it`);
        at = found + 1;
      }
    }
  });

  test('a client route survives a reload (the proxy serves index.html)', async () => {
    const { items } = await fetchAllCustomers(proxy.url);
    const page = await openPage(browser);
    await page.goto(`${proxy.url}/customers/${items[0].id}`);
    await page.getByTestId('customer-name')
      .filter({ hasText: items[0].companyProfile.companyName }).waitFor({ timeout: 20_000 });
    assert.deepEqual(page.errors, []);
  });
});

describe('customer list when Partner Center fails', () => {
  let proxy;
  before(async () => { proxy = await startProxy({ CUTOVER_SANDBOX_FAIL_STATUS: '500' }); });
  after(async () => { await proxy?.stop(); });

  test('the error is a sentence with a retry, not a blank page', async () => {
    const page = await openPage(browser);
    await page.goto(proxy.url);
    const alert = page.getByRole('alert');
    await alert.waitFor({ timeout: 30_000 });
    const text = await alert.innerText();
    assert.match(text, /Partner Center had a problem \(500\)/);
    await page.getByRole('button', { name: 'Retry' }).waitFor();
    await screenshot(page, 'customers-partner-center-error');
  });
});
