/**
 * Issue 18, presentation at phone width (390 px): no control is clipped. A <select> cannot
 * wrap, so an option label longer than the box is cut off mid-word ("Fast: assumes everyone
 * runs the unm"); the check measures each selected label in the select's own font against
 * the room the box leaves for text. Also: the page never scrolls sideways, and each screen
 * has exactly one h1.
 */
import { mkdir } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { closeAll, enterAndReady, openRoom, readResult } from './parties';

const SHOTS = 'e2e/screenshots';

/** Selects whose selected label does not fit, as "testid: label (needs px > has px)". */
async function clippedSelects(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const ctx = document.createElement('canvas').getContext('2d');
    if (!ctx) return ['no canvas'];
    const out: string[] = [];
    for (const s of Array.from(document.querySelectorAll('select'))) {
      if (s.offsetParent === null) continue;
      const cs = getComputedStyle(s);
      ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
      const label = s.selectedOptions[0]?.text ?? '';
      const need = ctx.measureText(label).width;
      // The drop-down arrow takes about 24 px of the content box.
      const has = s.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - 24;
      if (need > has) out.push(`${s.dataset.testid ?? s.name}: ${label} (needs ${Math.round(need)} px > has ${Math.round(has)} px)`);
    }
    return out;
  });
}

async function checkNarrow(page: Page, screen: string): Promise<void> {
  expect(await clippedSelects(page), `clipped selects on ${screen}`).toEqual([]);
  const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(sideways, `${screen} scrolls sideways`).toBeLessThanOrEqual(0);
  await expect(page.locator('h1'), `one h1 on ${screen}`).toHaveCount(1);
}

test('at 390 px nothing on the landing and host room screens is clipped, every protection and computation label fits', async ({ browser }) => {
  const context = await browser.newContext({ permissions: ['microphone'], viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto('/');
  await checkNarrow(page, 'landing');
  // Every computation label on the landing fits, not only the default one.
  const kinds = await page.getByTestId('computation').locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  expect(kinds.length).toBeGreaterThan(5);
  const clipped: string[] = [];
  for (const kind of kinds) {
    await page.getByTestId('computation').selectOption(kind);
    clipped.push(...(await clippedSelects(page)));
  }
  expect(clipped, 'computation labels on the landing').toEqual([]);
  await page.getByTestId('computation').selectOption('sum');
  await page.getByTestId('display-name').fill('P0');
  await page.getByTestId('create-room').click();
  await expect(page.getByTestId('room-link')).toContainText('#/room/');
  await checkNarrow(page, 'room');
  for (const level of ['strict', 'fast']) {
    await page.getByTestId('spec-protection').selectOption(level);
    expect(await clippedSelects(page), `room with protection ${level}`).toEqual([]);
  }
  await context.close();
});

test('at 390 px a list result has labelled positions and does not scroll sideways (screenshots at 390 and 1280 px)', async ({ browser }) => {
  const { parties } = await openRoom(browser, 2, 'sum');
  const [host, guest] = parties;
  await enterAndReady(host, '68,250.75\n1,000');
  await enterAndReady(guest, '70,000\n2,000');
  await expect(host.page.locator('[data-testid="participant"][data-state="ready"]')).toHaveCount(2);
  await host.page.getByTestId('start').click();
  for (const p of parties) expect(await readResult(p)).toEqual({ computation: 'sum', value: [138250.75, 3000] });
  await host.page.setViewportSize({ width: 390, height: 844 });
  await expect(host.page.getByTestId('result-value')).toContainText('Position 1: 138,250.75');
  await expect(host.page.getByTestId('result-value')).toContainText('Position 2: 3,000');
  await checkNarrow(host.page, 'result');
  await mkdir(SHOTS, { recursive: true });
  await host.page.screenshot({ path: `${SHOTS}/narrow-result-390.png`, fullPage: true });
  await host.page.setViewportSize({ width: 1280, height: 900 });
  await host.page.screenshot({ path: `${SHOTS}/narrow-result-1280.png`, fullPage: true });
  await closeAll(parties);
});
