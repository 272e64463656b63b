/**
 * The walking skeleton end to end: create a room, join by link, connect a full WebRTC
 * mesh, compute a secure sum in the MPC workers, and show the same plaintext-correct
 * result in every tab.
 */
import { expect, test } from '@playwright/test';
import { closeAll, enterAndReady, openRoom, readResult, seededInts } from './parties';

test('3 parties: the sum of scalars appears in every tab and equals the plaintext sum', async ({ browser }) => {
  const { parties } = await openRoom(browser, 3);
  const values = ['1250.37', '-318.41', '262.29'];
  for (const [i, p] of parties.entries()) await enterAndReady(p, values[i]);
  await expect(parties[0].page.locator('[data-testid="participant"][data-state="ready"]')).toHaveCount(3);
  await parties[0].page.getByTestId('start').click();
  const expected = values.reduce((a, v) => a + Math.round(Number(v) * 100), 0) / 100; // exact in cents
  for (const p of parties) {
    const r = await readResult(p);
    expect(r).toEqual({ computation: 'sum', value: expected });
    // Only the result is shown: no other party's input appears on the page.
    const text = await p.page.locator('body').innerText();
    for (const [j, v] of values.entries()) if (parties[j] !== p) expect(text).not.toContain(v);
  }
  await closeAll(parties);
});

test('5 parties: the element-wise sum of 1000-element vectors equals the plaintext sum', async ({ browser }) => {
  test.setTimeout(180_000);
  const n = 5;
  const length = 1000;
  const { parties } = await openRoom(browser, n);
  // Fast on purpose: this is the semi-honest skeleton's timing. Strict (the default since
  // issue 11) range-checks all 5,000 inputs bit by bit and took over 60 s here under load;
  // its time is measured by bench:browser (issue 11 target: < 2 s, not met yet).
  await parties[0].page.getByTestId('spec-protection').selectOption('fast');
  for (const p of parties.slice(1)) await expect(p.page.getByTestId('protection-summary')).toContainText('fast');
  const inputs = parties.map((_, i) => seededInts(1000 + i, length, -1_000_000, 1_000_000));
  for (const [i, p] of parties.entries()) await enterAndReady(p, inputs[i].join('\n'));
  await expect(parties[0].page.locator('[data-testid="participant"][data-state="ready"]')).toHaveCount(n);
  const started = Date.now();
  await parties[0].page.getByTestId('start').click();
  const expected = Array.from({ length }, (_, k) => inputs.reduce((a, v) => a + v[k], 0));
  for (const p of parties) {
    const r = await readResult(p);
    expect(r.computation).toBe('sum');
    expect(r.value).toEqual(expected);
  }
  console.log(`e2e: 5-party 1000-element sum, Start to result in every tab: ${Date.now() - started} ms`);
  await closeAll(parties);
});

test('a party that leaves mid-run gives the others a clear error naming it, and the rest can run again', async ({ browser }) => {
  // P2's worker script is held back, so P2 accepts the start but can never send its
  // shares: the others are provably waiting on P2 when its tab closes.
  const { parties } = await openRoom(browser, 3, 'sum', async (p, i) => {
    if (i === 2) await p.page.route('**/*engine.worker*', () => undefined);
  });
  const [host, p1, p2] = parties;
  for (const [i, p] of parties.entries()) await enterAndReady(p, String(10 * (i + 1)));
  await host.page.getByTestId('start').click();
  await expect(host.page.getByTestId('progress')).toBeVisible();
  await expect(p1.page.getByTestId('progress')).toBeVisible();
  const closedAt = Date.now();
  await p2.context.close();
  for (const p of [host, p1]) {
    await expect(p.page.getByTestId('error')).toContainText('P2 left', { timeout: 10_000 });
    await expect(p.page.getByTestId('result')).toHaveCount(0);
  }
  console.log(`e2e: abort shown ${Date.now() - closedAt} ms after the tab closed`);
  // The two who remain can start again and get their own sum — after confirming again,
  // since Ready was consent for the group of three.
  await expect(host.page.getByTestId('participant')).toHaveCount(2);
  for (const p of [host, p1]) {
    await expect(p.page.getByTestId('ready')).toHaveAttribute('aria-pressed', 'false');
    await p.page.getByTestId('ready').click();
  }
  await expect(host.page.locator('[data-testid="participant"][data-state="ready"]')).toHaveCount(2);
  await host.page.getByTestId('start').click();
  for (const p of [host, p1]) expect(await readResult(p)).toEqual({ computation: 'sum', value: 30 });
  await closeAll([host, p1]);
});
