/**
 * Issue 18 in real browsers, what a room tells people around a run:
 * - the host with the default ±1,000,000,000 bounds is told what tight bounds would catch
 *   ("a lowest value of 10,000 would have caught “€72.000”"); the advice goes once the bounds
 *   are set, and a lowest value of 10,000 then refuses “€72.000” (read as 72) in the guest's tab;
 * - a reading that changes a value's magnitude is a warning that keeps Ready disabled until
 *   the person confirms it (and a plain value needs no confirmation);
 * - a "P1 left the room." notice seen by a guest clears when P1 is back, and the room computes;
 *   the “€” P1 typed shows in no tab's result, P1's included;
 * - no “Preparing the secure channel…” beside a result (the next run's preparation is quiet);
 * - changing the computation keeps the earlier result in the room’s list in every tab, and the
 *   bounds that still apply.
 */
import { expect, test, type Page } from '@playwright/test';
import { closeAll, enterAndReady, expectConnected, openRoom, readResult } from './parties';

async function setBounds(page: Page, lower: string, upper: string): Promise<void> {
  const details = page.locator('details.spec-details');
  if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
  await page.getByTestId('spec-lower').fill(lower);
  await page.getByTestId('spec-upper').fill(upper);
}

test('bounds advice, a magnitude warning to confirm before Ready, a stale “left” notice that clears', async ({ browser }) => {
  const { parties, link } = await openRoom(browser, 3, 'sum');
  const [host, p1, p2] = parties;

  await test.step('the host is guided to tight bounds while they are left wide', async () => {
    await expect(host.page.getByTestId('bounds-advice')).toContainText('a lowest value of 10,000 would have caught “€72.000” read as 72');
    // Guests cannot change the bounds: the advice is the host's.
    await expect(p1.page.getByTestId('bounds-advice')).toHaveCount(0);
    await setBounds(host.page, '0', '1000000');
    await expect(host.page.getByTestId('bounds-advice')).toHaveCount(0);
    await expect(p1.page.getByText('values from 0; up to 1,000,000')).toBeVisible();
  });

  await test.step('a misreading that changes the magnitude keeps Ready disabled until confirmed', async () => {
    const input = p1.page.getByTestId('private-input');
    const ready = p1.page.getByTestId('ready');
    // Negative control: a plain salary needs no confirmation.
    await input.fill('72000');
    await expect(p1.page.getByTestId('input-read')).toContainText('1 value read: 72,000');
    await expect(p1.page.getByTestId('input-warnings')).toHaveCount(0);
    await expect(ready).toBeEnabled();
    await input.fill('€72.000');
    const warnings = p1.page.getByTestId('input-warning');
    await expect(warnings.filter({ hasText: 'We read €72.000 as 72.000' })).toHaveCount(1);
    await expect(warnings.filter({ hasText: '72 is far below the range the host set for this room (0 to 1,000,000)' })).toHaveCount(1);
    await expect(ready).toBeDisabled();
    await p1.page.getByTestId('input-confirm').check();
    await expect(ready).toBeEnabled();
    await ready.click();
    await expect(host.page.getByTestId('participant').filter({ hasText: 'P1' })).toHaveAttribute('data-state', 'ready');
    // The confirmation is locked while ready; un-ready, and a changed text needs a new one.
    await expect(p1.page.getByTestId('input-confirm')).toBeDisabled();
    await ready.click();
    await expect(host.page.getByTestId('participant').filter({ hasText: 'P1' })).toHaveAttribute('data-state', 'connected');
    await input.fill('€72.0000');
    await expect(p1.page.getByTestId('input-confirm')).not.toBeChecked();
    await expect(ready).toBeDisabled();
  });

  await test.step('with the lowest value the advice suggests, “€72.000” is refused in the tab', async () => {
    await setBounds(host.page, '10000', '1000000');
    await expect(p1.page.getByText('values from 10,000; up to 1,000,000')).toBeVisible();
    await expect(p1.page.getByTestId('input-error')).toContainText('Expected the value between 10,000 and 1,000,000, got 72.');
    await expect(p1.page.getByTestId('ready')).toBeDisabled();
  });

  await test.step('a guest’s “P1 left the room.” notice clears when P1 is back', async () => {
    const notices = p2.page.getByTestId('connection-notices');
    await p1.page.close();
    await expect(notices).toContainText('P1 left the room.');
    await expect(p2.page.getByTestId('participant')).toHaveCount(2);
    // A new tab of the same browser: the tab's memory of the room is gone, so P1 joins again.
    p1.page = await p1.context.newPage();
    await p1.page.goto(link);
    await p1.page.getByTestId('display-name').fill('P1');
    await p1.page.getByTestId('join-room').click();
    await expectConnected(parties, 3);
    await expect(p2.page.getByText('P1 left the room.')).toHaveCount(0);
  });

  await test.step('the room computes with the bounds the host set', async () => {
    await enterAndReady(p1, '€72000');
    await enterAndReady(p2, '68,250.75');
    await enterAndReady(host, '80000');
    await expect(host.page.locator('[data-testid="participant"][data-state="ready"]')).toHaveCount(3);
    await host.page.getByTestId('start').click();
    for (const p of parties) expect(await readResult(p)).toEqual({ computation: 'sum', value: 72000 + 68250.75 + 80000 });
    // P1 typed “€”: no tab shows it, P1's included (the others never knew it).
    for (const p of parties) await expect(p.page.getByTestId('result-value')).toHaveText('220,250.75');
  });
  await closeAll(parties);
});

