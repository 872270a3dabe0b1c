#!/usr/bin/env node
// Measures the app's first load: the JavaScript and CSS that index.html loads before anything
// else (its module script, the chunks it preloads, its stylesheets), gzipped at level 9 as the
// node serves them. Fails if the JavaScript is over the budget (300 kB).
//
//   node scripts/bundle-size.mjs           measure and check
//   node scripts/bundle-size.mjs --record  also write the figures into docs/benchmarks.md
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 300;
const web = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(web, 'dist');
const index = readFileSync(join(dist, 'index.html'), 'utf8');

const referenced = (pattern) => [...index.matchAll(pattern)].map((match) => match[1]);
const scripts = [
  ...referenced(/<script[^>]+type="module"[^>]+src="([^"]+)"/g),
  ...referenced(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g),
];
const styles = referenced(/<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"/g);

const measure = (paths) =>
  paths.map((path) => {
    const bytes = readFileSync(join(dist, path.replace(/^\//, '')));
    return { path, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
const sum = (files, key) => files.reduce((total, file) => total + file[key], 0);
const kb = (bytes) => (bytes / 1024).toFixed(1);

const js = measure(scripts);
const css = measure(styles);
const jsGzip = sum(js, 'gzip');
for (const file of [...js, ...css]) console.log(`  ${file.path}  ${kb(file.raw)} kB, gzip ${kb(file.gzip)} kB`);
console.log(`first-load JavaScript: ${kb(sum(js, 'raw'))} kB, gzip ${kb(jsGzip)} kB (budget ${BUDGET_KB} kB); CSS gzip ${kb(sum(css, 'gzip'))} kB`);

if (process.argv.includes('--record')) {
  const docs = join(web, '../docs/benchmarks.md');
  const table = [
    '<!-- web:start -->',
    '| measure | value |',
    '|---|---|',
    `| first-load JavaScript, gzip (${js.length} files) | **${kb(jsGzip)} kB** of ${BUDGET_KB} kB |`,
    `| first-load JavaScript, uncompressed | ${kb(sum(js, 'raw'))} kB |`,
    `| first-load CSS, gzip | ${kb(sum(css, 'gzip'))} kB |`,
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} by \`node web/scripts/bundle-size.mjs --record\` after \`npm run build\`.`,
    '<!-- web:end -->',
  ].join('\n');
  const text = readFileSync(docs, 'utf8');
  if (!text.includes('<!-- web:start -->')) throw new Error('docs/benchmarks.md has no <!-- web:start --> section');
  writeFileSync(docs, text.replace(/<!-- web:start -->[\s\S]*<!-- web:end -->/, table));
  console.log('recorded in docs/benchmarks.md');
}

if (jsGzip > BUDGET_KB * 1024) {
  console.error(`first-load JavaScript is over the budget of ${BUDGET_KB} kB gzipped`);
  process.exitCode = 1;
}
