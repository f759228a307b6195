// Runs the benchmarks (default) or the reliability & security suite (--reliability) and prints
// one table: figure | measured | baseline (same run) | ratio | goal | met?
// scripts/bench builds everything first and passes the paths in BENCH_* variables.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crashed, missed, render, section as runSection } from './lib/table.mjs';

const args = new Set(process.argv.slice(2));
// --only=a,b runs just those sections (names as printed, lower case, spaces as dashes: sizes,
// first-load, planner-native, planner-chromium, customer-list, proxy-overhead).
const only = [...args].find((a) => a.startsWith('--only='))?.slice(7).split(',') ?? null;
const cfg = {
  smoke: args.has('--smoke'),
  reliability: args.has('--reliability'),
  store: args.has('--store'),
  root: path.resolve(import.meta.dirname, '..'),
  appDist: process.env.BENCH_APP_DIST,
  counterDist: process.env.BENCH_COUNTER_DIST,
  plannerWeb: process.env.BENCH_PLANNER_WEB,
  toolsBin: process.env.BENCH_TOOLS_BIN,
};
for (const k of cfg.store ? ['toolsBin'] : ['appDist', 'counterDist', 'plannerWeb', 'toolsBin']) {
  if (!cfg[k]) { console.error(`bench: ${k} is not set; run scripts/bench, which builds everything first.`); process.exit(2); }
}
// The e2e harness reads CUTOVER_PROXY_BIN when imported; scripts/bench sets it to the release build.
const section = (name, key, fn) => (only && !only.includes(key) ? undefined : runSection(name, fn));
const h = cfg.store ? null : await import('../tests/e2e/harness.mjs');
const started = Date.now();
process.stderr.write(`bench: load average before the run: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} (other work on this machine skews timings; compare the ratios)\n`);

if (cfg.store) {
  const s = await import('./lib/store.mjs');
  await section('Store writes', 'store', () => s.storeWrites(cfg));
} else if (!cfg.reliability) {
  const b = await import('./lib/benchmarks.mjs');
  let counter = null;
  await section('Sizes of dist/', 'sizes', async () => { counter = await b.sizes(cfg); });
  await section('First load, cold, in Chromium', 'first-load', () => b.coldLoads(cfg, h, counter));
  let native = null;
  await section('Planner (native)', 'planner-native', async () => { native = b.runNative(cfg); await b.plannerNative(cfg, native); });
  await section('Planner (Chromium)', 'planner-chromium', async () => {
    native ??= b.runNative(cfg);
    await b.plannerBrowser(cfg, native, h.launchBrowser);
  });
  await section('Customer list', 'customer-list', () => b.customerList(cfg, h));
  await section('Proxy overhead', 'proxy-overhead', () => b.proxyOverhead(cfg, h));
  const s = await import('./lib/store.mjs');
  await section('Store writes', 'store', () => s.storeWrites(cfg));
} else {
  const r = await import('./lib/reliability.mjs');
  await section('Crash safety', 'crash-safety', () => r.crashSafety(cfg, h));
  await section('Concurrency', 'concurrency', () => r.concurrency(cfg, h));
  await section('Partner Center faults', 'faults', () => r.faults(cfg, h));
  await section('Hostile CSV', 'hostile-csv', () => r.hostileCsv(cfg));
  await section('Security probes', 'security', () => r.security(cfg, h));
}

const title = cfg.reliability ? 'Reliability & security suite' : cfg.store ? 'Store benchmarks' : 'Benchmarks';
const table = render();
const header = `## ${title}${cfg.smoke ? ' (smoke)' : ''}\n\n${new Date().toISOString()} · ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'} · node ${process.version} · load average at the end ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} · ${((Date.now() - started) / 1000).toFixed(0)} s\n`;
console.log(`\n${header}\n${table}\n`);
const dir = path.join(cfg.root, 'artifacts', 'bench');
mkdirSync(dir, { recursive: true });
const kind = cfg.reliability ? 'reliability' : cfg.store ? 'store' : 'benchmarks';
writeFileSync(path.join(dir, `${kind}${cfg.smoke ? '-smoke' : ''}.md`), `${header}\n${table}\n`);
// results.md: the newest benchmark, store and reliability tables, whichever mode made them.
const newest = (k) => [`${k}.md`, `${k}-smoke.md`].map((f) => path.join(dir, f)).filter(existsSync)
  .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
const parts = ['benchmarks', 'store', 'reliability'].map(newest).filter(Boolean).map((f) => readFileSync(f, 'utf8'));
writeFileSync(path.join(dir, 'results.md'), `# Cutover: benchmark and reliability figures\n\nMade by \`scripts/bench\` (see bench/README.md).\n\n${parts.join('\n')}`);
console.log('Written to artifacts/bench/results.md');
// A benchmark that misses its goal is a figure to improve; a reliability or security check that
// misses (a lost write, a panic, a secret in a response) is a defect, and fails the run.
const defects = cfg.reliability ? missed() : 0;
if (defects) console.error(`bench: ${defects} reliability or security check(s) failed (see the table)`);
process.exit(crashed || defects ? 1 : 0);
