// The customer status page behind a share link: what a customer's IT admin sees, in English and
// Japanese, on a phone and on paper; the calendar file and the Atom feed; and that nothing beyond
// the projection ever reaches the browser. Links are made through the API and through the
// partner's panel on the customer page.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { fetchAllCustomers, launchBrowser, openPage, screenshot } from './harness.mjs';
import {
  checkIcs, createLink, isoDay, recordBodies, revokeLink, seedRecord, startProxyWithDist, watchChecklist,
} from './status_helpers.mjs';

const PRICE = '987.65';
const NOTE = 'NOTE-e2e-internal-discount-42';
const ORIGINAL_ID = 'orig-secret-7f3a';
const PROSPECT_DOMAIN = 'prospect-e2e.example';
const PROSPECT_NAME = 'Prospect E2E 株式会社';

let browser;
let proxy;
let customers;
let a; // the customer whose link we share
let b; // another customer with a record, who must never show up
// Data that must never reach a customer (field names such as perSeatPerMonth sit in the app's code).
const secretsOf = () => [PRICE, NOTE, ORIGINAL_ID, a.id, b.id, b.companyProfile.companyName];

function recordFor(c, extra = {}) {
  return {
    key: { kind: 'pcCustomerId', value: c.id },
    customerName: c.companyProfile.companyName,
    domain: c.companyProfile.domain,
    notes: NOTE,
    invitationSentOn: isoDay(-20),
    originals: [
      {
        id: ORIGINAL_ID, offerName: 'Microsoft 365 Business Standard', seats: 25, endDate: isoDay(45),
        channel: 'direct', autoRenew: true, price: { perSeatPerMonth: PRICE, currency: 'JPY' },
      },
      {
        id: `${ORIGINAL_ID}-2`, offerName: 'Exchange Online (Plan 1)', seats: 10, endDate: isoDay(70),
        channel: 'open', autoRenew: true, target: { offerName: 'Microsoft 365 Business Basic' },
        price: { perSeatPerMonth: PRICE, currency: 'JPY' }, confirmed: { autoRenewOffOn: isoDay(-5) },
      },
    ],
    ...extra,
  };
}

/** Opens `url` in a fresh context (no cookies, no storage) and waits for the page to settle. */
async function openFresh(url, options = {}) {
  const page = await openPage(browser, options);
  const bodies = recordBodies(page);
  await watchChecklist(page.context());
  const t0 = Date.now();
  await page.goto(url);
  await page.locator('[data-testid=checklist], [data-testid=status-invalid], [data-testid=status-unavailable]')
    .first().waitFor({ timeout: 20_000 });
  return { page, bodies, wall: Date.now() - t0 };
}

async function assertNoSecrets(page, bodies, token) {
  const html = await page.content();
  const text = await page.locator('body').innerText();
  for (const secret of secretsOf()) {
    assert.ok(!html.includes(secret), `the DOM contains ${secret}`);
  }
  assert.ok(!text.includes(token), 'the token is shown as text');
  // The only place the token may sit in the DOM is the feed link the customer subscribes to.
  const withToken = await page.evaluate((tok) => [...document.querySelectorAll('*')]
    .flatMap((el) => [...el.attributes].filter((at) => at.value.includes(tok)).map((at) => `${el.tagName}.${at.name}`)), token);
  assert.deepEqual(withToken.filter((w) => w !== 'A.href'), [], `token in attributes: ${withToken}`);
  for (const { url, text: body } of bodies) {
    for (const secret of secretsOf()) {
      assert.ok(!body.includes(secret), `${url} answered with ${secret}`);
    }
    if (url.includes('/api/')) {
      assert.ok(!body.includes(token), `${url} echoes the token`);
      assert.ok(!body.includes('perSeatPerMonth'), `${url} carries a price field`);
    }
  }
}

