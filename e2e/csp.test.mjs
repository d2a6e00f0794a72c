// Hosting and the Content-Security-Policy: the release bundle is served from a sub-path (/paxos/)
// and asks for nothing outside it; its index.html carries a complete policy (tools/csp.mjs filled in
// the loader's hash); and the browser enforces that policy, so the other journeys, which fail on any
// CSP violation, prove the app runs under it.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BASE_PATH, DIST, startApp } from './lib/harness.mjs';

let app;
before(async () => {
  app = await startApp();
});
after(async () => {
  await app?.close();
});

/** The policy of dist/index.html's `<meta http-equiv="Content-Security-Policy">`, by directive. */
async function policy() {
  const html = await readFile(join(DIST, 'index.html'), 'utf8');
  // Any attribute order and quoting: the release build's HTML is minified.
  const tag = html.match(/<meta\b[^>]*\bhttp-equiv="?Content-Security-Policy"?[^>]*>/i);
  assert.ok(tag, 'dist/index.html has a Content-Security-Policy meta tag');
  const content = tag[0].match(/\bcontent="([^"]*)"/i);
  assert.ok(content, `the policy's meta tag has a content: ${tag[0]}`);
  return Object.fromEntries(
    content[1].split(';').map((d) => d.trim().split(/\s+/)).filter((words) => words[0]).map(([name, ...sources]) => [name, sources]),
  );
}

test('the built page carries a strict, complete Content-Security-Policy', async () => {
  const csp = await policy();
  assert.deepEqual(csp['default-src'], ["'none'"]);
  assert.deepEqual(csp['connect-src'], ["'self'"]);
  assert.deepEqual(csp['style-src'], ["'self'"]);
  assert.deepEqual(csp['img-src'], ["'self'", 'data:', 'blob:']);
  assert.deepEqual(csp['base-uri'], ["'none'"]);
  assert.deepEqual(csp['form-action'], ["'none'"]);
  const [self, wasm, ...inline] = csp['script-src'];
  assert.deepEqual([self, wasm], ["'self'", "'wasm-unsafe-eval'"]);
  assert.ok(inline.length >= 1, 'the inline loader is allowed by its hash');
  for (const source of inline) assert.match(source, /^'sha256-[A-Za-z0-9+/]{43}='$/, 'only hashes, no placeholder');
});

test('served from /paxos/, the page asks for nothing outside it', async () => {
  const { page, problems } = await app.openPage();
  const requests = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(app.url);
  await page.locator('svg.cluster').waitFor({ timeout: 60_000 });
  assert.ok(requests.some((url) => url.endsWith('.wasm')), 'the wasm was requested');
  const outside = requests.filter((url) => !/^(data|blob):/.test(url) && !url.startsWith(app.url));
  assert.deepEqual(outside, [], `requests outside ${BASE_PATH}`);
  // The folder without its slash redirects, as static hosts do; the server's root has nothing.
  assert.equal((await page.request.get(app.url.replace(/\/$/, ''))).url(), app.url);
  assert.equal((await page.request.get(`${app.origin}/`)).status(), 404);
  assert.deepEqual(problems, [], `problems on the page:\n${problems.join('\n')}`);
});

test('the browser enforces the policy, and the journeys see each violation', async () => {
  const { page, problems } = await app.openPage();
  await page.goto(app.url);
  await page.locator('svg.cluster').waitFor({ timeout: 60_000 });
  assert.deepEqual(problems, [], 'a clean start');
  // Three things the policy forbids, done by the page itself (not by Playwright, which may bypass it).
  await page.evaluate(() => {
    document.body.setAttribute('style', 'outline: 1px solid red'); // an inline style attribute
    setTimeout('document.title = "evaluated"'); // eval of a string
    fetch('http://127.0.0.1:9/').catch(() => {}); // another origin
  });
  const wanted = ['style-src-attr', 'script-src', 'connect-src'];
  const reported = () => wanted.filter((d) => problems.some((p) => p.startsWith('CSP violation') && p.includes(`: ${d} `)));
  // The reports arrive asynchronously: wait for all three (or 10 s), then compare.
  for (let tries = 0; reported().length < wanted.length && tries < 100; tries++) await page.waitForTimeout(100);
  assert.deepEqual(reported(), wanted, `violations reported:\n${problems.join('\n')}`);
  assert.notEqual(await page.title(), 'evaluated', 'the string was not evaluated');
});