test('after a result, the preparation for the next run does not say “Preparing the secure channel…” beside it', async ({ browser }) => {
  const { parties } = await openRoom(browser, 2, 'sum');
  const [host, guest] = parties;
  for (const p of parties) await expect(p.page.locator('.room[data-prep]')).toHaveAttribute('data-prep', 'ready', { timeout: 60_000 });
  // Watch each page from here on: did the note and a result ever show together, and did a
  // preparation run while a result was shown (else this test could not fail)?
  for (const p of parties) {
    await p.page.evaluate(() => {
      const w = window as unknown as { seen: { both: boolean; prepWithResult: boolean } };
      w.seen = { both: false, prepWithResult: false };
      const look = () => {
        const result = document.querySelector('[data-testid="result"]') !== null;
        if (result && document.querySelector('[data-testid="preparing"]')) w.seen.both = true;
        if (result && document.querySelector('.room[data-prep="preparing"]')) w.seen.prepWithResult = true;
      };
      new MutationObserver(look).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-prep'] });
    });
  }
  await enterAndReady(host, '40');
  await enterAndReady(guest, '2');
  await host.page.getByTestId('start').click();
  for (const p of parties) expect(await readResult(p)).toEqual({ computation: 'sum', value: 42 });
  for (const p of parties) {
    const seen = () => p.page.evaluate(() => (window as unknown as { seen: { both: boolean; prepWithResult: boolean } }).seen);
    await expect.poll(async () => (await seen()).prepWithResult, { timeout: 60_000 }).toBe(true);
    await expect(p.page.locator('.room[data-prep]')).toHaveAttribute('data-prep', 'ready', { timeout: 60_000 });
    expect((await seen()).both, `${p.name}: “Preparing…” beside the result`).toBe(false);
    await expect(p.page.getByTestId('preparing')).toHaveCount(0);
  }
  await closeAll(parties);
});

test('changing the computation keeps the earlier result in a list in every tab, and the input rules that still apply', async ({ browser }) => {
  const { parties } = await openRoom(browser, 2, 'sum');
  const [host, guest] = parties;
  await setBounds(host.page, '0', '500000');
  await expect(guest.page.getByText('values from 0; up to 500,000')).toBeVisible();
  await enterAndReady(host, '40000');
  await enterAndReady(guest, '2500.5');
  await expect(host.page.locator('[data-testid="participant"][data-state="ready"]')).toHaveCount(2);
  await host.page.getByTestId('start').click();
  for (const p of parties) expect(await readResult(p)).toEqual({ computation: 'sum', value: 42500.5 });
  await host.page.getByTestId('computation').selectOption('median');
  for (const p of parties) {
    await expect(p.page.locator('h1')).toContainText('Median');
    // The sum is not wiped: it moves to the room's list of results, with its value.
    await expect(p.page.getByTestId('result')).toHaveCount(0);
    await expect(p.page.locator('[data-testid="past-result"][data-computation="sum"]')).toContainText('42,500.5');
    // A new computation needs fresh consent.
    await expect(p.page.locator('[data-testid="participant"][data-state="ready"]')).toHaveCount(0);
  }
  // The bounds the host set still apply to the median (decimals too).
  await expect(guest.page.getByText('values from 0; up to 500,000')).toBeVisible();
  await expect(host.page.getByTestId('spec-upper')).toHaveValue('500000');
  await closeAll(parties);
});
