// Journeys through the playground, as a person would take them: start a 5-node Multi-Paxos run,
// split the network by dragging nodes, crash the leader, watch the majority elect a new one, heal,
// watch the minority catch up, scrub the timeline back; load a scenario; open a bad address.
// Every journey ends by checking that the page logged no error and showed no panic.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startApp } from './lib/harness.mjs';

let app;
before(async () => {
  app = await startApp();
});
after(async () => {
  await app?.close();
});

/** Opens the page at `query` and waits for the first frame of the cluster view. */
async function open(query = '') {
  const { page, problems } = await app.openPage();
  await page.goto(`${app.url}${query}`);
  await page.locator('svg.cluster').waitFor({ timeout: 60_000 });
  return { page, problems };
}

/** Every node of the cluster view: `{ name, role, status, decided }`. */
async function nodes(page) {
  return page.locator('svg.cluster g.node').evaluateAll((gs) =>
    gs.map((g) => ({
      name: g.dataset.node,
      role: g.dataset.role,
      status: g.dataset.status,
      decided: Number(g.dataset.decided),
    })),
  );
}

/** Plays until `done(nodes)` holds (checked every 100 ms), then pauses. */
async function playUntil(page, what, done, timeout = 30_000) {
  await page.locator('#play').click();
  const start = Date.now();
  for (;;) {
    const now = await nodes(page);
    if (done(now)) break;
    if (Date.now() - start > timeout) {
      assert.fail(`${what} did not happen while playing; nodes: ${JSON.stringify(now)}`);
    }
    await page.waitForTimeout(100);
  }
  await page.locator('#play').click();
  await assert.doesNotReject(page.getByRole('button', { name: '▶ Play' }).waitFor({ timeout: 5_000 }));
}

/** Drags node `name` (e.g. "n2") to `target`, a point in page pixels, in small steps like a hand. */
async function drag(page, name, target) {
  const box = await page.locator(`g.node[data-node="${name}"] .shape`).boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(target.x, target.y, { steps: 8 });
  await page.mouse.up();
}

