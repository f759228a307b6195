// Pieces of the status-page journeys: start the proxy on a chosen app build, seed records, make
// share links through the API, and small checks of the files the page hands out.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from './harness.mjs';

// The shared dist/ by default; CUTOVER_E2E_DIST points at another build (e.g. while others rebuild dist/).
export const DIST = process.env.CUTOVER_E2E_DIST || path.join(ROOT, 'dist');
const PROXY = process.env.CUTOVER_PROXY_BIN || path.join(ROOT, 'target', 'debug', 'cutover-proxy');

/** harness.startProxy with the app build from DIST. */
export async function startProxyWithDist(env = {}) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cutover-e2e-status-'));
  const child = spawn(PROXY, [], {
    env: {
      PATH: process.env.PATH,
      CUTOVER_LISTEN: '127.0.0.1:0',
      CUTOVER_DIST: DIST,
      CUTOVER_DATA_DIR: dataDir,
      // Journeys start from an empty store; the first-run plans have a journey of their own.
      CUTOVER_SANDBOX_FIRST_RUN: 'empty',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`proxy did not start in 20 s: ${stderr}`)), 20_000);
    child.stdout.on('data', (d) => {
      stdout += d;
      const m = stdout.match(/Cutover is running on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`proxy exited (${code}): ${stderr}`)); });
  });
  return {
    url,
    dataDir,
    logs: () => stdout + stderr,
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', resolve);
      child.kill('SIGTERM');
    }),
  };
}

/** YYYY-MM-DD `days` from today (UTC). */
export function isoDay(days) {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** Creates a migration record under `key` (If-None-Match: *); throws unless the proxy stored it. */
export async function seedRecord(baseUrl, key, record) {
  const res = await fetch(`${baseUrl}/api/store/records/${encodeURIComponent(key)}`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json', 'If-None-Match': '*' },
    body: JSON.stringify(record),
  });
  if (!res.ok) throw new Error(`seeding ${key}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** A share link for the record `key`; resolves to {link, token}. */
export async function createLink(baseUrl, key, expiresAt) {
  const res = await fetch(`${baseUrl}/api/store/records/${encodeURIComponent(key)}/links`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(expiresAt ? { expiresAt } : {}),
  });
  if (res.status !== 201) throw new Error(`creating a link for ${key}: ${res.status} ${await res.text()}`);
  return res.json();
}

export async function revokeLink(baseUrl, key, id) {
  const res = await fetch(`${baseUrl}/api/store/records/${encodeURIComponent(key)}/links/${id}`, { method: 'DELETE' });
  if (res.status !== 204) throw new Error(`revoking ${id}: ${res.status} ${await res.text()}`);
}

/** Records every response body the page receives (text), to search for leaks afterwards. */
export function recordBodies(page) {
  const bodies = [];
  page.on('response', async (res) => {
    try {
      const buf = await res.body();
      bodies.push({ url: res.url(), status: res.status(), text: buf.toString('utf8') });
    } catch { /* redirects and aborted requests have no body */ }
  });
  return bodies;
}

/**
 * Before any page script runs, note performance.now() when the checklist first appears in the
 * DOM and at the next animation frame (when it is painted).
 */
export async function watchChecklist(context) {
  await context.addInitScript(() => {
    const seen = () => document.querySelector('[data-testid="checklist"]');
    const observer = new MutationObserver(() => {
      if (window.__checklistInDom === undefined && seen()) {
        window.__checklistInDom = performance.now();
        requestAnimationFrame(() => { window.__checklistPainted = performance.now(); });
        observer.disconnect();
      }
    });
    observer.observe(document, { childList: true, subtree: true });
  });
}

/** Checks an iCalendar text: one calendar, at least one event, CRLF line ends, lines ≤ 75 octets. */
export function checkIcs(text) {
  const problems = [];
  if (!text.startsWith('BEGIN:VCALENDAR\r\n')) problems.push('does not start with BEGIN:VCALENDAR CRLF');
  if (!text.endsWith('END:VCALENDAR\r\n')) problems.push('does not end with END:VCALENDAR CRLF');
  const lines = text.split('\r\n').slice(0, -1);
  if (lines.some((l) => l.includes('\n') || l.includes('\r'))) problems.push('bare LF or CR inside a line');
  if (lines.some((l) => Buffer.byteLength(l) > 75)) problems.push('a line longer than 75 octets');
  const begins = lines.filter((l) => l === 'BEGIN:VEVENT').length;
  const ends = lines.filter((l) => l === 'END:VEVENT').length;
  if (begins === 0) problems.push('no VEVENT');
  if (begins !== ends) problems.push(`${begins} BEGIN:VEVENT but ${ends} END:VEVENT`);
  for (const l of lines) {
    if (!/^[ \t]/.test(l) && !/^[A-Z][A-Z0-9-]*[;:]/.test(l)) problems.push(`not a content line: ${l}`);
  }
  return { problems, events: begins };
}
