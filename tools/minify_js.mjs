// Minifies wasm-bindgen's JavaScript glue in a release build (run by tools/post_build.mjs).
//
// Trunk's own minification covers the HTML and CSS but leaves the glue as wasm-bindgen wrote it:
// 49 KB, 8.7 KB gzipped; terser takes it to 7.0 KB. The file keeps its name (Trunk's hash of the
// original, still a fine cache key: the minified text follows from it), and the `integrity` that
// index.html gives it is recomputed, or the browser would refuse the changed file.

import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { minify } from 'terser';
import { setIntegrity } from './minify_names.mjs';

/** Minifies every .js file of `staging` in place and returns `html` with their new integrity. */
export async function minifyGlue(staging, html) {
  for (const name of readdirSync(staging).filter((f) => f.endsWith('.js'))) {
    const file = join(staging, name);
    const before = readFileSync(file, 'utf8');
    const { code } = await minify(before, { module: true, compress: true, mangle: true });
    writeFileSync(file, code);
    html = setIntegrity(html, name, code);
    console.log(`minify_js.mjs: ${name}: ${before.length} -> ${code.length} bytes`);
  }
  return html;
}
