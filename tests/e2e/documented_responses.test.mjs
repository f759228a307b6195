// Partner Center's documented example responses, replayed to the real proxy in real mode (its
// Partner Center client, token handling and allow-list are the ones a partner runs): every
// customer, subscription and licence in them is visible, nothing is dropped silently, and a body
// that names another customer than the one asked for is an error under which nothing is saved.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ROOT, launchBrowser, openPage, screenshot } from './harness.mjs';
import { getJson, startPartnerProxy } from './partner_helpers.mjs';

const DOCS = path.join(ROOT, 'plan', 'tests', 'fixtures', 'partner-center');
const doc = (name) => readFileSync(path.join(DOCS, name), 'utf8');
const DOC_ID = 'b44bb1fb-c595-45b0-9e09-d657365580bf';
const ASKED = '0f9d1c55-1111-4222-8333-944455556666';

/**
 * Answers like Partner Center's documentation shows: the token endpoint, the customer list, one
 * customer, its subscriptions and licences. With `echo`, the customer body names the id asked for.
 */
function startDocumentedPartnerCenter({ echo }) {
  const list = JSON.stringify({
    totalCount: 1,
    items: [JSON.parse(doc('customer.json').replaceAll(DOC_ID, ASKED))],
    links: { self: { uri: '/v1/customers?size=100', method: 'GET', headers: [] } },
    attributes: { objectType: 'Collection' },
  });
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const send = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
    };
    if (req.method === 'POST' && /\/oauth2\/(v2\.0\/)?token$/.test(url.pathname)) {
      return send(200, JSON.stringify({ token_type: 'Bearer', expires_in: '3600', access_token: 'documented-token' }));
    }
    if (req.headers.authorization !== 'Bearer documented-token') return send(401, '{"code":"401","description":"no token"}');
    const p = url.pathname;
    if (p === '/v1/customers') return send(200, list);
    if (p === `/v1/customers/${ASKED}`) return send(200, echo ? doc('customer.json').replaceAll(DOC_ID, ASKED) : doc('customer.json'));
    if (p === `/v1/customers/${ASKED}/subscriptions`) return send(200, doc('subscriptions-legacy.json'));
    if (p === `/v1/customers/${ASKED}/subscribedskus`) return send(200, doc('subscribedskus.json'));
    // Documented shapes of the calls the customer page also makes.
    if (p === `/v1/customers/${ASKED}/agreements`) {
      return send(200, JSON.stringify({ totalCount: 1, items: [{ primaryContact: { firstName: 'Ann', lastName: 'Lee', email: 'ann@contoso.example' }, templateId: '117a77b0-9360-443b-8795-c6dedc750cf9', dateAgreed: '2026-06-01T00:00:00Z', type: 'MicrosoftCustomerAgreement', agreementLink: 'https://aka.ms/customeragreement' }], attributes: { objectType: 'Collection' } }));
    }
    if (p === '/v1.0/tenantRelationships/delegatedAdminRelationships') {
      return send(200, JSON.stringify({ '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#tenantRelationships/delegatedAdminRelationships', value: [] }));
    }
    if (p === '/v1/customers/relationshiprequests') {
      return send(200, '{"url":"https://admin.microsoft.com/Adminportal/Home?invType=ResellerRelationship","attributes":{"objectType":"RelationshipRequest"}}');
    }
    return send(404, '{"code":"404","description":"not in the documented examples"}');
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() }));
  });
}

for (const echo of [false, true]) {
  describe(`documented responses ${echo ? 'with the asked id echoed' : 'as documented (another id in the body)'}`, () => {
    let browser;
    let pc;
    let proxy;
    before(async () => {
      browser = await launchBrowser();
      pc = await startDocumentedPartnerCenter({ echo });
      proxy = await startPartnerProxy({
        CUTOVER_PC_MODE: 'real',
        CUTOVER_PC_TENANT_ID: 'partner-tenant',
        CUTOVER_PC_CLIENT_ID: 'app',
        CUTOVER_PC_CLIENT_SECRET: 'documented-secret',
        CUTOVER_PC_REFRESH_TOKEN: 'documented-refresh',
        CUTOVER_PC_API_BASE: pc.url,
        CUTOVER_PC_AUTH_BASE: pc.url,
        CUTOVER_GRAPH_API_BASE: pc.url,
      });
    });
    after(async () => {
      await browser?.close();
      await proxy?.stop();
      pc?.close();
    });

    test('every subscription and licence is shown, with what Partner Center did not send', async () => {
      const page = await openPage(browser);
      await page.goto(`${proxy.url}/customers/${ASKED}`);
      const subs = page.getByTestId('pc-subscriptions');
      await subs.getByText('AAD Basic').waitFor({ timeout: 20_000 });
      assert.match(await subs.innerText(), /91FD106F-4B2C-4938-95AC-F54F74E9A239/);
      assert.match(await subs.getByTestId('not-sent').innerText(), /37[\s\S]*1[\s\S]*36/);
      const licences = page.getByTestId('licences');
      assert.equal(await licences.getByTestId('licence').count(), 2);
      const text = await licences.innerText();
      assert.match(text, /Enterprise Mobility \+ Security E3/);
      assert.match(text, /O365_BUSINESS_PREMIUM/);
      await screenshot(page, `documented-responses-${echo ? 'echoed' : 'raw'}`);

      const customerError = page.getByTestId('customer-error');
      if (echo) {
        assert.equal(await customerError.count(), 0);
        await page.getByText('Reseller relationship in Partner Center').waitFor();
        // The plan can be made from what Partner Center sent, under the id asked for.
        await page.getByText('Create from Partner Center subscriptions').click();
        await page.getByTestId('save-state').filter({ hasText: 'Saved' }).waitFor({ timeout: 20_000 });
        const stored = await getJson(proxy.url, `/api/store/records/${ASKED}`);
        assert.equal(stored.doc.originals[0].offerId, '91FD106F-4B2C-4938-95AC-F54F74E9A239');
        assert.equal(stored.doc.originals[0].offerName, 'AAD Basic');
      } else {
        await customerError.waitFor();
        const sentence = await customerError.innerText();
        assert.ok(sentence.includes(DOC_ID) && sentence.includes(ASKED), sentence);
        assert.equal(await page.getByTestId('create-record').count(), 0, 'no plan from a body about another customer');
      }
      const { records } = await getJson(proxy.url, '/api/store/records');
      assert.ok(records.every((r) => r.key !== DOC_ID), 'nothing is ever saved under the id inside a body');
      assert.deepEqual(page.errors, []);
    });
  });
}
