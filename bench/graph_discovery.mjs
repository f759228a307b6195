// Measures (issue 12): the sandbox's start time at 1,000 and 10,000 customers, and discovery —
// reading every customer tenant's `directory/subscriptions` (all pages) and `subscribedSkus`
// through the proxy's /api/graph — for 1,000 customers, with the number of Graph calls made.
//
// Usage (after `cargo build --release -p cutover-proxy -p cutover-sandbox`):
//   node bench/graph_discovery.mjs [--customers 1000] [--concurrency 8] [--faults]
// --faults runs the sandbox with CUTOVER_SANDBOX_RATE_429=0.10, _RATE_5XX=0.05, _RETRY_AFTER=1
// (applies to Graph and Partner Center alike).
//
// Baselines are measured in the same run: the sandbox started with 0 customers, and one Partner
// Center read per customer (`GET /api/pc/v1/customers/{id}/subscriptions`) through the same proxy.
// Everything runs on 127.0.0.1; every loop is bounded.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startProxy, ROOT } from './lib/proxy.mjs';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const CUSTOMERS = opt('--customers', 1000);
const CONCURRENCY = opt('--concurrency', 8);
const FAULTS = args.includes('--faults');
const bin = (name) => path.join(process.env.CARGO_TARGET_DIR ?? path.join(ROOT, 'target'), 'release', name);

