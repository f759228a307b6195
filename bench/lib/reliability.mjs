// The reliability and security suite of issue 8 (see bench/README.md). Every loop is bounded in
// count and time, and every request goes to 127.0.0.1.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { rawRequest } from './http.mjs';
import { startProxy } from './proxy.mjs';
import { NotMeasured, ms, row } from './table.mjs';

const record = (value, name, extra = {}) => ({
  key: { kind: 'domain', value }, customerName: name, domain: value, originals: [], ...extra,
});
const put = (base, key, doc, headers, signal) => fetch(`${base}/api/store/records/${encodeURIComponent(key)}`, {
  method: 'PUT', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(doc), signal,
});

/** Fails with NotMeasured when the running proxy has no record store routes yet. */
async function requireStore(base) {
  const r = await fetch(`${base}/api/store/records`);
  if (r.status === 404) throw new NotMeasured('this proxy has no /api/store/records routes');
  if (!r.ok) throw new Error(`GET /api/store/records answered ${r.status}`);
}

function integrity(dbFile) {
  const q = 'PRAGMA integrity_check;';
  try {
    return execFileSync('sqlite3', [dbFile, q], { encoding: 'utf8', timeout: 60_000 }).trim();
  } catch (e) {
    if (e.code !== 'ENOENT') return `sqlite3 failed: ${e.message}`;
  }
  try {
    return execFileSync('python3', ['-c', `import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("${q}").fetchone()[0])`, dbFile], { encoding: 'utf8', timeout: 60_000 }).trim();
  } catch (e) {
    return `no sqlite3 or python3 to check the file (${e.message.split('\n')[0]})`;
  }
}

// ---------------------------------------------------------------- 1. crash safety
export async function crashSafety(cfg) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cutover-crash-'));
  const cycles = cfg.smoke ? 1 : 3;
  const writes = 1_000;
  let proxy = await startProxy({}, { dataDir });
  let acked = 0, lost = 0, torn = 0, failedOrCut = 0, listOk = true, listCount = 0;
  const integrityResults = [];
  const allAcked = [];
  try {
    await requireStore(proxy.url);
    for (let c = 0; c < cycles; c++) {
      const ctl = new AbortController();
      const killAfterAcks = [50, 300, 600][c];
      let acksThisCycle = 0;
      let killed = null;
      const kill = () => { killed ??= proxy.kill9(); return killed; };
      const jobs = Array.from({ length: writes }, (_, i) => {
        const key = `crash${c}-${i}.example`;
        const doc = record(key, `Crash ${c}/${i}`, { notes: `cycle ${c} write ${i}` });
        return put(proxy.url, key, doc, { 'If-None-Match': '*' }, ctl.signal)
          .then(async (r) => {
            if (r.status === 200) {
              await r.arrayBuffer();
              allAcked.push({ key, doc });
              acksThisCycle += 1;
              if (acksThisCycle === killAfterAcks) kill();
            } else { failedOrCut += 1; }
          })
          .catch(() => { failedOrCut += 1; });
      });
      const watchdog = setTimeout(kill, 20_000);
      let cap;
      await Promise.race([Promise.all(jobs), new Promise((r) => { cap = setTimeout(r, 60_000); })]);
      clearTimeout(cap);
      clearTimeout(watchdog);
      await kill();
      ctl.abort();
      proxy = await startProxy({}, { dataDir });
    }
    acked = allAcked.length;
    // Every acknowledged write must be there, byte for byte.
    for (let i = 0; i < allAcked.length; i += 50) {
      await Promise.all(allAcked.slice(i, i + 50).map(async ({ key, doc }) => {
        const r = await fetch(`${proxy.url}/api/store/records/${encodeURIComponent(key)}`);
        if (r.status !== 200) { lost += 1; return; }
        const got = await r.json();
        if (got.doc?.customerName !== doc.customerName || got.doc?.notes !== doc.notes) torn += 1;
      }));
    }
    const list = await fetch(`${proxy.url}/api/store/records`);
    listOk = list.ok;
    listCount = listOk ? (await list.json()).records.length : 0;
  } finally {
    await proxy.stop();
  }
  integrityResults.push(integrity(path.join(dataDir, 'cutover.sqlite3')));
  const intact = integrityResults.every((r) => r === 'ok');
  row(`Crash safety: acknowledged writes lost after kill -9 (${cycles} × ${writes} concurrent creates)`, lost + torn,
    `${acked} acknowledged, ${failedOrCut} cut off or refused`, null, '0 lost', lost + torn === 0 && acked > 0);
  row('  … database after the crashes', `integrity_check: ${integrityResults.join(', ')}`, `full GET list: ${listOk ? `${listCount} records` : 'failed'}`, null, 'ok, list works', intact && listOk && listCount >= acked);
}

