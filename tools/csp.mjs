// Completes the Content-Security-Policy in the built index.html (run by tools/post_build.mjs).
//
// index.html's policy says `script-src 'self' 'wasm-unsafe-eval' 'inline-scripts'`. The last word is a
// placeholder: Trunk writes the wasm loader as an inline <script type="module">, whose text (it names
// the hashed .js and .wasm files) is only known after the build. This replaces the placeholder
//   - in a release build, with the SHA-256 of each inline script ('sha256-…'): only those run;
//   - in a debug build (`trunk serve`), with 'unsafe-inline': `trunk serve` also injects a live-reload
//     script and rewrites its text for each request (the server's address), so no hash can match it.
//     Everything else in the policy (no eval, no inline styles, no other origin) holds in both.
// Node's own crypto computes the hashes.

import { createHash } from 'node:crypto';

const PLACEHOLDER = "'inline-scripts'";

/** `html` with the policy's placeholder replaced; throws if the placeholder is not there once. */
export function completeCsp(html, release) {
  const uses = html.split(PLACEHOLDER).length - 1;
  if (uses !== 1) throw new Error(`index.html should contain ${PLACEHOLDER} once (in the Content-Security-Policy), found ${uses}`);
  let sources;
  if (release) {
    const scripts = inlineScripts(html);
    sources = scripts.map((text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`);
    console.log(`csp.mjs: script-src allows ${scripts.length} inline script(s) by hash: ${sources.join(' ')}`);
  } else {
    sources = ["'unsafe-inline'"];
    console.log("csp.mjs: debug build: script-src allows inline scripts (trunk serve's live reload)");
  }
  return html.replace(PLACEHOLDER, sources.join(' '));
}

/**
 * The text of every <script> without a `src`, exactly as the browser hashes it (the HTML parser turns
 * CR LF into LF before the script sees its text).
 */
function inlineScripts(html) {
  const scripts = [];
  for (const [, attributes, text] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    if (!/\bsrc\s*=/i.test(attributes)) scripts.push(text.replace(/\r\n?/g, '\n'));
  }
  return scripts;
}
