/**
 * Every limit of the signaling server rejects with its error code (or close code), and the
 * offender does not disturb another room. The rate limit runs on an injected clock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { randomEnvelope, randomRoom, startSignaling, TestClient, type RunningSignaling } from './test-client.ts';
import type { SignalingOptions } from './signaling.ts';

let running: RunningSignaling | undefined;
const clients: TestClient[] = [];

async function start(options: Omit<SignalingOptions, 'server'> = {}): Promise<RunningSignaling> {
  running = await startSignaling(options);
  return running;
}

async function connect(): Promise<TestClient> {
  if (!running) throw new Error('server not started');
  const c = await TestClient.connect(running.url);
  clients.push(c);
  return c;
}

/** A healthy room of two; `check()` proves it still relays both ways. */
async function bystanders() {
  const room = randomRoom();
  const [p, q] = [await connect(), await connect()];
  const wp = await p.join(room);
  const wq = await q.join(room);
  return {
    async check() {
      p.relay(wq.self, 'ping');
      expect(await q.nextOf('relay')).toEqual({ t: 'relay', from: wp.self, data: 'ping' });
      q.relay(wp.self, 'pong');
      expect(await p.nextOf('relay')).toEqual({ t: 'relay', from: wq.self, data: 'pong' });
      expect(p.received.concat(q.received).filter((m) => m.t === 'error' || m.t === 'peer-left')).toEqual([]);
    },
  };
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await running?.stop();
  running = undefined;
});

