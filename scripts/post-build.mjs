#!/usr/bin/env node
// Trunk's post_build hook (Trunk.toml), run before Trunk publishes the staged dist/:
//   1. scripts/split-app.mjs — split the partner app into lazily loaded screens;
//   2. scripts/build-status-page — build the customer status page (second Trunk build), at the
//      same time as 1;
//   3. minify the JavaScript wasm-bindgen wrote (Trunk copies it as it is) with terser, and
//      update the `integrity` of every HTML link to a file that changed;
//   3b. join each HTML file's stylesheets into one file (scripts/bundle-css.mjs);
//   4. precompress every wasm, JS and CSS file (gzip -9 and brotli 11, as .gz/.br beside it), so
//      the proxy sends compressed files without compressing them on each request.
// Trunk runs this; not meant to be run by hand (it needs TRUNK_STAGING_DIR).
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { minify } from 'terser';
import { bundleStylesheets } from './bundle-css.mjs';
import { sri } from './sri.mjs';

const root = path.resolve(import.meta.dirname, '..');
const stage = process.env.TRUNK_STAGING_DIR;
if (!stage) {
  console.error('post-build: run by trunk build (Trunk.toml post_build hook), not by hand');
  process.exit(1);
}
const step = (cmd, args) => new Promise((resolve, reject) => {
  const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  child.on('error', reject);
  child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(' ')} failed (${code})`))));
});
try {
  await Promise.all([step(process.execPath, ['scripts/split-app.mjs']), step('sh', ['scripts/build-status-page'])]);
} catch (e) {
  console.error(`post-build: ${e.message}`);
  process.exit(1);
}
// 3. Minify. The files keep their names (the inline scripts and the CSP hashes of the HTML files
// name them); only the integrity attributes that cover them change.
const integrity = new Map();
if (process.env.TRUNK_PROFILE === 'release') {
  for (const f of readdirSync(stage).filter((f) => f.endsWith('.js'))) {
    const file = path.join(stage, f);
    const before = readFileSync(file, 'utf8');
    const out = await minify(before, { module: true, ecma: 2020, compress: { passes: 2 }, mangle: true });
    if (!out.code) {
      console.error(`post-build: terser gave nothing for ${f}`);
      process.exit(1);
    }
    writeFileSync(file, out.code);
    integrity.set(sri(Buffer.from(before)), sri(Buffer.from(out.code)));
  }
  for (const f of readdirSync(stage).filter((f) => f.endsWith('.html'))) {
    const file = path.join(stage, f);
    const html = readFileSync(file, 'utf8');
    // Quoted, or bare as Trunk's HTML minifier writes them.
    const updated = html.replace(/integrity=("?)(sha384-[A-Za-z0-9+/=]+)\1/g,
      (m, q, old) => (integrity.has(old) ? `integrity=${q}${integrity.get(old)}${q}` : m));
    if (updated !== html) writeFileSync(file, updated);
  }
}

// 3b. One stylesheet per page.
try {
  for (const f of readdirSync(stage).filter((f) => f.endsWith('.html'))) bundleStylesheets(stage, f);
} catch (e) {
  console.error(`post-build: ${e.message}`);
  process.exit(1);
}

// 4. Precompress.
for (const f of readdirSync(stage).filter((f) => /\.(wasm|js|css)$/.test(f))) {
  const bytes = readFileSync(path.join(stage, f));
  writeFileSync(path.join(stage, `${f}.gz`), gzipSync(bytes, { level: 9 }));
  writeFileSync(path.join(stage, `${f}.br`), brotliCompressSync(bytes, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  }));
}
