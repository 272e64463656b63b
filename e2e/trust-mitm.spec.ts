/**
 * Issue 5 item 1 with real browsers: an insider in the middle. The signaling server
 * colludes with "Mallory", who holds the room link and runs a real WebRTC endpoint (a
 * third Chromium page under the test's control, not the app). Every signal between Alice
 * and Bob goes to Mallory instead; Mallory answers each of them with her own DTLS
 * certificate (two RTCPeerConnections) and relays the data channel bytes between them.
 * DTLS succeeds on both legs — each browser really is talking to Mallory — so what must
 * stop it is Parley's identity handshake: Bob signs the fingerprint of HIS connection
 * (to Mallory), Alice sees Mallory's certificate on hers, and both refuse.
 *
 * Evidence that the identity layer (not DTLS, not a timeout) refused: both of Mallory's
 * channels opened, handshake bytes flowed through her, and both tabs dropped the peer
 * well before the connect timeout without ever showing it as connected.
 */
import { expect, test } from '@playwright/test';
import type { SignalData } from '../src/transport/envelope.ts';
import { HostileServer, type Relay } from './hostile-server';
import { closeAll, newParty, type Party } from './parties';
import { connecting, maxOthersLinked, maxRows, openPair, rows } from './trust-helpers';

const CONNECT_TIMEOUT_MS = 20_000;

interface MitmStats {
  opened: number;
  relayed: number;
}

/** Runs in Mallory's page: one RTCPeerConnection per victim, bytes relayed between them. */
function installMallory(): void {
  type Side = string;
  const w = window as unknown as {
    __mitm: MitmStats;
    mitmFeed: (side: Side, other: Side, data: SignalData) => Promise<void>;
    mitmOffer: (side: Side, other: Side) => Promise<void>;
    mitmSignal: (side: Side, json: string) => Promise<void>;
  };
  w.__mitm = { opened: 0, relayed: 0 };
  const pcs = new Map<Side, RTCPeerConnection>();
  const chans = new Map<Side, RTCDataChannel>();
  const pending = new Map<Side, ArrayBuffer[]>();
  const send = (side: Side, data: ArrayBuffer) => {
    const ch = chans.get(side);
    if (ch?.readyState === 'open') ch.send(data);
    else pending.set(side, [...(pending.get(side) ?? []), data]);
  };
  const wire = (side: Side, other: Side, ch: RTCDataChannel) => {
    ch.binaryType = 'arraybuffer';
    chans.set(side, ch);
    ch.onopen = () => {
      w.__mitm.opened++;
      for (const d of pending.get(side) ?? []) ch.send(d);
      pending.delete(side);
    };
    ch.onmessage = (e: MessageEvent<ArrayBuffer>) => {
      w.__mitm.relayed++;
      send(other, e.data);
    };
  };
  const pc = (side: Side, other: Side) => {
    let p = pcs.get(side);
    if (p) return p;
    p = new RTCPeerConnection({ iceServers: [] });
    p.onicecandidate = (e) => void (e.candidate && w.mitmSignal(side, JSON.stringify({ type: 'candidate', candidate: e.candidate.toJSON() })));
    p.ondatachannel = (e) => wire(side, other, e.channel);
    pcs.set(side, p);
    return p;
  };
  w.mitmFeed = async (side, other, data) => {
    const p = pc(side, other);
    if (data.type === 'offer') {
      await p.setRemoteDescription(data);
      await p.setLocalDescription(await p.createAnswer());
      await w.mitmSignal(side, JSON.stringify({ type: 'answer', sdp: p.localDescription!.sdp }));
    } else if (data.type === 'answer') await p.setRemoteDescription(data);
    else if (data.type === 'candidate') await p.addIceCandidate(data.candidate);
  };
  w.mitmOffer = async (side, other) => {
    const p = pc(side, other);
    wire(side, other, p.createDataChannel('mitm', { ordered: true }));
    await p.setLocalDescription(await p.createOffer());
    await w.mitmSignal(side, JSON.stringify({ type: 'offer', sdp: p.localDescription!.sdp }));
  };
}

