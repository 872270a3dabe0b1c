#!/usr/bin/env node
// The app's API types are generated from the node's OpenAPI document, never written by hand.
//
//   node scripts/api-types.mjs          regenerate src/lib/api-schema.d.ts
//   node scripts/api-types.mjs --check  regenerate into a temporary file and diff it against the
//                                       committed one; fails if they differ (part of the tests)
//
// The document comes from `passcom openapi`: the binary in $PASSCOM_BIN if set, else
// `cargo run -p passcom -- openapi` in the repository.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import openapiTS, { astToString } from 'openapi-typescript';

const web = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repository = resolve(web, '..');
const target = join(web, 'src/lib/api-schema.d.ts');
const check = process.argv.includes('--check');

function openapiDocument() {
  const options = { cwd: repository, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 };
  const output = process.env.PASSCOM_BIN
    ? execFileSync(resolve(process.env.PASSCOM_BIN), ['openapi'], options)
    : execFileSync('cargo', ['run', '--quiet', '--locked', '-p', 'passcom', '--', 'openapi'], {
        ...options,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
  return JSON.parse(output);
}

const header = `// GENERATED from the node's OpenAPI document (\`passcom openapi\`) by web/scripts/api-types.mjs.
// Do not edit: run \`npm run api-types\` in web/ after changing the API.

`;

const ast = await openapiTS(openapiDocument());
const generated = header + astToString(ast);

if (!check) {
  writeFileSync(target, generated);
  console.log(`wrote ${target}`);
} else {
  const dir = mkdtempSync(join(tmpdir(), 'passcom-api-types-'));
  const fresh = join(dir, 'api-schema.d.ts');
  writeFileSync(fresh, generated);
  try {
    if (readFileSync(target, 'utf8') === generated) {
      console.log('API types are current');
    } else {
      try {
        execFileSync('diff', ['-u', target, fresh], { stdio: 'inherit' });
      } catch {
        // diff exits 1 when the files differ; its output is above.
      }
      console.error('\nsrc/lib/api-schema.d.ts is stale: run `npm run api-types` in web/ and commit it.');
      process.exitCode = 1;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
