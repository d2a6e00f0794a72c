// Sharing a run, as people do: copy the link in one browser and open it in another (the same trace
// hash), replay it with `paxos replay --url` (the same hash again), export the run and import it
// back, export the trace, history and images, open bad links and bad files, and embed a scenario.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { shareLink, startApp } from './lib/harness.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

let app;
before(async () => {
  app = await startApp();
});
after(async () => {
  await app?.close();
});

/** Opens the page at `query` and waits until `selector` is drawn. */
async function open(query = '', selector = 'svg.cluster') {
  const { page, problems } = await app.openPage();
  await page.goto(`${app.url}${query}`);
  await page.locator(selector).waitFor({ timeout: 60_000 });
  return { page, problems };
}

/** Clicks an export button (by its `data-export` name) and returns the downloaded file's name and bytes. */
async function download(page, label) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-export="${label}"]`).click()]);
  return { name: file.suggestedFilename(), bytes: await readFile(await file.path()) };
}

/** Plays for `ms` of real time, then pauses. */
async function play(page, ms) {
  await page.locator('#play').click();
  await page.waitForTimeout(ms);
  await page.locator('#play').click();
}

test('a shared link replays the same run in another browser and on the command line', async () => {
  const { page, problems } = await open('?p=raft&n=5&seed=4&k=2');
  await page.locator('#speed').fill('70');
  await play(page, 1_200);
  await page.keyboard.press('c'); // crash the leader (no node selected)
  await play(page, 800);
  await page.keyboard.press('h');
  await play(page, 400);
  const shared = await shareLink(page);
  assert.match(shared.link, /^http:\/\/127\.0\.0\.1:\d+\/.*\?v=1&p=raft&n=5&seed=4&k=2&t=[\d.]+&a=[\w-]+$/);
  assert.match(shared.hash, /^[0-9a-f]{16}$/);
  await shared.panel.locator('#copy-link').click();
  await shared.panel.getByRole('button', { name: 'Copied ✓' }).waitFor();
  console.log(`link of ${shared.link.length} characters, trace hash ${shared.hash}`);

  // Another browser (a fresh context: nothing shared but the link).
  const other = await app.openPage();
  await other.page.goto(shared.link);
  await other.page.locator('svg.cluster').waitFor({ timeout: 60_000 });
  const again = await shareLink(other.page);
  assert.equal(again.hash, shared.hash, 'the same trace up to the moment shown');
  assert.equal(again.link, shared.link);

  // The command line.
  const { stdout } = await promisify(execFile)(
    'cargo',
    ['run', '--quiet', '--release', '-p', 'paxos-cli', '--', 'replay', '--url', shared.link],
    { cwd: root, maxBuffer: 256 * 1024 * 1024 },
  );
  assert.equal(stdout.trim().split('\n').at(-1), `trace hash ${shared.hash}`);

  assert.deepEqual(problems, [], `problems on the page:\n${problems.join('\n')}`);
  assert.deepEqual(other.problems, [], `problems on the second page:\n${other.problems.join('\n')}`);
});

test('export the run and import it back; a bad file is named and the run kept', async () => {
  const { page, problems } = await open('?p=multi&n=3&seed=12&k=1');
  await page.locator('#speed').fill('70');
  await play(page, 700);
  await page.keyboard.press('c');
  await play(page, 300);
  const shared = await shareLink(page);
  const run = await download(page, 'run');
  assert.match(run.name, /^paxos-multi-seed12-t\d+ms\.json$/);
  const file = JSON.parse(run.bytes.toString());
  assert.equal(file.playground, 1);
  assert.equal(file.protocol, 'multi');
  assert.equal(file.nodes, 3);
  assert.equal(file.trace_hash, shared.hash);
  assert.equal(file.actions[0].fault, 'crash');

  // The other exports, in the CLI's formats and as images.
  const trace = (await download(page, 'trace')).bytes.toString().trim().split('\n');
  assert.ok(trace.length > 10);
  assert.equal(JSON.parse(trace[0]).id, 0);
  const history = (await download(page, 'history')).bytes.toString().trim().split('\n');
  assert.match(history[0], /"type":"invoke"/);
  const timelineSvg = (await download(page, 'timeline-svg')).bytes.toString();
  assert.match(timelineSvg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*>.*<path d="M/s);
  const clusterSvg = (await download(page, 'cluster-svg')).bytes.toString();
  assert.match(clusterSvg, /^<svg[^>]* xmlns="http:\/\/www\.w3\.org\/2000\/svg"><style>/);
  assert.match(clusterSvg, /data-node="n3"/);
  const png = (bytes) => bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  assert.ok(png((await download(page, 'timeline-png')).bytes), 'the timeline PNG is a PNG');
  assert.ok(png((await download(page, 'cluster-png')).bytes), 'the cluster PNG is a PNG');

  // Import it in a fresh page: the same run.
  const other = await open('?p=basic&n=7&seed=1');
  await other.page.locator('#share').click();
  await other.page.locator('#import').setInputFiles({ name: run.name, mimeType: 'application/json', buffer: run.bytes });
  await other.page.locator('svg.cluster g.node[data-node="n3"]').waitFor();
  assert.equal(await other.page.locator('svg.cluster g.node').count(), 3);
  const imported = await shareLink(other.page);
  assert.equal(imported.hash, shared.hash);
  assert.equal(new URL(imported.link).search, new URL(shared.link).search);
  await other.page.getByRole('dialog', { name: 'Share and export' }).getByRole('button', { name: 'Close' }).click();

  // A bad file, dropped on the page: named, and the current run is kept.
  const bad = '{ "playground": 1, "protocol": "multi", "nodes": "five" }';
  const transfer = await other.page.evaluateHandle((text) => {
    const data = new DataTransfer();
    data.items.add(new File([text], 'bad.json', { type: 'application/json' }));
    return data;
  }, bad);
  await other.page.dispatchEvent('.app', 'drop', { dataTransfer: transfer });
  const alert = other.page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /Cannot import bad\.json: "nodes": expected a whole number from 0 to 255, found "five".*The current run is kept/s);
  assert.equal(await other.page.locator('svg.cluster g.node').count(), 3);
  assert.equal((await shareLink(other.page)).hash, shared.hash);

  assert.deepEqual(problems, [], `problems on the page:\n${problems.join('\n')}`);
  assert.deepEqual(other.problems, [], `problems on the second page:\n${other.problems.join('\n')}`);
});

test('a scenario with an action: its link and its run file replay the same run, here and on the command line', async () => {
  // The scenario's file is fetched; the crash of n2 at 20 ms branches off its story.
  const { page, problems } = await open('?scenario=duelling-proposers&node=n2&t=20');
  await page.locator('.scenario-card h2').waitFor();
  await page.keyboard.press('c');
  const shared = await shareLink(page);
  assert.match(shared.link, /\?v=1&scenario=duelling-proposers&t=[\d.]+&node=n2&a=[\w-]+$/);
  const { stdout } = await promisify(execFile)(
    'cargo',
    ['run', '--quiet', '--release', '-p', 'paxos-cli', '--', 'replay', '--url', shared.link],
    { cwd: root, maxBuffer: 256 * 1024 * 1024 },
  );
  assert.equal(stdout.trim().split('\n').at(-1), `trace hash ${shared.hash}`);
  const run = await download(page, 'run');
  assert.equal(JSON.parse(run.bytes.toString()).scenario, 'duelling-proposers');

  // The link in another browser, and the file imported into a page that has not loaded the scenario.
  const other = await open(new URL(shared.link).search);
  await other.page.locator('.scenario-card h2').waitFor();
  assert.equal((await shareLink(other.page)).hash, shared.hash);
  const third = await open('?p=basic&n=3');
  await third.page.locator('#share').click();
  await third.page.locator('#import').setInputFiles({ name: run.name, mimeType: 'application/json', buffer: run.bytes });
  await third.page.locator('.scenario-card h2').waitFor();
  assert.equal((await shareLink(third.page)).hash, shared.hash);

  for (const seen of [problems, other.problems, third.problems]) {
    assert.deepEqual(seen, [], `problems on a page:\n${seen.join('\n')}`);
  }
});

test('a link from a newer playground, or cut short, shows a clear banner and a working page', async () => {
  for (const [query, message] of [
    ['?v=3&p=raft&n=7&a=AAAA', /newer playground \(format 3; this one reads format 2\)/],
    ['?v=1&p=raft&n=7&t=300&a=ZAAAAAIAZAYAAQ', /'a=ZAAAAAIAZAYAAQ': action 3: cut short/],
  ]) {
    const { page, problems } = await open(query);
    assert.match(await page.getByRole('alert').innerText(), message);
    await play(page, 300);
    assert.ok(Number(await page.locator('canvas.lamport').getAttribute('data-head')) > 0, 'the default run plays');
    assert.equal(await page.locator('.panic').count(), 0);
    assert.deepEqual(problems, [], `problems on the page (${query}):\n${problems.join('\n')}`);
  }
});

test('embedded: a scenario plays chrome-less, sized to a small frame, without trapping the scroll', async () => {
  const { page, problems } = await open('?embed&scenario=duelling-proposers&autoplay&speed=20', '.app.embed svg.cluster');
  await page.setViewportSize({ width: 320, height: 400 });
  assert.equal(await page.locator('header.top').count(), 0, 'no setup bar');
  assert.equal(await page.locator('aside.side').count(), 0, 'no side panels');
  // A scenario is simulated whole when it loads; playing moves the cursor through it.
  const cursor = async () => Number(await page.locator('canvas.lamport').getAttribute('data-cursor'));
  const first = await cursor();
  await page.waitForTimeout(800);
  assert.ok((await cursor()) > first, 'autoplay plays the scenario');
  const size = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]);
  assert.ok(size[0] <= 320 && size[1] <= 400, `the embed fits its frame (it is ${size})`);
  const open_ = page.locator('a.open-full');
  assert.match(await open_.getAttribute('href'), /^\.\/\?v=1&scenario=duelling-proposers/);
  assert.doesNotMatch(await open_.getAttribute('href'), /embed/);
  // The wheel over the timeline leaves the zoom alone (the host page scrolls); Ctrl+wheel zooms.
  const span = () => page.locator('canvas.lamport').getAttribute('data-span');
  const before_ = await span();
  await page.locator('canvas.lamport').hover();
  await page.mouse.wheel(0, 200);
  assert.equal(await span(), before_);
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, 200);
  await page.keyboard.up('Control');
  assert.notEqual(await span(), before_);
  console.log(`screenshot: ${await app.screenshot(page, '9-embed-320')}`);

  // One view, no controls.
  const bare = await open('?embed&scenario=raft-partition&view=cluster&controls=0', '.app.embed svg.cluster');
  assert.equal(await bare.page.locator('canvas.lamport').count(), 0);
  assert.equal(await bare.page.locator('#play').count(), 0);
  assert.equal(await bare.page.locator('a.open-full').count(), 1);

  assert.deepEqual(problems, [], `problems on the page:\n${problems.join('\n')}`);
  assert.deepEqual(bare.problems, [], `problems on the second page:\n${bare.problems.join('\n')}`);
});
