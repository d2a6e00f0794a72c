// Story mode, as a reader takes it: a captioned scenario plays to its first caption and waits there
// (the clock stands still), Next plays on to the next caption, Back returns, the keys n and b do the
// same, the caption is narrated in the live region and highlighted in the cluster view; Play through
// runs to the end without stopping. Every journey ends by checking that the page logged no error.

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

/** Opens the duelling proposers' story and waits for its caption box. */
async function openStory(query = '') {
  const { page, problems } = await app.openPage();
  await page.goto(`${app.url}?scenario=duelling-proposers${query}`);
  await page.locator('.caption.story').waitFor({ timeout: 60_000 });
  return { page, problems };
}

/** The caption's place in the story ("3/10"), once it says `n` (waits for it). */
async function waitForStep(page, n) {
  const count = page.locator('.caption.story .story-count');
  await count.filter({ hasText: new RegExp(`^${n}/\\d+`) }).waitFor({ timeout: 30_000 });
  return (await count.innerText()).trim();
}

/** What the page shows as the moment: the clock's text and the timeline's cursor (µs). */
async function moment(page) {
  return {
    clock: await page.locator('#clock').innerText(),
    cursor: Number(await page.locator('canvas.lamport').getAttribute('data-cursor')),
  };
}

test('a story waits at each caption: Next plays on to the next, Back returns, the clock stands still meanwhile', async () => {
  const { page, problems } = await openStory();
  // The scenario plays by itself, to its first caption, and waits there.
  const first = await waitForStep(page, 1);
  const total = Number(first.split('/')[1]);
  // The setup bar says what the story runs, though it was opened by a link, not the menu.
  assert.equal(await page.locator('#protocol').inputValue(), 'basic');
  assert.equal(await page.locator('#nodes').inputValue(), '5');
  assert.ok(total >= 3, `the story has captions (${first})`);
  await page.getByRole('button', { name: '▶ Play' }).waitFor({ timeout: 5_000 });
  const at1 = await moment(page);
  await page.waitForTimeout(1_200);
  assert.deepEqual(await moment(page), at1, 'nothing moves while the story waits for the reader');
  assert.equal(await page.locator('#story-next').evaluate((b) => b === document.activeElement), true, 'Next has the focus');

  // One live region, visually hidden, says the caption and the event; the caption box itself is not live.
  const live = page.locator('[aria-live]');
  assert.equal(await live.count(), 1, 'one live region');
  assert.match(await page.locator('#narration').innerText(), new RegExp(`^Caption 1 of ${total}: X \\(n1\\) wants to write x`));
  assert.match(await page.locator('#narration').innerText(), /n1 → n3 Prepare/);
  // The cluster view rings what the caption speaks of (the Prepare from n1 to n3).
  assert.equal(await page.locator('svg.cluster .story-ring').count(), 2);
  console.log(`screenshot: ${await app.screenshot(page, 'story-1')}`);

  // Next plays on to caption 2 and waits again.
  await page.locator('#story-next').click();
  await waitForStep(page, 2);
  await page.getByRole('button', { name: '▶ Play' }).waitFor({ timeout: 5_000 });
  const at2 = await moment(page);
  assert.ok(at2.cursor > at1.cursor, `the run moved on (${at1.cursor} → ${at2.cursor} µs)`);
  await page.waitForTimeout(1_000);
  assert.deepEqual(await moment(page), at2, 'and waits at caption 2');
  assert.match(await page.locator('#narration').innerText(), new RegExp(`^Caption 2 of ${total}`));

  // Back returns to caption 1, exactly where the story stopped before.
  await page.locator('#story-back').click();
  await waitForStep(page, 1);
  assert.deepEqual(await moment(page), at1, 'back at caption 1');

  // Caption 2's mark under the timeline's axis goes there (left: 30 px of lane names; 16 px of axis).
  const canvas = page.locator('canvas.lamport');
  const [t0, span] = [Number(await canvas.getAttribute('data-t0')), Number(await canvas.getAttribute('data-span'))];
  const width = (await canvas.boundingBox()).width;
  await canvas.click({ position: { x: 30 + ((at2.cursor - t0) / span) * (width - 30), y: 20 } });
  await waitForStep(page, 2);
  assert.equal((await moment(page)).cursor, at2.cursor, 'the mark of caption 2 shows caption 2');
  await page.locator('#story-back').click();
  await waitForStep(page, 1);

  // The keys: n is Next, b is Back.
  await page.locator('body').click({ position: { x: 2, y: 2 } });
  await page.keyboard.press('n');
  await waitForStep(page, 2);
  await page.getByRole('button', { name: '▶ Play' }).waitFor({ timeout: 5_000 });
  assert.deepEqual(await moment(page), at2, 'n played on to caption 2 and stopped there');
  await page.keyboard.press('b');
  await waitForStep(page, 1);

  // The help lists them.
  await page.keyboard.press('?');
  assert.match(await page.getByRole('dialog', { name: 'Help' }).innerText(), /n b\s*a story's next \/ previous caption/);
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('.panic').count(), 0);
  assert.deepEqual(problems, [], `problems on the page:\n${problems.join('\n')}`);
});

