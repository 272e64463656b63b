/**
 * Helpers that open a room with N parties, each in its own browser context (own storage,
 * own WebRTC stack), through the real UI and the real signaling server.
 */
import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';

export interface Party {
  name: string;
  context: BrowserContext;
  page: Page;
}

export async function newParty(browser: Browser, name: string): Promise<Party> {
  // Headless Chromium gathers loopback ICE candidates only with the microphone permission
  // (DESIGN §5); no media is used.
  const context = await browser.newContext({ permissions: ['microphone'] });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`[${name}] page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning' || process.env.PARLEY_E2E_LOG) console.log(`[${name}] ${m.type()}: ${m.text()}`);
  });
  return { name, context, page };
}

/** Party 0 creates the room (choosing `computation`), the others join by its link. */
export async function openRoom(
  browser: Browser,
  n: number,
  computation = 'sum',
  before?: (p: Party, i: number) => Promise<void>,
): Promise<{ parties: Party[]; link: string; connectMillis: number }> {
  const parties: Party[] = [];
  for (let i = 0; i < n; i++) parties.push(await newParty(browser, `P${i}`));
  for (const [i, p] of parties.entries()) await before?.(p, i);
  const host = parties[0];
  const started = Date.now();
  await host.page.goto('/');
  await host.page.getByTestId('display-name').fill(host.name);
  await host.page.getByTestId('computation').selectOption(computation);
  await host.page.getByTestId('create-room').click();
  const link = (await host.page.getByTestId('room-link').textContent()) ?? '';
  // `#/room/<secret>.<host fingerprint>` (src/transport/host-key.ts).
  expect(link).toMatch(/#\/room\/[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}$/);
  await Promise.all(
    parties.slice(1).map(async (p) => {
      await p.page.goto(link);
      await p.page.getByTestId('display-name').fill(p.name);
      await p.page.getByTestId('join-room').click();
    }),
  );
  await expectConnected(parties, n);
  // From the host's page load to every tab showing everyone connected.
  return { parties, link, connectMillis: Date.now() - started };
}

/** Every page lists n participants and none is still connecting. */
export async function expectConnected(parties: Party[], n: number): Promise<void> {
  for (const p of parties) {
    await expect(p.page.getByTestId('participant')).toHaveCount(n, { timeout: 30_000 });
    await expect(p.page.locator('[data-testid="participant"][data-state="connecting"]')).toHaveCount(0, { timeout: 30_000 });
  }
}

export async function enterAndReady(p: Party, text: string): Promise<void> {
  await p.page.getByTestId('private-input').fill(text);
  await expect(p.page.getByTestId('input-error')).toHaveCount(0);
  await p.page.getByTestId('ready').click();
}

export async function readResult(p: Party): Promise<{ computation: string; value: number | number[] }> {
  const result = p.page.getByTestId('result');
  await expect(result).toBeVisible({ timeout: 60_000 });
  return JSON.parse((await result.getAttribute('data-result')) ?? 'null') as { computation: string; value: number | number[] };
}

export async function closeAll(parties: Party[]): Promise<void> {
  await Promise.all(parties.map((p) => p.context.close().catch(() => undefined)));
}

/** Deterministic random integers for test inputs (a fixed-seed LCG; not for crypto). */
export function seededInts(seed: number, count: number, min: number, max: number): number[] {
  let x = seed >>> 0;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out.push(min + (x % (max - min + 1)));
  }
  return out;
}
