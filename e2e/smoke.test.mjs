// Journey: open the playground, see a simulated run's trace, try a bad seed and a good one — with no
// errors in the console.

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

test('the page runs a seed, lists its trace, and explains a bad seed', async () => {
  const { page, problems } = await app.openPage();
  await page.goto(`${app.url}?seed=42`);

  // The heading appears once the wasm has loaded and Yew has rendered the first run.
  await page.getByRole('heading', { name: 'Paxos playground' }).waitFor({ state: 'visible', timeout: 30_000 });
  await page.locator('ol.trace li').first().waitFor({ timeout: 30_000 });
  assert.match(await page.locator('.summary').innerText(), /every invariant held/);
  assert.match(await page.locator('.count').innerText(), /^Seed 42:/);
  const first = await page.locator('ol.trace').innerText();
  assert.match(first, /Prepare/);
  console.log(`screenshot: ${await app.screenshot(page, 'trace-seed-42')}`);

  // A seed that is not a number gets a message naming the mistake, and no trace.
  await page.locator('#seed').fill('forty-two');
  await page.getByRole('button', { name: 'Run' }).click();
  assert.match(await page.getByRole('alert').innerText(), /'forty-two' is not a seed/);
  assert.equal(await page.locator('ol.trace').count(), 0);

  // Another seed gives another run.
  await page.locator('#seed').fill('7');
  await page.getByRole('button', { name: 'Run' }).click();
  await page.locator('ol.trace li').first().waitFor();
  assert.match(await page.locator('.count').innerText(), /^Seed 7:/);
  assert.notEqual(await page.locator('ol.trace').innerText(), first);

  assert.deepEqual(problems, [], `problems on the page:\n${problems.join('\n')}`);
});