// ---------- sandbox start time ----------
async function sandboxStart(customers) {
  const t0 = performance.now();
  const child = spawn(bin('cutover-sandbox'), ['0'], {
    env: { PATH: process.env.PATH, CUTOVER_SANDBOX_CUSTOMERS: String(customers) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sandbox did not start: ${err}`)), 60_000);
    child.stderr.on('data', (d) => {
      err += d;
      const m = err.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
  });
  // The port is bound before the world is built: the first answer comes once it is ready.
  for (let i = 0; i < 6000; i++) {
    try {
      await fetch(`${url}/sandbox/ready-probe`);
      break;
    } catch { await new Promise((r) => setTimeout(r, 5)); }
  }
  const ms = performance.now() - t0;
  child.kill('SIGTERM');
  return ms;
}

async function best(n, f) {
  let b = Infinity;
  for (let i = 0; i < n; i++) b = Math.min(b, await f());
  return b;
}

// ---------- discovery through the proxy ----------
let graphCalls = 0;
let pcCalls = 0;
async function call(base, p, init = {}) {
  if (p.startsWith('/api/graph/')) graphCalls++; else if (p.startsWith('/api/pc/')) pcCalls++;
  for (let attempt = 0; attempt < 30; attempt++) {
    const r = await fetch(base + p, init);
    if (r.status === 429 || r.status === 502 || r.status === 504) {
      // The proxy already retried; it hands long waits to the app: wait as told, then try again.
      const wait = Number(r.headers.get('retry-after') ?? '1');
      await r.arrayBuffer();
      await new Promise((res) => setTimeout(res, Math.min(wait, 5) * 1000));
      if (p.startsWith('/api/graph/')) graphCalls++; else pcCalls++;
      continue;
    }
    return r;
  }
  throw new Error(`${p}: still failing after 30 tries`);
}

async function pool(items, n, f) {
  let next = 0;
  const workers = Array.from({ length: n }, async () => {
    while (next < items.length) {
      const i = next++;
      await f(items[i], i);
    }
  });
  await Promise.all(workers);
}

const REL = '/api/graph/v1.0/tenantRelationships/delegatedAdminRelationships';

async function main() {
  const rows = [];
  process.stderr.write('sandbox start times…\n');
  const base0 = await best(3, () => sandboxStart(0));
  const s1k = await best(3, () => sandboxStart(1000));
  const s10k = await best(3, () => sandboxStart(10000));
  rows.push(['Sandbox start, 1,000 customers (best of 3)', `${s1k.toFixed(0)} ms`, `${base0.toFixed(0)} ms (0 customers)`, (s1k / base0).toFixed(2)]);
  rows.push(['Sandbox start, 10,000 customers (best of 3)', `${s10k.toFixed(0)} ms`, `${base0.toFixed(0)} ms (0 customers)`, (s10k / base0).toFixed(2)]);

  const dist = mkdtempSync(path.join(tmpdir(), 'cutover-bench-dist-'));
  mkdirSync(dist, { recursive: true });
  writeFileSync(path.join(dist, 'index.html'), '<!DOCTYPE html><title>Cutover</title>');
  const env = { CUTOVER_SANDBOX_CUSTOMERS: String(CUSTOMERS), CUTOVER_SANDBOX_PROSPECTS: '0' };
  if (FAULTS) Object.assign(env, { CUTOVER_SANDBOX_RATE_429: '0.10', CUTOVER_SANDBOX_RATE_5XX: '0.05', CUTOVER_SANDBOX_RETRY_AFTER: '1' });
  const proxy = await startProxy(env, { dist });
  const base = proxy.url;
  try {
    process.stderr.write('listing customers and admin relationships…\n');
    const ids = [];
    let token = null;
    for (let page = 0; page < 1000; page++) {
      const q = token ? '?size=500&seekOperation=Next' : '?size=500';
      const r = await call(base, `/api/pc/v1/customers${q}`, { headers: token ? { 'MS-ContinuationToken': token } : {} });
      const body = await r.json();
      ids.push(...body.items.map((c) => c.id));
      token = body.continuationToken ?? null;
      if (!token) break;
    }
    const active = new Set();
    let query = '?$top=300';
    for (let page = 0; page < 1000; page++) {
      const r = await call(base, `${REL}${query}`);
      const body = await r.json();
      for (const rel of body.value) if (rel.status === 'active') active.add(rel.customer.tenantId);
      const next = body['@odata.nextLink'];
      if (!next) break;
      query = `?${next.split('?')[1]}`;
    }
    const seededActive = active.size;
    process.stderr.write(`${ids.length} customers, ${seededActive} with active admin access; granting the rest (setup, not timed)…\n`);
    await pool(ids.filter((id) => !active.has(id)), CONCURRENCY, async (id) => {
      const created = await (await call(base, REL, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          displayName: `Cutover bench ${id}`.slice(0, 50),
          duration: 'P730D',
          customer: { tenantId: id },
          accessDetails: { unifiedRoles: [{ roleDefinitionId: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451' }] },
          autoExtendDuration: 'P180D',
        }),
      })).json();
      await call(base, `${REL}/${created.id}/requests`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: 'lockForApproval' }),
      });
      await fetch(`${proxy.sandboxUrl}/sandbox/gdap/${created.id}/approve`, { method: 'POST' });
    });

    process.stderr.write('baseline: one Partner Center read per customer…\n');
    pcCalls = 0;
    let t = performance.now();
    await pool(ids, CONCURRENCY, async (id) => {
      const r = await call(base, `/api/pc/v1/customers/${id}/subscriptions`);
      if (r.status !== 200) throw new Error(`subscriptions of ${id}: ${r.status}`);
      await r.arrayBuffer();
    });
    const pcMs = performance.now() - t;
    const pcCount = pcCalls;

    process.stderr.write('discovery: directory/subscriptions (every page) + subscribedSkus per customer…\n');
    const stats = async () => (await fetch(`${proxy.sandboxUrl}/sandbox/stats`)).json();
    const before = await stats();
    graphCalls = 0;
    let subscriptions = 0;
    let skus = 0;
    let failed = 0;
    t = performance.now();
    await pool(ids, CONCURRENCY, async (id) => {
      let q = '';
      for (let page = 0; page < 100; page++) {
        const r = await call(base, `/api/graph/tenants/${id}/v1.0/directory/subscriptions${q}`);
        if (r.status !== 200) { failed++; await r.arrayBuffer(); return; }
        const body = await r.json();
        subscriptions += body.value.length;
        const next = body['@odata.nextLink'];
        if (!next) break;
        q = `?${next.split('?')[1]}`;
      }
      const r = await call(base, `/api/graph/tenants/${id}/v1.0/subscribedSkus`);
      if (r.status !== 200) { failed++; await r.arrayBuffer(); return; }
      // Await first: `skus += await …` would read `skus` before the await and lose updates.
      const found = (await r.json()).value.length;
      skus += found;
    });
    const graphMs = performance.now() - t;
    const after = await stats();
    const upstreamGraph = after.graphRequests - before.graphRequests;
    const upstreamTokens = after.tokenRequests - before.tokenRequests;
    rows.push([
      `Discovery, ${ids.length} customers${FAULTS ? ' (429 10 %, 5xx 5 %)' : ''}, concurrency ${CONCURRENCY}`,
      `${(graphMs / 1000).toFixed(2)} s`,
      `${(pcMs / 1000).toFixed(2)} s (one PC subscriptions read per customer, ${pcCount} calls)`,
      (graphMs / pcMs).toFixed(2),
    ]);
    rows.push([
      'Graph calls from the app for that discovery',
      String(graphCalls),
      `${ids.length * 2} (2 per customer if nothing paged or failed)`,
      (graphCalls / (ids.length * 2)).toFixed(2),
    ]);
    rows.push(['… Graph requests the sandbox answered (proxy retries included)', String(upstreamGraph), `${graphCalls} (calls from the app)`, (upstreamGraph / graphCalls).toFixed(2)]);
    rows.push(['… token requests during discovery', String(upstreamTokens), `${ids.length} (one per customer tenant)`, (upstreamTokens / ids.length).toFixed(2)]);
    rows.push(['… subscriptions / SKUs read, customers failed', `${subscriptions} / ${skus}, ${failed} failed`, '', '']);
    rows.push(['… customers with active admin access before setup', String(seededActive), '', '']);
  } finally {
    await proxy.stop();
  }
  console.log('| figure | measured | baseline (same run) | ratio |');
  console.log('|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
}

main().catch((e) => { console.error(e); process.exit(1); });