test('Play through runs the story to its end without stopping at captions', async () => {
  const { page, problems } = await openStory();
  const first = await waitForStep(page, 1);
  const total = Number(first.split('/')[1]);
  await page.locator('#story-through').click();
  // It plays past caption 2 by itself, on to the last caption and the end of the run.
  await waitForStep(page, total);
  await page.getByRole('button', { name: '▶ Play' }).waitFor({ timeout: 60_000 });
  const end = await moment(page);
  assert.equal(end.cursor, Number(await page.locator('canvas.lamport').getAttribute('data-head')), 'at the end of the run');

  // Back from there returns to story pacing: the caption before the last, and Next stops again.
  await page.locator('#story-back').click();
  await waitForStep(page, total - 1);
  await page.locator('#story-next').click();
  await waitForStep(page, total);
  await page.getByRole('button', { name: '▶ Play' }).waitFor({ timeout: 5_000 });
  assert.ok((await moment(page)).cursor < end.cursor, 'Next stopped at the last caption, before the end of the run');
  assert.deepEqual(problems, [], `problems on the page:\n${problems.join('\n')}`);
});

test('an embedded story waits at its first caption; with speed= in its link it plays freely', async () => {
  const paced = await openStory('&embed&autoplay');
  await waitForStep(paced.page, 1);
  const at1 = await moment(paced.page);
  await paced.page.waitForTimeout(1_000);
  assert.deepEqual(await moment(paced.page), at1, 'the embedded story waits');
  assert.deepEqual(paced.problems, [], `problems on the page:\n${paced.problems.join('\n')}`);

  const free = await openStory('&embed&autoplay&speed=50');
  // It plays on past the first captions by itself.
  await free.page.waitForFunction(
    () => Number(document.querySelector('.caption.story .story-count')?.textContent.split('/')[0]) >= 3,
    null,
    { timeout: 30_000 },
  );
  assert.deepEqual(free.problems, [], `problems on the page:\n${free.problems.join('\n')}`);
});

test('a question waits for an answer: a wrong one is explained and may be tried again, then the right one lets the story go on', async () => {
  const { page, problems } = await openStory();
  await waitForStep(page, 1);
  // Caption 7 of the duel asks what the middle acceptor does with X's Accept(1.1).
  for (let n = 2; n <= 7; n++) {
    await page.locator('#story-next').click();
    await waitForStep(page, n);
  }
  const quiz = page.locator('.caption.story .quiz');
  await quiz.waitFor();
  assert.match(await page.locator('#quiz-ask').innerText(), /Accept\(1\.1, x\).*n4/);
  assert.equal(await page.locator('#story-next').isDisabled(), true, 'Next waits for an answer');
  const answers = quiz.getByRole('radio');
  assert.equal(await answers.count(), 4);
  const at7 = await moment(page);

  // A wrong answer: said to be wrong, with why; the story does not move.
  await answers.nth(0).click();
  await quiz.locator('.verdict.wrong').waitFor();
  assert.match(await quiz.locator('.verdict').innerText(), /last_rnd/);
  assert.deepEqual(await moment(page), at7, 'an answer does not move the run');
  await app.screenshot(page, 'story-question-wrong');

  // Try again, then the right one.
  await page.locator('#quiz-retry').click();
  assert.equal(await quiz.locator('.verdict').count(), 0, 'the answer is forgotten');
  await answers.nth(1).click();
  await quiz.locator('.verdict.right').waitFor();
  assert.equal(await answers.nth(1).getAttribute('aria-checked'), 'true');
  assert.equal(await page.locator('#story-next').isDisabled(), false, 'Next is open again');

  // The reveal: the next caption shows n4 refusing X's Accept.
  await page.locator('#story-next').click();
  await waitForStep(page, 8);
  assert.match(await page.locator('.caption.story').innerText(), /refused/);
  assert.deepEqual(problems, [], `problems on the page:\n${problems.join('\n')}`);
});
