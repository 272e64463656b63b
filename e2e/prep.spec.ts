/**
 * Preparation before Start (issue 19) through the real UI: once two browsers are connected,
 * "Preparing the secure channel…" shows while the OT setups run and disappears when they
 * are ready; a median started then equals the plaintext oracle. A third person joining
 * changes the group: the preparation is redone for the three (never reused for another
 * roster), and their median equals the oracle too.
 */
import { expect, test, type Page } from '@playwright/test';
import { closeAll, enterAndReady, expectConnected, newParty, openRoom, readResult, seededInts } from './parties';

const lowerMedian = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const prepState = (page: Page) => page.locator('.room[data-prep]');

test('two browsers prepare before Start; the median equals the oracle; a third joining re-prepares', async ({ browser }) => {
  test.setTimeout(180_000);
  const { parties, link } = await openRoom(browser, 2, 'median');
  try {
    // fast backend: prepared OT and prep-time triples serve the fast backend (issue 19); a strict
    // median of 2 × 100 (the default since issue 11) did not finish within 60 s in CI
    await parties[0].page.getByTestId('spec-protection').selectOption('fast');
    for (const p of parties) {
      await expect(prepState(p.page)).toHaveAttribute('data-prep', 'ready', { timeout: 60_000 });
      await expect(p.page.getByTestId('preparing')).toHaveCount(0);
    }
    const inputs = [seededInts(19, 100, -5000, 5000), seededInts(20, 100, -5000, 5000)];
    await enterAndReady(parties[1], inputs[1].join('\n'));
    await enterAndReady(parties[0], inputs[0].join('\n'));
    const started = Date.now();
    await parties[0].page.getByTestId('start').click();
    const results = await Promise.all(parties.map(readResult));
    console.log(`prep e2e: 2 parties, Start→result ${Date.now() - started} ms (prepared)`);
    for (const r of results) expect(r).toEqual({ computation: 'median', value: lowerMedian(inputs.flat()) });

    // A new member: the group changed, so the prepared state is for a roster that no longer exists.
    const third = await newParty(browser, 'P2');
    parties.push(third);
    await third.page.goto(link);
    await third.page.getByTestId('display-name').fill(third.name);
    await third.page.getByTestId('join-room').click();
    await expectConnected(parties, 3);
    for (const p of parties) await expect(prepState(p.page)).toHaveAttribute('data-prep', 'ready', { timeout: 60_000 });
    inputs.push(seededInts(21, 100, -5000, 5000));
    await enterAndReady(third, inputs[2].join('\n'));
    // A join keeps the others' Ready (only a departure withdraws it).
    await expect(parties[0].page.locator('[data-testid="participant"][data-state="ready"]')).toHaveCount(3);
    const expected = { computation: 'median', value: lowerMedian(inputs.flat()) };
    const started3 = Date.now();
    await parties[0].page.getByTestId('start').click();
    for (const p of parties) {
      await expect.poll(async () => JSON.parse((await p.page.getByTestId('result').getAttribute('data-result', { timeout: 60_000 })) ?? 'null') as unknown, { timeout: 60_000 }).toEqual(expected);
    }
    console.log(`prep e2e: 3 parties, Start→result ${Date.now() - started3} ms (prepared)`);
  } finally {
    await closeAll(parties);
  }
});
