// Journey: open the playground and see it render, with no errors in the console.

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

test('the playground loads and renders its heading without errors', async () => {
  const { page, problems } = await app.openPage();
  await page.goto(app.url);

  // The heading appears once the wasm has loaded and Yew has rendered.
  const heading = page.getByRole('heading', { name: 'Paxos playground' });
  await heading.waitFor({ state: 'visible', timeout: 30_000 });
  assert.match(await page.locator('.status').innerText(), /loading/);

  const shot = await app.screenshot(page, 'smoke-loaded');
  console.log(`screenshot: ${shot}`);
  assert.deepEqual(problems, [], `problems on the page:\n${problems.join('\n')}`);
});
