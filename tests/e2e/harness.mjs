// Shared pieces of the browser journeys: start the real proxy (with its embedded sandbox) on a
// free loopback port, launch Debian's Chromium through playwright-core, keep screenshots.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const ARTIFACTS = path.join(ROOT, 'artifacts', 'screenshots');
mkdirSync(ARTIFACTS, { recursive: true });

// The debug build cargo test already made; override with CUTOVER_PROXY_BIN (e.g. a release build).
const PROXY = process.env.CUTOVER_PROXY_BIN || path.join(ROOT, 'target', 'debug', 'cutover-proxy');

/** Starts cutover-proxy on 127.0.0.1:<free port>; resolves once it prints its address. */
export async function startProxy(env = {}) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cutover-e2e-'));
  const child = spawn(PROXY, [], {
    env: {
      PATH: process.env.PATH,
      CUTOVER_LISTEN: '127.0.0.1:0',
      CUTOVER_DIST: path.join(ROOT, 'dist'),
      CUTOVER_DATA_DIR: dataDir,
      // Journeys start from an empty store; the first-run plans have a journey of their own.
      CUTOVER_SANDBOX_FIRST_RUN: 'empty',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`proxy did not start in 20 s: ${stderr}`)), 20_000);
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/Cutover is running on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`proxy exited (${code}): ${stderr}`)); });
  });
  return {
    url,
    dataDir,

    stderr: () => stderr,
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', resolve);
      child.kill('SIGTERM');
    }),
  };
}

/** Launches headless Chromium quietly on this closed network. */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage',
    ],
    // playwright gives every launch a fresh, empty profile directory of its own.
    headless: true,
  });
}

/** A page that records console errors and uncaught exceptions (a wasm panic shows up here). */
export async function openPage(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // A single-record GET answers 404 for "no record yet": Chromium logs it, the app expects it.
    const url = m.location()?.url || '';
    if (/status of 404/.test(m.text()) && /\/api\/store\/records\/[^/?]+$/.test(url)) return;
    page.errors.push(`${m.text()} ${url}`.trim());
  });
  return page;
}

export async function screenshot(page, name) {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** The app's page sizes (src/api/mod.rs; lazy_screens.test.mjs checks the app asks for these): a
 * first page of 100 to paint soon, then pages of 500. */
export const CUSTOMER_PAGE_SIZES = { first: 100, next: 500 };

/** Walks every page of the customer collection through the proxy, as the app does. */
export async function fetchAllCustomers(baseUrl) {
  const all = [];
  let token = null;
  let requests = 0;
  for (let i = 0; i < 1000; i++) {
    const size = token ? CUSTOMER_PAGE_SIZES.next : CUSTOMER_PAGE_SIZES.first;
    const url = `${baseUrl}/api/pc/v1/customers?size=${size}${token ? '&seekOperation=Next' : ''}`;
    requests += 1;
    const res = await fetch(url, { headers: token ? { 'MS-ContinuationToken': token } : {} });
    if (!res.ok) throw new Error(`${url} answered ${res.status}`);
    const body = await res.json();
    all.push(...body.items);
    token = body.continuationToken
      || body.links?.next?.headers?.find((h) => h.key === 'MS-ContinuationToken')?.value
      || null;
    if (!token) return { total: body.totalCount, items: all, requests };
  }
  throw new Error('the customer collection never ended');
}
