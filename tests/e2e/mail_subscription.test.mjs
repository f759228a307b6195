// E-mail updates on the status page, in a browser: a Japanese customer subscribes through the
// form, the confirmation mail reaches a real SMTP server (aiosmtpd on loopback) in Japanese, its
// link confirms in one press, and the partner sees the subscriber on the customer page and
// removes it. Skips (saying so) without aiosmtpd, unless CUTOVER_REQUIRE_PYTHON_TESTS=1.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ROOT, launchBrowser, openPage, screenshot } from './harness.mjs';
import { createLink, isoDay, seedRecord, startProxyWithDist } from './status_helpers.mjs';
import { a11yContext, axeViolations, overflowing, pageWidth } from './a11y_helpers.mjs';

const PYTHON = process.env.CUTOVER_TEST_PYTHON
  || [path.join(ROOT, 'target', 'test-python', 'bin', 'python3')].find(existsSync)
  || 'python3';
const READ_MAILDIR = path.join(ROOT, 'proxy', 'tests', 'support', 'read_maildir.py');
const HAS_SMTP = spawnSync(PYTHON, ['-c', 'import aiosmtpd']).status === 0;
if (!HAS_SMTP && process.env.CUTOVER_REQUIRE_PYTHON_TESTS === '1') {
  throw new Error(`${PYTHON} cannot import aiosmtpd: run scripts/setup --for-tests`);
}
const DOMAIN = 'mail-e2e.example';
const NAME = '株式会社メール通知';

/** A free loopback port (taken, then released for the server to take). */
function freePort() {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPort(port) {
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on ${port}`);
}

/** Every mail in the Maildir, decoded by Python's own mail parser. */
function mails(maildir) {
  const out = spawnSync(PYTHON, [READ_MAILDIR, maildir], { encoding: 'utf8' });
  if (out.status !== 0) return [];
  return JSON.parse(out.stdout);
}

async function waitForMail(maildir, keep) {
  for (let i = 0; i < 200; i++) {
    const found = mails(maildir).filter(keep);
    if (found.length) return found[0];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the mail did not arrive');
}

describe('e-mail updates on a Japanese status page', { skip: HAS_SMTP ? false : 'aiosmtpd is not installed' }, () => {
  let browser;
  let proxy;
  let smtp;
  let maildir;
  let token;
  /** The confirmation and unsubscribe pages' addresses, from the confirmation mail. */
  let mailPages = [];

  before(async () => {
    maildir = path.join(mkdtempSync(path.join(tmpdir(), 'cutover-e2e-mail-')), 'Maildir');
    const smtpPort = await freePort();
    smtp = spawn(PYTHON, ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${smtpPort}`, '-c', 'aiosmtpd.handlers.Mailbox', maildir],
      { stdio: 'ignore' });
    await waitForPort(smtpPort);
    const port = await freePort();
    proxy = await startProxyWithDist({
      CUTOVER_LISTEN: `127.0.0.1:${port}`,
      CUTOVER_PUBLIC_URL: `http://127.0.0.1:${port}`,
      CUTOVER_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      CUTOVER_PARTNER_NAME: 'コントソ CSP',
    });
    await seedRecord(proxy.url, DOMAIN, {
      key: { kind: 'domain', value: DOMAIN },
      customerName: NAME,
      domain: DOMAIN,
      originals: [{
        id: 'o1', offerName: 'Microsoft 365 Business Standard', seats: 20, endDate: isoDay(60),
        channel: 'direct', autoRenew: true,
      }],
    });
    ({ token } = await createLink(proxy.url, DOMAIN));
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await proxy?.stop();
    smtp?.kill();
  });

  test('subscribing brings a Japanese confirmation mail, and its link confirms', async () => {
    const page = await openPage(browser, { locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
    await page.goto(`${proxy.url}/status/${token}`);
    const form = page.getByTestId('mail-subscribe');
    await form.waitFor({ timeout: 20_000 });
    assert.match(await form.locator('h2').innerText(), /メールで通知を受け取る/);
    await page.getByTestId('mail-address').fill('not-an-address');
    await page.getByTestId('mail-submit').click();
    await page.getByTestId('mail-invalid').waitFor();
    await page.getByTestId('mail-address').fill('it@mail-e2e.example');
    await page.getByTestId('mail-submit').click();
    const sent = page.getByTestId('mail-sent');
    await sent.waitFor();
    assert.match(await sent.innerText(), /受信トレイを確認してください/);
    await screenshot(page, 'status-mail-subscribed-ja');

    const mail = await waitForMail(maildir, (m) => m.to === 'it@mail-e2e.example');
    assert.match(mail.subject, /^メール通知の確認: 株式会社メール通知: CSP への移行/);
    assert.match(mail.from, /コントソ CSP/);
    assert.match(mail.listUnsubscribe, /\/api\/public\/mail\/unsubscribe\/[0-9a-f]{64}>$/);
    assert.equal(mail.listUnsubscribePost, 'List-Unsubscribe=One-Click');
    const confirm = mail.text.split('\n').find((l) => l.includes('/api/public/mail/confirm/')).trim();
    assert.ok(confirm.startsWith(proxy.url), confirm);
    mailPages = [['mail-confirm-page', confirm], ['mail-unsubscribe-page', mail.listUnsubscribe.replace(/^.*</, '').replace(/>$/, '')]];

    await page.goto(confirm);
    await page.getByRole('button', { name: '確認する' }).click();
    await page.getByText('購読を開始しました').waitFor();
    await screenshot(page, 'status-mail-confirmed-ja');
    await page.context().close();
  });

  // The e-mail form (shown only when mail is configured) and the partner's subscriber panel pass
  // axe-core in English and Japanese on a wide screen and a phone, and never scroll sideways.
  test('the e-mail form and the subscriber panel pass axe in both languages at 1280 and 375 px', async () => {
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
        await page.goto(`${proxy.url}/status/${token}`);
        await page.getByTestId('mail-subscribe').waitFor({ timeout: 20_000 });
        await check('status-mail-form');
        await page.goto(`${proxy.url}/customers/${DOMAIN}`);
        await page.getByTestId('subscribers').locator('tbody tr').first().waitFor({ timeout: 30_000 });
        await check('customer-subscribers');
        // The one-button pages the mail links to (served by the proxy, not the app).
        for (const [name, url] of mailPages) {
          await page.goto(url);
          await page.locator('h1').waitFor();
          await check(name);
        }
        await context.close();
      }
    }
    assert.equal(mailPages.length, 2, 'the confirmation mail gave both pages');
    assert.deepEqual(problems, [], problems.join('\n'));
  });

  test('the partner sees the subscriber on the customer page and removes it', async () => {
    const page = await openPage(browser, { locale: 'en-US' });
    await page.goto(`${proxy.url}/customers/${DOMAIN}`);
    const panel = page.getByTestId('subscribers');
    await panel.waitFor({ timeout: 30_000 });
    const row = panel.locator('tbody tr').first();
    await row.waitFor();
    assert.match(await row.innerText(), /it@mail-e2e\.example/);
    assert.match(await row.innerText(), /日本語/);
    assert.match(await row.innerText(), /Confirmed/);
    await screenshot(page, 'customer-subscribers');
    await row.getByTestId('subscriber-remove').click();
    await panel.getByTestId('subscriber-remove-confirm').click();
    await panel.getByTestId('subscribers-empty').waitFor();
    const left = await fetch(`${proxy.url}/api/store/records/${DOMAIN}/subscribers`).then((r) => r.json());
    assert.deepEqual(left.subscribers, []);
    await page.context().close();
  });
});
