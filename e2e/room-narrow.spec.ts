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

/** Elements among `selector` whose text wraps onto more than one line, as "text (n lines)". */
async function wrapped(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).evaluateAll((els) =>
    els.flatMap((el) => {
      const range = document.createRange();
      range.selectNodeContents(el);
      const tops = new Set(Array.from(range.getClientRects()).filter((r) => r.width > 0).map((r) => Math.round(r.top)));
      return tops.size > 1 ? [`${el.textContent ?? ''} (${tops.size} lines)`] : [];
    }),
  );
}

/** What of each histogram is cut off: the chart past its card or the viewport, labels past the chart or over each other. */
async function clippedHistogram(page: Page): Promise<string[]> {
  return page.getByTestId('histogram').evaluateAll((figs) =>
    figs.flatMap((fig) => {
      const out: string[] = [];
      const svg = fig.querySelector('svg');
      const card = fig.closest('.card');
      if (!svg || !card) return ['no chart'];
      const s = svg.getBoundingClientRect();
      const c = card.getBoundingClientRect();
      if (s.left < c.left - 0.5 || s.right > c.right + 0.5 || s.right > window.innerWidth) out.push(`chart ${Math.round(s.left)}–${Math.round(s.right)} outside card ${Math.round(c.left)}–${Math.round(c.right)}`);
      const labels = Array.from(svg.querySelectorAll('text')).map((t) => ({ text: t.textContent ?? '', r: t.getBoundingClientRect(), axis: t.classList.contains('bar-label') }));
      for (const l of labels) if (l.r.left < s.left - 0.5 || l.r.right > s.right + 0.5 || l.r.top < s.top - 0.5 || l.r.bottom > s.bottom + 0.5) out.push(`label “${l.text}” cut off`);
      const axis = labels.filter((l) => l.axis).sort((a, b) => a.r.left - b.r.left);
      for (let i = 1; i < axis.length; i++) if (axis[i].r.left < axis[i - 1].r.right) out.push(`labels “${axis[i - 1].text}” and “${axis[i].text}” overlap`);
      if (axis.length < 2) out.push(`only ${axis.length} axis label`);
      return out;
    }),
  );
}

test('a result with long numbers and a histogram at 390 and 1280 px: numbers on one line, the chart not clipped (screenshots under /tmp)', async ({ browser }) => {
  test.setTimeout(240_000);
  const { parties } = await openRoom(browser, 2, 'several');
  const [host, guest] = parties;
  // Default statistics: the average of all values, the median and a histogram.
  await host.page.getByTestId('spec-edges').fill('1000000; 2000000; 3000000');
  await expect(host.page.getByTestId('spec-error')).toHaveCount(0);
  const lists = [['1234567.89', '2345678.91', '3456789.12'], ['987654.32', '2500000.5']];
  await enterAndReady(host, lists[0].join('\n'));
  await enterAndReady(guest, lists[1].join('\n'));
  await expect(host.page.locator('[data-testid="participant"][data-state="ready"]')).toHaveCount(2);
  await host.page.getByTestId('start').click();
  // Oracle: the sorted values' lower median, and the bucket counts.
  const all = lists.flat().map(Number).sort((a, b) => a - b);
  const buckets = [0, 0, 0, 0];
  for (const v of all) buckets[[1e6, 2e6, 3e6].filter((e) => v >= e).length]++;
  const cards = host.page.getByTestId('result');
  await expect(cards).toHaveCount(3, { timeout: 120_000 });
  const results = await Promise.all([0, 1, 2].map(async (i) => JSON.parse((await cards.nth(i).getAttribute('data-result')) ?? 'null') as { value: number | number[] }));
  expect(results[1].value).toBe(all[Math.ceil(all.length / 2) - 1]);
  expect(results[2].value).toEqual(buckets);
  await expect(host.page.getByTestId('result-value').nth(1)).toHaveText('2,345,678.91');
  await mkdir('/tmp/parley-shots', { recursive: true });
  for (const width of [390, 1280]) {
    await host.page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    // The chart redraws at its box's width (ResizeObserver): wait until it has.
    await expect.poll(() => host.page.locator('.histogram svg').evaluate((svg) => Math.abs(svg.getBoundingClientRect().width - (svg.parentElement?.clientWidth ?? 0)))).toBeLessThan(2);
    expect(await wrapped(host.page, '[data-testid="result-value"], .histogram .bar-label, .histogram .bar-value'), `numbers wrapped at ${width} px`).toEqual([]);
    expect(await clippedHistogram(host.page), `histogram at ${width} px`).toEqual([]);
    await checkNarrow(host.page, `result at ${width} px`);
    await host.page.screenshot({ path: `/tmp/parley-shots/result-several-${width}.png`, fullPage: true });
    for (let i = 0; i < 3; i++) await cards.nth(i).screenshot({ path: `/tmp/parley-shots/result-card-${i}-${width}.png` });
  }
  // Negative controls: the detectors do see a number squeezed onto two lines and a chart
  // drawn wider than its card (else the checks above could not fail).
  await host.page.setViewportSize({ width: 390, height: 844 });
  const squeeze = await host.page.addStyleTag({ content: '.result .big { width: 4em; } .histogram svg { width: 700px !important; max-width: none !important; }' });
  expect((await wrapped(host.page, '[data-testid="result-value"]')).length).toBeGreaterThan(0);
  expect((await clippedHistogram(host.page)).join('\n')).toContain('outside card');
  await squeeze.evaluate((el) => (el as Element).remove());
  await closeAll(parties);
});
