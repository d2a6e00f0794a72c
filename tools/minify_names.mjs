// Shortens the names across the wasm/JavaScript boundary in a release build (run by
// tools/post_build.mjs, before the glue is minified).
//
// wasm-bindgen names each import after the function and a hash (`__wbg_addEventListener_7c2f…`),
// and each name is written twice: in the wasm's import section and as a key of the glue's imports
// object. About 200 of them, with exports such as `__wbindgen_malloc`, came to 4.5 KB gzipped, the
// hashes being what gzip cannot shrink. Terser cannot rename them (they are strings to it), so this
// step renames both sides together: imports to `a`, `b`, … of module `a`, exports likewise. Only the
// import and export sections change; every other byte of the wasm is copied as it is.
//
// The glue is wasm-bindgen's (`--target web`); if it no longer has the shape this expects, the
// build fails with a message rather than ship a page whose wasm cannot be instantiated.

import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Renames the imports and exports of the staging folder's wasm and glue; returns `html` with the wasm's new integrity. */
export function minifyNames(staging, html) {
  const wasmName = readdirSync(staging).find((f) => f.endsWith('_bg.wasm'));
  if (!wasmName) throw new Error(`no *_bg.wasm in ${staging}`);
  const glueName = wasmName.replace(/_bg\.wasm$/, '.js');
  const wasmFile = join(staging, wasmName);
  const glueFile = join(staging, glueName);
  const { wasm, imports, exports } = renameBoundary(readFileSync(wasmFile));
  let glue = readFileSync(glueFile, 'utf8');
  for (const module of new Set(imports.map(([module]) => module))) {
    glue = replaceOnce(glue, `"${module}": import0,`, `"a": import0,`, glueName);
  }
  // Import names are keys of the imports object (`name: function(…)`), exports are read as `wasm.name`.
  for (const [, from, to] of imports) glue = replaceAll(glue, new RegExp(`\\b${from}(?=: function\\b)`, 'g'), to, from, glueName);
  // Some exports (`main`, …) the glue never reads; `__wbindgen_start` it always does, so it must be
  // among them, and renamed now.
  for (const [from, to] of exports) glue = glue.replace(new RegExp(`\\bwasm\\.${from}\\b`, 'g'), `wasm.${to}`);
  if (/\bwasm\.__wbindgen_start\b/.test(glue) || !exports.some(([from]) => from === '__wbindgen_start')) {
    throw new Error(`${glueName}: the glue's use of the exports was not recognised`);
  }
  writeFileSync(wasmFile, wasm);
  writeFileSync(glueFile, glue);
  console.log(`minify_names.mjs: ${imports.length} imports and ${exports.length} exports renamed; ${wasmName} -> ${wasm.length} bytes`);
  return setIntegrity(html, wasmName, wasm);
}

/** `html` with the `integrity` of the `<link>` to `name` set to that of `bytes`. */
export function setIntegrity(html, name, bytes) {
  const integrity = `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
  // `href=./name integrity=sha384-…` (quoted or not, minified or not).
  const link = new RegExp(`(<link\\b[^>]*\\bhref="?\\.?/?${name.replaceAll('.', '\\.')}"?[^>]*\\bintegrity=)"?sha384-[A-Za-z0-9+/=]+"?`);
  if (!link.test(html)) throw new Error(`index.html has no <link … integrity> for ${name}`);
  return html.replace(link, `$1"${integrity}"`);
}

function replaceOnce(text, from, to, file) {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`${file}: expected \`${from}\` exactly once`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

function replaceAll(text, pattern, to, name, file) {
  const replaced = text.replace(pattern, to);
  if (replaced === text) throw new Error(`${file}: \`${name}\` not found where the glue should use it`);
  return replaced;
}

/** The `i`-th short name: a … z, A … Z, then two letters and more. */
function shortName(i) {
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let name = '';
  do {
    name = letters[i % letters.length] + name;
    i = Math.floor(i / letters.length) - 1;
  } while (i >= 0);
  return name;
}

/**
 * The wasm module with its function imports renamed to module `a`, fields `a`, `b`, … and its
 * exports to `a`, `b`, …; with the renamings as [module, from, to] and [from, to].
 */
export function renameBoundary(bytes) {
  const reader = new Reader(bytes);
  if (reader.bytes(8).toString('hex') !== '0061736d01000000') throw new Error('not a wasm module (version 1)');
  const out = [bytes.subarray(0, 8)];
  const imports = [];
  const exports = [];
  while (!reader.done()) {
    const start = reader.at;
    const id = reader.byte();
    const size = reader.u32();
    const end = reader.at + size;
    if (id === 2) out.push(section(2, importSection(reader, imports)));
    else if (id === 7) out.push(section(7, exportSection(reader, exports)));
    else out.push(bytes.subarray(start, end));
    reader.at = end;
  }
  return { wasm: Buffer.concat(out), imports, exports };
}

function importSection(reader, renamed) {
  const count = reader.u32();
  const parts = [leb(count)];
  for (let i = 0; i < count; i++) {
    const module = reader.name();
    const field = reader.name();
    const kindStart = reader.at;
    const kind = reader.byte();
    if (kind === 0) reader.u32(); // function: type index
    else if (kind === 1) { reader.byte(); limits(reader); } // table: element type, limits
    else if (kind === 2) limits(reader); // memory
    else if (kind === 3) reader.bytes(2); // global: value type, mutability
    else if (kind === 4) { reader.byte(); reader.u32(); } // tag
    else throw new Error(`unknown import kind ${kind}`);
    const description = reader.source.subarray(kindStart, reader.at);
    // Every import moves to module `a` (the glue's one imports object); functions get short names.
    if (kind === 0) {
      const to = shortName(renamed.length);
      renamed.push([module, field, to]);
      parts.push(name('a'), name(to), description);
    } else {
      parts.push(name('a'), name(field), description);
    }
  }
  return Buffer.concat(parts);
}

function exportSection(reader, renamed) {
  const count = reader.u32();
  const parts = [leb(count)];
  for (let i = 0; i < count; i++) {
    const from = reader.name();
    const kind = reader.byte();
    const index = reader.u32();
    const to = shortName(i);
    renamed.push([from, to]);
    parts.push(name(to), Buffer.from([kind]), leb(index));
  }
  return Buffer.concat(parts);
}

function limits(reader) {
  const flags = reader.byte();
  reader.u32();
  if (flags & 1) reader.u32();
}

function section(id, body) {
  return Buffer.concat([Buffer.from([id]), leb(body.length), body]);
}

function name(text) {
  const bytes = Buffer.from(text, 'utf8');
  return Buffer.concat([leb(bytes.length), bytes]);
}

function leb(value) {
  const out = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return Buffer.from(out);
}

class Reader {
  constructor(source) {
    this.source = source;
    this.at = 0;
  }
  done() {
    return this.at >= this.source.length;
  }
  byte() {
    if (this.done()) throw new Error('the wasm module ends too early');
    return this.source[this.at++];
  }
  bytes(n) {
    if (this.at + n > this.source.length) throw new Error('the wasm module ends too early');
    const bytes = this.source.subarray(this.at, this.at + n);
    this.at += n;
    return bytes;
  }
  u32() {
    let result = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = this.byte();
      result += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return result;
    }
  }
  name() {
    return this.bytes(this.u32()).toString('utf8');
  }
}