test('an insider relaying both connections with her own certificates is refused by both browsers', async ({ browser }) => {
  const mallory = await newParty(browser, 'Mallory');
  const sid = new Map<string, string>(); // member id → its session id (from its hello)
  let seq = 1_000_000; // above anything the victims sent
  let chain: Promise<unknown> = Promise.resolve(); // keep Mallory's inputs in order
  const other = (id: string) => [...server.members.keys()].find((m) => m !== id)!;

  const server: HostileServer = new HostileServer({
    connectTimeoutMs: CONNECT_TIMEOUT_MS,
    onRelay: (r: Relay, s) => {
      const plain = s.open(r);
      if (!plain) return [r];
      if (plain.kind === 'hello') {
        sid.set(r.from, plain.sid);
        return [r];
      }
      // A signal meant for the other victim goes to Mallory's connection facing its sender.
      const data = plain.data;
      chain = chain.then(async () => {
        await mallory.page.evaluate(([side, oth, d]) => (window as unknown as { mitmFeed: (a: string, b: string, c: unknown) => Promise<void> }).mitmFeed(side, oth, d), [r.from, r.to, data] as const);
        // The initiator's offer: Mallory now initiates towards the other victim herself.
        if (data.type === 'offer') await mallory.page.evaluate(([side, oth]) => (window as unknown as { mitmOffer: (a: string, b: string) => Promise<void> }).mitmOffer(side, oth), [r.to, r.from] as const);
      });
      return [];
    },
  });
  await server.start();
  // Mallory's signals, sealed as if they came from the other victim.
  await mallory.page.exposeFunction('mitmSignal', (side: string, json: string) => {
    const from = other(side);
    const to = side;
    const forged = server.seal({ from, to, data: '' }, { sid: sid.get(from)!, seq: seq++, kind: 'signal', to: sid.get(to)!, data: JSON.parse(json) as SignalData });
    server.deliver(forged);
  });
  await mallory.page.goto(`${server.url}healthz`);
  await mallory.page.evaluate(installMallory);

  const parties = await openPair(browser, server);
  const started = Date.now();
  for (const p of parties) {
    await expect.poll(() => maxRows(p.page)).toBe(2);
    await expect(rows(p)).toHaveCount(1, { timeout: CONNECT_TIMEOUT_MS });
    expect(await maxOthersLinked(p.page)).toBe(0);
  }
  // Refused by the handshake, not by DTLS and not by the timeout.
  expect(Date.now() - started).toBeLessThan(CONNECT_TIMEOUT_MS);
  const stats = await mallory.page.evaluate(() => (window as unknown as { __mitm: MitmStats }).__mitm);
  expect(stats.opened).toBe(2);
  expect(stats.relayed).toBeGreaterThanOrEqual(2); // at least both identity offers went through her
  await chain;
  await closeAll([...parties, mallory]);
  await server.close();
});

/**
 * Issue 10 with real browsers: the insider in the middle uses keys of her own. The server
 * colludes with Mallory and partitions the room: Alice shares it with "Bob" (Mallory's first
 * tab), Bob with "Alice" (her second). Each leg is a genuine Parley connection — DTLS with
 * Mallory's certificate, the identity handshake with Mallory's key — so both victims see a
 * connected peer with the expected name; what must expose her is the safety code, a
 * commit-then-reveal exchange over the keys each tab sees (src/transport/safety-exchange.ts).
 * Alice's and Bob's six words differ; each leg's two ends agree (the code is real on both).
 * Grinding for a collision is out of reach by construction; the unit test
 * src/transport/safety-exchange.test.ts measures that on a 12-bit code.
 */
test('an insider in the middle with keys of her own: both victims are connected, and their safety codes differ', async ({ browser }) => {
  // Join order: Alice, Mallory-as-Bob | Bob, Mallory-as-Alice.
  const server = new HostileServer({ connectTimeoutMs: CONNECT_TIMEOUT_MS, group: (k) => (k < 2 ? 0 : 1) });
  await server.start();
  const [alice, fakeBob, bob, fakeAlice] = await Promise.all(['Alice', 'Bob', 'Bob', 'Alice'].map((n) => newParty(browser, n)));
  const join = async (p: Party, link: string, members: number) => {
    await p.page.goto(link);
    await p.page.getByTestId('display-name').fill(p.name);
    await p.page.getByTestId('join-room').click();
    await expect.poll(() => server.members.size).toBe(members);
  };
  await alice.page.goto(server.url);
  await alice.page.getByTestId('display-name').fill(alice.name);
  await alice.page.getByTestId('create-room').click();
  const link = (await alice.page.getByTestId('room-link').textContent()) ?? '';
  await expect.poll(() => server.members.size).toBe(1);
  await join(fakeBob, link, 2); // Mallory holds the link
  await join(bob, link, 3); // Bob was sent the real link
  await join(fakeAlice, link, 4);

  const all = [alice, fakeBob, bob, fakeAlice];
  for (const p of all) {
    await expect(rows(p)).toHaveCount(2, { timeout: CONNECT_TIMEOUT_MS });
    await expect(connecting(p)).toHaveCount(0, { timeout: CONNECT_TIMEOUT_MS });
    await expect(p.page.getByTestId('safety-code')).toHaveText(/^\s*\w+( \w+){5}\s*$/, { timeout: CONNECT_TIMEOUT_MS });
  }
  // Each victim sees a connected peer bearing the other victim's name.
  await expect(rows(alice).filter({ hasText: 'Bob' })).toHaveCount(1);
  await expect(rows(bob).filter({ hasText: 'Alice' })).toHaveCount(1);
  const code = async (p: Party) => ((await p.page.getByTestId('safety-code').textContent()) ?? '').trim();
  const [a, mb, b, ma] = await Promise.all(all.map(code));
  expect(mb).toBe(a); // the exchange completed on Alice's leg…
  expect(ma).toBe(b); // …and on Bob's,
  expect(a).not.toBe(b); // but the victims read out different words.
  await closeAll(all);
  await server.close();
});
