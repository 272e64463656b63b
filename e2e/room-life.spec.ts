/** Room life: rejoin after a reload with the same name and role; leaving is explicit. */
import { expect, test } from '@playwright/test';
import { closeAll, enterAndReady, openRoom, readResult } from './parties';

test('a guest who reloads rejoins under the same name and the room computes again', async ({ browser }) => {
  const { parties } = await openRoom(browser, 3);
  const [host, p1, p2] = parties;
  await p1.page.reload();
  // No join form: the tab remembers it was in this room.
  await expect(p1.page.getByTestId('join-room')).toHaveCount(0);
  for (const p of parties) {
    await expect(p.page.getByTestId('participant')).toHaveCount(3);
    await expect(p.page.getByTestId('participant').filter({ hasText: 'P1' })).toHaveCount(1);
  }
  for (const [i, p] of parties.entries()) await enterAndReady(p, String(i + 5));
  await host.page.getByTestId('start').click();
  for (const p of [host, p1, p2]) expect(await readResult(p)).toEqual({ computation: 'sum', value: 18 });
  await closeAll(parties);
});

test('the host who reloads is host again; Leave returns to the landing page and the others see it', async ({ browser }) => {
  const { parties } = await openRoom(browser, 2);
  const [host, guest] = parties;
  await host.page.reload();
  await expect(host.page.getByTestId('start')).toBeVisible();
  await expect(guest.page.getByTestId('participant').filter({ hasText: 'host' })).toHaveCount(1);
  await guest.page.getByTestId('leave-room').click();
  await expect(guest.page.getByTestId('create-room')).toBeVisible();
  await expect(host.page.getByTestId('participant')).toHaveCount(1);
  await closeAll(parties);
});
