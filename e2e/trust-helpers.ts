/**
 * Helpers of the trust specs: a pair of parties on a given (hostile) server, and a
 * tripwire — a MutationObserver installed before the app loads that records the largest
 * number of other participants ever shown in a state other than `connecting` (testid
 * `participant`, attribute `data-state`) and the largest number of rows, so a test can
 * assert that something was never shown, without sleeping.
 */
import { expect, type Page } from '@playwright/test';
import type { HostileServer } from './hostile-server';
import { newParty, type Party } from './parties';

function installTripwire(): void {
  const w = window as unknown as { __maxOthersLinked: number; __maxRows: number };
  w.__maxOthersLinked = 0;
  w.__maxRows = 0;
  new MutationObserver(() => {
    const rows = [...document.querySelectorAll<HTMLElement>('[data-testid="participant"]')];
    const linked = rows.filter((li) => li.dataset.state !== 'connecting' && !(li.textContent ?? '').includes('(you)')).length;
    w.__maxOthersLinked = Math.max(w.__maxOthersLinked, linked);
    w.__maxRows = Math.max(w.__maxRows, rows.length);
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
}

export const maxOthersLinked = (p: Page) => p.evaluate(() => (window as unknown as { __maxOthersLinked: number }).__maxOthersLinked);
export const maxRows = (p: Page) => p.evaluate(() => (window as unknown as { __maxRows: number }).__maxRows);
export const rows = (p: Party) => p.page.getByTestId('participant');
export const connecting = (p: Party) => p.page.locator('[data-testid="participant"][data-state="connecting"]');

/** Alice creates a room on the hostile server, Bob joins by the link. */
export async function openPair(browser: Parameters<typeof newParty>[0], server: HostileServer): Promise<Party[]> {
  const parties = [await newParty(browser, 'Alice'), await newParty(browser, 'Bob')];
  for (const p of parties) await p.page.addInitScript(installTripwire);
  const [host, guest] = parties;
  await host.page.goto(server.url);
  await host.page.getByTestId('display-name').fill(host.name);
  await host.page.getByTestId('create-room').click();
  const link = (await host.page.getByTestId('room-link').textContent()) ?? '';
  expect(link.startsWith(server.url)).toBe(true);
  server.learnSecret(link);
  await guest.page.goto(link);
  await guest.page.getByTestId('display-name').fill(guest.name);
  await guest.page.getByTestId('join-room').click();
  return parties;
}

