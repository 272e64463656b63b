/**
 * Signaling server behaviour with real WebSocket clients on loopback: rooms, relay,
 * isolation between rooms, heartbeat and the join timeout. Limits: limits.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, type ClientOptions } from 'ws';
import { MEMBER_ID_PATTERN, parseServerMessage } from '../src/shared/signaling.ts';
import { iceServersWithTurn } from './turn-credentials.ts';
import { randomEnvelope, randomRoom, startSignaling, TestClient, type RunningSignaling } from './test-client.ts';

let running: RunningSignaling | undefined;
const clients: TestClient[] = [];

async function connect(options?: ClientOptions): Promise<TestClient> {
  if (!running) throw new Error('server not started');
  const c = await TestClient.connect(running.url, options);
  clients.push(c);
  return c;
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await running?.stop();
  running = undefined;
});

describe('ICE configuration in welcome', () => {
  it('hands each join a fresh TURN credential and the transport policy; browsers refuse an unknown policy', async () => {
    const turn = { urls: ['turn:127.0.0.1:3480'], secret: 'parley-test-secret-0123', ttlSeconds: 600 };
    running = await startSignaling({ iceServers: iceServersWithTurn([], turn), iceTransportPolicy: 'relay' });
    const room = randomRoom();
    const [wa, wb] = [await (await connect()).join(room), await (await connect()).join(room)];
    expect(wa.iceTransportPolicy).toBe('relay');
    expect(wa.iceServers).toHaveLength(1);
    expect(wa.iceServers[0]).toMatchObject({ urls: turn.urls, username: expect.stringMatching(/^\d+:[A-Za-z0-9_-]+$/) });
    expect(wa.iceServers[0].username).not.toBe(wb.iceServers[0].username);
    const welcome = { t: 'welcome', self: wa.self, peers: [], iceServers: [] };
    expect(parseServerMessage(JSON.stringify({ ...welcome, iceTransportPolicy: 'none' }))).toMatchObject({ ok: false });
    expect(parseServerMessage(JSON.stringify(welcome))).toEqual({ ok: true, value: welcome });
  });
});

describe('rooms', () => {
  it('welcomes with the existing members, announces joins and departures', async () => {
    running = await startSignaling({ iceServers: [{ urls: 'stun:127.0.0.1:3478' }] });
    const room = randomRoom();
    const a = await connect();
    const wa = await a.join(room);
    expect(wa.self).toMatch(MEMBER_ID_PATTERN);
    expect(wa.peers).toEqual([]);
    expect(wa.iceServers).toEqual([{ urls: 'stun:127.0.0.1:3478' }]);

    const b = await connect();
    const wb = await b.join(room);
    expect(wb.peers).toEqual([wa.self]);
    expect(wb.self).not.toBe(wa.self);
    expect(await a.nextOf('peer-joined')).toEqual({ t: 'peer-joined', id: wb.self });

    const c = await connect();
    const wc = await c.join(room);
    expect(new Set(wc.peers)).toEqual(new Set([wa.self, wb.self]));
    expect((await a.nextOf('peer-joined')).id).toBe(wc.self);
    expect((await b.nextOf('peer-joined')).id).toBe(wc.self);

    await b.close();
    expect(await a.nextOf('peer-left')).toEqual({ t: 'peer-left', id: wb.self });
    expect(await c.nextOf('peer-left')).toEqual({ t: 'peer-left', id: wb.self });
    expect(running.signaling.stats()).toEqual({ connections: 2, rooms: 1, members: 2 });

    await a.close();
    await c.close();
    expect(running.signaling.stats()).toEqual({ connections: 0, rooms: 0, members: 0 });
  });

  it('tells clients the configured connect timeout in welcome, and nothing when unset', async () => {
    running = await startSignaling({ connectTimeoutMs: 3000 });
    const a = await connect();
    expect((await a.join(randomRoom())).connectTimeoutMs).toBe(3000);
    await running.stop();
    running = await startSignaling();
    const b = await connect();
    expect('connectTimeoutMs' in (await b.join(randomRoom()))).toBe(false);
  });

  it('relays an envelope byte-identical, only to the named member', async () => {
    running = await startSignaling();
    const room = randomRoom();
    const [a, b, c] = [await connect(), await connect(), await connect()];
    const wa = await a.join(room);
    const wb = await b.join(room);
    const wc = await c.join(room);

    // A maximal envelope, so truncation or re-encoding anywhere would show.
    const envelope = randomEnvelope(36 * 1024);
    const rawFrames: string[] = [];
    b.ws.on('message', (d) => rawFrames.push(String(d)));
    a.relay(wb.self, envelope);
    const got = await b.nextOf('relay');
    expect(got).toEqual({ t: 'relay', from: wa.self, data: envelope });
    expect(rawFrames.some((f) => f.includes(`"data":"${envelope}"`))).toBe(true);

    // C sees nothing addressed to B: its next relay is the sentinel sent after A's.
    b.relay(wc.self, 'sentinel');
    const firstAtC = await c.nextOf('relay');
    expect(firstAtC).toEqual({ t: 'relay', from: wb.self, data: 'sentinel' });
  });

  it('cannot relay to a member of another room, nor to itself', async () => {
    running = await startSignaling();
    const [a, b, x, y] = [await connect(), await connect(), await connect(), await connect()];
    const room1 = randomRoom();
    const room2 = randomRoom();
    const wa = await a.join(room1);
    const wb = await b.join(room1);
    const wx = await x.join(room2);
    await y.join(room2);

    a.relay(wx.self, 'crossroom');
    expect(await a.nextOf('error')).toMatchObject({ code: 'UNKNOWN_PEER' });
    a.relay(wa.self, 'toself');
    expect(await a.nextOf('error')).toMatchObject({ code: 'UNKNOWN_PEER' });
    // The connection still works: UNKNOWN_PEER is not abuse (a peer may have just left).
    a.relay(wb.self, 'fine');
    expect(await b.nextOf('relay')).toMatchObject({ data: 'fine' });

    // Anything forwarded to X would have been queued before Y's later sentinel.
    const wy = y.received.find((m) => m.t === 'welcome');
    expect(wy).toBeDefined();
    const yId = wy?.t === 'welcome' ? wy.self : '';
    y.relay(wx.self, 'sentinel');
    expect(await x.nextOf('relay')).toEqual({ t: 'relay', from: yId, data: 'sentinel' });
  });

  it('rejects a second join on the same connection', async () => {
    running = await startSignaling();
    const a = await connect();
    await a.join(randomRoom());
    a.send({ t: 'join', room: randomRoom() });
    expect(await a.nextOf('error')).toMatchObject({ code: 'BAD_MESSAGE' });
    expect(running.signaling.stats()).toMatchObject({ rooms: 1, members: 1 });
  });
});

describe('liveness', () => {
  it('terminates a client that stops answering pings and tells its room', async () => {
    running = await startSignaling({ heartbeatMs: 40 });
    const room = randomRoom();
    const live = await connect();
    const dead = await connect({ autoPong: false }); // a vanished browser answers no ping
    const other = await connect();
    const wl = await live.join(room);
    const wd = await dead.join(room);
    const wo = await other.join(room);
    const joinedAt = performance.now();

    expect(await live.nextOf('peer-left')).toEqual({ t: 'peer-left', id: wd.self });
    // At most two intervals in principle; the slack is for a busy shared machine.
    expect(performance.now() - joinedAt).toBeLessThan(2 * 40 + 2000);
    const closed = await dead.closed;
    expect(closed.code).toBe(1006); // terminated without a close frame
    // The answering clients lived through the same heartbeats and still relay.
    live.relay(wo.self, 'still-here');
    expect(await other.nextOf('relay')).toEqual({ t: 'relay', from: wl.self, data: 'still-here' });
  });

  it('keeps healthy clients when its own event loop stalls past a heartbeat', async () => {
    running = await startSignaling({ heartbeatMs: 40 });
    const room = randomRoom();
    const a = await connect();
    const b = await connect();
    const wa = await a.join(room);
    const wb = await b.join(room);
    // Stall the whole process (server and clients share it) right after a ping: the pong is
    // written but unread, and the overdue tick runs before the I/O that carries it. The
    // stall-blind check dropped both clients here.
    await new Promise<void>((resolve) =>
      a.ws.once('ping', () => {
        const until = performance.now() + 200;
        while (performance.now() < until);
        resolve();
      }),
    );
    a.relay(wb.self, 'after-the-stall');
    expect(await b.nextOf('relay')).toEqual({ t: 'relay', from: wa.self, data: 'after-the-stall' });
    expect(b.received.some((m) => m.t === 'peer-left')).toBe(false);
  });

  it('closes a connection that never joins', async () => {
    running = await startSignaling({ limits: { joinTimeoutMs: 50 } });
    const idle = await connect();
    expect((await idle.closed).code).toBe(1008);
    expect(running.signaling.stats().connections).toBe(0);
  });

  it('closes every connection with 1001 on shutdown', async () => {
    const server = await startSignaling();
    const a = await TestClient.connect(server.url);
    await a.join(randomRoom());
    await server.stop();
    expect((await a.closed).code).toBe(1001);
  });
});

describe('upgrade checks', () => {
  it('refuses other paths and foreign origins, accepts the same host', async () => {
    running = await startSignaling();
    const base = running.url.replace(/\/ws$/, '');
    const status = (url: string, origin?: string) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(url, origin ? { origin } : {});
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => {
          ws.close();
          resolve(101);
        });
        ws.on('error', () => undefined);
      });
    expect(await status(`${base}/other`)).toBe(404);
    expect(await status(running.url, 'https://evil.example')).toBe(403);
    expect(await status(running.url, base.replace('ws:', 'http:'))).toBe(101);
    expect(await status(`${running.url}?v=1`)).toBe(101);
  });
});
