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
 * Waiting without polling: Playwright's `waitForFunction` injects its helper script into the page
 * and runs the predicate every frame, which costs the page it measures 10–40 ms of main-thread time
 * during a cold load. Instead the page calls a binding (`window.__benchMark(name, value)`), and node
 * awaits [`marked`]. Bindings are per context; each page keeps its own marks.
 */
const marks = new WeakMap();
function mark(page, name) {
  let m = marks.get(page);
  if (!m) marks.set(page, (m = new Map()));
  let s = m.get(name);
  if (!s) {
    let resolve;
    s = { promise: new Promise((r) => { resolve = r; }), resolve };
    m.set(name, s);
  }
  return s;
}

/** Lets pages in `context` report marks with `window.__benchMark(name, value)`. */
export async function exposeMarks(context) {
  await context.exposeBinding('__benchMark', ({ page }, name, value) => { mark(page, name).resolve(value); });
}

/** Resolves to the value the page reports for `name`, whenever that is (no time limit). */
export function onMark(page, name) {
  return mark(page, name).promise;
}

/** Resolves to the value the page reported for `name`, or fails after `timeout` ms. */
export async function marked(page, name, timeout = 60_000) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no "${name}" from the page in ${timeout} ms`)), timeout);
  });
  try {
    return await Promise.race([mark(page, name).promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Installs (before any page script) a watcher that reports performance.now() as mark `name`
 * after the first frame painted once `selector` exists (requestAnimationFrame, then a task: the
 * frame is on screen).
 */
export async function watchPaint(context, selectors) {
  await exposeMarks(context);
  await context.addInitScript((selectors) => {
    const seen = new Set();
    const check = () => {
      for (const [name, selector] of Object.entries(selectors)) {
        if (!seen.has(name) && document.querySelector(selector)) {
          seen.add(name);
          requestAnimationFrame(() => setTimeout(() => window.__benchMark(name, performance.now()), 0));
        }
      }
    };
    new MutationObserver(check).observe(document, { subtree: true, childList: true });
  }, selectors);
}

/** When `name` was painted (ms after navigation start); see [`watchPaint`]. */
export function paintedAt(page, name, timeout = 60_000) {
  return marked(page, name, timeout);
}
