// What a browser really downloads: open a page cold (fresh context, empty cache) through the
// proxy, keep every .wasm/.js/.css response it fetched, and size each one as the issue checks it
// (gzip level 9 of the decoded body; 1 KB = 1,000 bytes).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const ASSET = /\.(wasm|js|css)(\?|$)/;

/** gzip -9 size of a buffer. */
export const gz = (buf) => gzipSync(buf, { level: 9 }).length;

/**
 * Starts collecting the app assets `page` fetches: call before `goto`, await `done()` after the
 * page is ready. Resolves to { files: [{ name, raw, gz }], gz, raw }.
 */
export function collectAssets(page) {
  const pending = [];
  const seen = new Set();
  page.on('response', (res) => {
    const url = new URL(res.url());
    if (!ASSET.test(url.pathname) || seen.has(url.pathname)) return;
    seen.add(url.pathname);
    pending.push(res.body().then((b) => ({ name: url.pathname.slice(1), raw: b.length, gz: gz(b) }), () => null));
  });
  return {
    /** Everything fetched so far (and still arriving). */
    async done() {
      const files = (await Promise.all(pending)).filter(Boolean);
      return { files, gz: files.reduce((s, f) => s + f.gz, 0), raw: files.reduce((s, f) => s + f.raw, 0) };
    },
  };
}

/** Every app asset in a dist directory with its sizes, largest first. */
export function distAssets(dir) {
  return readdirSync(dir)
    .filter((f) => ASSET.test(f))
    .map((f) => { const b = readFileSync(path.join(dir, f)); return { name: f, raw: b.length, gz: gz(b) }; })
    .sort((a, b) => b.gz - a.gz);
}

/**
 * Installs (before any page script) a watcher that stores performance.now() in
 * `window.__painted[name]` after the first frame painted once `selector` exists
 * (requestAnimationFrame, then a task: the frame is on screen).
 */
export async function watchPaint(context, marks) {
  await context.addInitScript((marks) => {
    window.__painted = {};
    const check = () => {
      for (const [name, selector] of Object.entries(marks)) {
        if (window.__painted[name] === undefined && document.querySelector(selector)) {
          window.__painted[name] = null;
          requestAnimationFrame(() => setTimeout(() => { window.__painted[name] = performance.now(); }, 0));
        }
      }
    };
    new MutationObserver(check).observe(document, { subtree: true, childList: true });
  }, marks);
}

/** Waits for `window.__painted[name]` and returns it (ms after navigation start). */
export async function paintedAt(page, name, timeout = 60_000) {
  await page.waitForFunction((n) => typeof window.__painted?.[n] === 'number', name, { timeout });
  return page.evaluate((n) => window.__painted[n], name);
}
