// axe-core on every screen — the customer list with its summary, a customer with warnings, orders
// and tenant discovery, the order dialog, import with a preview, the calendar, settings, an
// unknown address, the customer status page, an invalid share link and a screen whose download
// failed — in English and Japanese, at 1280 px and on a 375 px phone, light (and dark at 1280):
// no violation of any impact, and no page wider than the phone.
// The table of results lands in artifacts/accessibility.json.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ARTIFACTS, launchBrowser, screenshot } from './harness.mjs';
import { startPartnerProxy } from './partner_helpers.mjs';
import {
  a11yContext, axeViolations, overflowing, pageWidth, pickCustomers, screens, shareToken,
} from './a11y_helpers.mjs';

const COMBOS = [
  { lang: 'en', width: 1280 },
  { lang: 'ja', width: 1280 },
  { lang: 'en', width: 375 },
  { lang: 'ja', width: 375 },
  { lang: 'en', width: 1280, scheme: 'dark' },
  { lang: 'ja', width: 375, scheme: 'dark' },
];

// Two combinations at a time: most of each is waiting for the proxy and the sandbox.
describe('accessibility of every screen', { concurrency: 2 }, () => {
  let browser;
  let proxy;
  let list;
  const results = [];
  before(async () => {
    browser = await launchBrowser();
    proxy = await startPartnerProxy({ CUTOVER_SANDBOX_CUSTOMERS: '60', CUTOVER_SANDBOX_FIRST_RUN: 'plans' });
    const context = await a11yContext(browser, { lang: 'en', width: 1280 });
    const page = await context.newPage();
    const { showcase, orderable } = await pickCustomers(proxy, page);
    await context.close();
    const token = await shareToken(proxy, showcase.key);
    list = screens(proxy, { showcase, token });
    // The order dialog, open over a customer who has nothing ordered yet.
    list.splice(2, 0, {
      name: 'order-dialog',
      open: async (p) => {
        await p.goto(`${proxy.url}/customers/${encodeURIComponent(orderable.key)}`);
        await p.getByTestId('provision').click({ timeout: 30_000 });
        await p.getByTestId('order-dialog').waitFor();
      },
    });
  });
  after(async () => {
    const file = path.join(ARTIFACTS, '..', 'accessibility.json');
    results.sort((a, b) => a.order - b.order);
    writeFileSync(file, JSON.stringify(results, null, 2));
    const rows = results.map((r) => `${r.screen.padEnd(24)} ${r.lang} ${String(r.width).padStart(4)} ${r.scheme.padEnd(5)} `
      + `violations ${String(r.violations.length).padStart(2)}${r.width < 600 ? `  width ${r.pageWidth}` : ''}  ${r.ms.join('/')} ms`
      + `${r.violations.length ? `  (${r.violations.map((v) => `${v.id}:${v.impact}×${v.nodes.length}`).join(', ')})` : ''}`);
    console.log(`\naxe-core results (${file}):\n${rows.join('\n')}`);
    await browser?.close();
    await proxy?.stop();
  });

  for (const [ci, combo] of COMBOS.entries()) {
    const scheme = combo.scheme || 'light';
    test(`${combo.lang} at ${combo.width} px (${scheme}): no axe violations, nothing wider than the screen`, async () => {
      const context = await a11yContext(browser, { ...combo, scheme });
      const problems = [];
      for (const [si, screen] of list.entries()) {
        if (screen.phoneOnly && combo.width >= 600) continue;
        const page = await context.newPage();
        const errors = [];
        page.on('pageerror', (e) => errors.push(String(e)));
        const t0 = Date.now();
        await screen.open(page);
        const opened = Date.now() - t0;
        const violations = await axeViolations(page);
        const width = await pageWidth(page);
        results.push({ order: ci * 100 + si, screen: screen.name, lang: combo.lang, width: combo.width, scheme, violations, pageWidth: width, ms: [opened, Date.now() - t0] });
        for (const v of violations) problems.push(`${screen.name}: ${v.id} (${v.impact}) ${v.help}\n    ${v.nodes.slice(0, 4).join('\n    ')}`);
        if (combo.width < 600 && width > combo.width) {
          problems.push(`${screen.name}: the page is ${width} px wide on a ${combo.width} px screen: ${(await overflowing(page)).join(', ')}`);
        }
        if (!screen.expectErrors) problems.push(...errors.map((e) => `${screen.name}: ${e}`));
        // Screenshots of the phone layouts (the wide ones are in the other journeys).
        if (combo.width < 600 && scheme === 'light') await screenshot(page, `a11y-${screen.name}-${combo.lang}-${combo.width}`);
        await page.close();
      }
      await context.close();
      assert.deepEqual(problems, []);
    });
  }
});
