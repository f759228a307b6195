// Store write throughput and latency: SQLite vs PostgreSQL (one instance each), and one vs two
// instances on one PostgreSQL behind HAProxy. Every figure is printed next to its same-run
// baseline. Servers are Debian's PostgreSQL and HAProxy, started here on 127.0.0.1 in temporary
// directories and stopped at the end; both databases sync every commit to disk (SQLite
// synchronous=FULL, PostgreSQL's defaults), so the comparison is between equally durable writes.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NotMeasured, ms, row } from './table.mjs';
import { startProxy } from './proxy.mjs';

const freePort = () => new Promise((resolve, reject) => {
  const s = createServer();
  s.once('error', reject);
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});

/** A PostgreSQL cluster in a temporary directory (as the postgres user when root). */
async function startPostgres() {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).filter((v) => existsSync(`${base}/${v}/bin/initdb`)).sort((a, b) => a - b) : [];
  if (!versions.length) throw new NotMeasured('PostgreSQL is not installed (scripts/setup --for-tests installs it)');
  const bin = `${base}/${versions.at(-1)}/bin`;
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(tmpdir(), 'cutover-bench-pg-'));
  if (root) execFileSync('chown', ['postgres:postgres', dir]);
  const run = (tool, args) => (root
    ? execFileSync('runuser', ['-u', 'postgres', '--', `${bin}/${tool}`, ...args], { stdio: 'pipe' })
    : execFileSync(`${bin}/${tool}`, args, { stdio: 'pipe' }));
  const port = await freePort();
  run('initdb', ['-D', `${dir}/data`, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8']);
  run('pg_ctl', ['-D', `${dir}/data`, '-l', `${dir}/log`, '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200`, '-w', '-t', '60', 'start']);
  return {
    url: (db) => `postgres://postgres@127.0.0.1:${port}/${db}`,
    createdb: (db) => run('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', db]),
    stop: () => {
      try { run('pg_ctl', ['-D', `${dir}/data`, '-m', 'fast', '-w', 'stop']); } catch { /* already down */ }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** HAProxy on a free loopback port in front of the given instance ports; ready once /readyz answers. */
async function startHaproxy(ports) {
  const bin = ['/usr/sbin/haproxy', '/usr/bin/haproxy'].find(existsSync);
  if (!bin) throw new NotMeasured('HAProxy is not installed (scripts/setup --for-tests installs it)');
  const dir = mkdtempSync(path.join(tmpdir(), 'cutover-bench-lb-'));
  const port = await freePort();
  const servers = ports.map((p, i) => `    server instance${i} 127.0.0.1:${p} check`).join('\n');
  writeFileSync(path.join(dir, 'haproxy.cfg'), `global
    maxconn 4096
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    option forwardfor
    option redispatch
    retries 3
    http-reuse always
frontend cutover
    bind 127.0.0.1:${port}
    default_backend instances
backend instances
    balance roundrobin
    option httpchk GET /healthz
    default-server inter 1s source 127.0.0.2
${servers}
`);
  const child = spawn(bin, ['-f', path.join(dir, 'haproxy.cfg'), '-db'], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (let ok = 0; ok < ports.length * 3;) {
    if (Date.now() > deadline) throw new Error('HAProxy did not become ready');
    ok = (await fetch(`${url}/readyz`).then((r) => r.ok, () => false)) ? ok + 1 : 0;
    if (!ok) await new Promise((r) => setTimeout(r, 200));
  }
  return { url, stop: () => { child.kill('SIGKILL'); rmSync(dir, { recursive: true, force: true }); } };
}

/** Runs bench/tools store_load against `base`; resolves to its JSON result. */
function storeLoad(cfg, job) {
  return new Promise((resolve, reject) => {
    const child = execFile(path.join(cfg.toolsBin, 'store_load'), [], { maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`store_load failed: ${stderr || err.message}`));
      else resolve(JSON.parse(stdout));
    });
    child.stdin.end(JSON.stringify(job));
  });
}

const describe = (r) => `${r.throughput.toFixed(0)} writes/s`;
const errors = (r) => Object.entries(r.statuses).filter(([s]) => s !== '200').map(([s, n]) => `${n}× ${s}`).join(', ');

export async function storeWrites(cfg) {
  const count = cfg.smoke ? 400 : 3000;
  const warmup = cfg.smoke ? 50 : 300;
  const concurrency = 16;
  const job = (base, prefix) => ({ base, count, warmup, concurrency, prefix });
  const dist = mkdtempSync(path.join(tmpdir(), 'cutover-bench-dist-'));
  writeFileSync(path.join(dist, 'index.html'), '<!DOCTYPE html><title>Cutover</title>');
  // Quiet logs: the figure is the store's, not the terminal's.
  const env = { CUTOVER_LOG: 'warn', CUTOVER_SANDBOX_CUSTOMERS: '20' };
  const stops = [];
  try {
    const pg = await startPostgres();
    stops.push(pg.stop);

    const sqlite = await startProxy(env, { dist });
    stops.push(sqlite.stop);
    const rSqlite = await storeLoad(cfg, job(sqlite.url, 'sqlite'));
    await sqlite.stop();

    pg.createdb('single');
    const one = await startProxy({ ...env, CUTOVER_DATABASE_URL: pg.url('single') }, { dist });
    stops.push(one.stop);
    const rPg = await storeLoad(cfg, job(one.url, 'pg'));
    await one.stop();

    pg.createdb('balanced');
    const a = await startProxy({ ...env, CUTOVER_DATABASE_URL: pg.url('balanced'), CUTOVER_TRUSTED_PROXIES: '127.0.0.2' }, { dist });
    stops.push(a.stop);
    const b = await startProxy({ ...env, CUTOVER_DATABASE_URL: pg.url('balanced'), CUTOVER_TRUSTED_PROXIES: '127.0.0.2' }, { dist });
    stops.push(b.stop);
    const port = (u) => Number(new URL(u).port);
    const lb1 = await startHaproxy([port(a.url)]);
    stops.push(lb1.stop);
    const rLb1 = await storeLoad(cfg, job(lb1.url, 'lb1'));
    lb1.stop();
    const lb2 = await startHaproxy([port(a.url), port(b.url)]);
    stops.push(lb2.stop);
    const rLb2 = await storeLoad(cfg, job(lb2.url, 'lb2'));
    lb2.stop();

    const setup = `${count.toLocaleString('en')} creates, ${concurrency} writers`;
    const note = (r) => (errors(r) ? ` (not 200: ${errors(r)})` : '');
    row(`Store writes, SQLite, 1 instance (${setup})`, `${describe(rSqlite)}, p99 ${ms(rSqlite.p99)}${note(rSqlite)}`, '—', null, '— (info)', null);
    row('Store write throughput, PostgreSQL, 1 instance', `${describe(rPg)}${note(rPg)}`, `${describe(rSqlite)} (SQLite)`, rPg.throughput / rSqlite.throughput, '— (info)', null);
    row('Store write p99, PostgreSQL, 1 instance', `${ms(rPg.p99)} (p50 ${ms(rPg.p50)})`, `${ms(rSqlite.p99)} (SQLite; p50 ${ms(rSqlite.p50)})`, rPg.p99 / rSqlite.p99, '— (info)', null);
    row('Store write throughput, 2 instances behind HAProxy (PostgreSQL)', `${describe(rLb2)}${note(rLb2)}`, `${describe(rLb1)} (1 instance behind HAProxy${note(rLb1)})`, rLb2.throughput / rLb1.throughput, '— (info)', null);
    row('Store write p99, 2 instances behind HAProxy', `${ms(rLb2.p99)} (p50 ${ms(rLb2.p50)})`, `${ms(rLb1.p99)} (1 instance; p50 ${ms(rLb1.p50)})`, rLb2.p99 / rLb1.p99, '— (info)', null);
  } finally {
    for (const stop of stops.reverse()) { try { await stop(); } catch { /* already stopped */ } }
    rmSync(dist, { recursive: true, force: true });
  }
}

