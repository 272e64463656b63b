import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { WebSocket } from 'ws';
import { startSignaling } from '../../server/test-client.ts';
import type { SignalData } from './envelope.ts';
import { newRoomSecret, deriveRoomKeys } from './room-keys.ts';
import { SignalingClient, type SignalingEvents, type SignalingWarning, type WebSocketLike } from './signaling-client.ts';
import { EventLog, FakeServer, memberId } from './test-support.ts';

type Ev =
  | { e: 'welcome'; self: string; peers: string[] }
  | { e: 'joined' | 'left'; id: string }
  | { e: 'signal'; from: string; data: SignalData }
  | { e: 'warning'; w: SignalingWarning }
  | { e: 'error'; code: string };

function client(keys: { roomId: string; signalKey: Uint8Array }, createSocket: (url: string) => WebSocketLike, url = 'ws://test/ws') {
  const log = new EventLog<Ev>();
  const events: SignalingEvents = {
    welcome: (w) => log.push({ e: 'welcome', self: w.self, peers: w.peers }),
    peerJoined: (id) => log.push({ e: 'joined', id }),
    peerLeft: (id) => log.push({ e: 'left', id }),
    signal: (from, data) => log.push({ e: 'signal', from, data }),
    warning: (w) => log.push({ e: 'warning', w }),
    error: (x) => log.push({ e: 'error', code: x.code }),
  };
  const c = new SignalingClient({ ...keys, url, createSocket }, events);
  return { c, log };
}

const offer = (sdp: string): SignalData => ({ type: 'offer', sdp });
const isSignal = (sdp: string) => (e: Ev) => e.e === 'signal' && e.data.type === 'offer' && e.data.sdp === sdp;
const isWarning = (reason: string) => (e: Ev) => e.e === 'warning' && e.w.code === 'BAD_ENVELOPE' && e.w.reason === reason;
const signals = (log: EventLog<Ev>) => log.events.filter((e) => e.e === 'signal');

/** Two clients in one room on a fake server; returns once each knows the other's session. */
async function pair(server: FakeServer, keys = deriveRoomKeys(newRoomSecret())) {
  const a = client(keys, server.createSocket);
  await a.log.waitFor((e) => e.e === 'welcome');
  const b = client(keys, server.createSocket);
  await b.log.waitFor((e) => e.e === 'welcome');
  await a.log.waitFor((e) => e.e === 'joined');
  // Prove both directions are live (each signal waits for the other's hello).
  a.c.sendSignal(b.c.self!, offer('ping-a'));
  b.c.sendSignal(a.c.self!, offer('ping-b'));
  await b.log.waitFor(isSignal('ping-a'));
  await a.log.waitFor(isSignal('ping-b'));
  return { a, b, keys };
}

