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

test('a trap in the wasm (a panic in the release build) shows a banner in the reader\'s language', async () => {
  const { page, problems } = await app.openPage();
  await page.goto(`${app.url}?lang=zh`);
  await page.locator('svg.cluster').waitFor({ timeout: 60_000 });
  assert.equal(await page.locator('.panic').count(), 0);
  // The release wasm's panics trap at once (crates/xtask/src/tools.rs); what reaches the page is an
  // uncaught WebAssembly.RuntimeError, as this one is.
  await page.evaluate(() => setTimeout(() => { throw new WebAssembly.RuntimeError('unreachable'); }));
  const banner = page.getByRole('alert').filter({ hasText: '演练场遇到一个 bug' });
  await banner.waitFor({ timeout: 10_000 });
  assert.match(await banner.innerText(), /已停止：unreachable。请重新加载页面/);
  assert.equal(problems.length, 1, 'the trap itself is the one problem logged');
  await page.context().close();
});

/** Runs of three or more English words on the page, identifiers aside (n1, Paxos, message kinds…). */
async function englishSentences(page) {
  const text = await page.locator('body').innerText();
  const identifiers = new Set(
    'paxos basic multi fast raft proposer acceptor learner leader prepare promise accept accepted nack heartbeat heartbeatok leaderalive catchup votes snapshot forward request reply fastaccept requestvote vote appendentries appendok replicate ack read readreply write writeack phase fast-round classic-round fast-quorum classic-quorum quorum last_rnd vrnd rnd noop set get inc slot made simple flp rpc safety liveness instance playground'.split(' '),
  );
  const runs = text.match(/[A-Za-z][A-Za-z'’_-]+(?:[ ][A-Za-z][A-Za-z'’_-]+){2,}/g) ?? [];
  return runs.filter((run) => run.split(' ').some((word) => !identifiers.has(word.toLowerCase())));
}

test('in Chinese, a story waits, asks its question, and the help and Share panels speak no English sentence', async () => {
  const { page, problems } = await app.openPage();
  await page.goto(`${app.url}?scenario=duelling-proposers&lang=zh`);
  const count = page.locator('.caption.story .story-count');
  await count.filter({ hasText: /^1\// }).waitFor({ timeout: 60_000 });
  assert.match(await page.locator('.caption.story').innerText(), /[\u4e00-\u9fff]/, 'the caption is Chinese');
  for (let n = 2; n <= 7; n++) {
    await page.locator('#story-next').click();
    await count.filter({ hasText: new RegExp(`^${n}/`) }).waitFor({ timeout: 30_000 });
  }
  const quiz = page.locator('.caption.story .quiz');
  await quiz.waitFor();
  assert.match(await page.locator('#quiz-ask').innerText(), /n4 会怎么处理/);
  await quiz.getByRole('radio').nth(0).click();
  await quiz.locator('.verdict.wrong').waitFor();
  await page.locator('#quiz-retry').click();
  await quiz.getByRole('radio').nth(1).click();
  await quiz.locator('.verdict.right').waitFor();
  assert.deepEqual(await englishSentences(page), [], 'no English sentence in the story');
  console.log(`screenshot: ${await app.screenshot(page, '11-chinese-question')}`);

  await page.keyboard.press('?');
  await page.getByRole('dialog', { name: '帮助' }).waitFor();
  assert.deepEqual(await englishSentences(page), [], 'no English sentence in the help');
  console.log(`screenshot: ${await app.screenshot(page, '12-chinese-help')}`);
  await page.keyboard.press('Escape');

  await page.locator('#share').click();
  await page.locator('.share-panel').waitFor();
  assert.deepEqual(await englishSentences(page), [], 'no English sentence in the Share panel');
  console.log(`screenshot: ${await app.screenshot(page, '13-chinese-share')}`);
  assert.deepEqual(problems, [], problems.join('\n'));
  await page.context().close();
});

test('a Chinese embed works from another origin', async () => {
  const { serveStatic } = await import('./lib/harness.mjs');
  const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = await mkdtemp(join(tmpdir(), 'paxos-zh-host-'));
  await writeFile(
    join(dir, 'index.html'),
    `<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>Raft 网络分区</title><link rel="icon" href="data:,"></head><body>
     <iframe id="f" title="Paxos 演练场" width="480" height="560" sandbox="allow-scripts allow-same-origin"
       src="${app.url}?scenario=raft-partition&embed&lang=zh"></iframe></body></html>`,
  );
  const host = await serveStatic(dir);
  try {
    assert.notEqual(host.origin, app.origin);
    const { page, problems } = await app.openPage();
    await page.goto(host.url);
    const frame = await (await page.locator('#f').elementHandle()).contentFrame();
    await frame.locator('.app.embed .caption').first().waitFor({ timeout: 60_000 });
    assert.equal(await frame.locator('html').getAttribute('lang'), 'zh');
    assert.match(await frame.locator('.app.embed').innerText(), /[\u4e00-\u9fff]/);
    console.log(`screenshot: ${await app.screenshot(page, '14-chinese-embed')}`);
    assert.deepEqual(problems, [], problems.join('\n'));
    await page.context().close();
  } finally {
    await host.close();
    await rm(dir, { recursive: true, force: true });
  }
});