describe('limits', () => {
  it('oversize frame: TOO_LARGE, and above the hard cap the socket is closed with 1009', async () => {
    await start({ limits: { maxFrameBytes: 1000, hardMaxFrameBytes: 4000 } });
    const others = await bystanders();
    const a = await connect();
    await a.join(randomRoom());
    a.sendRaw('x'.repeat(1001));
    expect(await a.nextOf('error')).toMatchObject({ code: 'TOO_LARGE' });
    a.sendRaw('x'.repeat(4001));
    expect((await a.closed).code).toBe(1009);
    await others.check();
  });

  it('an envelope longer than the protocol allows is a BAD_MESSAGE', async () => {
    await start();
    const room = randomRoom();
    const [a, b] = [await connect(), await connect()];
    const wa = await a.join(room);
    const wb = await b.join(room);
    a.relay(wb.self, randomEnvelope(37 * 1024)); // 49,323 chars > maxEnvelopeChars
    expect(await a.nextOf('error')).toMatchObject({ code: 'BAD_MESSAGE' });
    a.relay(wb.self, 'x'.repeat(10) + '!'); // not base64url
    expect(await a.nextOf('error')).toMatchObject({ code: 'BAD_MESSAGE' });
    b.relay(wa.self, 'ok');
    expect(await a.nextOf('relay')).toMatchObject({ data: 'ok' }); // nothing else reached A...
    expect(b.received.filter((m) => m.t === 'relay')).toEqual([]); // ...nor B
  });

  it('room full: ROOM_FULL, the room is unchanged', async () => {
    await start({ limits: { maxRoomSize: 2 } });
    const room = randomRoom();
    const [a, b, c] = [await connect(), await connect(), await connect()];
    await a.join(room);
    await b.join(room);
    c.send({ t: 'join', room });
    expect(await c.nextOf('error')).toMatchObject({ code: 'ROOM_FULL' });
    expect(running?.signaling.stats()).toMatchObject({ rooms: 1, members: 2 });
    expect(a.received.filter((m) => m.t === 'peer-joined')).toHaveLength(1);
    // After someone leaves, the refused connection may still join.
    await b.close();
    await a.nextOf('peer-left');
    expect((await c.join(room)).peers).toHaveLength(1);
  });

  it('rate limit: burst then RATE_LIMITED; a connection that keeps flooding is closed', async () => {
    let clock = 0;
    await start({ now: () => clock, limits: { ratePerSecond: 5, burst: 10, maxRateStrikes: 20 } });
    const others = await bystanders();
    const room = randomRoom();
    const [a, b] = [await connect(), await connect()];
    await a.join(room); // token 1 of 10
    const wb = await b.join(room);
    for (let i = 0; i < 10; i++) a.relay(wb.self, `m${i}`); // tokens 2..10, then one too many
    expect(await a.nextOf('error')).toMatchObject({ code: 'RATE_LIMITED' });
    const relays = () => b.received.filter((m) => m.t === 'relay').map((m) => (m.t === 'relay' ? m.data : ''));
    expect(relays()).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8']);

    clock += 1000; // refills 5 tokens
    for (let i = 0; i < 5; i++) a.relay(wb.self, `n${i}`);
    await b.next((m) => m.t === 'relay' && m.data === 'n4');
    expect(a.received.filter((m) => m.t === 'error')).toHaveLength(1);

    for (let i = 0; i < 30; i++) a.relay(wb.self, 'flood');
    expect((await a.closed).code).toBe(1008);
    expect(a.received.filter((m) => m.t === 'error' && m.code === 'RATE_LIMITED')).toHaveLength(21);
    expect(await b.nextOf('peer-left')).toMatchObject({ t: 'peer-left' });
    expect(relays().filter((d) => d === 'flood')).toEqual([]);
    await others.check();
  });

  it('bad JSON and unknown types: BAD_MESSAGE, closed after the third', async () => {
    await start();
    const others = await bystanders();
    const a = await connect();
    await a.join(randomRoom());
    a.sendRaw('{not json');
    expect(await a.nextOf('error')).toMatchObject({ code: 'BAD_MESSAGE' });
    a.send({ t: 'subscribe', room: 'x' });
    const unknown = await a.nextOf('error');
    expect(unknown).toMatchObject({ code: 'BAD_MESSAGE' });
    expect(unknown.message).toContain('unknown message type');
    a.sendRaw(Buffer.from([1, 2, 3])); // a binary frame
    expect(await a.nextOf('error')).toMatchObject({ code: 'BAD_MESSAGE' });
    expect((await a.closed).code).toBe(1008);
    await others.check();
  });

  it('relay before join: NOT_JOINED', async () => {
    await start();
    const others = await bystanders();
    const a = await connect();
    a.relay('A'.repeat(22), 'hello');
    expect(await a.nextOf('error')).toMatchObject({ code: 'NOT_JOINED' });
    // Still allowed to join afterwards.
    expect((await a.join(randomRoom())).peers).toEqual([]);
    await others.check();
  });

  it('a member that stops reading is dropped once its backlog passes the cap', async () => {
    await start({ limits: { maxBufferedBytes: 256 * 1024, ratePerSecond: 10_000, burst: 10_000, maxRateStrikes: 10_000 } });
    const others = await bystanders();
    const room = randomRoom();
    const [a, slow] = [await connect(), await connect()];
    await a.join(room);
    const ws = await slow.join(room);
    slow.ws.pause(); // the kernel buffers fill first, then the server's send queue
    const envelope = randomEnvelope(30 * 1024);
    let sent = 0;
    const left = a.nextOf('peer-left');
    // Bounded: 400 × 40 KB = 16 MB, far beyond socket buffers plus the 256 KiB cap.
    while (sent < 400 && a.received.every((m) => m.t !== 'peer-left')) {
      a.relay(ws.self, envelope);
      sent++;
      if (sent % 20 === 0) await new Promise((r) => setImmediate(r));
    }
    expect(await left).toEqual({ t: 'peer-left', id: ws.self });
    slow.ws.resume();
    expect((await slow.closed).code).toBe(1006); // terminated, no close handshake
    await others.check();
  });

  it('connection cap: upgrades beyond maxConnections get HTTP 503', async () => {
    await start({ limits: { maxConnections: 2 } });
    await connect();
    await connect();
    await expect(connect()).rejects.toThrow(/503/);
  });

  it('error text is bounded even when the offending type is huge', async () => {
    await start();
    const a = await connect();
    a.send({ t: 'y'.repeat(5000) });
    const err = await a.nextOf('error');
    expect(err.message.length).toBeLessThanOrEqual(200);
  });
});