// ---------------------------------------------------------------- 2. concurrency
export async function concurrency(cfg) {
  const proxy = await startProxy();
  try {
    await requireStore(proxy.url);
    const recordsN = 3, writers = cfg.smoke ? 10 : 25, attempts = cfg.smoke ? 5 : 10;
    let ok = 0, conflicts = 0, other = 0, silent = 0, badVersion = 0, staleAccepted = 0;
    const deadline = Date.now() + 120_000;
    for (let r = 0; r < recordsN; r++) {
      const key = `contended${r}.example`;
      const created = await put(proxy.url, key, record(key, `Contended ${r}`, { notes: '' }), { 'If-None-Match': '*' });
      if (created.status !== 200) throw new Error(`creating ${key} answered ${created.status}`);
      // A second create of the same record must be refused too.
      const again = await put(proxy.url, key, record(key, 'Again', { notes: 'overwrite' }), { 'If-None-Match': '*' });
      if (again.status === 200) staleAccepted += 1;
      const successes = [];
      await Promise.all(Array.from({ length: writers }, async (_, w) => {
        for (let a = 0; a < attempts && Date.now() < deadline; a++) {
          const cur = await fetch(`${proxy.url}/api/store/records/${key}`).then((x) => x.json());
          const token = `w${w}.${a}`;
          const doc = { ...cur.doc, notes: `${cur.doc.notes}|${token}` };
          const res = await put(proxy.url, key, doc, { 'If-Match': `"${cur.version}"` });
          if (res.status === 200) {
            const saved = await res.json();
            if (saved.version !== cur.version + 1) badVersion += 1;
            ok += 1; successes.push(token);
          } else if (res.status === 409) { conflicts += 1; await res.arrayBuffer(); }
          else { other += 1; await res.arrayBuffer(); }
        }
      }));
      // A write based on version 1 (long stale by now) must be refused.
      const stale = await put(proxy.url, key, record(key, 'Stale', { notes: 'stale' }), { 'If-Match': '"1"' });
      if (stale.status === 200) staleAccepted += 1;
      const final = await fetch(`${proxy.url}/api/store/records/${key}`).then((x) => x.json());
      const inFinal = final.doc.notes.split('|').filter(Boolean);
      // Every acknowledged write is in the final document, in order, and nothing else is.
      silent += successes.filter((t) => !inFinal.includes(t)).length;
      silent += inFinal.filter((t) => !successes.includes(t)).length;
      if (final.version !== 1 + successes.length) silent += Math.abs(final.version - 1 - successes.length);
    }
    row(`Concurrency: silent overwrites (${recordsN} records × ${writers} writers × ${attempts} read-modify-writes, If-Match)`, silent + staleAccepted + badVersion,
      `${ok} saved, ${conflicts} × 409${other ? `, ${other} other` : ''}`, null, '0 silent overwrites, stale → 409', silent + staleAccepted + badVersion === 0 && conflicts > 0);
  } finally {
    await proxy.stop();
  }
}

