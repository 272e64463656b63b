/**
 * Issue 5 item 4 with real browsers: a hostile signaling server (e2e/hostile-server.ts,
 * in-process, its own loopback port) that (a) swaps DTLS fingerprints in the SDP, (b)
 * replays envelopes, (c) injects fake participants, (d) drops messages. The first three
 * must be refused by the browsers; the last must end in a clean "could not connect" (the
 * peer is dropped after the server-told connect timeout) — never a hang or a peer shown as
 * connected that is not one.
 *
 * "Never shown as connected" is checked with the tripwire of trust-helpers.ts.
 */
import { expect, test } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { closeAll, enterAndReady, readResult, type Party } from './parties';
import { HostileServer, type Relay } from './hostile-server';
import { connecting, maxOthersLinked, maxRows, openPair, rows } from './trust-helpers';

const CONNECT_TIMEOUT_MS = 3000;

/** Both tabs list the other as connecting, then drop it; neither ever showed it linked. */
async function expectRefused(parties: Party[]): Promise<void> {
  for (const p of parties) {
    // The row may come and go quickly (a DTLS failure is fast): the tripwire saw it.
    await expect.poll(() => maxRows(p.page)).toBe(2);
    await expect(rows(p)).toHaveCount(1, { timeout: CONNECT_TIMEOUT_MS + 10_000 });
    expect(await maxOthersLinked(p.page)).toBe(0);
  }
}

let server: HostileServer | undefined;
test.afterEach(async () => {
  await server?.close();
  server = undefined;
});

test('(a) a server that swaps the DTLS fingerprints in the SDP: both browsers refuse the connection', async ({ browser }) => {
  let swapped = 0;
  server = new HostileServer({
    connectTimeoutMs: CONNECT_TIMEOUT_MS,
    onRelay: (r, s) => {
      const plain = s.open(r);
      if (plain?.kind !== 'signal' || (plain.data.type !== 'offer' && plain.data.type !== 'answer')) return [r];
      const fake = Array.from(randomBytes(32), (b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');
      const sdp = plain.data.sdp.replace(/^a=fingerprint:sha-256 [0-9A-F:]+/gm, `a=fingerprint:sha-256 ${fake}`);
      expect(sdp).not.toBe(plain.data.sdp);
      swapped++;
      return [s.seal(r, { ...plain, data: { type: plain.data.type, sdp } })];
    },
  });
  await server.start();
  const parties = await openPair(browser, server);
  await expectRefused(parties);
  expect(swapped).toBe(2); // the offer and the answer were both rewritten
  await closeAll(parties);
});

test('(b) a server that replays every envelope: ignored, the link stays up and computes', async ({ browser }) => {
  server = new HostileServer({ connectTimeoutMs: CONNECT_TIMEOUT_MS });
  await server.start();
  const parties = await openPair(browser, server);
  for (const p of parties) {
    await expect(rows(p)).toHaveCount(2);
    await expect(connecting(p)).toHaveCount(0);
  }
  // Replay the whole recorded conversation (offers, answers, candidates, hellos), twice.
  const recorded: Relay[] = [...server.recorded];
  expect(recorded.filter((r) => server!.open(r)?.kind === 'signal').length).toBeGreaterThan(2);
  for (let i = 0; i < 2; i++) for (const r of recorded) server.deliver(r);
  for (const [i, p] of parties.entries()) await enterAndReady(p, String(100 + i));
  await expect(parties[0].page.locator('[data-testid="participant"][data-state="ready"]')).toHaveCount(2);
  await parties[0].page.getByTestId('start').click();
  for (const p of parties) expect(await readResult(p)).toEqual({ computation: 'sum', value: 201 });
  for (const p of parties) await expect(rows(p)).toHaveCount(2);
  await closeAll(parties);
});

test('(c) a server that injects fake participants: never shown as connected, dropped after the timeout', async ({ browser }) => {
  const fakeInWelcome = 'F'.repeat(22);
  const fakeJoined = 'G'.repeat(22);
  server = new HostileServer({ connectTimeoutMs: CONNECT_TIMEOUT_MS, fakeMembers: [fakeInWelcome] });
  await server.start();
  const parties = await openPair(browser, server);
  for (const p of parties) await expect(rows(p).filter({ hasNotText: 'Joining' })).toHaveCount(2);
  // A second fake announced to both, with forged envelopes "from" it.
  for (const id of server.members.keys()) {
    server.send(id, { t: 'peer-joined', id: fakeJoined });
    server.send(id, { t: 'relay', from: fakeJoined, data: Buffer.concat([Buffer.of(1), randomBytes(200)]).toString('base64url') });
  }
  for (const p of parties) {
    // The fake rows were shown (as connecting) and are gone again.
    await expect.poll(() => maxRows(p.page)).toBeGreaterThanOrEqual(3);
    await expect(rows(p)).toHaveCount(2, { timeout: CONNECT_TIMEOUT_MS + 10_000 });
    await expect(connecting(p)).toHaveCount(0);
    expect(await maxOthersLinked(p.page)).toBe(1); // only the real peer
  }
  await closeAll(parties);
});

test('(d) a server that drops every message: each side gives up on the other after the timeout', async ({ browser }) => {
  server = new HostileServer({ connectTimeoutMs: CONNECT_TIMEOUT_MS, onRelay: () => [] });
  await server.start();
  const parties = await openPair(browser, server);
  const started = Date.now();
  await expectRefused(parties);
  expect(Date.now() - started).toBeLessThan(CONNECT_TIMEOUT_MS + 10_000);
  // …and each says so in plain words, not just by an empty list.
  for (const p of parties) await expect(p.page.getByTestId('connection-notices')).toContainText(/could not connect/i);
  await closeAll(parties);
});
