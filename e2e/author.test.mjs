// Writing one's own story (issue 13): at a moment of a run a person adds a caption, points it at a
// node, writes it and asks a question; the link carries it, and a second browser opened on the link
// is told the same story at the same moment of the same run (the same trace hash, here and in
// `paxos replay --url`). The run also exports as a scenario file that `paxos run --scenario FILE`
// plays, caption included, and that the page imports back.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { shareLink, startApp } from './lib/harness.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = (args) =>
  promisify(execFile)('cargo', ['run', '--quiet', '--release', '-p', 'paxos-cli', '--', ...args], {
    cwd: root,
    maxBuffer: 256 * 1024 * 1024,
  });

let app;
before(async () => {
  app = await startApp();
});
after(async () => {
  await app?.close();
});

test('a caption written in the page travels in the link to another browser and to the command line', async () => {
  const { page, problems } = await app.openPage();
  await page.goto(`${app.url}?p=basic&n=3&seed=2&t=109.501`);
  await page.locator('svg.cluster').waitFor({ timeout: 60_000 });

  // Select n2, then add a caption at the event shown: it points at n2.
  await page.locator('g.node[data-node="n2"] .shape').click();
  const section = page.getByRole('region', { name: 'Your story' });
  await section.getByRole('button', { name: '＋ Caption here' }).click();
  const caption = section.locator('li.authored');
  await caption.waitFor();
  assert.match(await caption.locator('.points').innerText(), /n2/);
  assert.match(await caption.locator('.draft').innerText(), /Not in the link yet/, 'no words yet: not shared');
  assert.doesNotMatch(page.url(), /[?&]c=/);

  const words = 'n2 has promised ballot 1.2, so it refuses X’s Accept(1.1).';
  await caption.getByLabel('Caption 1', { exact: true }).fill(words);
  assert.equal(await caption.locator('.draft').count(), 0, 'with words it is shared');
  assert.match(page.url(), /[?&]v=2&.*[?&]c=[\w-]+/);
  // The run is now a story: the caption is told where it was written.
  assert.match(await page.locator('.caption.story').innerText(), /refuses X’s Accept\(1\.1\)/);

  // A question, filled field by field: shared only once it is whole.
  await caption.getByRole('button', { name: 'Ask a question…' }).click();
  await caption.getByLabel('What to ask').fill('Does n2 accept X’s Accept(1.1)?');
  await caption.getByLabel('Answer 1', { exact: true }).fill('Yes');
  await caption.getByLabel('Answer 2', { exact: true }).fill('No: it promised 1.2');
  await caption.getByLabel('Answer 2 is the right one').check();
  assert.match(await caption.locator('.draft').innerText(), /question needs every field/);
  await caption.getByLabel('Why the right answer is right').fill('An acceptor refuses a ballot below its promise.');
  assert.equal(await caption.locator('.draft').count(), 0);

  const shared = await shareLink(page);
  assert.match(shared.link, /\?v=2&p=basic&n=3&seed=2&k=\d+&t=109\.501&node=n2&c=[\w-]+$/);
  console.log(`link with one caption and a question: ${shared.link.length} characters`);
  await page.keyboard.press('Escape');

  // Another browser: the same run, the same moment, the same caption and question.
  const other = await app.openPage();
  await other.page.goto(shared.link);
  await other.page.locator('svg.cluster').waitFor({ timeout: 60_000 });
  const story = other.page.locator('.caption.story');
  await story.getByText('Does n2 accept X’s Accept(1.1)?').waitFor();
  await story.getByRole('radio', { name: 'No: it promised 1.2' }).click();
  assert.match(await story.locator('.verdict').innerText(), /An acceptor refuses a ballot below its promise/);
  assert.match(await story.innerText(), /refuses X’s Accept\(1\.1\)/);
  assert.equal(await other.page.getByRole('region', { name: 'Your story' }).locator('li.authored textarea').inputValue(), words);
  const again = await shareLink(other.page);
  assert.equal(again.hash, shared.hash, 'the same trace up to the moment shown');
  assert.equal(again.link, shared.link);

  // The command line replays the link to the same hash.
  const { stdout } = await run(['replay', '--url', shared.link]);
  assert.equal(stdout.trim().split('\n').at(-1), `trace hash ${shared.hash}`);

  // Exported as a scenario file, the run plays on the command line with its caption.
  const [file] = await Promise.all([other.page.waitForEvent('download'), again.panel.locator('[data-export="scenario"]').click()]);
  assert.match(file.suggestedFilename(), /\.scenario\.json$/);
  const scenario = JSON.parse(await readFile(await file.path(), 'utf8'));
  assert.equal(scenario.captions.length, 1);
  const path = join(tmpdir(), `paxos-author-${process.pid}.json`);
  await writeFile(path, JSON.stringify(scenario));
  const played = await run(['run', '--scenario', path]);
  assert.match(played.stdout, /refuses X’s Accept\(1\.1\)/);

  // And it imports back into the page, in a third browser: the story from its start, its caption
  // and question in place, the same run (the same link but for the moment shown).
  const third = await app.openPage();
  await third.page.goto(`${app.url}?p=multi&n=7&seed=9`);
  await third.page.locator('svg.cluster').waitFor({ timeout: 60_000 });
  await third.page.locator('#share').click();
  const bytes = Buffer.from(JSON.stringify(scenario));
  await third.page.locator('#import').setInputFiles({ name: file.suggestedFilename(), mimeType: 'application/json', buffer: bytes });
  await third.page.locator('svg.cluster g.node[data-node="n3"]').waitFor();
  assert.equal(await third.page.locator('svg.cluster g.node').count(), 3);
  const imported = third.page.getByRole('region', { name: 'Your story' }).locator('li.authored textarea');
  assert.equal(await imported.inputValue(), words);
  const back = new URL(third.page.url()).searchParams;
  const sent = new URL(shared.link).searchParams;
  for (const key of ['v', 'p', 'n', 'seed', 'c']) assert.equal(back.get(key), sent.get(key), key);
  assert.deepEqual(third.problems, [], `problems on the third page:\n${third.problems.join('\n')}`);
  await third.page.context().close();

  assert.deepEqual(problems, [], `problems on the page:\n${problems.join('\n')}`);
  assert.deepEqual(other.problems, [], `problems on the second page:\n${other.problems.join('\n')}`);
  await page.context().close();
  await other.page.context().close();
});

