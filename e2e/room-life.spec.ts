/**
 * Room life: rejoin after a reload with the same name and role; leaving is explicit; same
 * names told apart; a late joiner and a reload during a run are told what happened; a full
 * room says so (issue 18 "rooms that behave").
 */
import { expect, test, type Route } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { createAppServer } from '../server/http.ts';
import { closeAll, enterAndReady, expectConnected, newParty, openRoom, readResult } from './parties';

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

test('two people with the same name are told apart; a late joiner sees a run in progress; a reload mid-run says why the input is gone', async ({ browser }) => {
  const { parties } = await openRoom(browser, 3, 'sum', async (p, i) => {
    if (i > 0) p.name = 'Sam';
  });
  const [host, sam1, sam2] = parties;
  const samRows = host.page.getByTestId('participant').filter({ hasText: 'Sam · ' });
  await expect(samRows).toHaveCount(2);
  const [a, b] = await samRows.allTextContents();
  expect(a).not.toBe(b);
  for (const [i, p] of parties.entries()) await enterAndReady(p, String(i + 1));
  // Sam 1's tab stops answering (its main thread waits on a synchronous request that the
  // test holds), so the run stays in progress on the others until the test lets it go.
  let held: Route | undefined;
  await sam1.page.route('**/__hold', (route) => {
    held = route;
  });
  const busy = sam1.page.evaluate(() => {
    const x = new XMLHttpRequest();
    x.open('GET', '/__hold', false);
    x.send();
  });
  await expect.poll(() => held !== undefined).toBe(true);
  await host.page.getByTestId('start').click();
  await expect(sam2.page.getByTestId('progress')).toBeVisible();
  const late = await newParty(browser, 'Late');
  await late.page.goto((await host.page.getByTestId('room-link').textContent()) ?? '');
  await late.page.getByTestId('display-name').fill('Late');
  await late.page.getByTestId('join-room').click();
  const notice = late.page.getByTestId('connection-notices');
  await expect(notice).toContainText('A run is in progress among the others');
  await sam2.page.reload();
  await expect(sam2.page.getByTestId('connection-notices')).toContainText('This tab was reloaded during a run, which stopped that run for everyone. Your input is never stored');
  await expect(sam2.page.getByTestId('private-input')).toHaveValue('');
  await held?.fulfill({ body: 'ok' });
  await busy;
  // The run ended (Sam 2 left it): the late joiner's notice goes away.
  await expect(host.page.getByTestId('error')).toBeVisible();
  await expect(late.page.getByText('A run is in progress among the others')).toHaveCount(0);
  await closeAll([...parties, late]);
});

test('a room that is full says so and shows no room to the one refused', async ({ browser }) => {
  const app = await createAppServer({ distDir: fileURLToPath(new URL('../dist', import.meta.url)), limits: { maxRoomSize: 2 } });
  const url = await app.listen(0, '127.0.0.1');
  const [host, guest, third] = [await newParty(browser, 'P0'), await newParty(browser, 'P1'), await newParty(browser, 'P2')];
  try {
    await host.page.goto(url);
    await host.page.getByTestId('display-name').fill('P0');
    await host.page.getByTestId('create-room').click();
    const link = (await host.page.getByTestId('room-link').textContent()) ?? '';
    for (const p of [guest, third]) {
      await p.page.goto(link);
      await p.page.getByTestId('display-name').fill(p.name);
      await p.page.getByTestId('join-room').click();
      if (p === guest) await expectConnected([host, guest], 2);
    }
    await expect(third.page.getByTestId('error')).toContainText('This room is full (2)');
    await expect(third.page.getByTestId('participant')).toHaveCount(0);
    await expect(third.page.getByTestId('private-input')).toHaveCount(0);
  } finally {
    await closeAll([host, guest, third]);
    await app.close();
  }
});