describe('SignalingClient against a hostile relay', () => {
  it('delivers sealed signals; the server only ever sees ciphertext', async () => {
    const server = new FakeServer();
    const { a, b } = await pair(server);
    for (const f of server.relayed) {
      expect(f.data).not.toContain('ping');
      expect(Buffer.from(f.data, 'base64url').toString('latin1')).not.toContain('ping');
    }
    expect(signals(a.log).map((e) => e.e === 'signal' && e.from)).toEqual([b.c.self]);
  });

  it('refuses a replayed envelope', async () => {
    const server = new FakeServer();
    const { a, b } = await pair(server);
    b.c.sendSignal(a.c.self!, offer('once'));
    await a.log.waitFor(isSignal('once'));
    const f = server.relayed.at(-1)!;
    server.relayAs(f.from, f.to, f.data);
    await a.log.waitFor(isWarning('REPLAY'), 'REPLAY warning');
    expect(a.log.events.filter(isSignal('once')).length).toBe(1);
  });

  it('refuses an envelope re-attributed to another member or redirected to another one', async () => {
    const server = new FakeServer();
    const keys = deriveRoomKeys(newRoomSecret());
    const { a, b } = await pair(server, keys);
    const c = client(keys, server.createSocket);
    await c.log.waitFor((e) => e.e === 'welcome');
    await a.log.waitFor((e) => e.e === 'joined' && e.id === c.c.self);
    // The server withholds B's next envelope to A and plays with it instead.
    let held: { from: string; to: string; data: string } | undefined;
    const gotHeld = new EventLog<true>();
    server.intercept = (x) => {
      if (held || x.from !== b.c.self || x.to !== a.c.self) return true;
      held = x;
      gotHeld.push(true);
      return false;
    };
    b.c.sendSignal(a.c.self!, offer('secret-offer'));
    await gotHeld.waitFor(() => true);
    const f = held!;
    server.relayAs(c.c.self!, a.c.self!, f.data); // claims C sent it
    await a.log.waitFor(isWarning('AUTH_FAILED'), 'AUTH_FAILED for swapped sender');
    server.relayAs(b.c.self!, c.c.self!, f.data); // redirected to C
    await c.log.waitFor(isWarning('AUTH_FAILED'), 'AUTH_FAILED for swapped recipient');
    expect(signals(a.log).some((e) => e.e === 'signal' && e.data.type === 'offer' && e.data.sdp === 'secret-offer')).toBe(false);
    expect(signals(c.log).length).toBe(0);
  });

  it('refuses injected envelopes: random bytes, another room key, and a non-member sender', async () => {
    const server = new FakeServer();
    const { a, b } = await pair(server);
    server.relayAs(b.c.self!, a.c.self!, Buffer.concat([Buffer.of(1), randomBytes(120)]).toString('base64url'));
    await a.log.waitFor(isWarning('AUTH_FAILED'));
    // A member of another room (different key) whose envelope the server forwards here.
    const other = await pair(server);
    other.b.c.sendSignal(other.a.c.self!, offer('elsewhere'));
    await other.a.log.waitFor(isSignal('elsewhere'));
    server.relayAs(b.c.self!, a.c.self!, server.relayed.at(-1)!.data);
    await a.log.waitFor((e) => isWarning('AUTH_FAILED')(e) && e.e === 'warning' && e.w.count >= 2);
    server.relayAs(memberId(), a.c.self!, server.relayed.at(-1)!.data);
    await a.log.waitFor((e) => e.e === 'warning' && e.w.count >= 3);
    server.inject(a.c.self!, '{"t":"relay","from":"x","data":"!!"}');
    await a.log.waitFor((e) => e.e === 'warning' && e.w.code === 'BAD_FRAME');
    expect(signals(a.log).length).toBe(1); // only the honest ping
  });

  it('refuses envelopes recorded in an earlier session even when the server reuses member ids', async () => {
    const server = new FakeServer();
    const keys = deriveRoomKeys(newRoomSecret());
    const { a, b } = await pair(server, keys);
    b.c.sendSignal(a.c.self!, offer('old-session'));
    await a.log.waitFor(isSignal('old-session'));
    const recorded = server.relayed.filter((f) => f.from === b.c.self && f.to === a.c.self);
    const [aId, bId] = [a.c.self!, b.c.self!];
    a.c.close();
    b.c.close();
    // A hostile server gives the reloaded tab of A the same id and replays B's envelopes.
    server.nextIds = [aId];
    const a2 = client(keys, server.createSocket);
    await a2.log.waitFor((e) => e.e === 'welcome');
    expect(a2.c.self).toBe(aId);
    for (const f of recorded) server.relayAs(bId, aId, f.data);
    const n = recorded.filter((f) => f.data).length;
    await a2.log.waitFor((e) => e.e === 'warning' && e.w.count >= n - 1, 'warnings for every replayed signal');
    expect(signals(a2.log).length).toBe(0);
    expect(a2.log.events.some(isWarning('WRONG_SESSION'))).toBe(true);
  });
});

describe('SignalingClient with the real signaling server (server/signaling.ts)', () => {
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stop?.();
    stop = undefined;
  });

  it('joins, exchanges sealed signals, and drops what a keyless room member injects', async () => {
    const running = await startSignaling();
    stop = running.stop;
    const ws = (url: string) => new WebSocket(url) as unknown as WebSocketLike;
    const keys = deriveRoomKeys(newRoomSecret());
    const a = client(keys, ws, running.url);
    await a.log.waitFor((e) => e.e === 'welcome');
    const b = client(keys, ws, running.url);
    await b.log.waitFor((e) => e.e === 'welcome');
    b.c.sendSignal(a.c.self!, offer('real'));
    await a.log.waitFor(isSignal('real'));
    // Someone who learnt the room id (not the secret) joins and injects an envelope.
    const intruder = new WebSocket(running.url);
    const welcome = new Promise<string>((resolve) => intruder.on('message', (d) => {
      const m = JSON.parse(String(d)) as { t: string; self?: string };
      if (m.t === 'welcome') resolve(m.self!);
    }));
    intruder.on('open', () => intruder.send(JSON.stringify({ t: 'join', room: keys.roomId })));
    await welcome;
    intruder.send(JSON.stringify({ t: 'relay', to: a.c.self, data: Buffer.concat([Buffer.of(1), randomBytes(200)]).toString('base64url') }));
    await a.log.waitFor(isWarning('AUTH_FAILED'));
    intruder.close();
    expect(signals(a.log).length).toBe(1);
    a.c.close();
    b.c.close();
  });
});
