// The proxy's HTTP contract as a browser or a curious user meets it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startProxy } from './harness.mjs';

let proxy;
before(async () => { proxy = await startProxy(); });
after(async () => { await proxy?.stop(); });

test('customers come back in the Partner Center wire format', async () => {
  const res = await fetch(`${proxy.url}/api/pc/v1/customers?size=5`);
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.items.length, 5);
  assert.equal(body.attributes.objectType, 'Collection');
  assert.ok(body.items[0].companyProfile.domain);
  assert.match(res.headers.get('ms-requestid') ?? '', /^[0-9a-f-]{36}$/);
});

test('calls outside the allow-list are refused with a sentence', async () => {
  for (const [method, path] of [['GET', '/api/pc/v1/invoices'], ['DELETE', '/api/pc/v1/customers/abc'],
    ['GET', '/api/pc/v1/customers/abc/users'], ['GET', '/api/pc/v1/customers?size=1&host=evil.example']]) {
    const res = await fetch(`${proxy.url}${path}`, { method });
    assert.equal(res.status, 403, `${method} ${path}`);
    const body = await res.json();
    assert.equal(body.code, 'not_allowed');
    assert.ok(body.message.endsWith('.'));
  }
  const res = await fetch(`${proxy.url}/api/nothing-here`);
  assert.equal(res.status, 404);
  assert.equal((await res.json()).code, 'not_found');
});

test('index.html is revalidated, hashed assets are immutable and compressed', async () => {
  const index = await fetch(`${proxy.url}/`, { headers: { 'accept-encoding': 'gzip' } });
  assert.equal(index.headers.get('cache-control'), 'no-cache');
  const csp = index.headers.get('content-security-policy') ?? '';
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/]+=*'/, 'only the hashed loader script may run inline');
  assert.match(csp, /frame-ancestors 'none'/);
  assert.equal(index.headers.get('x-content-type-options'), 'nosniff');
  const html = await index.text();
  const wasm = html.match(/\/cutover-[0-9a-f]{12,16}_bg\.wasm/)?.[0];
  assert.ok(wasm, 'index.html references the hashed wasm');
  const asset = await fetch(`${proxy.url}${wasm}`, { headers: { 'accept-encoding': 'gzip' } });
  assert.equal(asset.status, 200);
  assert.match(asset.headers.get('cache-control'), /immutable/);
  assert.equal(asset.headers.get('content-encoding'), 'gzip');
  const deep = await fetch(`${proxy.url}/customers/anything`);
  assert.equal(deep.status, 200);
  assert.match(deep.headers.get('content-type'), /text\/html/);
  const traversal = await fetch(`${proxy.url}/..%2f..%2fCargo.toml`);
  assert.ok(!(await traversal.text()).includes('[workspace]'), 'no file outside dist/ is served');
});
