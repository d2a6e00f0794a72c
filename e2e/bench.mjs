// Browser benchmark of the playground (a measurement, not a test: `node --test` does not pick it up).
// Run after a release build (`cargo xtask test --only build`):
//
//   cd e2e && E2E_DIST=../dist node bench.mjs
//
// It prints the figures that BENCHMARKS.md's Playground section records:
//   1. time from navigation to the first interactive frame (cluster view drawn, Play enabled), median of 5;
//   2. frame time (interval between animation frames, p50/p95) while playing a 9-node run with ≥ 500
//      messages in flight (every message delayed by 1 s, so they pile up on the links);
//   3. frame time while zooming and panning the timeline of a run of ≥ 1,000,000 events, both with
//      the whole run in view and zoomed in to a few milliseconds.
// Headless Chromium without a GPU on a shared machine: treat the figures as an upper bound.
// BENCH_ONLY=start,cluster,timeline picks parts (default: all).

import { startApp } from './lib/harness.mjs';

const app = await startApp();
const only = process.env.BENCH_ONLY?.split(',');
const want = (part) => !only || only.includes(part);
const percentile = (xs, p) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const fmt = (xs) => `p50 ${percentile(xs, 50).toFixed(1)} ms, p95 ${percentile(xs, 95).toFixed(1)} ms (${xs.length} frames)`;

/** Intervals between `count` animation frames; `each(i)` runs in every frame (in the page). */
async function frames(page, count, each = '') {
  return page.evaluate(
    ([count, body]) =>
      new Promise((done) => {
        // No eval under the page's CSP: only the timeline part, which opens its page with bypassCSP, passes a body.
        const act = body ? new Function('i', body) : () => {};
        const times = [];
        let last = null;
        const tick = (now) => {
          if (last !== null) times.push(now - last);
          last = now;
          if (times.length >= count) return done(times);
          act(times.length);
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }),
    [count, each],
  );
}

// 1. Navigation to first interactive frame.
if (want('start')) {
  const starts = [];
  for (let i = 0; i < 5; i++) {
    const { page } = await app.openPage();
    await page.goto(app.url);
    await page.locator('#play:enabled').waitFor({ timeout: 60_000 });
    await page.locator('svg.cluster g.node').first().waitFor();
    starts.push(await page.evaluate(() => performance.now()));
    await page.context().close();
  }
  console.log(`first interactive frame: median ${percentile(starts, 50).toFixed(0)} ms (runs: ${starts.map((s) => s.toFixed(0)).join(', ')})`);
}

// 2. Cluster view, 9 nodes, ≥ 500 messages in flight.
if (want('cluster')) {
  const { page, problems } = await app.openPage();
  // One action at step 0: intercept every message (any sender, receiver, kind) and delay it by 1 s,
  // in the link format of crates/paxos-play/src/share.rs: step, fault number 17, from, to, kind, delay, count.
  const leb128 = (n) => { const out = []; do { out.push((n & 0x7f) | (n >= 0x80 ? 0x80 : 0)); n = Math.floor(n / 128); } while (n > 0); return out; };
  const actions = Buffer.from([0, 17, 0, 0, 0, ...leb128(1_000_000), ...leb128(1_000_000)]).toString('base64url');
  await page.goto(`${app.url}?v=1&n=9&k=8&a=${actions}`);
  await page.locator('svg.cluster').waitFor({ timeout: 60_000 });
  await page.locator('#speed').fill('50');
  await page.locator('#play').click();
  const inFlight = async () => Number((await page.locator('svg.cluster').getAttribute('aria-label')).match(/(\d+) messages/)[1]);
  const started = Date.now();
  while ((await inFlight()) < 500) {
    if (Date.now() - started > 120_000) throw new Error(`only ${await inFlight()} messages in flight after 2 minutes`);
    await page.waitForTimeout(250);
  }
  const before = await inFlight();
  const times = await frames(page, 300);
  const after = await inFlight();
  const [p50, p95, n] = (await page.locator('canvas.lamport').getAttribute('data-frame-ms')).split(' ');
  console.log(`cluster view, 9 nodes, ${before}–${after} messages in flight, playing: ${fmt(times)}`);
  console.log(`  the app's work per frame (simulate, picture, view, diff, draw): p50 ${p50} ms, p95 ${p95} ms (${n} frames)`);
  if (problems.length) console.log(`problems: ${problems.join('\n')}`);
  await page.context().close();
}

// 3. Timeline of ≥ 1,000,000 events.
if (want('timeline')) {
  // frames() builds its per-frame step with `new Function`, which the page's CSP (no eval) forbids.
  const { page, problems } = await app.openPage({ bypassCSP: true });
  await page.goto(`${app.url}?n=5&k=8`);
  await page.locator('svg.cluster').waitFor({ timeout: 60_000 });
  await page.locator('#speed').fill('100');
  await page.locator('#play').click();
  const events = async () => Number((await page.locator('#clock').innerText()).match(/event (\d+)/)?.[1] ?? 0);
  const started = Date.now();
  while ((await events()) < 1_000_000) {
    if (Date.now() - started > 600_000) throw new Error(`only ${await events()} events after 10 minutes`);
    await page.waitForTimeout(500);
  }
  await page.locator('#play').click();
  const total = await events();
  const simulated = (Date.now() - started) / 1000;
  // `delta` is a JavaScript expression (it may use the frame number `i`).
  const wheel = (delta) => `
    const canvas = document.querySelector('canvas.lamport');
    const r = canvas.getBoundingClientRect();
    canvas.dispatchEvent(new WheelEvent('wheel', { deltaY: ${delta}, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2, bubbles: true, cancelable: true }));`;
  const pan = `
    const canvas = document.querySelector('canvas.lamport');
    const r = canvas.getBoundingClientRect();
    const y = r.top + r.height / 2;
    const x = r.left + r.width / 2 + (i % 40 < 20 ? 1 : -1) * (i % 20) * 4;
    if (i === 0) canvas.dispatchEvent(new PointerEvent('pointerdown', { pointerId: 7, clientX: r.left + r.width / 2, clientY: y, bubbles: true }));
    canvas.dispatchEvent(new PointerEvent('pointermove', { pointerId: 7, clientX: x, clientY: y, bubbles: true }));`;
  // Zoom all the way out (the whole run in view), then wiggle the zoom there.
  await frames(page, 40, wheel('600'));
  const whole = await frames(page, 200, wheel('i % 2 ? 100 : -100'));
  const spanWhole = Number(await page.locator('canvas.lamport').getAttribute('data-span'));
  // Zoom in to a few milliseconds and pan.
  await frames(page, 60, wheel('-600'));
  const spanIn = Number(await page.locator('canvas.lamport').getAttribute('data-span'));
  const panned = await frames(page, 200, pan);
  console.log(`timeline, ${total} events (${simulated.toFixed(0)} s to simulate):`);
  console.log(`  zooming with the whole run in view (${(spanWhole / 1e6).toFixed(0)} s): ${fmt(whole)}`);
  console.log(`  panning zoomed in (${(spanIn / 1e3).toFixed(1)} ms in view): ${fmt(panned)}`);
  const [p50, p95, n] = (await page.locator('canvas.lamport').getAttribute('data-frame-ms')).split(' ');
  console.log(`  the app's work per zoom or pan (update, view, diff, draw): p50 ${p50} ms, p95 ${p95} ms (${n} frames)`);
  if (problems.length) console.log(`problems: ${problems.join('\n')}`);
  await page.context().close();
}

await app.close();
