// Shortens the names across the wasm/JavaScript boundary in a release build (run by
// tools/post_build.mjs, before the glue is minified).
//
// wasm-bindgen names each import after the function and a hash (`__wbg_addEventListener_7c2f…`),
// and each name is written twice: in the wasm's import section and as a key of the glue's imports
// object. About 200 of them, with exports such as `__wbindgen_malloc`, came to 4.5 KB gzipped, the
// hashes being what gzip cannot shrink. Terser cannot rename them (they are strings to it), so both
// sides are renamed together: the wasm by binaryen's own pass, `--minify-imports-and-exports-and-
// modules` (every import into one module, `a`; imports and exports to `a`, `b`, … `$a`, …), which
// prints the renamings as JSON; the glue here, from that JSON. (It replaced a hand-written rewriter of
// the import and export sections: BENCHMARKS.md, Bundle size, has both measured.)
//
// The pass cannot go in index.html's wasm-opt params: Trunk lets wasm-opt print to the console,
// where this step cannot read it (and `--converge` would run it, and print it, several times).
//
// The glue is wasm-bindgen's (`--target web`); if it no longer has the shape this expects, the
// build fails with a message rather than ship a page whose wasm cannot be instantiated.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** binaryen's wasm-opt, pinned by tools/package.json (the one Trunk runs, Trunk.toml). */
const WASM_OPT = fileURLToPath(new URL('node_modules/.bin/wasm-opt', import.meta.url));

/** Renames the imports and exports of the staging folder's wasm and glue; returns `html` with the wasm's new integrity. */
export function minifyNames(staging, html) {
  const wasmName = readdirSync(staging).find((f) => f.endsWith('_bg.wasm'));
  if (!wasmName) throw new Error(`no *_bg.wasm in ${staging}`);
  const glueName = wasmName.replace(/_bg\.wasm$/, '.js');
  const wasmFile = join(staging, wasmName);
  const glueFile = join(staging, glueName);
  const { imports, exports, module: to } = renameBoundary(wasmFile);
  let glue = readFileSync(glueFile, 'utf8');
  for (const module of new Set(imports.map(([module]) => module))) {
    glue = replaceOnce(glue, `"${module}": import0,`, `"${to}": import0,`, glueName);
  }
  // Import names are keys of the imports object (`name: function(…)`), exports are read as `wasm.name`.
  // (A function gives the new name as it is: binaryen's names may hold `$`, special in a replacement string.)
  for (const [, from, to] of imports) glue = replaceAll(glue, new RegExp(`\\b${from}(?=: function\\b)`, 'g'), to, from, glueName);
  // Some exports (`main`, …) the glue never reads; `__wbindgen_start` it always does, so it must be
  // among them, and renamed now.
  for (const [from, to] of exports) glue = glue.replace(new RegExp(`\\bwasm\\.${from}\\b`, 'g'), () => `wasm.${to}`);
  if (/\bwasm\.__wbindgen_start\b/.test(glue) || !exports.some(([from]) => from === '__wbindgen_start')) {
    throw new Error(`${glueName}: the glue's use of the exports was not recognised`);
  }
  writeFileSync(glueFile, glue);
  const wasm = readFileSync(wasmFile);
  console.log(`minify_names.mjs: ${imports.length} imports and ${exports.length} exports renamed; ${wasmName} -> ${wasm.length} bytes`);
  return setIntegrity(html, wasmName, wasm);
}

/**
 * Renames the imports and exports of the wasm module in `file`, in place, with wasm-opt's pass;
 * returns the renamings as wasm-opt prints them, imports as [module, from, to] and exports as
 * [from, to], and the one module every import is now in.
 */
export function renameBoundary(file) {
  if (!existsSync(WASM_OPT)) throw new Error(`${WASM_OPT} is missing: run \`npm ci\` in tools/ (cargo xtask does)`);
  // No optimization pass runs, only the renaming; the levels are -Oz's so that wasm-opt writes the
  // code as compactly as Trunk's run did (without them the code section grows by 0.5 KB). The
  // features come from the module's target_features section, which Trunk's run wrote.
  const args = [file, '--optimize-level=2', '--shrink-level=2', '--minify-imports-and-exports-and-modules', '-o', file];
  const printed = execFileSync(WASM_OPT, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  let renamed;
  try {
    renamed = JSON.parse(printed);
  } catch {
    throw new Error(`wasm-opt printed no renamings as JSON: ${printed.slice(0, 200)}`);
  }
  const { imports, exports } = renamed;
  const modules = new Set(WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(file))).map((i) => i.module));
  if (!Array.isArray(imports) || !Array.isArray(exports) || modules.size > 1) {
    throw new Error(`wasm-opt's renamings are not what this expects: ${[...modules].length} modules, ${printed.slice(0, 200)}`);
  }
  return { imports, exports, module: [...modules][0] };
}

/** `html` with the `integrity` of the `<link>` or `<script>` of `name` set to that of `bytes`. */
export function setIntegrity(html, name, bytes) {
  const integrity = `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
  // The <link href=./name …> or <script src=./name …> tag (attributes in any order, quoted or not,
  // minified or not), and its `integrity=sha384-…` inside.
  const tag = new RegExp(`<(?:link|script)\\b[^>]*\\b(?:href|src)="?\\.?/?${name.replaceAll('.', '\\.')}[" >][^>]*>`);
  const found = html.match(tag);
  const value = /\bintegrity="?sha384-[A-Za-z0-9+/=]+"?/;
  if (!found || !value.test(found[0])) throw new Error(`index.html has no <link> or <script> with an integrity for ${name}`);
  return html.replace(found[0], found[0].replace(value, `integrity="${integrity}"`));
}

function replaceOnce(text, from, to, file) {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`${file}: expected \`${from}\` exactly once`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

function replaceAll(text, pattern, to, name, file) {
  const replaced = text.replace(pattern, () => to);
  if (replaced === text) throw new Error(`${file}: \`${name}\` not found where the glue should use it`);
  return replaced;
}
