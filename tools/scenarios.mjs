// Trunk post_build hook (see Trunk.toml): puts the scenarios and the catalogues of words (lang/*.json,
// copied minified to dist/lang/) into the bundle, one file each, for the
// playground to fetch when one is chosen: scenarios/NN-name.json becomes dist/scenarios/name.json
// (the name the playground and the command line call it by), without the whitespace between tokens.
//
// The wasm embeds only each scenario's name and title (its menu; crates/paxos-play/build.rs), not the
// files: a visitor downloads the one scenario they open. The text is minified as build.rs minifies the
// catalog the command line embeds (whitespace outside strings dropped, nothing else touched: numbers
// keep their digits, so a u64 seed stays exact), so the page and `paxos` read the same JSON.
//
// Trunk runs hooks from the project root with TRUNK_STAGING_DIR (the build's output folder, before it
// becomes dist/) set.

import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) fail('TRUNK_STAGING_DIR is not set: this script runs as a Trunk post_build hook (Trunk.toml)');
const out = join(staging, 'scenarios');
mkdirSync(out, { recursive: true });

const files = readdirSync('scenarios').filter((f) => f.endsWith('.json')).sort();
if (files.length === 0) fail('no scenarios/*.json found (is the working directory the project root?)');
let raw = 0;
let gzip = 0;
let largest = 0;
for (const file of files) {
  // `NN-name.json` is called `name` (as in build.rs).
  const stem = file.slice(0, -'.json'.length);
  const dash = stem.indexOf('-');
  const name = dash > 0 && /^\d+$/.test(stem.slice(0, dash)) ? stem.slice(dash + 1) : stem;
  const text = minify(readFileSync(join('scenarios', file), 'utf8'));
  try {
    JSON.parse(text);
  } catch (e) {
    fail(`scenarios/${file} is not JSON: ${e.message}`);
  }
  writeFileSync(join(out, `${name}.json`), text);
  const bytes = Buffer.byteLength(text);
  raw += bytes;
  gzip += gzipSync(text, { level: 9 }).length;
  largest = Math.max(largest, bytes);
}
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log(
  `scenarios.mjs: ${files.length} scenarios in scenarios/, ${kib(raw)} (${kib(gzip)} gzipped), ` +
    `the largest ${kib(largest)}`,
);

// The catalogues of words, one per language (lang/CODE.json): the page fetches the reader's one.
const langOut = join(staging, 'lang');
mkdirSync(langOut, { recursive: true });
const catalogues = readdirSync('lang').filter((f) => f.endsWith('.json')).sort();
if (catalogues.length === 0) fail('no lang/*.json found (is the working directory the project root?)');
for (const file of catalogues) {
  const text = minify(readFileSync(join('lang', file), 'utf8'));
  try {
    JSON.parse(text);
  } catch (e) {
    fail(`lang/${file} is not JSON: ${e.message}`);
  }
  writeFileSync(join(langOut, file), text);
  const bytes = Buffer.byteLength(text);
  console.log(`scenarios.mjs: lang/${file}, ${kib(bytes)} (${kib(gzipSync(text, { level: 9 }).length)} gzipped)`);
}

/** JSON without the whitespace between its tokens (strings are kept as they are). */
function minify(json) {
  let out = '';
  let inString = false;
  let escaped = false;
  for (const c of json) {
    if (inString) {
      inString = escaped || c !== '"';
      escaped = !escaped && c === '\\';
    } else if (c === '"') {
      inString = true;
    } else if (/\s/.test(c)) {
      continue;
    }
    out += c;
  }
  return out;
}

function fail(message) {
  console.error(`scenarios.mjs: ${message}`);
  process.exit(1);
}
