// The page in two languages (issue 14): a link with lang=zh speaks 简体中文 everywhere it speaks —
// controls, panels, help, the document's title and lang — and the language switch brings English
// back without reloading; the run stays the same run.

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

test('lang=zh speaks Chinese, and the switch brings English back', async () => {
  const { page, problems } = await app.openPage();
  await page.goto(`${app.url}?lang=zh`);
  await page.locator('svg.cluster').waitFor({ timeout: 60_000 });
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh');
  assert.equal(await page.title(), 'Paxos 演练场');
  assert.equal((await page.locator('#play').innerText()).trim(), '▶ 播放');
  assert.match(await page.locator('#safety h2').innerText(), /安全性：所有不变量都成立/);
  assert.match(await page.locator('#stats').innerText(), /已提交/);
  // The invariants keep their names, and explain themselves in Chinese.
  const agreement = page.locator('#safety li[data-invariant="agreement"]');
  assert.match(await agreement.getAttribute('title'), /每个槽位至多确定一个值/);
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: '帮助' });
  await help.waitFor();
  assert.match(await help.innerText(), /怎么玩/);
  // No sentence of the English catalogue is left on the page.
  const text = await page.locator('body').innerText();
  for (const english of ['How to play', 'Safety', 'Inspector', 'New run', 'Press ▶ Play']) {
    assert.ok(!text.includes(english), `"${english}" is on the Chinese page`);
  }
  console.log(`screenshot: ${await app.screenshot(page, '10-chinese')}`);
  await page.keyboard.press('Escape');

  const time = await page.locator('svg.cluster').getAttribute('data-time');
  await page.locator('#lang').selectOption('en');
  await page.getByRole('button', { name: '▶ Play' }).waitFor({ timeout: 10_000 });
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.match(await page.locator('#safety h2').innerText(), /every invariant holds/);
  assert.equal(await page.locator('svg.cluster').getAttribute('data-time'), time, 'the same moment of the same run');
  assert.deepEqual(problems, []);
  await page.context().close();
});
