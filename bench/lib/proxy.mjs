// Starts cutover-proxy for the benchmarks. Like tests/e2e/harness.mjs's startProxy, plus what the
// benchmarks need: the embedded sandbox's address, a chosen data directory (to restart on the same
// database) and `kill -9`.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export async function startProxy(env = {}, { dataDir, dist } = {}) {
  dataDir ??= mkdtempSync(path.join(tmpdir(), 'cutover-bench-'));
  const bin = process.env.CUTOVER_PROXY_BIN || path.join(ROOT, 'target', 'release', 'cutover-proxy');
  const child = spawn(bin, [], {
    env: {
      PATH: process.env.PATH,
      CUTOVER_LISTEN: '127.0.0.1:0',
      CUTOVER_DIST: dist ?? process.env.BENCH_APP_DIST ?? path.join(ROOT, 'dist'),
      CUTOVER_DATA_DIR: dataDir,
      // Benchmarks start from an empty store.
      CUTOVER_SANDBOX_FIRST_RUN: 'empty',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let out = '';
  child.stderr.on('data', (d) => { stderr += d; if (stderr.length > 1e6) stderr = stderr.slice(-5e5); });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`proxy did not start in 20 s: ${stderr}`)), 20_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/Cutover is running on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`proxy exited (${code}): ${stderr}`)); });
  });
  const sandboxUrl = out.match(/sandbox on (http:\/\/127\.0\.0\.1:\d+)/)?.[1] ?? null;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    url,
    sandboxUrl,
    dataDir,
    pid: child.pid,
    stderr: () => stderr,
    /** SIGKILL: no shutdown code runs. */
    kill9: async () => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); await exited; },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(t);
    },
  };
}
