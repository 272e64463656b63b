/**
 * Issue 16 part 4: two production instances share rooms through one redis-server (Debian's,
 * started and stopped by this test on free loopback ports). The host's browser talks to
 * instance 1, the two guests open the same link on instance 2; all three connect (their
 * WebRTC signaling crosses instances through Redis) and compute a sum equal to the
 * plaintext. Skipped, loudly, when redis-server cannot be installed.
 */
import { expect, test } from '@playwright/test';
import { ensurePackages, startParley, startRedis, type Service } from '../server/services.ts';
import { closeAll, enterAndReady, expectConnected, newParty, readResult } from './parties';

const BASE = Number(process.env.PARLEY_E2E_PORT ?? 8791);
const available = ensurePackages('redis-server');
if (!available.ok) console.warn(`SKIPPED Redis scale-out e2e: ${available.reason}`);
test.skip(!available.ok, `redis-server is not installed and could not be installed: ${!available.ok ? available.reason : ''}`);

let redis: (Service & { url: string }) | undefined;
let one: (Service & { url: string }) | undefined;
let two: (Service & { url: string }) | undefined;

test.beforeAll(async () => {
  redis = await startRedis();
  const env = { PARLEY_REDIS_URL: redis.url, PARLEY_REDIS_PREFIX: `e2e${BASE}:` };
  [one, two] = await Promise.all([startParley(env, BASE + 3), startParley(env, BASE + 4)]);
});

test.afterAll(async () => {
  await Promise.all([one?.stop(), two?.stop()]);
  await redis?.stop();
});

test('browsers on two instances join one room through Redis and compute', async ({ browser }) => {
  const parties = await Promise.all(['Host', 'G1', 'G2'].map((n) => newParty(browser, n)));
  const [host, ...guests] = parties;
  await host.page.goto(one?.url ?? '');
  await host.page.getByTestId('display-name').fill(host.name);
  await host.page.getByTestId('create-room').click();
  const link = (await host.page.getByTestId('room-link').textContent()) ?? '';
  const fragment = new URL(link).hash;
  expect(fragment).toMatch(/^#\/room\//);
  for (const g of guests) {
    await g.page.goto(`${two?.url ?? ''}${fragment}`);
    await g.page.getByTestId('display-name').fill(g.name);
    await g.page.getByTestId('join-room').click();
  }
  await expectConnected(parties, 3);
  const values = ['40', '2', '-0.5'];
  for (const [i, p] of parties.entries()) await enterAndReady(p, values[i]);
  await expect(host.page.locator('[data-testid="participant"][data-state="ready"]')).toHaveCount(3);
  await host.page.getByTestId('start').click();
  for (const p of parties) expect(await readResult(p)).toEqual({ computation: 'sum', value: 41.5 });
  await closeAll(parties);
});
