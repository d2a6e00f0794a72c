// Embedding in one click: Share → Embed gives an `<iframe>` snippet for exactly this run, whose
// options change the snippet and its live preview together; Copy puts the snippet on the clipboard;
// the preview is the playground in embed mode; a page in Chinese embeds in Chinese.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { startApp } from './lib/harness.mjs';

const AXE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let app;
before(async () => {
  app = await startApp();
});
after(async () => {
  await app?.close();
});

/** Opens the page at `query` (allowed to use the clipboard), then the share panel. */
async function openShare(query) {
  const { page, problems } = await app.openPage({ permissions: ['clipboard-read', 'clipboard-write'] });
  await page.goto(`${app.url}${query}`);
  await page.locator('svg.cluster').waitFor({ timeout: 60_000 });
  await page.locator('#share').click();
  const panel = page.locator('.share-panel');
  await panel.waitFor();
  return { page, problems, panel };
}

/** The snippet's `src`, as a browser reads the attribute. */
function src(snippet) {
  const match = /src="([^"]*)"/.exec(snippet);
  assert.ok(match, `a src in ${snippet}`);
  return match[1].replaceAll('&amp;', '&');
}

test('a scenario embeds as a story: options change the snippet and the preview, Copy copies it', async () => {
  const { page, problems, panel } = await openShare('?scenario=duelling-proposers');
  const snippet = panel.locator('#embed-snippet');
  const first = await snippet.inputValue();
  assert.match(first, /^<iframe src="[^"]+" title="[^"]+" width="100%" height="480" loading="lazy" sandbox="allow-scripts allow-same-origin"><\/iframe>$/);
  assert.match(first, /&amp;embed/);
  assert.match(first, /scenario=duelling-proposers/);
  assert.doesNotMatch(first, /autoplay/, 'a story waits at each caption');
  assert.doesNotMatch(first, /style=/, 'no inline style');
  const preview = panel.locator('iframe.embed-preview');
  assert.equal(await preview.count(), 0, 'the preview waits to be asked for');
  await panel.locator('#embed-preview').click();
  assert.equal(await preview.getAttribute('src'), src(first));

  // The preview is the playground, embedded.
  await page.frameLocator('iframe.embed-preview').locator('.app.embed').waitFor({ timeout: 60_000 });

  // Options: the cluster only, no controls, taller.
  await panel.locator('#embed-view').selectOption({ index: 1 });
  await panel.locator('#embed-controls').uncheck();
  await panel.locator('#embed-height').fill('600');
  await panel.locator('#embed-height').press('Enter');
  await page.waitForFunction(() => document.querySelector('#embed-snippet').value.includes('height="600"'));
  const changed = await snippet.inputValue();
  assert.match(changed, /view=cluster/);
  assert.match(changed, /controls=0/);
  assert.notEqual(changed, first);
  assert.equal(await preview.getAttribute('src'), src(changed), 'the preview shows the snippet');

  // Autoplay on, and from the start (a story's start has no moment).
  assert.match(changed, /&amp;t=/);
  await panel.locator('#embed-autoplay').check();
  await panel.locator('#embed-from_start').check();
  const story = await snippet.inputValue();
  assert.match(story, /&amp;autoplay/);
  assert.doesNotMatch(story, /&amp;t=/);

  // The panel's Embed section passes axe (serious and critical rules), like the rest of the page.
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document.querySelector('.share-panel'), { resultTypes: ['violations'] });
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
  });
  assert.deepEqual(violations, [], 'no serious or critical accessibility violation in the share panel');

  // One click copies it, and says so.
  await panel.locator('#copy-snippet').click();
  await panel.getByRole('button', { name: 'Copied ✓' }).first().waitFor();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, await snippet.inputValue());
  console.log(`snippet of ${copied.length} characters: ${copied}`);
  // Each option reloads the preview: a load still under way (the embed's page, or the scenario
  // file it fetches) is aborted, as it should be.
  const real = problems.filter((p) => !/^request failed: \S*([?&]embed\b|\/scenarios\/\S+\.json).*net::ERR_ABORTED/.test(p));
  assert.deepEqual(real, [], `problems on the page:\n${real.join('\n')}`);
  await page.context().close();
});

test('a run without captions autoplays; a page in Chinese embeds in Chinese', async () => {
  const plain = await openShare('?p=raft&n=3&seed=7&k=1');
  const text = await plain.panel.locator('#embed-snippet').inputValue();
  assert.match(text, /&amp;autoplay/);
  assert.match(text, /p=raft&amp;n=3&amp;seed=7/);
  await plain.page.context().close();

  const zh = await openShare('?scenario=duelling-proposers&lang=zh');
  const snippet = await zh.panel.locator('#embed-snippet').inputValue();
  assert.match(snippet, /lang=zh/);
  assert.doesNotMatch(snippet, /title="Paxos playground"/);
  await zh.panel.locator('#embed-preview').click();
  await zh.page.frameLocator('iframe.embed-preview').locator('.app.embed').waitFor({ timeout: 60_000 });
  assert.equal(await zh.page.frameLocator('iframe.embed-preview').locator('html').getAttribute('lang'), 'zh');
  assert.deepEqual(zh.problems, [], `problems on the page:\n${zh.problems.join('\n')}`);
  await zh.page.context().close();
});

test('a theme chosen for the embed colours it, whatever the reader’s system prefers', async () => {
  const { page, problems, panel } = await openShare('?p=raft&n=5&seed=3');
  const background = (p) => p.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await background(page);
  await panel.getByLabel('Colours').selectOption({ label: 'dark' });
  const snippet = await panel.locator('#embed-snippet').inputValue();
  assert.match(snippet, /[?&;]theme=dark/);
  // The embed, opened on its own in a system that prefers light: dark.
  const embed = await app.openPage();
  await embed.page.emulateMedia({ colorScheme: 'light' });
  await embed.page.goto(src(snippet));
  await embed.page.locator('svg.cluster').waitFor({ timeout: 60_000 });
  assert.equal(await embed.page.locator('html').getAttribute('data-theme'), 'dark');
  const dark = await background(embed.page);
  assert.notEqual(dark, light);
  assert.equal(dark, 'rgb(21, 23, 26)');
  // And theme=light stays light in a system that prefers dark.
  await embed.page.emulateMedia({ colorScheme: 'dark' });
  await embed.page.goto(src(snippet).replace('theme=dark', 'theme=light'));
  await embed.page.locator('svg.cluster').waitFor({ timeout: 60_000 });
  assert.equal(await background(embed.page), 'rgb(247, 247, 245)');
  assert.deepEqual(problems, []);
  assert.deepEqual(embed.problems, []);
  await page.context().close();
  await embed.page.context().close();
});