// ---------------------------------------------------------------- 3. Partner Center faults
export async function faults(cfg, h) {
  const customers = cfg.smoke ? 1_000 : 10_000;
  const proxy = await startProxy({
    CUTOVER_SANDBOX_CUSTOMERS: String(customers),
    CUTOVER_SANDBOX_RATE_429: '0.10', CUTOVER_SANDBOX_RATE_5XX: '0.05', CUTOVER_SANDBOX_RATE_MALFORMED: '0.02',
    CUTOVER_SANDBOX_LATENCY_MS: '20', CUTOVER_SANDBOX_RETRY_AFTER: '1',
  });
  const browser = await h.launchBrowser();
  try {
    const page = await h.openPage(browser);
    const panics = [];
    page.on('pageerror', (e) => panics.push(String(e)));
    page.on('console', (m) => { if (/panicked at|RuntimeError|unreachable/i.test(m.text())) panics.push(m.text()); });
    const t0 = Date.now();
    await page.goto(proxy.url);
    const status = page.getByTestId('load-status');
    const settled = () => page.waitForFunction(() => {
      const s = document.querySelector('[data-testid=load-status]')?.textContent ?? '';
      return (s && !/loading/i.test(s)) || document.querySelector('[role=alert]');
    }, null, { timeout: 240_000, polling: 200 });
    await settled();
    let retries = 0;
    const alerts = [];
    for (; retries < 20; retries++) {
      const alert = page.getByRole('alert');
      if (!(await alert.count())) break;
      alerts.push((await alert.first().innerText()).replace(/\s+/g, ' ').slice(0, 120));
      const retry = page.getByRole('button', { name: /retry/i });
      if (!(await retry.count())) break;
      await retry.first().click();
      await page.waitForTimeout(100);
      await settled();
    }
    const text = (await status.innerText()).trim();
    const loaded = Number((text.match(/[\d,.\u202f\s]*\d/)?.[0] ?? '0').replace(/\D/g, ''));
    const alertVisible = (await page.getByRole('alert').count()) > 0;
    const alertText = alertVisible ? (await page.getByRole('alert').first().innerText()).replace(/\s+/g, ' ').slice(0, 100) : '';
    const silentlyMissing = alertVisible ? 0 : Math.max(0, customers - loaded);
    row(`PC faults (10% 429, 5% 5xx, 2% malformed, +20 ms): panics in Chromium`, panics.length, null, null, '0 panics', panics.length === 0);
    row(`PC faults: customers silently missing (of ${customers.toLocaleString('en')})`, silentlyMissing,
      `loaded ${loaded.toLocaleString('en')} in ${((Date.now() - t0) / 1000).toFixed(1)} s, ${retries} Retry clicks${alertVisible ? `; alert: "${alertText}"` : ''}`,
      null, '0 (all loaded, or a visible alert)', silentlyMissing === 0 && (loaded === customers || alertVisible));
    if (alerts.length) row('  … alerts shown on the way (then Retry clicked)', alerts.length, alerts[0], null, '— (info)', null);
  } finally {
    await browser.close();
    await proxy.stop();
  }
}

// ---------------------------------------------------------------- 4. hostile CSV
export async function hostileCsv(cfg) {
  const files = cfg.smoke ? 2_000 : 10_000;
  const r = JSON.parse(execFileSync(path.join(cfg.toolsBin, 'csv_fuzz'), [String(files), '20260101'], { encoding: 'utf8', timeout: 600_000, maxBuffer: 1 << 24 }));
  row(`Hostile CSV: panics (${r.files.toLocaleString('en')} files, ${(r.bytes / 1e6).toFixed(0)} MB)`, r.panics + r.export_panics, `${Object.keys(r.kinds).length} kinds (valid, huge fields, bad rows, bad quotes, missing columns, wrong encodings, mutated, random bytes)`, null, '0 panics', r.panics + r.export_panics === 0);
  row('Hostile CSV: partial imports', r.partial_imports, `${r.imported_ok} imported whole, ${r.refused_with_errors} refused with errors`, null, '0 (all rows or errors only)', r.partial_imports === 0);
  row('Hostile CSV: exported cells a spreadsheet would run as formulas', r.unguarded_formula_cells, `${r.exports_checked} exports, ${r.guarded_cells} cells guarded with '`, null, '0', r.unguarded_formula_cells === 0);
  row('  … export → import round trip changed rows', r.roundtrip_mismatches, `slowest import ${ms(r.slowest_import_s * 1000)} (${r.slowest_kind})`, null, '0', r.roundtrip_mismatches === 0);
  if (r.examples.length) process.stderr.write(`bench: csv examples:\n  ${r.examples.join('\n  ')}\n`);
}