async function center(page, selector) {
  const box = await page.locator(selector).boundingBox();
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

const leaderOf = (ns) => ns.find((n) => n.role === 'leader' && n.status === 'leader');

test('split the network, crash the leader, heal, scrub back', async () => {
  const { page, problems } = await open();

  // A 5-node Multi-Paxos run, faster than the default speed.
  await page.locator('#protocol').selectOption('multi');
  await page.locator('#nodes').selectOption('5');
  await page.locator('#new-run').click();
  await page.locator('#speed').fill('70');
  assert.equal((await nodes(page)).length, 5);

  // Play until a leader is elected and has committed a few commands.
  await playUntil(page, 'a leader committing', (ns) => leaderOf(ns) && ns.every((n) => n.decided >= 3));
  const first = leaderOf(await nodes(page));
  const whole = await page.locator('svg.cluster').getAttribute('data-islands');
  const beforeSplit = Number(await page.locator('svg.cluster').getAttribute('data-time'));
  console.log(`screenshot: ${await app.screenshot(page, '1-leader-elected')}`);

  // Drag the leader to the right edge (an island of its own), then a follower onto it.
  const svg = await page.locator('svg.cluster').boundingBox();
  await drag(page, first.name, { x: svg.x + svg.width - 12, y: svg.y + svg.height * 0.8 });
  await page.locator('g.island').nth(1).waitFor();
  const follower = (await nodes(page)).find((n) => n.name !== first.name);
  await drag(page, follower.name, await center(page, `g.node[data-node="${first.name}"] .shape`));
  const islands = await page.locator('g.island .island-label').evaluateAll((ts) => ts.map((t) => t.textContent));
  assert.deepEqual(islands.map((t) => t.replace(/^island . · /, '')).sort(), ['2 nodes', '3 nodes · majority']);
  console.log(`screenshot: ${await app.screenshot(page, '2-two-islands')}`);

  // Crash the leader from its context menu.
  await page.locator(`g.node[data-node="${first.name}"] .shape`).click({ button: 'right' });
  await page.getByRole('menuitem', { name: /^Crash/ }).click();
  assert.equal((await nodes(page)).find((n) => n.name === first.name).status, 'crashed');

  // The majority island elects a new leader and keeps committing.
  const minority = new Set([first.name, follower.name]);
  const split = await nodes(page);
  const top = Math.max(...split.map((n) => n.decided));
  await playUntil(page, 'a new leader in the majority island', (ns) => {
    const leader = leaderOf(ns);
    return leader && !minority.has(leader.name) && leader.decided > top + 2;
  });
  const second = leaderOf(await nodes(page));
  const behind = (await nodes(page)).find((n) => n.name === follower.name);
  assert.ok(behind.decided < second.decided, `the cut-off follower ${behind.name} cannot have learned more`);
  console.log(`screenshot: ${await app.screenshot(page, '3-new-leader-in-majority')}`);

  // Heal (the key h), restart the old leader (its context menu), and watch the minority catch up.
  await page.keyboard.press('h');
  await page.locator('g.island').first().waitFor({ state: 'detached' });
  await page.locator(`g.node[data-node="${first.name}"] .shape`).click({ button: 'right' });
  await page.getByRole('menuitem', { name: /^Restart/ }).click();
  await playUntil(page, 'the minority catching up', (ns) =>
    ns.filter((n) => minority.has(n.name)).every((n) => n.status !== 'crashed' && n.decided >= second.decided),
  );
  console.log(`screenshot: ${await app.screenshot(page, '4-healed-caught-up')}`);

  // Scrub the timeline back to before the split: zoom out until that moment is in view, then drag
  // the cursor along the time axis.
  const canvas = page.locator('canvas.lamport');
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  for (let i = 0; i < 12; i++) {
    const t0 = Number(await canvas.getAttribute('data-t0'));
    if (t0 <= beforeSplit * 0.5) break;
    await page.mouse.move(box.x + box.width - 5, box.y + box.height / 2);
    await page.mouse.wheel(0, 300);
    await page.waitForTimeout(50);
  }
  const t0 = Number(await canvas.getAttribute('data-t0'));
  const span = Number(await canvas.getAttribute('data-span'));
  const xOf = (t) => box.x + 30 + ((t - t0) / span) * (box.width - 30);
  const cursorNow = Number(await canvas.getAttribute('data-cursor'));
  await page.mouse.move(xOf(cursorNow), box.y + 6);
  await page.mouse.down();
  await page.mouse.move(xOf(beforeSplit), box.y + 6, { steps: 10 });
  await page.mouse.up();
  const shown = Number(await page.locator('svg.cluster').getAttribute('data-time'));
  assert.ok(shown <= beforeSplit, `the cursor went back to ${shown} µs (before the split at ${beforeSplit} µs)`);
  assert.equal(await page.locator('svg.cluster').getAttribute('data-islands'), whole, 'the network is whole again');
  assert.equal(await page.locator('g.island').count(), 0);
  const back = await nodes(page);
  assert.ok(back.every((n) => n.status !== 'crashed'), 'no node had crashed yet');
  assert.equal(leaderOf(back)?.name, first.name, 'the first leader leads again');
  assert.match(await page.locator('.seek').innerText(), /acting here starts a branch/);
  console.log(`screenshot: ${await app.screenshot(page, '5-scrubbed-back')}`);

  // Acting in the past starts a branch; the first run stays selectable.
  await page.keyboard.press('c');
  await page.locator('.branches li').nth(1).waitFor();
  assert.equal((await nodes(page)).find((n) => n.name === first.name).status, 'crashed', 'c crashed the leader shown');
  await page.getByRole('button', { name: 'Branch 1' }).click();
  await page.locator(`g.node[data-node="${first.name}"][data-status="leader"]`).waitFor();
  console.log(`screenshot: ${await app.screenshot(page, '5b-branches')}`);

  // The checker stayed green all along.
  assert.match(await page.locator('#safety h2').innerText(), /every invariant holds/);
  assert.equal(await page.locator('.panic').count(), 0);
  assert.deepEqual(problems, [], `problems on the page:\n${problems.join('\n')}`);
});

test('a scenario loads, plays and shows its captions; keys and help work', async () => {
  const { page, problems } = await open();
  const options = await page.locator('#scenario option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
  assert.ok(options.length >= 1, 'the scenario menu lists the catalog');
  await page.locator('#scenario').selectOption(options[0]);
  await page.locator('.scenario-card h2').waitFor();
  await page.locator('#speed').fill('100');
  await page.locator('.caption').waitFor({ timeout: 30_000 });
  assert.match(page.url(), new RegExp(`[?&]scenario=${options[0]}`), 'the address names the scenario');
  console.log(`screenshot: ${await app.screenshot(page, '6-scenario')}`);

  await page.locator('body').click({ position: { x: 2, y: 2 } });
  await page.keyboard.press('?');
  await page.getByRole('dialog', { name: 'Help' }).waitFor();
  await page.keyboard.press('Escape');
  assert.equal(await page.getByRole('dialog', { name: 'Help' }).count(), 0);
  assert.deepEqual(problems, [], `problems on the page:\n${problems.join('\n')}`);
});

test('a malformed address gets a message naming what is wrong, and the page still works', async () => {
  const { page, problems } = await open('?n=42&seed=forty&a=AB%21&zz=1');
  const alert = await page.getByRole('alert').innerText();
  assert.match(alert, /n \(the number of nodes\)|3 to 9 nodes/);
  assert.match(alert, /seed/);
  assert.match(alert, /the actions hold '!' at character 3/);
  assert.match(alert, /unknown setting/);
  assert.equal((await nodes(page)).length, 5, 'the defaults are used instead');
  await page.locator('#step').click();
  console.log(`screenshot: ${await app.screenshot(page, '7-bad-address')}`);

  // Click a message in flight: its payload and the actions on it; drop it.
  const message = page.locator('svg.cluster g.msg').first();
  const id = await message.getAttribute('data-msg');
  await message.locator('circle:not(.msg-hit)').click();
  const menu = page.getByRole('dialog', { name: 'Message actions' });
  assert.match(await menu.innerText(), new RegExp(`m${id}:`));
  await menu.getByRole('button', { name: 'Drop' }).click();
  assert.equal(await page.locator(`svg.cluster g.msg[data-msg="${id}"]`).count(), 0, 'the dropped message is gone');

  // An impossible setting in the bar gets a message too.
  await page.locator('#seed').fill('forty-two');
  await page.locator('#seed').press('Tab');
  assert.match(await page.getByRole('alert').innerText(), /'forty-two' is not a seed/);

  // Side by side: the same setup and actions on Multi-Paxos and on Raft.
  await page.locator('#compare').click();
  const figures = await page.locator('#stats').innerText();
  assert.match(figures, /Multi-Paxos/);
  assert.match(figures, /Raft/);

  // Click a link to cut it; click it again to repair it.
  const link = page.locator('g.link[data-link="n1-n2"]');
  await link.locator('.link-line').click();
  assert.match(await link.getAttribute('class'), /\bcut\b/);
  await link.locator('.link-line').click();
  assert.doesNotMatch(await link.getAttribute('class'), /\bcut\b/);
  assert.equal(await page.locator('.panic').count(), 0);
  assert.deepEqual(problems, [], `problems on the page:\n${problems.join('\n')}`);
});

test('a narrow iframe-sized page stacks the views', async () => {
  const { page, problems } = await open();
  await page.setViewportSize({ width: 320, height: 640 });
  await page.locator('#play').click();
  await page.waitForTimeout(500);
  await page.locator('#play').click();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 330, `no sideways scrolling at 320 px (page is ${width} px wide)`);
  console.log(`screenshot: ${await app.screenshot(page, '8-narrow')}`);
  assert.deepEqual(problems, [], `problems on the page:\n${problems.join('\n')}`);
});

test('an unknown scenario in the address is named, and the default run starts instead', async () => {
  const { page, problems } = await open('?scenario=no-such-story');
  assert.match(await page.getByRole('alert').innerText(), /no scenario named 'no-such-story' \(there are: /);
  assert.equal((await nodes(page)).length, 5);
  assert.equal(await page.locator('.panic').count(), 0);
  assert.deepEqual(problems, [], `problems on the page:\n${problems.join('\n')}`);
});

test('a scenario file that cannot be fetched is named with what went wrong, and the page goes on', async () => {
  // From the address, the file missing (HTTP 404): the banner names it, and the default run starts.
  const { page, problems } = await app.openPage();
  await page.route('**/scenarios/duelling-proposers.json', (route) => route.fulfill({ status: 404, body: 'gone' }));
  await page.goto(`${app.url}?scenario=duelling-proposers`);
  await page.locator('svg.cluster').waitFor({ timeout: 60_000 });
  let alert = await page.getByRole('alert').innerText();
  assert.match(alert, /Cannot load the scenario 'duelling-proposers' \(scenarios\/duelling-proposers\.json\): HTTP 404/);
  assert.match(alert, /The default run is shown instead/);
  assert.equal((await nodes(page)).length, 5);
  assert.equal(await page.locator('.scenario-card').count(), 0);

  // From the menu, a file that is not JSON, then no network at all: the current run is kept.
  await page.locator('#step').click();
  const time = await page.locator('svg.cluster').getAttribute('data-time');
  await page.route('**/scenarios/raft-partition.json', (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: '{"title": "Raft' }),
  );
  await page.locator('#scenario').selectOption('raft-partition');
  await page.getByRole('alert').filter({ hasText: 'raft-partition' }).waitFor();
  alert = await page.getByRole('alert').innerText();
  assert.match(alert, /Cannot load the scenario 'raft-partition' .*not a scenario the playground can read.*The current run is kept/s);
  await page.route('**/scenarios/livelock.json', (route) => route.abort('internetdisconnected'));
  await page.locator('#scenario').selectOption('livelock');
  await page.getByRole('alert').filter({ hasText: "'livelock'" }).waitFor();
  assert.match(await page.getByRole('alert').innerText(), /Cannot load the scenario 'livelock' .*the request failed/s);
  assert.equal(await page.locator('svg.cluster').getAttribute('data-time'), time, 'the run shown is the same');
  assert.equal(await page.locator('.scenario-card').count(), 0);
  // The address still holds the link it was opened with (a reload tries its scenario again).
  assert.doesNotMatch(page.url(), /scenario=(raft-partition|livelock)/);

  // The network back, and slow: the page says what it is loading, then shows it.
  await page.unroute('**/scenarios/livelock.json');
  let release;
  const held = new Promise((ok) => (release = ok));
  await page.route('**/scenarios/livelock.json', async (route) => {
    await held;
    await route.continue();
  });
  await page.locator('#scenario').selectOption('livelock');
  await page.getByRole('status').filter({ hasText: 'Loading the scenario' }).waitFor();
  assert.equal((await nodes(page)).length, 5, 'the current run stays while the file loads');
  release();
  await page.locator('.scenario-card h2').waitFor();
  assert.equal(await page.getByRole('status').filter({ hasText: 'Loading' }).count(), 0);
  assert.match(page.url(), /[?&]scenario=livelock/);
  assert.equal(await page.locator('.panic').count(), 0);

  // The failures were seen by the browser too (a 404, an aborted request); nothing else.
  const expected = /scenarios\/(duelling-proposers|livelock)\.json/;
  assert.deepEqual(problems.filter((p) => !expected.test(p)), [], `problems on the page:\n${problems.join('\n')}`);
});

test('the address replays the run exactly, actions included', async () => {
  const { page, problems } = await open('?p=multi&n=5&seed=9&k=2');
  await page.locator('#speed').fill('70');
  await playUntil(page, 'a leader', (ns) => leaderOf(ns) && ns.some((n) => n.decided >= 2));
  await page.keyboard.press('c');
  await page.locator('#play').click();
  await page.waitForTimeout(1_500);
  await page.locator('#play').click();
  await page.getByRole('button', { name: '▶ Play' }).waitFor();
  const address = page.url();
  assert.match(address, /[?&]a=/, 'the crash is in the address');
  const shown = { time: await page.locator('svg.cluster').getAttribute('data-time'), nodes: await nodes(page) };

  const again = await open(address.slice(app.url.length));
  const replayed = { time: await again.page.locator('svg.cluster').getAttribute('data-time'), nodes: await nodes(again.page) };
  assert.deepEqual(replayed, shown);
  assert.equal(await again.page.getByRole('alert').count(), 0, 'the address is read without a complaint');
  assert.deepEqual([...problems, ...again.problems], []);
});

test('touch: a finger drags a node into its own island', async () => {
  const { page, problems } = await app.openPage({ viewport: { width: 400, height: 800 }, hasTouch: true });
  const context = page.context();
  await page.goto(app.url);
  await page.locator('svg.cluster').waitFor({ timeout: 60_000 });
  const from = await center(page, 'g.node[data-node="n2"] .shape');
  const svg = await page.locator('svg.cluster').boundingBox();
  const to = { x: svg.x + svg.width - 8, y: svg.y + svg.height * 0.8 };
  const cdp = await context.newCDPSession(page);
  const touch = (type, p) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: p ? [{ x: p.x, y: p.y }] : [] });
  await touch('touchStart', from);
  for (let i = 1; i <= 8; i++) {
    await touch('touchMove', { x: from.x + ((to.x - from.x) * i) / 8, y: from.y + ((to.y - from.y) * i) / 8 });
  }
  await touch('touchEnd');
  await page.locator('g.island').nth(1).waitFor({ timeout: 5_000 });
  const labels = await page.locator('g.island .island-label').evaluateAll((ts) => ts.map((t) => t.textContent));
  assert.ok(labels.some((l) => l.includes('1 node')), `n2 is alone: ${labels}`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('🎲 draws a fresh seed, shows it and puts it in the link; an emptied seed box draws one too', async () => {
  const { page, problems } = await open('?p=raft&n=5&seed=1');
  const seeds = new Set(['1']);
  for (let i = 0; i < 3; i++) {
    await page.locator('#dice').click();
    await page.waitForFunction((old) => !old.includes(document.getElementById('seed').value), [...seeds]);
    const seed = await page.locator('#seed').inputValue();
    assert.match(seed, /^\d+$/);
    await page.waitForFunction((s) => location.search.includes(`seed=${s}`), seed);
    seeds.add(seed);
  }
  assert.equal(seeds.size, 4, `three different fresh seeds: ${[...seeds]}`);
  // The link replays the run exactly: the drawn seed is an ordinary seed.
  const link = await page.evaluate(() => location.href);
  const { page: again } = await app.openPage();
  await again.goto(link);
  await again.locator('svg.cluster').waitFor();
  assert.equal(await again.locator('#seed').inputValue(), [...seeds].at(-1));
  // An emptied seed box, then New run: a fresh seed, shown.
  await page.locator('#seed').fill('');
  await page.locator('#seed').dispatchEvent('change');
  await page.locator('#new-run').click();
  await page.waitForFunction(() => /^\d+$/.test(document.getElementById('seed').value));
  assert.ok(!seeds.has(await page.locator('#seed').inputValue()), 'a seed not drawn before');
  assert.deepEqual(problems, [], problems.join('\n'));
});
