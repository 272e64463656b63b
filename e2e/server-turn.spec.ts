/**
 * Issue 16 part 3, TURN proven: Debian's coturn on loopback with coturn's REST API auth
 * (`use-auth-secret`), and the production server handing every join a short-lived
 * HMAC credential (never a static password) and `iceTransportPolicy: 'relay'`. Three
 * browsers connect only through coturn, each shows "via relay" for every peer, and they
 * compute a sum that matches the plaintext. coturn's own log must show the allocations,
 * under usernames of the `<expiry>:<id>` form. Negative control: a server holding the wrong
 * secret gets no relay at all (coturn answers 401), so nobody connects.
 */
import { expect, test } from '@playwright/test';
import { ensurePackages, startCoturn, startParley, type Service } from '../server/services.ts';
import { closeAll, enterAndReady, newParty, openRoom, readResult } from './parties';

const BASE = Number(process.env.PARLEY_E2E_PORT ?? 8791);
const SECRET = 'e2e-turn-secret-0123456789';
const available = ensurePackages('coturn');
if (!available.ok) console.warn(`SKIPPED TURN tests: ${available.reason}`);
test.skip(!available.ok, `coturn is not installed and could not be installed: ${!available.ok ? available.reason : ''}`);

let coturn: Service | undefined;
let parley: (Service & { url: string }) | undefined;
let wrong: (Service & { url: string }) | undefined;

test.beforeAll(async () => {
  coturn = await startCoturn([SECRET]);
  const turn = { PARLEY_TURN_URLS: `turn:127.0.0.1:${coturn.port}?transport=udp`, PARLEY_ICE_TRANSPORT_POLICY: 'relay', PARLEY_TURN_TTL_SECONDS: '300' };
  [parley, wrong] = await Promise.all([
    startParley({ ...turn, PARLEY_TURN_SECRET: SECRET }, BASE + 1),
    startParley({ ...turn, PARLEY_TURN_SECRET: 'not-the-secret-0123456789', PARLEY_CONNECT_TIMEOUT_MS: '4000' }, BASE + 2),
  ]);
});

test.afterAll(async () => {
  await Promise.all([parley?.stop(), wrong?.stop()]);
  await coturn?.stop();
});

test.describe('relay only', () => {
  test.use({ baseURL: `http://127.0.0.1:${BASE + 1}` });

  test('3 browsers forced to TURN connect via coturn, show "via relay" for every peer and compute', async ({ browser }) => {
    const { parties } = await openRoom(browser, 3);
    for (const p of parties) {
      // Every row but one's own says "via relay".
      await expect(p.page.getByTestId('participant').filter({ hasText: 'via relay' })).toHaveCount(2);
      await expect(p.page.getByTestId('participant').filter({ hasText: /\bdirect\b/ })).toHaveCount(0);
    }
    const values = ['17.5', '-3.25', '100'];
    for (const [i, p] of parties.entries()) await enterAndReady(p, values[i]);
    await expect(parties[0].page.locator('[data-testid="participant"][data-state="ready"]')).toHaveCount(3);
    await parties[0].page.getByTestId('start').click();
    for (const p of parties) expect(await readResult(p)).toEqual({ computation: 'sum', value: 114.25 });
    await closeAll(parties);

    const log = coturn?.output() ?? '';
    // Three browsers, two peers each: at least one allocation per browser, all authenticated
    // with REST usernames (expiry:id) that coturn accepted.
    const users = new Set([...log.matchAll(/username=<(\d+:[A-Za-z0-9_-]+)>/g)].map((m) => m[1]));
    expect(users.size).toBeGreaterThanOrEqual(3);
    expect(log).toMatch(/ALLOCATE processed, success/);
    for (const u of users) expect(Number(u.split(':')[0]) * 1000).toBeGreaterThan(Date.now());
  });
});

test.describe('wrong secret (negative control)', () => {
  test.use({ baseURL: `http://127.0.0.1:${BASE + 2}` });

  test('credentials coturn cannot verify give no relay, and relay-only peers never connect', async ({ browser }) => {
    const a = await newParty(browser, 'A');
    const b = await newParty(browser, 'B');
    await a.page.goto('/');
    await a.page.getByTestId('display-name').fill('A');
    await a.page.getByTestId('create-room').click();
    const link = (await a.page.getByTestId('room-link').textContent()) ?? '';
    await b.page.goto(link);
    await b.page.getByTestId('display-name').fill('B');
    await b.page.getByTestId('join-room').click();
    for (const p of [a, b]) await expect(p.page.getByTestId('connection-notices')).toContainText('could not connect', { timeout: 30_000 });
    await expect(a.page.locator('[data-testid="participant"][data-state="connected"]')).toHaveCount(1); // only oneself
    expect(coturn?.output() ?? '').toMatch(/401/);
    await closeAll([a, b]);
  });
});
