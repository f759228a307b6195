// Pieces of the accessibility journeys: axe-core injected into a page, the page's width on a
// phone, and the screens worth checking (each with the element that says it has rendered).
import { createRequire } from 'node:module';
import path from 'node:path';
import { FIXTURES, getJson } from './partner_helpers.mjs';
import { createLink } from './status_helpers.mjs';

const require = createRequire(import.meta.url);
/** axe-core from the project's node_modules (package.json pins it). */
export const AXE = require.resolve('axe-core/axe.min.js');

/**
 * A browser context for one language, width and colour scheme. The app's CSP forbids injected
 * scripts, so axe needs `bypassCSP`; the language comes from the browser, as it does for a user.
 */
export async function a11yContext(browser, { lang, width, scheme = 'light' }) {
  return browser.newContext({
    viewport: { width, height: width < 600 ? 740 : 900 },
    locale: lang === 'ja' ? 'ja-JP' : 'en-US',
    colorScheme: scheme,
    bypassCSP: true,
  });
}

/** Runs axe-core (every rule it runs by default, best practices included) on the page. */
export async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.addScriptTag({ path: AXE });
  }
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary.split('\n').slice(1, 2).join(' ').trim()}`),
    }));
  });
  return result;
}

/** How wide the page is (CSS px): wider than the viewport means it scrolls sideways. */
export async function pageWidth(page) {
  return page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth));
}

/** The elements wider than the viewport that reach past its right edge (to say what overflows). */
export async function overflowing(page) {
  return page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    const out = [];
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.right > vw + 1 && r.width > 0) {
        // Only the outermost overflowing element of each branch.
        const parent = el.parentElement?.getBoundingClientRect();
        if (!parent || parent.right <= vw + 1) {
          out.push(`${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ').join('.')}` : ''} (${Math.round(r.right)} px)`);
        }
      }
    }
    return out.slice(0, 8);
  });
}

/**
 * Chooses the customers the journeys need from the first-run portfolio:
 * `showcase` — planned, with orders, with admin access active (so the discovery panel shows) and
 * with warnings in the list; `orderable` — planned, nothing ordered yet (the order dialog offers lines).
 */
export async function pickCustomers(proxy, page) {
  const { records } = await getJson(proxy.url, '/api/store/records');
  const active = new Set((await getJson(proxy.sandboxUrl, '/sandbox/gdap')).items
    .filter((r) => r.status === 'active').map((r) => r.customer.tenantId));
  const planned = records.filter((r) => r.doc.key.kind === 'pcCustomerId');
  // Customers the list marks with warnings (the list plans with the same rules as the page).
  await page.goto(`${proxy.url}/?warn=any`);
  await page.locator('.vrow a').first().waitFor({ timeout: 30_000 });
  const warned = new Set(await page.locator('.vrow a').evaluateAll((as) => as.map((a) => decodeURIComponent(a.getAttribute('href').split('/').pop()))));
  const showcase = planned.find((r) => (r.doc.orders || []).length > 0 && active.has(r.key) && warned.has(r.key))
    || planned.find((r) => (r.doc.orders || []).length > 0 && active.has(r.key));
  const orderable = planned.find((r) => !(r.doc.orders || []).length && (r.doc.originals || []).length > 0 && r.key !== showcase?.key);
  if (!showcase || !orderable) throw new Error('the first-run portfolio has no customer to show or to order for');
  return { showcase, orderable };
}

/** Every screen of the product, each opened fresh and waited for; `setup` may prepare the page. */
export function screens(proxy, { showcase, token }) {
  const chunk = /\/(split|chunk)_[^/]*\.wasm$/;
  return [
    {
      name: 'customers',
      open: async (page) => {
        await page.goto(proxy.url);
        await page.locator('.vrow a').first().waitFor({ timeout: 30_000 });
        await page.getByTestId('step-counts').waitFor();
        await page.locator('[data-testid=costs-by-month] summary').click();
        await page.locator('[data-testid=costs-by-month] table').waitFor();
      },
    },
    {
      name: 'row-details',
      open: async (page) => {
        await page.goto(proxy.url);
        await page.locator('.vrow .warn-chip').first().click({ timeout: 30_000 });
        await page.getByTestId('row-details-dialog').waitFor();
      },
    },
    {
      name: 'menu-open',
      phoneOnly: true,
      open: async (page) => {
        await page.goto(proxy.url);
        await page.locator('.vrow a').first().waitFor({ timeout: 30_000 });
        await page.getByTestId('menu-button').click();
        await page.getByRole('navigation').waitFor();
      },
    },
    {
      name: 'customer',
      open: async (page) => {
        await page.goto(`${proxy.url}/customers/${encodeURIComponent(showcase.key)}`);
        await page.getByTestId('partner-checklist').waitFor({ timeout: 30_000 });
        await page.getByTestId('orders').waitFor({ timeout: 20_000 });
        await page.getByTestId('discovery').waitFor({ timeout: 20_000 });
        await page.getByTestId('read-tenant').click();
        await page.getByTestId('discovery-summary').waitFor({ timeout: 20_000 });
      },
    },
    {
      name: 'import-preview',
      open: async (page) => {
        await page.goto(`${proxy.url}/import`);
        await page.getByTestId('import-file').setInputFiles(path.join(FIXTURES, 'prospects.csv'));
        await page.getByTestId('import-preview').waitFor({ timeout: 30_000 });
        await page.getByTestId('import-summary').waitFor();
      },
    },
    {
      name: 'calendar',
      open: async (page) => {
        await page.goto(`${proxy.url}/calendar`);
        await page.locator('[data-testid=action-list] li').first().waitFor({ timeout: 30_000 });
      },
    },
    {
      name: 'settings',
      open: async (page) => {
        await page.goto(`${proxy.url}/settings`);
        await page.getByTestId('setting-provision').waitFor({ timeout: 30_000 });
      },
    },
    {
      name: 'activity',
      open: async (page) => {
        await page.goto(`${proxy.url}/activity`);
        await page.locator('main h1').waitFor({ timeout: 30_000 });
        await page.locator('[data-testid=history-table], [data-testid=history-empty]').first().waitFor({ timeout: 30_000 });
      },
    },
    {
      name: 'not-found',
      open: async (page) => {
        await page.goto(`${proxy.url}/no-such-page`);
        await page.locator('main h1').waitFor({ timeout: 30_000 });
      },
    },
    {
      name: 'status',
      open: async (page) => {
        await page.goto(`${proxy.url}/status/${token}`);
        await page.getByTestId('checklist').waitFor({ timeout: 30_000 });
      },
    },
    {
      name: 'status-invalid',
      open: async (page) => {
        await page.goto(`${proxy.url}/status/not-a-real-link-0000`);
        await page.getByTestId('status-invalid').waitFor({ timeout: 30_000 });
      },
    },
    {
      name: 'screen-download-failed',
      open: async (page) => {
        await page.route(chunk, (route) => route.abort('connectionrefused'));
        await page.goto(`${proxy.url}/calendar`);
        await page.getByTestId('screen-failed').waitFor({ timeout: 30_000 });
      },
      expectErrors: true,
    },
  ];
}

/** A share link for the showcase customer (the status page screens). */
export async function shareToken(proxy, key) {
  return (await createLink(proxy.url, key)).token;
}
