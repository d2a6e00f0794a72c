// A blog post drives an embedded story through the postMessage API: examples/scroll-story.html,
// served from one origin, embeds the playground served from another. Scrolling to a paragraph shows
// its caption; the embed tells the host which caption it reached; a malformed command gets an error
// event back and changes nothing; a script in another frame cannot drive the embed.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic, startApp } from './lib/harness.mjs';

const EXAMPLE_HOST = 'https://example.org/paxos/';
const EXAMPLE = fileURLToPath(new URL('../examples/scroll-story.html', import.meta.url));

let app;
let host;
let hostDir;
let page;
let problems;
const requests = [];

before(async () => {
  app = await startApp();
  const example = await readFile(EXAMPLE, 'utf8');
  assert.ok(example.includes(EXAMPLE_HOST), `${EXAMPLE} embeds ${EXAMPLE_HOST}`);
  hostDir = await mkdtemp(join(tmpdir(), 'paxos-story-host-'));
  await writeFile(join(hostDir, 'index.html'), example.replaceAll(EXAMPLE_HOST, app.url));
  await writeFile(join(hostDir, 'favicon.ico'), '');
  host = await serveStatic(hostDir);
  assert.notEqual(host.origin, app.origin);
  ({ page, problems } = await app.openPage({ viewport: { width: 1280, height: 800 } }));
  page.context().on('request', (request) => requests.push(request.url()));
  await page.goto(host.url);
  await page.locator('#story[data-captions]').waitFor({ timeout: 60_000 });
});

after(async () => {
  await app?.close();
  await host?.close();
  if (hostDir) await rm(hostDir, { recursive: true, force: true });
});

/** The embedded playground's frame. */
async function frame() {
  return (await page.locator('#story').elementHandle()).contentFrame();
}

test('the embed tells its host it is ready, with its captions', async () => {
  assert.equal(await page.locator('#story').getAttribute('data-captions'), '10');
});

test('scrolling to a paragraph shows its caption, and the embed says which it reached', async () => {
  await page.locator('p[data-caption="3"]').scrollIntoViewIfNeeded();
  await page.locator('#status', { hasText: 'Caption 4 of 10.' }).waitFor({ timeout: 10_000 });
  const shown = await (await frame()).locator('.caption').first().textContent();
  assert.match(shown, /^4\/10/, `the embed shows caption 4: ${shown}`);
  await page.locator('p[data-caption="7"]').scrollIntoViewIfNeeded();
  await page.locator('#status', { hasText: 'Caption 8 of 10.' }).waitFor({ timeout: 10_000 });
});

test('a malformed command gets an error event naming what is wrong, and changes nothing', async () => {
  const before = await (await frame()).locator('canvas.lamport').getAttribute('data-cursor');
  await page.evaluate(() =>
    document.getElementById('story').contentWindow.postMessage({ paxos: 1, type: 'fly', id: 'x' }, '*'),
  );
  await page.locator('#status', { hasText: 'The playground said:' }).waitFor({ timeout: 10_000 });
  assert.match(await page.locator('#status').textContent(), /type/);
  await page.evaluate(() =>
    document.getElementById('story').contentWindow.postMessage({ paxos: 1, type: 'seek', caption: 99 }, '*'),
  );
  await page.locator('#status', { hasText: 'caption: this run has 10 captions' }).waitFor({ timeout: 10_000 });
  const after = await (await frame()).locator('canvas.lamport').getAttribute('data-cursor');
  assert.equal(after, before, 'the cursor did not move');
  assert.equal(await (await frame()).locator('.panic').count(), 0, 'no panic');
});

test('a message from a window other than the embedding one is ignored', async () => {
  const target = await frame();
  const before = await target.locator('canvas.lamport').getAttribute('data-cursor');
  // The embed posts to itself: its own window is not the one that embeds it.
  await target.evaluate(() => window.postMessage({ paxos: 1, type: 'seek', caption: 0 }, '*'));
  await page.waitForTimeout(500);
  assert.equal(await target.locator('canvas.lamport').getAttribute('data-cursor'), before);
});

test('no error, no CSP violation, nothing requested from a third address', async () => {
  const elsewhere = requests.filter(
    (url) => !/^(data|blob):/.test(url) && ![app.origin, host.origin].includes(new URL(url).origin),
  );
  assert.deepEqual(elsewhere, []);
  assert.deepEqual(problems, [], problems.join('\n'));
});
