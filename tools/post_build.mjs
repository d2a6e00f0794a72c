// Trunk post_build hook (see Trunk.toml): finishes the build in TRUNK_STAGING_DIR (the output folder
// before it becomes dist/), with TRUNK_PROFILE release or debug. Trunk starts all hooks of a stage at
// once, so the steps that rewrite index.html run here, one after the other:
//   1. release only: shorten the import and export names of the wasm (wasm-opt's pass) and its glue (minify_names.mjs);
//   2. release only: minify wasm-bindgen's JS glue and give index.html its new integrity (minify_js.mjs);
//   3. complete the Content-Security-Policy with the inline loader's hash (csp.mjs).

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { completeCsp } from './csp.mjs';
import { minifyGlue } from './minify_js.mjs';
import { minifyNames } from './minify_names.mjs';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) fail('TRUNK_STAGING_DIR is not set: this script runs as a Trunk post_build hook (Trunk.toml)');
const release = process.env.TRUNK_PROFILE === 'release';
const file = join(staging, 'index.html');
try {
  let html = readFileSync(file, 'utf8');
  if (release) html = await minifyGlue(staging, minifyNames(staging, html));
  writeFileSync(file, completeCsp(html, release));
} catch (error) {
  fail(error.message);
}

function fail(message) {
  console.error(`post_build.mjs: ${message}`);
  process.exit(1);
}
