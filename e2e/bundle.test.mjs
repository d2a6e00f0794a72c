// The release bundle's wasm/JavaScript boundary: tools/minify_names.mjs renames the imports and
// exports on both sides (the other journeys prove the page still runs), and a hand-made module shows
// the renaming (wasm-opt's pass) keeps a module working, with the new names it reports.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST } from './lib/harness.mjs';
import { renameBoundary } from '../tools/minify_names.mjs';

test('the release wasm and its glue cross the boundary with short names', async () => {
  const files = await readdir(DIST);
  const wasmName = files.find((f) => f.endsWith('_bg.wasm'));
  assert.ok(wasmName, `dist/ has the wasm: ${files}`);
  const module = new WebAssembly.Module(await readFile(join(DIST, wasmName)));
  const imports = WebAssembly.Module.imports(module);
  assert.ok(imports.length > 100, `${imports.length} imports`);
  for (const { module: from, name } of imports) assert.ok(from === 'a' && name.length <= 2, `import ${from}.${name}`);
  for (const { name } of WebAssembly.Module.exports(module)) assert.ok(name.length <= 2, `export ${name}`);
  const glue = await readFile(join(DIST, wasmName.replace(/_bg\.wasm$/, '.js')), 'utf8');
  assert.doesNotMatch(glue, /__wbg_\w+_[0-9a-f]{16}|__wbindgen_malloc/, "the glue keeps none of wasm-bindgen's long names");
});

/** A module that imports `env.say_hello_0123456789` and exports `call_it`, which calls it. */
function helloModule() {
  const name = (text) => [text.length, ...Buffer.from(text)];
  const section = (id, body) => [id, body.length, ...body];
  return Buffer.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [1, 0x60, 0, 0]), // one type: () -> ()
    ...section(2, [1, ...name('env'), ...name('say_hello_0123456789'), 0, 0]), // import function 0
    ...section(3, [1, 0]), // function 1 has type 0
    ...section(7, [1, ...name('call_it'), 0, 1]), // export function 1
    ...section(10, [1, 4, 0, 0x10, 0, 0x0b]), // function 1: call 0
  ]);
}

test('renaming the boundary keeps a module working, under the names it reports', async () => {
  const original = helloModule();
  const folder = await mkdtemp(join(tmpdir(), 'bundle-test-'));
  try {
    const file = join(folder, 'hello_bg.wasm');
    await writeFile(file, original);
    const { imports, exports, module } = renameBoundary(file);
    const wasm = await readFile(file);
    assert.equal(imports.length, 1);
    assert.deepEqual(imports[0].slice(0, 2), ['env', 'say_hello_0123456789']);
    assert.deepEqual(exports.map(([from]) => from), ['call_it']);
    const [[, , hello]] = imports;
    const [[, callIt]] = exports;
    assert.ok(module.length === 1 && hello.length === 1 && callIt.length === 1, `${module}.${hello}, ${callIt}`);
    assert.ok(wasm.length < original.length, `${original.length} -> ${wasm.length} bytes`);
    let said = 0;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(wasm), { [module]: { [hello]: () => said++ } });
    instance.exports[callIt]();
    assert.equal(said, 1);
  } finally {
    await rm(folder, { recursive: true });
  }
});
