// Helpers for the partner-screen journeys (on top of harness.mjs).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from './harness.mjs';

export const FIXTURES = path.join(import.meta.dirname, 'fixtures');

/**
 * Starts cutover-proxy like harness.mjs does, and also reports its embedded sandbox's address
 * (`sandboxUrl`, for the sandbox's own controls such as accepting an invitation).
 * CUTOVER_E2E_DIST points it at another built app than ROOT/dist.
 */
export async function startPartnerProxy(env = {}) {
  const bin = process.env.CUTOVER_PROXY_BIN || path.join(ROOT, 'target', 'debug', 'cutover-proxy');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cutover-partner-e2e-'));
  const child = spawn(bin, [], {
    env: {
      PATH: process.env.PATH,
      CUTOVER_LISTEN: '127.0.0.1:0',
      CUTOVER_DIST: process.env.CUTOVER_E2E_DIST || path.join(ROOT, 'dist'),
      CUTOVER_DATA_DIR: dataDir,
      // Journeys start from an empty store; the first-run plans have a journey of their own.
      CUTOVER_SANDBOX_FIRST_RUN: 'empty',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const { url, sandboxUrl } = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`proxy did not start in 20 s: ${stderr}`)), 20_000);
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/Cutover is running on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) {
        clearTimeout(timer);
        const sb = out.match(/sandbox on (http:\/\/127\.0\.0\.1:\d+)/);
        resolve({ url: m[1], sandboxUrl: sb ? sb[1] : null });
      }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`proxy exited (${code}): ${stderr}`)); });
  });
  return {
    url,
    sandboxUrl,
    dataDir,
    logs: () => stderr,
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', resolve);
      child.kill('SIGTERM');
    }),
  };
}

/** The sandbox's prospects, as the CSV fixture holds them: [{customer, domain, offer, ...}]. */
export function prospectRows() {
  const text = readFileSync(path.join(FIXTURES, 'prospects.csv'), 'utf8');
  const lines = text.trim().split('\n');
  const header = lines[0].split(',');
  return lines.slice(1).map((line) => {
    // Quoted names contain commas; split respecting quotes.
    const cells = [];
    let cur = '';
    let quoted = false;
    for (const ch of line) {
      if (ch === '"') quoted = !quoted;
      else if (ch === ',' && !quoted) { cells.push(cur); cur = ''; }
      else cur += ch;
    }
    cells.push(cur);
    return Object.fromEntries(header.map((h, i) => [h, cells[i]]));
  });
}

/** GET JSON through the proxy. */
export async function getJson(baseUrl, p) {
  const res = await fetch(`${baseUrl}${p}`);
  if (!res.ok) throw new Error(`${p} answered ${res.status}`);
  return res.json();
}

/** Imports the prospects fixture through the API (for journeys that need data but test other things). */
export async function importFixtureViaApi(baseUrl, records) {
  const res = await fetch(`${baseUrl}/api/store/import`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ records }),
  });
  if (!res.ok) throw new Error(`import answered ${res.status}: ${await res.text()}`);
  return res.json();
}
