#!/usr/bin/env node
// Part of Trunk's post_build hook (scripts/post-build.mjs): splits the partner app's wasm into a
// main module and one chunk per lazily loaded screen (src/partner/lazy_routes.rs), so the first
// screen downloads only what it needs. Trunk 0.21 has no split step, so this replaces the wasm
// and JS Trunk staged:
//
//   cargo's cutover.wasm (linked with --emit-relocs by build.rs)
//     → wasm-split-cli: main module + chunk_*/split_*.wasm + __wasm_split.js (the chunk loader)
//     → wasm-bindgen --keep-lld-exports on the main module (the same wasm-bindgen as Trunk's)
//     → wasm-opt on every module (release), with index.html's data-wasm-opt-params
//     → content-hashed names, the loader's references rewritten, index.html's integrity updated
//
// Run by `trunk build`, never by hand: it reads TRUNK_STAGING_DIR and TRUNK_PROFILE.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { hash16, sri } from './sri.mjs';

const root = path.resolve(import.meta.dirname, '..');
const stage = process.env.TRUNK_STAGING_DIR;
if (!stage) fail('run by trunk build (Trunk.toml post_build hook), not by hand');
const release = process.env.TRUNK_PROFILE === 'release';
const targetDir = process.env.CARGO_TARGET_DIR ? path.resolve(process.env.CARGO_TARGET_DIR) : path.join(root, 'target');
const input = path.join(targetDir, 'wasm32-unknown-unknown', release ? 'wasm-release' : 'debug', 'cutover.wasm');
const work = path.join(targetDir, 'split-app');

function fail(why) {
  console.error(`split-app: ${why}`);
  process.exit(1);
}
function run(cmd, args) {
  try {
    execFileSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  } catch (e) {
    if (e.code === 'ENOENT') fail(`${cmd} is not installed; run scripts/setup`);
    fail(`${cmd} failed (${e.status ?? e.message})`);
  }
}

// 1. What Trunk staged: cutover-<hash>.js and cutover-<hash>_bg.wasm (Trunk writes its hash
// without leading zeros: 12 to 16 hex digits).
const js = readdirSync(stage).find((f) => /^cutover-[0-9a-f]{12,16}\.js$/.test(f));
if (!js) fail(`no cutover-<hash>.js in ${stage}`);
const name = js.slice(0, -3);
if (!existsSync(input)) fail(`${input} is missing (cargo's output for this build)`);
const index = readFileSync(path.join(stage, 'index.html'), 'utf8');
// Trunk's own wasm-opt is off for this link (data-wasm-opt="0"): its parameters apply here.
const source = readFileSync(process.env.TRUNK_HTML_FILE ?? path.join(root, 'index.html'), 'utf8');
const optParams = (source.match(/data-wasm-opt-params="([^"]*)"/)?.[1] ?? '').split(/\s+/).filter(Boolean);

// 2. Split (the main module keeps Trunk's name, so the staged index.html still loads it).
rmSync(work, { recursive: true, force: true });
mkdirSync(path.join(work, 'out'), { recursive: true });
run('wasm-split-cli', [input, work, '--out-name', name]);
run('wasm-bindgen', ['--target', 'web', '--keep-lld-exports', '--no-demangle', '--no-typescript',
  '--out-name', name, '--out-dir', path.join(work, 'out'), path.join(work, `${name}.wasm`)]);

// 3. Optimise every module; give every chunk a name that changes with its content.
const loaderFile = path.join(work, '__wasm_split.js');
let loader = readFileSync(loaderFile, 'utf8');
const chunks = readdirSync(work).filter((f) => f.endsWith('.wasm') && f !== `${name}.wasm`);
const opt = (file) => { if (release) run('wasm-opt', ['-Oz', ...optParams, file, '-o', file]); };
opt(path.join(work, 'out', `${name}_bg.wasm`));
for (const chunk of chunks) {
  const file = path.join(work, chunk);
  opt(file);
  const hashed = `${chunk.slice(0, -5)}-${hash16(readFileSync(file))}.wasm`;
  renameSync(file, path.join(work, 'out', hashed));
  if (!loader.includes(`"./${chunk}"`)) fail(`the chunk loader does not name ${chunk}`);
  loader = loader.replaceAll(`"./${chunk}"`, `"./${hashed}"`);
}
const loaderName = `${name}-split-${hash16(loader)}.js`;
writeFileSync(path.join(work, 'out', loaderName), loader);
const mainJsFile = path.join(work, 'out', `${name}.js`);
let mainJs = readFileSync(mainJsFile, 'utf8');
if (!/from ['"]\.\/__wasm_split\.js['"]/.test(mainJs)) fail('the main module does not import the chunk loader');
mainJs = mainJs.replace(/from (['"])\.\/__wasm_split\.js\1/g, `from './${loaderName}'`);
writeFileSync(mainJsFile, mainJs);

// 4. Into the staged dist: replace Trunk's main module, add the chunks and the loader, and update
// index.html (integrity of the replaced files, and a preload of the loader the main JS imports).
let html = index;
for (const f of readdirSync(path.join(work, 'out'))) {
  const bytes = readFileSync(path.join(work, 'out', f));
  writeFileSync(path.join(stage, f), bytes);
  if (f === `${name}.js` || f === `${name}_bg.wasm`) {
    const link = new RegExp(`(<link[^>]*href="/${f.replace('.', '\\.')}"[^>]*integrity=")[^"]*(")`);
    if (link.test(html)) html = html.replace(link, `$1${sri(bytes)}$2`);
  }
}
const loaderBytes = readFileSync(path.join(work, 'out', loaderName));
html = html.replace('</head>', `<link rel="modulepreload" href="/${loaderName}" crossorigin="anonymous" integrity="${sri(loaderBytes)}"></head>`);
writeFileSync(path.join(stage, 'index.html'), html);
console.error(`split-app: ${name}_bg.wasm + ${chunks.length} chunks + ${loaderName}`);
