/**
 * The host is pinned by the link (issue 10 part 2, issue 18 "rooms that survive their host"),
 * in real browsers:
 * - an insider who holds the room secret and claims host first (its tab hosts the same
 *   secret under a host key of its own, and a hostile server lets its link to the joiner form
 *   before the real host's) is refused with a clear notice; the joiner keeps the real host;
 * - the host who closes the tab and opens the link again in the same browser is host again,
 *   the "host left" notice clears, and the room computes.
 */
import { expect, test } from '@playwright/test';
import { closeAll, enterAndReady, expectConnected, newParty, openRoom, readResult } from './parties';
import { HostileServer, type Relay } from './hostile-server';
import { encodeBase64url } from '../src/transport/base64url.ts';
import { hostFingerprint, newHostKey } from '../src/transport/host-key.ts';

let server: HostileServer | undefined;
test.afterEach(async () => {
  await server?.close();
  server = undefined;
});

test('an insider who claims host first is refused with a clear notice; the joiner keeps the real host', async ({ browser }) => {
  // Links between Alice (the host, member 0) and Bob (member 2) are held back until Bob is
  // connected to Mallory (member 1), so Mallory's claim reaches Bob first.
  let hold = true;
  const held: Relay[] = [];
  server = new HostileServer({
    connectTimeoutMs: 60_000,
    onRelay: (r, s) => {
      const [alice, , bob] = [...s.members.keys()];
      const between = bob !== undefined && ((r.from === alice && r.to === bob) || (r.from === bob && r.to === alice));
      if (hold && between) {
        held.push(r);
        return [];
      }
      return [r];
    },
  });
  const url = await server.start();
  const [alice, mallory, bob] = [await newParty(browser, 'Alice'), await newParty(browser, 'Mallory'), await newParty(browser, 'Bob')];
  await alice.page.goto(url);
  await alice.page.getByTestId('display-name').fill('Alice');
  await alice.page.getByTestId('computation').selectOption('sum');
  await alice.page.getByTestId('create-room').click();
  const link = (await alice.page.getByTestId('room-link').textContent()) ?? '';
  const fragment = link.split('#/room/')[1] ?? '';
  const secret = fragment.split('.')[0];

  // Mallory holds the secret and hosts "the same room" under a host key of her own: an
  // unmodified app that believes it is the creator, claiming host with a max computation.
  const key = newHostKey();
  const malloryLink = fragment.includes('.') ? `${url}#/room/${secret}.${hostFingerprint(key.publicKey)}` : link;
  const spec = { kind: 'max', decimals: 2, lower: '-1000000000', upper: '1000000000', length: 10000 };
  await mallory.page.addInitScript(
    ([secret, sk, fp, spec]) => {
      sessionStorage.setItem(`parley/room/${secret}`, JSON.stringify({ name: 'Mallory', creator: true, spec: JSON.parse(spec) }));
      localStorage.setItem(`parley/host/${secret}`, JSON.stringify({ sk, fp, name: 'Mallory', spec: JSON.parse(spec) }));
    },
    [secret, encodeBase64url(key.secretKey), hostFingerprint(key.publicKey), JSON.stringify(spec)],
  );
  await mallory.page.goto(malloryLink);
  await expectConnected([alice, mallory], 2);

  await bob.page.goto(link);
  await bob.page.getByTestId('display-name').fill('Bob');
  await bob.page.getByTestId('join-room').click();
  const bobRow = (name: string) => bob.page.getByTestId('participant').filter({ hasText: name });
  await expect(bobRow('Mallory')).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
  // Mallory's hello (with her claim) has been handled once her name shows.
  const notices = bob.page.getByTestId('connection-notices');
  await expect(notices).toContainText('Mallory claims to be the host, but the room link names a different host. Refused');
  hold = false;
  for (const r of held.splice(0)) server.deliver(r);
  await expectConnected([alice, mallory, bob], 3);

  // Bob follows Alice: her computation, her host tag; Mallory is an ordinary participant.
  await expect(bobRow('Alice')).toContainText('host');
  await expect(bobRow('Mallory')).not.toContainText('host');
  await expect(bob.page.locator('h1')).toContainText('Sum');
  await closeAll([alice, mallory, bob]);
});

test('the host who closes the tab comes back as host from the same link; the others are told what is possible', async ({ browser }) => {
  const { parties, link } = await openRoom(browser, 2);
  const [host, guest] = parties;
  await host.page.close();
  const notices = guest.page.getByTestId('connection-notices');
  await expect(notices).toContainText('The host (P0) left');
  await expect(notices).toContainText('open the room link again');
  // A new tab of the same browser (the tab's session storage is gone, the host key is not).
  host.page = await host.context.newPage();
  await host.page.goto(link);
  await expect(host.page.locator('h1')).toContainText('host');
  await host.page.getByTestId('join-room').click();
  await expect(host.page.getByTestId('start')).toBeVisible();
  await expectConnected(parties, 2);
  await expect(guest.page.getByTestId('participant').filter({ hasText: 'P0' })).toContainText('host');
  // The stale notice is gone (the new session key rightly announces a new safety code).
  await expect(guest.page.getByText('The host (P0) left')).toHaveCount(0);
  await enterAndReady(host, '40');
  await enterAndReady(guest, '2');
  await host.page.getByTestId('start').click();
  for (const p of parties) expect(await readResult(p)).toEqual({ computation: 'sum', value: 42 });
  await closeAll(parties);
});