// ---------------------------------------------------------------- 5. security probes
const SECRETS = ['sandbox-client-secret', 'sandbox-refresh-token'];

export async function security(cfg, h) {
  // A copy of dist/ with a canary file beside it and the database next door, to catch traversal.
  const parent = mkdtempSync(path.join(tmpdir(), 'cutover-probe-'));
  const dist = path.join(parent, 'dist');
  cpSync(cfg.appDist, dist, { recursive: true });
  const canary = `canary-${Math.random().toString(36).slice(2)}`;
  writeFileSync(path.join(parent, 'canary.txt'), canary);
  const dataDir = path.join(parent, 'data');
  mkdirSync(dataDir);
  // A server no request may ever reach: foreign-host probes point at it.
  let foreignHits = 0;
  const foreign = createServer((req, res) => { foreignHits += 1; res.end('foreign'); });
  await new Promise((r) => foreign.listen(0, '127.0.0.1', r));
  const foreignHost = `127.0.0.1:${foreign.address().port}`;
  const proxy = await startProxy({}, { dataDir, dist });
  const responses = [];
  const keep = (label, r) => { responses.push({ label, ...r }); return r; };
  const get = async (label, p, headers) => keep(label, await rawRequest(proxy.url, `GET ${p} HTTP/1.1`, headers));
  let bypasses = 0;
  const bypassList = [];
  const bypass = (what) => { bypasses += 1; if (bypassList.length < 6) bypassList.push(what); };
  let probes = 0;
  try {
    // Ordinary traffic first, so its answers are searched for secrets too.
    const customers = await get('customers', '/api/pc/v1/customers?size=5');
    const pcId = JSON.parse(customers.body).items?.[0]?.id;
    await get('customer', `/api/pc/v1/customers/${pcId}`);
    await get('subscriptions', `/api/pc/v1/customers/${pcId}/subscriptions`);
    await get('skus', `/api/pc/v1/customers/${pcId}/subscribedskus`);
    await get('invitation', '/api/pc/v1/customers/relationshiprequests');
    await get('index', '/');
    await get('session', '/api/session');

    // Allow-list: nothing outside it is forwarded (forwarded answers carry MS-RequestId).
    const outside = [
      ['GET', '/api/pc/v1/invoices'], ['GET', `/api/pc/v1/customers/${pcId}/users`], ['DELETE', `/api/pc/v1/customers/${pcId}`],
      ['POST', '/api/pc/v1/customers'], ['GET', '/api/pc/v1/customers?size=5&$expand=all'], ['GET', '/api/pc/v2/customers'],
      ['GET', '/api/pc/v1/customers/../invoices'], ['GET', '/api/pc/v1/customers/%2e%2e/invoices'], ['GET', '/api/pc/v1/customers/..%2finvoices'],
      ['GET', `/api/pc/v1/customers/${pcId}%2fusers`], ['GET', `/api/pc/v1/customers/${pcId}/subscriptions/..%2f..%2fusers`],
      ['GET', '/api/pc//v1/invoices'], ['GET', '/api/pc/%2e%2e/%2e%2e/sandbox/prospects'], ['GET', '/api/pc/../../sandbox/prospects'],
      ['GET', `/api/pc/v1/customers/${pcId}%00/users`], ['PATCH', '/api/pc/v1/customers'], ['GET', '/api/pc/sandbox/prospects'],
      ['POST', '/api/pc/sandbox/prospects/x.example/accept'], ['GET', '/api/pc/SANDBOX-PARTNER/oauth2/token'], ['POST', '/api/pc/sandbox-partner/oauth2/token'],
    ];
    for (const [method, p] of outside) {
      probes += 1;
      const r = keep(`${method} ${p}`, await rawRequest(proxy.url, `${method} ${p} HTTP/1.1`, method === 'GET' ? {} : { 'Content-Type': 'application/json' }, method === 'GET' ? '' : '{}'));
      if ((r.status >= 200 && r.status < 300) || r.headers['ms-requestid']) bypass(`${method} ${p} → ${r.status}${r.headers['ms-requestid'] ? ' (forwarded)' : ''}`);
    }
    // Foreign hosts: absolute-form targets, Host and forwarding headers, hosts inside the path.
    const hostProbes = [
      [`GET http://${foreignHost}/v1/customers HTTP/1.1`, { Host: foreignHost }],
      [`GET http://${foreignHost}/api/pc/v1/customers HTTP/1.1`, { Host: foreignHost }],
      ['GET /api/pc/v1/customers HTTP/1.1', { Host: foreignHost }],
      ['GET /api/pc/v1/customers HTTP/1.1', { 'X-Forwarded-Host': foreignHost, Forwarded: `host=${foreignHost}` }],
      [`GET /api/pc/http://${foreignHost}/v1/customers HTTP/1.1`, {}],
      [`GET /api/pc/http:%2f%2f${foreignHost}/v1/customers HTTP/1.1`, {}],
      [`GET /api/pc//${foreignHost}/v1/customers HTTP/1.1`, {}],
      [`GET /api/pc/@${foreignHost}/v1/customers HTTP/1.1`, {}],
      [`GET /api/pc/v1/customers?size=5&x=@${foreignHost} HTTP/1.1`, {}],
      [`GET //${foreignHost}/ HTTP/1.1`, {}],
      ['GET / HTTP/1.1', { Host: foreignHost }],
    ];
    for (const [line, headers] of hostProbes) {
      probes += 1;
      const r = keep(line, await rawRequest(proxy.url, line, headers));
      const loc = r.headers.location ?? '';
      if (loc.includes(foreignHost)) bypass(`${line} redirected to ${loc}`);
    }
    // Static files: traversal out of dist/ (canary beside it, the database, /etc/passwd).
    const targets = ['canary.txt', 'data/cutover.sqlite3', '../../../../../../etc/passwd'];
    const forms = [(t) => `/../${t}`, (t) => `/%2e%2e/${t}`, (t) => `/..%2f${t.replaceAll('/', '%2f')}`, (t) => `/%2e%2e%2f${t}`,
      (t) => `/%252e%252e/${t}`, (t) => `/....//${t}`, (t) => `/..\\${t}`, (t) => `/.%2e/${t}`, (t) => `/favicon.svg/../../${t}`,
      (t) => `/%c0%ae%c0%ae/${t}`, (t) => `/static/%2e%2e/%2e%2e/${t}`, (t) => `/%2e%2e%5c${t}`];
    for (const t of targets) for (const f of forms) {
      probes += 1;
      const p = f(t);
      const r = keep(`static ${p}`, await rawRequest(proxy.url, `GET ${p} HTTP/1.1`));
      if (r.body.includes(canary) || r.body.includes('SQLite format 3') || /root:.*:0:0:/.test(r.body)) bypass(`GET ${p} → ${r.status} served a file outside dist/`);
    }

    // Share links: guessed, truncated, altered, revoked, expired tokens all get the same 404.
    const storeOk = (await fetch(`${proxy.url}/api/store/records`)).status !== 404
      && (await fetch(`${proxy.url}/api/public/status/x`)).headers.get('content-type')?.includes('json');
    let tokenProbes = 0, tokenBypass = 0, controlOk = false, distinctBodies = new Set(), tokenLimited = 0, limitAfter = null;
    let xss = null;
    if (storeOk) {
      const key = 'share-probe.example';
      await put(proxy.url, key, record(key, 'Share probe'), { 'If-None-Match': '*' });
      const mk = async (body = {}) => (await fetch(`${proxy.url}/api/store/records/${key}/links`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json();
      const good = await mk();
      const revoked = await mk();
      const soon = new Date(Date.now() + 2_000).toISOString().replace(/\.\d+Z$/, 'Z');
      const expiring = await mk({ expiresAt: soon });
      const del = await fetch(`${proxy.url}/api/store/records/${key}/links/${revoked.link.id}`, { method: 'DELETE' });
      if (del.status !== 204) throw new Error(`revoking a link answered ${del.status}`);
      const control = await get('status (valid token)', `/api/public/status/${good.token}`);
      controlOk = control.status === 200;
      await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(soon) - Date.now() + 1_200)));
      const t = good.token;
      const hex = () => Array.from({ length: t.length }, () => '0123456789abcdef'[Math.floor(Math.random() * 16)]).join('');
      const bad = [
        ...Array.from({ length: cfg.smoke ? 50 : 300 }, hex),
        t.slice(0, -1), t.slice(0, t.length / 2), t.slice(0, 8), `${t}0`, `${t}${t}`, t.slice(1), `${t.slice(0, -1)}${t.at(-1) === '0' ? '1' : '0'}`,
        t.toUpperCase(), `${t}%00`, `${t}%20`, `../${t}`, `%2e%2e%2f${t}`, `${t}/..`, '', ' ', '*', '%', 'null', 'undefined', '0'.repeat(t.length),
        revoked.token, expiring.token, good.link.id, revoked.link.id,
      ];
      // The public routes are rate limited per client address (a defence of its own); each probe
      // batch comes from its own loopback address so that every token is really looked up.
      let limited = 0;
      for (const [i, b] of bad.entries()) {
        for (const suffix of ['', '/feed.atom']) {
          tokenProbes += 1;
          const from = `127.0.${1 + Math.floor(i / 10)}.${1 + (i % 10)}`;
          const r = keep(`status ${b}${suffix}`, await rawRequest(proxy.url, `GET /api/public/status/${b}${suffix} HTTP/1.1`, {}, '', 10_000, from));
          if (r.status === 429) limited += 1;
          if (r.status === 200) {
            // The upper-case spelling of the valid token is the same token, not a bypass.
            if (b === t.toUpperCase() && /^[0-9a-f]+$/.test(t)) continue;
            tokenBypass += 1;
            bypass(`status token "${b.slice(0, 20)}…${suffix}" → 200`);
          } else if (r.status === 404) distinctBodies.add(r.body);
        }
      }
      tokenLimited = limited;
      // The limit itself: 60 quick guesses from one fresh address.
      for (let i = 0; i < 60; i++) {
        const r = await rawRequest(proxy.url, `GET /api/public/status/${hex()} HTTP/1.1`, {}, '', 10_000, '127.0.200.1');
        if (r.status === 429) { limitAfter ??= i; }
      }
      xss = await scriptPayloads(cfg, h, proxy, pcId);
    }
    // Secrets in any response, headers included.
    let leaks = 0;
    const leakList = [];
    for (const r of responses) {
      const text = r.raw ?? '';
      for (const s of SECRETS) if (text.includes(s)) { leaks += 1; leakList.push(`${s} in ${r.label}`); }
      if (/Bearer\s+ey|"access_token"|"refresh_token"/i.test(text)) { leaks += 1; leakList.push(`token in ${r.label}`); }
    }
    row(`Security: secrets in responses (${responses.length} responses, headers + bodies)`, leaks, `searched for ${SECRETS.join(', ')}, bearer/refresh tokens`, null, '0 leaks', leaks === 0);
    row(`Security: allow-list, foreign-host and traversal probes that got through`, bypasses - tokenBypass, `${probes} probes; foreign server hit ${foreignHits}×`, null, '0 bypasses', bypasses - tokenBypass === 0 && foreignHits === 0);
    if (bypassList.length) row('  … first bypasses', bypassList.join('; '), null, null, '—', false);
    if (storeOk) {
      row('Security: share tokens guessed/truncated/altered/revoked/expired that opened a page', tokenBypass, `${tokenProbes} probes (${tokenLimited} rate-limited); valid token ${controlOk ? 'opens' : 'DOES NOT open'} the page; ${distinctBodies.size} distinct 404 bodies; one address limited after ${limitAfter ?? 'never (60)'} guesses`, null, '0 bypasses', tokenBypass === 0 && controlOk);
      row(`Security: script payloads executed in Chromium (${xss.payloads} payloads × ${xss.fields} fields, ${xss.pages} pages)`, xss.rendered ? xss.executed : `${xss.executed} (no page showed a payload: are the record pages built?)`,
        `${xss.rendered} payload texts rendered as text; ${xss.injected} injected elements`, null, '0 executed', xss.executed === 0 && xss.injected === 0 && xss.rendered > 0);
    } else {
      row('Security: share tokens / script payloads', 'not measured: this proxy has no store or /api/public routes', null, null, null, null);
    }
  } finally {
    await proxy.stop();
    await new Promise((r) => foreign.close(r));
  }
}

