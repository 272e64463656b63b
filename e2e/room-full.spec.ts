/**
 * The 33rd person (issue 18): with the server's default room size of 32, someone who opens the
 * link of a full room is told "This room is full (32)" and shown no room (no participant list,
 * no input box). The 31 members beside the host are plain signaling clients (server/
 * test-client.ts) joined under the room's id, so the test needs one browser per person only
 * for the host and the one refused.
 */
import { expect, test } from '@playwright/test';
import { TestClient } from '../server/test-client.ts';
import { deriveRoomKeys, parseRoomSecret } from '../src/transport/room-keys.ts';
import { closeAll, newParty } from './parties';

test('the 33rd person is told “this room is full (32)” and sees no room', async ({ browser, baseURL }) => {
  const host = await newParty(browser, 'P0');
  const late = await newParty(browser, 'P33');
  const members: TestClient[] = [];
  try {
    await host.page.goto('/');
    await host.page.getByTestId('display-name').fill('P0');
    await host.page.getByTestId('create-room').click();
    const link = (await host.page.getByTestId('room-link').textContent()) ?? '';
    const secret = parseRoomSecret(link.split('#/room/')[1]?.split('.')[0]);
    if (!secret) throw new Error(`no room secret in ${link}`);
    const { roomId } = deriveRoomKeys(secret);
    const ws = `${(baseURL ?? '').replace(/^http/, 'ws')}/ws`;
    // The host is member 1; 31 more make the room full (each join answered by a welcome).
    // Each connects from its own loopback address, so the server's per-address join quota
    // (120 a minute) is not what this test measures, however many tests ran before it.
    for (let i = 0; i < 31; i++) {
      const c = await TestClient.connect(ws, { localAddress: `127.0.${1 + Math.floor(i / 200)}.${10 + (i % 200)}` });
      members.push(c);
      await c.join(roomId);
    }
    await late.page.goto(link);
    await late.page.getByTestId('display-name').fill('P33');
    await late.page.getByTestId('join-room').click();
    await expect(late.page.getByTestId('error')).toContainText('This room is full (32)');
    await expect(late.page.getByTestId('participant')).toHaveCount(0);
    await expect(late.page.getByTestId('private-input')).toHaveCount(0);
  } finally {
    await Promise.all(members.map((c) => c.close()));
    await closeAll([host, late]);
  }
});
