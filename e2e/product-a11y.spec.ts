/**
 * Accessibility and looks (issue 7, part 6): axe (WCAG 2.1 A/AA) finds no serious or
 * critical violations on the landing, join, room, result and progress screens, in the light theme
 * (host) and the dark theme (guest); keyboard-only creation works; and every screen is
 * photographed at phone (390 px) and desktop (1280 px) width into e2e/screenshots/ for
 * people to look at.
 */
import { mkdir } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { closeAll, enterAndReady, expectConnected, readResult, type Party } from './parties';

const SHOTS = 'e2e/screenshots';
const WIDTHS = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 900 } };

async function check(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const summary = bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summary, `axe on ${screen}`).toEqual([]);
}

async function shoot(p: Party, screen: string, theme: string): Promise<void> {
  for (const [name, size] of Object.entries(WIDTHS)) {
    await p.page.setViewportSize(size);
    await p.page.screenshot({ path: `${SHOTS}/${screen}-${name}-${theme}.png`, fullPage: true, animations: 'disabled' });
  }
  await p.page.setViewportSize(WIDTHS.desktop);
}

async function party(page: Page, name: string, context: Party['context']): Promise<Party> {
  page.on('pageerror', (e) => console.error(`[${name}] page error: ${e.message}`));
  return { name, page, context };
}

test('axe finds no serious violations on landing, join, room, result and progress; screenshots at phone and desktop width', async ({ browser }) => {
  test.setTimeout(240_000);
  await mkdir(SHOTS, { recursive: true });
  const hostContext = await browser.newContext({ permissions: ['microphone'], colorScheme: 'light', viewport: WIDTHS.desktop });
  const guestContext = await browser.newContext({ permissions: ['microphone'], colorScheme: 'dark', viewport: WIDTHS.desktop });
  const host = await party(await hostContext.newPage(), 'P0', hostContext);
  const guest = await party(await guestContext.newPage(), 'P1', guestContext);

  await test.step('landing, created with the keyboard only', async () => {
    await host.page.goto('/');
    await check(host.page, 'landing');
    await shoot(host, 'landing', 'light');
    // Keyboard only: the skip link first, then the form in order; Enter submits.
    await host.page.keyboard.press('Tab');
    await expect(host.page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
    await host.page.getByTestId('display-name').focus();
    await host.page.keyboard.type('P0');
    await host.page.keyboard.press('Tab');
    await expect(host.page.getByTestId('computation')).toBeFocused();
    await host.page.keyboard.press('Tab');
    await expect(host.page.getByTestId('room-budget')).toBeFocused();
    await host.page.keyboard.press('Tab');
    await expect(host.page.getByTestId('create-room')).toBeFocused();
    await host.page.keyboard.press('Enter');
    await expect(host.page.getByTestId('room-link')).toContainText('#/room/');
  });
  const link = (await host.page.getByTestId('room-link').textContent()) ?? '';

  await test.step('join screen (dark theme)', async () => {
    await guest.page.goto(link);
    await expect(guest.page.getByTestId('join-room')).toBeVisible();
    await check(guest.page, 'join');
    await shoot(guest, 'join', 'dark');
    await guest.page.getByTestId('display-name').fill('P1');
    await guest.page.getByTestId('display-name').press('Enter');
    await expectConnected([host, guest], 2);
  });

  await test.step('room screens, with input read back', async () => {
    await host.page.getByTestId('private-input').fill('1,250.50\n318.41');
    await guest.page.getByTestId('private-input').fill('12 abc');
    await expect(guest.page.getByTestId('input-error')).toBeVisible();
    await expect(host.page.getByTestId('room-qr')).toBeVisible();
    for (const [p, theme] of [[host, 'light'], [guest, 'dark']] as const) {
      await check(p.page, `room (${theme})`);
      await shoot(p, 'room', theme);
    }
  });

  await test.step('result screens', async () => {
    await enterAndReady(host, '1,250.50\n318.41');
    await enterAndReady(guest, '100\n200.5');
    await expect(host.page.locator('[data-testid="participant"][data-state="ready"]')).toHaveCount(2);
    await host.page.getByTestId('start').click();
    for (const [p, theme] of [[host, 'light'], [guest, 'dark']] as const) {
      expect(await readResult(p)).toEqual({ computation: 'sum', value: [1350.5, 518.91] });
      // Shown exactly on both screens, though the guest typed only 1 decimal (never rounded to it).
      await expect(p.page.getByTestId('result-value')).toContainText('518.91');
      await check(p.page, `result (${theme})`);
      await shoot(p, 'result', theme);
    }
  });

  await test.step('progress screen (a third participant whose worker never loads keeps the run going)', async () => {
    const slowContext = await browser.newContext({ permissions: ['microphone'], viewport: WIDTHS.desktop });
    const slow = await party(await slowContext.newPage(), 'P2', slowContext);
    await slow.page.route('**/*engine.worker*', () => undefined);
    await slow.page.goto(link);
    await slow.page.getByTestId('display-name').fill('P2');
    await slow.page.getByTestId('join-room').click();
    await expectConnected([host, guest, slow], 3);
    await enterAndReady(slow, '1\n2');
    await expect(host.page.locator('[data-testid="participant"][data-state="ready"]')).toHaveCount(3);
    await host.page.getByTestId('start').click();
    // A stalled run says it is waiting, rather than extrapolating a time left. (Checked
    // first: the run's 30 s round timeout ends this screen.)
    await expect(host.page.getByTestId('progress')).toHaveAttribute('data-phase', /starting|checking|preparing|computing/);
    await expect(host.page.getByTestId('progress-waiting')).toBeVisible({ timeout: 15_000 });
    await expect(host.page.getByTestId('progress-eta')).toHaveCount(0);
    for (const [p, theme] of [[host, 'light'], [guest, 'dark']] as const) {
      await expect(p.page.getByTestId('progress-bytes')).toBeVisible();
      await check(p.page, `progress (${theme})`);
      await shoot(p, 'progress', theme);
    }
    await slowContext.close();
    await expect(host.page.getByTestId('error')).toContainText('P2');
  });

  await test.step('histogram over wide bounds and earlier results (issue 18 presentation)', async () => {
    await expectConnected([host, guest], 2);
    await host.page.getByTestId('computation').selectOption('histogram');
    await expect(guest.page.getByText('Histogram', { exact: true })).toBeVisible();
    await enterAndReady(host, '5\n50\n5000');
    await enterAndReady(guest, '-20\n500\n2000');
    await host.page.getByTestId('start').click();
    for (const [p, theme] of [[host, 'light'], [guest, 'dark']] as const) {
      await expect(p.page.locator('[data-testid="result"][data-result*="histogram"]')).toBeVisible({ timeout: 60_000 });
      // The outer buckets are named by their inner edge, not by the ±1,000,000,000 bounds.
      await expect(p.page.getByTestId('histogram')).not.toContainText('1,000,000,000');
      await expect(p.page.getByTestId('past-result').first()).toContainText('Sum');
      await check(p.page, `histogram (${theme})`);
      await shoot(p, 'histogram', theme);
    }
  });
  await closeAll([host, guest]);
});