test('a caption cannot share an event with another, and deleting the last one brings a scenario back', async () => {
  const { page, problems } = await app.openPage();
  await page.goto(`${app.url}?scenario=duelling-proposers&t=50`);
  await page.locator('svg.cluster').waitFor({ timeout: 60_000 });
  const scenarioStory = await page.locator('.caption.story').innerText();
  const section = page.getByRole('region', { name: 'Your story' });
  await section.getByRole('button', { name: '＋ Caption here' }).click();
  await section.getByRole('button', { name: '＋ Caption here' }).click();
  await page.getByRole('alert').filter({ hasText: 'one caption per event' }).waitFor();
  assert.equal(await section.locator('li.authored').count(), 1);
  await section.locator('li.authored').getByLabel('Caption 1', { exact: true }).fill('My own telling.');
  assert.match(await page.locator('.caption.story').innerText(), /My own telling\./, 'one’s own captions replace the scenario’s');
  await section.getByRole('button', { name: 'Delete caption 1' }).click();
  assert.equal(await section.locator('li.authored').count(), 0);
  assert.doesNotMatch(page.url(), /[?&]c=/);
  assert.equal(await page.locator('.caption.story').innerText(), scenarioStory, 'the scenario’s captions are back');
  assert.deepEqual(problems, []);
  await page.context().close();
});
