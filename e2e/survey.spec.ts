/**
 * Survey mode end to end in real browsers against the real server (SQLite store):
 * two aggregators make keys in their own browsers, the creator publishes a survey naming
 * them, ten contributors answer one after another (never more than two tabs open at once),
 * the creator closes it, both aggregator tabs compute, and anyone with the link sees the
 * result, which equals the plaintext oracle.
 */
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { newParty } from './parties';

async function aggregatorKey(browser: Browser, name: string): Promise<{ context: BrowserContext; key: string }> {
  const p = await newParty(browser, name);
  await p.page.goto('/#/survey/aggregator');
  await p.page.getByTestId('make-aggregator-key').click();
  const key = (await p.page.getByTestId('aggregator-key').textContent())!.trim();
  expect(key).toMatch(/^[A-Za-z0-9_-]{86}$/);
  await p.page.close(); // the private key stays in this context's IndexedDB
  return { context: p.context, key };
}

async function answer(page: Page, link: string, hours: string, team: string) {
  await page.goto(link);
  const inputs = page.getByTestId('survey-answer');
  await inputs.nth(0).fill(hours);
  await inputs.nth(1).selectOption(team);
  await page.getByTestId('submit-report').click();
  await expect(page.getByTestId('receipt')).toBeVisible();
}

test('a survey: ten contributors over time, two aggregator tabs, result for everyone with the link', async ({ browser }) => {
  test.setTimeout(240_000);
  const a = await aggregatorKey(browser, 'AggA');
  const b = await aggregatorKey(browser, 'AggB');

  const creator = await newParty(browser, 'Creator');
  const page = creator.page;
  await page.goto('/');
  await page.getByTestId('create-survey').click();
  await page.getByTestId('survey-title').fill('Team hours');
  await page.getByTestId('question-label').fill('Hours last week');
  await page.getByTestId('question-max').fill('100');
  await page.getByTestId('question-variance').check();
  await page.getByTestId('add-question').click();
  await page.getByTestId('question-kind').nth(1).selectOption('choice');
  await page.getByTestId('question-label').nth(1).fill('Team');
  await page.getByTestId('question-options').fill('red\ngreen\nblue');
  await page.getByTestId('aggregator-name-0').fill('Alice Org');
  await page.getByTestId('aggregator-name-1').fill('Bob Org');
  // a mistyped key is refused next to the form, nothing is published
  await page.getByTestId('aggregator-key-0').fill(a.key.slice(0, 40));
  await page.getByTestId('aggregator-key-1').fill(b.key);
  await page.getByTestId('publish-survey').click();
  await expect(page.getByTestId('input-error')).toContainText("Aggregator 1's key");
  await page.getByTestId('aggregator-key-0').fill(a.key);
  await page.getByTestId('publish-survey').click();
  const link = (await page.getByTestId('survey-link').textContent())!.trim();
  expect(link).toMatch(/#\/survey\/[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);

  const answers: [string, string][] = [
    ['40', 'red'],
    ['38', 'green'],
    ['45', 'blue'],
    ['0', 'red'],
    ['100', 'red'],
    ['12', 'green'],
    ['37', 'blue'],
    ['50', 'green'],
    ['41', 'red'],
    ['29', 'blue'],
  ];
  // contributors come and go: two at a time, each closes before the next pair arrives
  for (let i = 0; i < answers.length; i += 2) {
    const pair = await Promise.all([newParty(browser, `C${i}`), newParty(browser, `C${i + 1}`)]);
    if (i === 0) {
      // bad input is refused next to the form, and nothing is sent
      await pair[0].page.goto(link);
      await pair[0].page.getByTestId('survey-answer').nth(0).fill('101');
      await pair[0].page.getByTestId('survey-answer').nth(1).selectOption('red');
      await pair[0].page.getByTestId('submit-report').click();
      await expect(pair[0].page.getByTestId('input-error')).toContainText('between 0 and 100');
    }
    await Promise.all(pair.map((p, j) => answer(p.page, link, ...answers[i + j])));
    await Promise.all(pair.map((p) => p.context.close()));
  }
  await expect(page.getByTestId('report-count')).toHaveAttribute('data-count', '10');

  await page.getByTestId('close-survey').click();
  await expect(page.getByTestId('survey-state')).toHaveAttribute('data-state', 'closed');

  const aggPages = await Promise.all([a.context.newPage(), b.context.newPage()]);
  await Promise.all(aggPages.map((p) => p.goto(link)));
  await Promise.all(aggPages.map((p) => p.getByTestId('aggregate').click()));
  for (const p of aggPages) await expect(p.getByTestId('progress')).toHaveAttribute('data-phase', 'done', { timeout: 60_000 });

  const total = answers.reduce((s, [h]) => s + Number(h), 0);
  const counts = Object.fromEntries(['red', 'green', 'blue'].map((t) => [t, answers.filter(([, x]) => x === t).length]));
  const mean = total / 10;
  const ss = answers.reduce((s, [h]) => s + (Number(h) - mean) ** 2, 0);
  const spread = { variance: ss / 10, sampleVariance: ss / 9, sampleStddev: Math.sqrt(ss / 9) };
  const expected = { computation: 'survey', count: 10, invalid: 0, value: [{ label: 'Hours last week', total, mean, ...spread }, { label: 'Team', counts }] };
  const reader = await newParty(browser, 'Reader');
  await reader.page.goto(link);
  for (const p of [reader.page, page, ...aggPages]) {
    await expect(p.getByTestId('result')).toBeVisible({ timeout: 30_000 });
    const got = JSON.parse((await p.getByTestId('result').getAttribute('data-result'))!) as typeof expected;
    // the variance is one float division away from the oracle's sum of squares
    const [g, w] = [got.value[0], expected.value[0]] as unknown as Record<string, number>[];
    for (const k of ['variance', 'sampleVariance', 'sampleStddev']) {
      expect(g[k]).toBeCloseTo(w[k], 9);
      g[k] = w[k];
    }
    expect(got).toEqual(expected);
    await expect(p.getByTestId('survey-variance')).toContainText('Variance');
  }
});
