// Part of Trunk's post_build hook (scripts/post-build.mjs): replaces an HTML file's stylesheet
// links by one link to their contents joined in the same order (so the cascade is unchanged),
// named by its content hash, with its integrity. Stylesheets no HTML file links any more are
// removed from the staged dist.
//
// Why: the partner app linked seven stylesheets. The app is served over HTTP/1.1, where a browser
// opens at most six connections per host; one file is one request instead of seven, and
// compresses better as a whole (measured: 6.3 KB gzip instead of 8.8 KB for the seven files
// compressed one by one; the status page's three, 3.3 KB, became 2.8 KB).
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { hash16, sri } from './sri.mjs';

// A `<link … rel=stylesheet …>` tag, attributes quoted or bare (Trunk's HTML minifier).
const LINK = /<link\b[^>]*\brel=("?)stylesheet\1[^>]*>/g;
const href = (tag) => tag.match(/\bhref=("?)\/([^"\s>]+\.css)\1/)?.[2];

/** Bundles the stylesheets of `stage/htmlFile`; returns the bundle's name (null when none). */
export function bundleStylesheets(stage, htmlFile) {
  const file = path.join(stage, htmlFile);
  const html = readFileSync(file, 'utf8');
  const tags = html.match(LINK) ?? [];
  if (tags.length === 0) return null;
  const names = tags.map((tag) => {
    const name = href(tag);
    if (!name || !existsSync(path.join(stage, name))) throw new Error(`${htmlFile}: cannot read the stylesheet of ${tag}`);
    return name;
  });
  // Each file ends with a newline, so no rule runs into the next file's first line.
  const css = names.map((n) => readFileSync(path.join(stage, n), 'utf8').replace(/\n?$/, '\n')).join('');
  if (/@import|@charset/i.test(css)) throw new Error(`${htmlFile}: @import or @charset cannot be bundled`);
  const bytes = Buffer.from(css);
  const base = htmlFile.replace(/\.html$/, '');
  const bundle = `${base}-${hash16(bytes)}.css`;
  writeFileSync(path.join(stage, bundle), bytes);
  let first = true;
  const out = html.replace(LINK, () => {
    if (!first) return '';
    first = false;
    return `<link rel="stylesheet" href="/${bundle}" integrity="${sri(bytes)}">`;
  });
  writeFileSync(file, out);
  // Remove what no HTML file links any more.
  const linked = readdirSync(stage).filter((f) => f.endsWith('.html')).map((f) => readFileSync(path.join(stage, f), 'utf8')).join('\n');
  for (const n of names) if (!linked.includes(`/${n}`)) rmSync(path.join(stage, n));
  return bundle;
}
