// Accessibility, checked by machine: axe-core (its default rules: WCAG 2.x A and AA and best
// practices) on the playground at rest and while playing, on a story waiting at a caption, and on an
// embed. Any serious or critical violation fails the journey, with the rule and the elements named.
// The page is also walked with the keyboard alone: every control is reached by Tab, and the focused
// one is visibly outlined.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { startApp } from './lib/harness.mjs';

const require = createRequire(import.meta.url);
const AXE = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');

let app;

before(async () => {
  app = await startApp();
});

after(async () => {
  await app?.close();
});

/** Runs axe on `page`; returns the serious and critical violations, one line each. */
async function serious(page) {
  // Through the DevTools protocol, not a <script>: the page's CSP allows no injected script.
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 6),
      count: v.nodes.length,
    }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id} (${v.help}): ${v.count} element(s): ${v.targets.join(' | ')}`);
}

async function open(query, options = {}) {
  const { page, problems } = await app.openPage(options);
  await page.goto(app.url + query);
  await page.locator('svg.cluster, .cluster svg, svg').first().waitFor();
  return { page, problems };
}

test('axe: the playground at rest has no serious or critical violation', async () => {
  const { page, problems } = await open('?p=multi&n=5&seed=1');
  assert.deepEqual(await serious(page), []);
  assert.deepEqual(problems, []);
});

test('axe: the playground while playing has no serious or critical violation', async () => {
  const { page, problems } = await open('?p=raft&n=5&seed=3');
  await page.locator('#play').click();
  await page.waitForTimeout(1200);
  assert.deepEqual(await serious(page), []);
  await app.screenshot(page, 'a11y-playing');
  assert.deepEqual(problems, []);
});

test('axe: a story, waiting at a caption and then at its question, has no serious or critical violation', async () => {
  const { page, problems } = await open('?scenario=duelling-proposers');
  await page.locator('.caption.story .story-count', { hasText: /^1\// }).waitFor({ timeout: 30_000 });
  assert.deepEqual(await serious(page), []);
  for (let n = 2; n <= 7; n++) {
    await page.locator('#story-next').click();
    await page.locator('.caption.story .story-count', { hasText: new RegExp(`^${n}/`) }).waitFor({ timeout: 30_000 });
  }
  await page.locator('.caption.story .quiz').waitFor();
  assert.deepEqual(await serious(page), [], 'at the question');
  await page.locator('.caption.story .quiz').getByRole('radio').first().click();
  assert.deepEqual(await serious(page), [], 'after an answer');
  assert.deepEqual(problems, []);
});

test('axe: writing one\'s own caption with a question has no serious or critical violation, by keyboard alone', async () => {
  const { page, problems } = await open('?p=basic&n=3&seed=2&t=109.501');
  const section = page.getByRole('region', { name: 'Your story' });
  await section.getByRole('button', { name: '＋ Caption here' }).focus();
  await page.keyboard.press('Enter');
  await section.getByLabel('Caption 1', { exact: true }).focus();
  await page.keyboard.type('n2 refuses.');
  await section.getByRole('button', { name: 'Ask a question…' }).focus();
  await page.keyboard.press('Enter');
  await section.locator('.question-editor').waitFor();
  assert.deepEqual(await serious(page), [], 'with the question editor open');
  assert.match(page.url(), /[?&]c=/, 'typed by keyboard, the caption is in the link');
  assert.deepEqual(problems, []);
});

test('axe: the page in Chinese has no serious or critical violation', async () => {
  const { page, problems } = await open('?scenario=raft-partition&lang=zh');
  await page.waitForTimeout(800);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh');
  assert.deepEqual(await serious(page), []);
  assert.deepEqual(problems, []);
});

test('the keyboard reaches every control, and the focused one is visibly outlined', async () => {
  const { page, problems } = await open('?p=multi&n=5&seed=1');
  const seen = new Set();
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const e = document.activeElement;
      if (!e || e === document.body) return null;
      const style = getComputedStyle(e);
      // A node of the cluster view shows its focus by a thick accent stroke round its shape.
      const shape = e.querySelector?.('.shape');
      const outlined =
        (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) ||
        (shape !== null && parseFloat(getComputedStyle(shape).strokeWidth) >= 3);
      return { id: e.id || e.getAttribute('aria-label') || e.textContent.trim().slice(0, 20), tag: e.tagName, outlined };
    });
    if (!focused) continue;
    assert.ok(focused.outlined, `${focused.tag} ${focused.id} has no visible focus outline`);
    seen.add(focused.id);
  }
  for (const id of ['play', 'step', 'new-run', 'share']) assert.ok(seen.has(id), `Tab reaches #${id}: ${[...seen].join(', ')}`);
  // A node of the cluster is a control too: Enter opens its menu.
  assert.ok([...seen].some((id) => /^n\d/.test(id)), `Tab reaches the nodes: ${[...seen].join(', ')}`);
  assert.deepEqual(problems, []);
});

test('axe: an embed has no serious or critical violation', async () => {
  const { page, problems } = await open('?scenario=raft-partition&embed', { viewport: { width: 480, height: 360 } });
  await page.waitForTimeout(800);
  assert.deepEqual(await serious(page), []);
  assert.deepEqual(problems, []);
});