before(async () => {
  browser = await launchBrowser();
  proxy = await startProxyWithDist({ CUTOVER_PARTNER_NAME: 'Contoso CSP Partner' });
  ({ items: customers } = await fetchAllCustomers(proxy.url));
  [a, b] = customers;
  await seedRecord(proxy.url, a.id, recordFor(a));
  await seedRecord(proxy.url, b.id, recordFor(b));
  await seedRecord(proxy.url, PROSPECT_DOMAIN, {
    key: { kind: 'domain', value: PROSPECT_DOMAIN },
    customerName: PROSPECT_NAME,
    domain: PROSPECT_DOMAIN,
    notes: NOTE,
    originals: [{
      id: ORIGINAL_ID, offerName: 'Office 365 E3', seats: 40, endDate: isoDay(30), channel: 'ea', autoRenew: false,
      price: { perSeatPerMonth: PRICE, currency: 'JPY' },
    }],
  });
});
after(async () => {
  await browser?.close();
  await proxy?.stop();
});

describe('a status link made through the API', () => {
  let token;
  before(async () => { ({ token } = await createLink(proxy.url, a.id)); });

  test('a fresh browser sees that customer only, with the four steps, and it paints in the first load', async () => {
    const { page, bodies, wall } = await openFresh(`${proxy.url}/status/${token}`, { timezoneId: 'America/New_York', locale: 'en-US' });
    await page.getByTestId('checklist').waitFor();
    const timing = await page.evaluate((mark) => ({
      inDom: window.__checklistInDom,
      painted: window.__checklistPainted,
      appMark: performance.getEntriesByName(mark)[0]?.startTime,
      wasm: performance.getEntriesByType('resource').filter((r) => r.name.endsWith('.wasm')).map((r) => Math.round(r.duration)),
    }), 'status-checklist-visible');
    console.log(`navigation → checklist in DOM ${timing.inDom?.toFixed(0)} ms, painted ${timing.painted?.toFixed(0)} ms `
      + `(app mark ${timing.appMark?.toFixed(0)} ms, wasm fetch ${timing.wasm} ms, wall ${wall} ms)`);
    assert.ok(timing.inDom > 0 && timing.inDom < 10_000, `checklist visible after ${timing.inDom} ms`);

    assert.equal(await page.getByTestId('customer-name').innerText(), a.companyProfile.companyName);
    assert.equal(await page.getByTestId('partner-name').innerText(), 'Contoso CSP Partner');
    for (const i of [1, 2, 3, 4]) await page.getByTestId(`step-${i}`).waitFor();
    assert.equal(await page.getByTestId('step-1').getAttribute('data-state'), 'done', 'a sandbox customer is a reseller customer');
    const todo = page.getByTestId('todo');
    await todo.locator('[data-todo=auto-renew-off]').waitFor();
    await todo.locator('[data-todo=reassign]').waitFor();
    assert.match(await todo.innerText(), /Switch off auto-renew on your current Microsoft 365 Business Standard subscription by/);
    // The renewal instant (00:00 UTC the day after the end date) in New York is the evening before.
    assert.match(await todo.innerText(), /renews by itself at .*(07|08):00\s?PM (EST|EDT)/);
    assert.match(await page.getByTestId('time-zone').innerText(), /America\/New_York/);
    assert.ok(await page.getByTestId('timeline-upcoming').locator('li').count() >= 3);
    assert.match(await page.getByTestId('timeline-past').innerText(), /Reseller invitation sent/);

    // Nothing beyond the projection: not the other customer, the price, the note, the ids or the token.
    await assertNoSecrets(page, bodies, token);
    const projection = bodies.find((x) => x.url.includes('/api/public/status/'));
    assert.equal(projection.status, 200);
    assert.equal(bodies.filter((x) => x.url.includes('/api/')).length, 1, 'one API request: the projection');
    const apiCalls = bodies.filter((x) => x.url.includes('/api/') && !x.url.includes('/api/public/'));
    assert.deepEqual(apiCalls.map((x) => x.url), [], 'the status page calls no partner API');
    const text = await page.locator('body').innerText();
    for (const other of customers.slice(1, 40)) {
      const name = other.companyProfile.companyName;
      if (!a.companyProfile.companyName.includes(name)) assert.ok(!text.includes(name), `${name} is on the page`);
    }
    const robots = await page.locator('meta[name=robots]').getAttribute('content');
    assert.match(robots, /noindex/);
    // Its own small bundle: the status page's wasm and script, never the partner app's.
    const scripts = await page.evaluate(() => performance.getEntriesByType('resource')
      .map((r) => new URL(r.name).pathname).filter((p) => /\.(wasm|js)$/.test(p)));
    assert.ok(scripts.some((p) => /^\/cutover-status-[0-9a-f]{1,16}_bg\.wasm$/.test(p)), `fetched ${scripts}`);
    assert.deepEqual(scripts.filter((p) => !p.startsWith('/cutover-status-')), [], 'partner app code fetched');
    await screenshot(page, 'status-en');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('Japanese from the browser, dates in Tokyo time, and the language switch', async () => {
    const { page } = await openFresh(`${proxy.url}/status/${token}`, { locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
    await page.getByRole('heading', { name: 'お客様に必要な作業' }).waitFor();
    await page.getByRole('heading', { name: /再販業者関係/ }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'ja');
    const text = await page.locator('body').innerText();
    assert.match(text, /\d{4}年\d{1,2}月\d{1,2}日/);
    assert.match(text, /自動更新を .* までにオフにしてください/);
    assert.match(text, /09:00 JST/, 'the renewal instant is 09:00 in Tokyo');
    assert.match(await page.getByTestId('time-zone').innerText(), /Asia\/Tokyo/);
    await screenshot(page, 'status-ja');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'What you need to do' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('usable on a 375 px phone', async () => {
    const { page } = await openFresh(`${proxy.url}/status/${token}`, {
      viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2,
    });
    await page.getByTestId('checklist').waitFor();
    const { scroll, client } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,
    }));
    assert.ok(scroll <= client, `nothing scrolls sideways (${scroll} > ${client})`);
    const button = await page.getByTestId('download-ics').boundingBox();
    assert.ok(button.height >= 30 && button.x >= 0 && button.x + button.width <= 375, 'the calendar button fits and is tappable');
    await screenshot(page, 'status-phone');
    await page.context().close();
  });

  test('the upcoming milestones download as an .ics that parses', async () => {
    const { page } = await openFresh(`${proxy.url}/status/${token}`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-ics').click()]);
    assert.match(download.suggestedFilename(), /\.ics$/);
    const text = await readFile(await download.path(), 'utf8');
    const { problems, events } = checkIcs(text);
    assert.deepEqual(problems, []);
    assert.ok(events >= 2, `${events} events`);
    for (const secret of secretsOf()) assert.ok(!text.includes(secret), `the .ics contains ${secret}`);
    await page.context().close();
  });

  test('the Atom feed parses as Atom and holds nothing beyond the projection', async () => {
    const { page } = await openFresh(`${proxy.url}/status/${token}`);
    const href = await page.getByTestId('feed-link').getAttribute('href');
    const res = await page.request.get(new URL(href, proxy.url).href);
    assert.equal(res.status(), 200);
    assert.match(res.headers()['content-type'], /application\/atom\+xml/);
    const xml = await res.text();
    const parsed = await page.evaluate((source) => {
      const doc = new DOMParser().parseFromString(source, 'application/xml');
      const root = doc.documentElement;
      const ns = 'http://www.w3.org/2005/Atom';
      const child = (el, name) => [...el.children].filter((c) => c.namespaceURI === ns && c.localName === name);
      const entries = child(root, 'entry');
      return {
        error: doc.getElementsByTagName('parsererror').length > 0,
        root: root.localName,
        ns: root.namespaceURI,
        feedIds: child(root, 'id').length,
        feedUpdated: child(root, 'updated').map((u) => u.textContent),
        title: child(root, 'title').length,
        entries: entries.length,
        entriesComplete: entries.every((e) => child(e, 'id').length === 1 && child(e, 'updated').length === 1 && child(e, 'title').length === 1),
      };
    }, xml);
    assert.equal(parsed.error, false);
    assert.equal(parsed.root, 'feed');
    assert.equal(parsed.ns, 'http://www.w3.org/2005/Atom');
    assert.equal(parsed.feedIds, 1);
    assert.equal(parsed.title, 1);
    assert.ok(parsed.feedUpdated.length === 1 && !Number.isNaN(Date.parse(parsed.feedUpdated[0])), 'feed updated is a date');
    assert.ok(parsed.entries >= 1, 'at least one entry');
    assert.ok(parsed.entriesComplete, 'every entry has id, updated and title');
    // The token may appear only in the feed's links to itself and to the status page.
    const outsideLinks = xml.replace(/<link [^>]*\/>/g, '');
    for (const secret of [...secretsOf(), token]) assert.ok(!outsideLinks.includes(secret), `the feed contains ${secret}`);
    assert.match(xml, new RegExp(`<link rel="alternate" type="text/html" href="[^"]*/status/${token}"/>`));
    await page.context().close();
  });

  test('the print layout is a one-page summary', async () => {
    const { page } = await openFresh(`${proxy.url}/status/${token}`);
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('.status-keep').isVisible(), false, 'buttons and links are not printed');
    assert.equal(await page.locator('.lang-switch').isVisible(), false);
    await screenshot(page, 'status-print');
    const pdf = await page.pdf({ format: 'A4', printBackground: false });
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
    assert.equal(pages, 1, `the summary prints on ${pages} pages`);
    await page.context().close();
  });
});

describe('a customer who has not accepted the reseller invitation yet', () => {
  test('is asked to accept it, with the invitation link and a date', async () => {
    const { token } = await createLink(proxy.url, PROSPECT_DOMAIN);
    const { page, bodies } = await openFresh(`${proxy.url}/status/${token}`, { locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
    const accept = page.locator('[data-todo=accept-invitation]');
    await accept.waitFor();
    assert.match(await accept.innerText(), /再販業者の招待を承諾してください/);
    const link = accept.getByRole('link');
    assert.match(await link.getAttribute('href'), /^https:\/\/admin\.microsoft\.com\//);
    assert.match(await link.getAttribute('rel'), /noreferrer/);
    assert.equal(await page.getByTestId('step-1').getAttribute('data-state'), 'open');
    assert.equal(await page.getByTestId('customer-name').innerText(), PROSPECT_NAME);
    await assertNoSecrets(page, bodies, token);
    await screenshot(page, 'status-ja-invitation');
    await page.context().close();
  });
});

describe('links that do not work', () => {
  test('guessed, truncated, revoked and expired links all show the same invalid page', async () => {
    const { token, link } = await createLink(proxy.url, a.id);
    const revoked = await createLink(proxy.url, a.id);
    await revokeLink(proxy.url, a.id, revoked.link.id);
    const soon = await createLink(proxy.url, a.id, new Date(Date.now() + 2_000).toISOString().replace(/\.\d+Z$/, 'Z'));
    await new Promise((r) => setTimeout(r, 3_500));
    const cases = {
      guessed: 'f'.repeat(64),
      truncated: token.slice(0, -1),
      revoked: revoked.token,
      expired: soon.token,
      short: 'abc',
      odd: '%3Cscript%3Ealert(1)%3C%2Fscript%3E',
    };
    const seen = new Map();
    for (const [kind, bad] of Object.entries(cases)) {
      const { page } = await openFresh(`${proxy.url}/status/${bad}`);
      await page.getByTestId('status-invalid').waitFor();
      seen.set(kind, await page.getByTestId('status-page').innerText());
      if (kind === 'revoked') await screenshot(page, 'status-invalid');
      assert.equal(await page.getByTestId('checklist').count(), 0);
      assert.deepEqual(page.errors.filter((e) => !/404/.test(e)), [], `${kind}: ${page.errors}`);
      await page.context().close();
    }
    const texts = new Set(seen.values());
    assert.equal(texts.size, 1, `different invalid pages: ${JSON.stringify([...seen])}`);
    assert.match([...texts][0], /This link is not valid/);
    // The API answers are identical too.
    const answers = new Set();
    for (const bad of [cases.guessed, cases.truncated, cases.revoked, cases.expired]) {
      const res = await fetch(`${proxy.url}/api/public/status/${bad}`);
      answers.add(`${res.status} ${await res.text()}`);
    }
    assert.equal(answers.size, 1, [...answers].join('\n'));
    assert.match([...answers][0], /^404 /);
    // The link that was not touched still works.
    const ok = await fetch(`${proxy.url}/api/public/status/${token}`);
    assert.equal(ok.status, 200, `link ${link.id} still opens`);
  });

  test('a network failure says so and retries, instead of calling the link invalid', async () => {
    const { token } = await createLink(proxy.url, a.id);
    const page = await openPage(browser);
    await page.route('**/api/public/status/**', (route) => route.abort('connectionrefused'));
    await page.goto(`${proxy.url}/status/${token}`);
    await page.getByTestId('status-unavailable').waitFor({ timeout: 20_000 });
    assert.equal(await page.getByTestId('status-invalid').count(), 0);
    await screenshot(page, 'status-network-failure');
    await page.unroute('**/api/public/status/**');
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByTestId('checklist').waitFor();
    await page.context().close();
  });
});

describe('the partner panel on the customer page', () => {
  test('a partner creates a link, the customer opens it, the partner revokes it', async () => {
    const partner = await openPage(browser);
    await partner.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await partner.goto(`${proxy.url}/customers/${a.id}`);
    const panel = partner.getByTestId('share-links');
    await panel.waitFor({ timeout: 30_000 });
    await panel.getByTestId('share-list').or(panel.getByTestId('share-empty')).first().waitFor();
    const before = await panel.locator('tbody tr').count();
    await panel.getByTestId('share-expiry').fill(isoDay(30));
    await panel.getByTestId('share-create').click();
    const urlBox = panel.getByTestId('share-url');
    await urlBox.waitFor();
    const url = await urlBox.inputValue();
    assert.match(url, new RegExp(`^${proxy.url}/status/[0-9a-f]{64}$`));
    await panel.getByRole('button', { name: 'Copy' }).click();
    await panel.getByText('Copied').waitFor();
    assert.equal(await partner.evaluate(() => navigator.clipboard.readText()), url);
    await partner.waitForFunction((n) => document.querySelectorAll('[data-testid=share-list] tbody tr').length === n + 1, before);
    const row = panel.locator('tbody tr').first();
    assert.equal(await row.getAttribute('data-state'), 'active');
    assert.doesNotMatch(await row.innerText(), /Never/, 'the expiry is listed');
    await screenshot(partner, 'status-partner-panel-created');

    const customer = await openFresh(url);
    await customer.page.getByTestId('checklist').waitFor();
    assert.equal(await customer.page.getByTestId('customer-name').innerText(), a.companyProfile.companyName);
    await customer.page.context().close();

    // The list shows the customer's visit, and revoking asks first.
    await partner.reload();
    await panel.getByTestId('share-list').waitFor();
    assert.equal(await panel.getByTestId('share-url').count(), 0, 'the token is shown once, not after a reload');
    assert.ok(!(await partner.content()).includes(url.split('/status/')[1]), 'the token is nowhere on the page');
    const used = panel.locator('tbody tr').first();
    assert.doesNotMatch(await used.innerText(), /Not yet/, 'last use is recorded');
    await used.getByTestId('share-revoke').click();
    await panel.getByText('Revoke this link?').waitFor();
    await screenshot(partner, 'status-partner-panel-confirm');
    await panel.getByTestId('share-revoke-confirm').click();
    await partner.waitForFunction(() => document.querySelector('[data-testid=share-list] tbody tr')?.dataset.state === 'revoked');
    await screenshot(partner, 'status-partner-panel-revoked');


    const again = await openFresh(url);
    await again.page.getByTestId('status-invalid').waitFor();
    await again.page.context().close();
    await partner.context().close();
  });
});

describe('the status page bundle', () => {
  test('holds no partner-app code: no partner screen text and no Partner Center calls', async () => {
    const html = await fetch(`${proxy.url}/status/${'ab'.repeat(32)}`).then((r) => r.text());
    const wasmPath = html.match(/\/cutover-status-[0-9a-f]{1,16}_bg\.wasm/)?.[0];
    assert.ok(wasmPath, 'status.html loads the status bundle');
    const wasm = Buffer.from(await fetch(`${proxy.url}${wasmPath}`).then((r) => r.arrayBuffer())).toString('latin1');
    // Strings that only partner screens and the partner API client use.
    for (const partnerOnly of ['/api/pc/', '/api/store/', 'Import / export', 'インポート / エクスポート']) {
      assert.ok(!wasm.includes(partnerOnly), `the status bundle contains ${partnerOnly}`);
    }
    assert.ok(wasm.includes('/api/public/status/'), 'control: the status bundle does hold its own API path');
    const app = await fetch(`${proxy.url}/`).then((r) => r.text());
    const appWasm = app.match(/\/cutover-[0-9a-f]{1,16}_bg\.wasm/)?.[0];
    const appBytes = Buffer.from(await fetch(`${proxy.url}${appWasm}`).then((r) => r.arrayBuffer())).toString('latin1');
    assert.ok(appBytes.includes('/api/pc/'), 'control: the partner bundle does call Partner Center');
  });
});