/** Records full of script payloads, rendered on the partner's and the customer's pages. */
async function scriptPayloads(cfg, h, proxy, pcId) {
  const payloads = [
    '<img src=x onerror="window.__xss=(window.__xss||0)+1">',
    '<script>window.__xss=(window.__xss||0)+1</script>',
    '"><svg onload="window.__xss=(window.__xss||0)+1">',
    "'><iframe srcdoc=\"<script>parent.__xss=(parent.__xss||0)+1</script>\">",
    'javascript:window.__xss=(window.__xss||0)+1',
    '{{constructor.constructor(\'window.__xss=1\')()}}',
  ];
  const mkOriginal = (p, i) => ({
    id: `o${i}`, offerId: p, offerName: `Offer ${p}`, seats: 5, endDate: '2027-03-31', channel: 'direct', autoRenew: true,
    price: { perSeatPerMonth: '12.5', currency: 'USD' }, target: { offerId: p, offerName: `Target ${p}` },
  });
  const docs = [];
  // A record keyed by a Partner Center customer (the partner's customer page), and prospects.
  if (pcId) docs.push({ key: { kind: 'pcCustomerId', value: pcId }, customerName: `PC ${payloads[0]}`, domain: 'pc-xss.example', notes: payloads.join('\n'), originals: payloads.map(mkOriginal) });
  payloads.forEach((p, i) => docs.push({ key: { kind: 'domain', value: `xss${i}.example` }, customerName: `Name ${p}`, domain: `xss${i}.example`, notes: `Notes ${p}`, originals: [mkOriginal(p, i)] }));
  const pages = [];
  for (const d of docs) {
    const res = await put(proxy.url, d.key.value, d, { 'If-None-Match': '*' });
    if (res.status !== 200) throw new Error(`saving a record with payloads answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    const link = await (await fetch(`${proxy.url}/api/store/records/${encodeURIComponent(d.key.value)}/links`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json();
    pages.push(`/status/${link.token}`);
    if (d.key.kind === 'pcCustomerId') pages.push(`/customers/${pcId}`);
  }
  pages.push('/');
  const browser = await h.launchBrowser();
  let executed = 0, injected = 0, rendered = 0;
  try {
    for (const p of pages) {
      const page = await h.openPage(browser);
      let dialogs = 0;
      page.on('dialog', (d) => { dialogs += 1; d.dismiss().catch(() => {}); });
      await page.goto(`${proxy.url}${p}`);
      await page.waitForLoadState('networkidle', { timeout: 30_000 }).catch(() => {});
      await page.waitForTimeout(1_000);
      const r = await page.evaluate(() => ({
        xss: window.__xss ?? 0,
        injected: document.querySelectorAll('main img[src="x"], main [onerror], main [onload], main script, main iframe[srcdoc], main svg[onload]').length,
        text: document.body.innerText,
      }));
      executed += r.xss + dialogs;
      injected += r.injected;
      rendered += payloads.filter((x) => r.text.includes(x)).length;
      await page.context().close();
    }
  } finally {
    await browser.close();
  }
  return { payloads: payloads.length, fields: 6, pages: pages.length, executed, injected, rendered };
}
