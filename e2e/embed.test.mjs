// The playground embedded in someone else's page: examples/embed.html (two scenarios side by side in
// sandboxed iframes) served from one origin, the playground from another (http://127.0.0.1:A/paxos/
// and http://127.0.0.1:B/, two ports: two origins). Both embeds must run in embed mode and play on
// their own, with no error and no Content-Security-Policy violation in either frame, and nothing may
// be requested from any third address: the embedded app needs nothing from its host and sends nothing
// to any network address but its own.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic, startApp } from './lib/harness.mjs';

/** Where the example page says the playground lives; the test puts the real address there. */
const EXAMPLE_HOST = 'https://example.org/paxos/';
const EXAMPLE = fileURLToPath(new URL('../examples/embed.html', import.meta.url));

let app; // the playground: dist/ under /paxos/ on one port, and the browser
let host; // the host page on another port
let hostDir; // the folder the host page is served from
let page;
let problems; // console errors, page errors, failed requests, CSP violations: in the page and its frames
const requests = []; // every URL the browser asked for, from the page and from both frames

before(async () => {
  app = await startApp();
  const example = await readFile(EXAMPLE, 'utf8');
  assert.ok(example.includes(EXAMPLE_HOST), `${EXAMPLE} embeds ${EXAMPLE_HOST}`);
  hostDir = await mkdtemp(join(tmpdir(), 'paxos-embed-host-'));
  await writeFile(join(hostDir, 'index.html'), example.replaceAll(EXAMPLE_HOST, app.url));
  // A blog has an icon; without one the browser's request for it would be a 404 (a console error).
  await writeFile(join(hostDir, 'favicon.ico'), '');
  host = await serveStatic(hostDir);
  assert.notEqual(host.origin, app.origin, 'the host page and the playground have different origins');

  ({ page, problems } = await app.openPage({ viewport: { width: 1280, height: 900 } }));
  page.context().on('request', (request) => requests.push(request.url()));
  await page.goto(host.url);
});

after(async () => {
  await app?.close();
  await host?.close();
  if (hostDir) await rm(hostDir, { recursive: true, force: true });
});

/** The two iframes of the host page, as `{ title, frame }` (`frame`: Playwright's Frame inside). */
async function embeds() {
  const iframes = page.locator('iframe');
  assert.equal(await iframes.count(), 2, 'the example embeds two scenarios');
  const found = [];
  for (let i = 0; i < 2; i++) {
    const iframe = iframes.nth(i);
    // loading="lazy": a frame loads once it is near the viewport.
    await iframe.scrollIntoViewIfNeeded();
    const title = await iframe.getAttribute('title');
    const frame = await (await iframe.elementHandle()).contentFrame();
    assert.ok(frame, `${title}: the iframe has a document`);
    found.push({ title, frame });
  }
  return found;
}

test('both frames load the playground from its own origin, under its sub-path', async () => {
  for (const { title, frame } of await embeds()) {
    // The app has rendered: its cluster view or its timeline is there.
    await frame.locator('svg.cluster, canvas.lamport').first().waitFor({ timeout: 60_000 });
    assert.equal(new URL(frame.url()).origin, app.origin, `${title}: served by the playground's host`);
    assert.ok(new URL(frame.url()).pathname.startsWith('/paxos/'), `${title}: under /paxos/ (${frame.url()})`);
  }
});

test('each frame runs in embed mode and plays by itself (autoplay) to its first caption', async () => {
  for (const { title, frame } of await embeds()) {
    await frame.locator('.app.embed').waitFor({ timeout: 60_000 });
    const timeline = frame.locator('canvas.lamport');
    await timeline.waitFor();
    // A scenario is simulated whole when it loads and starts at 0 µs; playing moves the cursor through
    // it, with nobody pressing Play, to its first caption, where the story waits for the reader
    // (waits until it does; no fixed delay).
    await frame.locator('.caption.story .story-count').filter({ hasText: /^1\// }).waitFor({ timeout: 30_000 });
    const later = Number(await timeline.getAttribute('data-cursor'));
    assert.ok(later > 0, `${title}: the cursor went from 0 µs to ${later} µs`);
  }
});

test('no error or CSP violation in either frame, and no request to a third address', async () => {
  console.log(`screenshot: ${await app.screenshot(page, 'embed-host-page')}`);
  assert.ok(
    requests.some((url) => url.startsWith(app.url) && url.endsWith('.wasm')),
    'the frames fetched the wasm from the playground (the request log works)',
  );
  // data: and blob: URLs are not network requests (the page's icon is `data:,`).
  const elsewhere = requests.filter(
    (url) => !/^(data|blob):/.test(url) && ![app.origin, host.origin].includes(new URL(url).origin),
  );
  assert.deepEqual(elsewhere, [], `requests to other addresses:\n${elsewhere.join('\n')}`);
  for (const { title, frame } of await embeds()) {
    assert.equal(await frame.locator('.panic').count(), 0, `${title}: no panic`);
  }
  assert.deepEqual(problems, [], `problems on the host page or in its frames:\n${problems.join('\n')}`);
});
