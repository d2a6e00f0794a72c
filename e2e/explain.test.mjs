// Every decision explains itself, in free play as in a story: the inspector's "Why?" says which rule
// the selected node applied at its last step, and a message's popover says which rule decided it —
// from the core's rule enum, in the reader's words, with where the rule is stated.

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

async function open(query) {
  const { page, problems } = await app.openPage();
  await page.goto(`${app.url}${query}`);
  await page.locator('svg.cluster').waitFor({ timeout: 60_000 });
  return { page, problems };
}

test('free play, no scenario: a refused Accept is explained in the inspector and on its Nack', async () => {
  // Basic Paxos, seed 2: at 109.501 ms n2 refuses n5's Accept 3.5, having promised 4.4 (found with
  // `paxos replay --url '?v=1&p=basic&n=5&seed=2&t=3000' --explain`).
  const { page, problems } = await open('?v=1&p=basic&n=5&seed=2&t=109.501&node=n2');
  const why = page.locator('#inspector details.why');
  await why.waitFor();
  const text = await why.innerText();
  assert.match(text, /n2 refused Accept 3\.5 from n5 in slot 2: it promised 4\.4/);
  assert.match(text, /Paxos Made Simple/, 'it names where the rule is stated');
  // The Nack it sent says why too: select it in the cluster view.
  await page.locator('#step').click();
  const nack = page.locator('svg.cluster g.msg').filter({ hasText: 'Nack n2 → n5' }).first();
  assert.equal(await nack.count(), 1, 'the Nack is in flight');
  await nack.dispatchEvent('click');
  await page.locator('.message-menu .why').first().waitFor();
  assert.match(await page.locator('.message-menu').innerText(), /refused Accept 3\.5 from n5/);
  // In Chinese, the same rule in the seeds' words.
  const zh = await open('?v=1&p=basic&n=5&seed=2&t=109.501&node=n2&lang=zh');
  await zh.page.locator('#inspector details.why').waitFor();
  assert.match(await zh.page.locator('#inspector details.why').innerText(), /last_rnd|拒绝/);
  assert.deepEqual(problems, [], problems.join('\n'));
  assert.deepEqual(zh.problems, [], zh.problems.join('\n'));
});

test('a Raft vote denial is explained, and narrated in the live region', async () => {
  // The election story: at 405 ms n3 denies n2 its vote, having voted for n4 in term 2.
  const { page, problems } = await open('?v=1&scenario=raft-election&t=405&node=n3');
  const why = page.locator('#inspector details.why');
  await why.waitFor();
  assert.match(await why.innerText(), /n3 denied its vote to n2: it already voted for n4 in term 2/);
  assert.match(await why.innerText(), /Raft §5\.2/);
  // Stepping event by event narrates each event with the rule behind it.
  let heard = '';
  for (let i = 0; i < 8 && !/denied its vote/.test(heard); i++) {
    await page.locator('#step-back').click();
    heard = await page.locator('#narration').innerText();
  }
  assert.match(heard, /denied its vote/, `the narration says why: ${heard}`);
  assert.deepEqual(problems, [], problems.join('\n'));
});
