/**
 * Scale-out through a real redis-server (Debian's, provisioned and started on a free
 * loopback port by the test, stopped by PID): two signaling instances share membership,
 * relayed envelopes (in order) and every limit; an instance killed with SIGKILL loses only
 * its own sockets: its members leave their rooms for the survivors, who keep working.
 * Skipped, loudly, when redis-server cannot be installed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@redis/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRedisBackplane } from './redis-backplane.ts';
import { ensurePackages, startParley, startRedis, type Service } from './services.ts';
import type { SignalingOptions } from './signaling.ts';
import { randomRoom, startSignaling, TestClient, upgradeStatus, type RunningSignaling } from './test-client.ts';

const available = ensurePackages('redis-server');
if (!available.ok) console.warn(`SKIPPED Redis scale-out tests: ${available.reason}`);

let redis: (Service & { url: string }) | undefined;
const servers: RunningSignaling[] = [];
const clients: TestClient[] = [];
let prefixCount = 0;
let prefix = '';

beforeAll(async () => {
  if (available.ok) redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

/** `n` instances on one Redis (a fresh key prefix per test, so tests do not see each other). */
async function instances(n: number, options: Omit<SignalingOptions, 'server' | 'backplane'> = {}): Promise<RunningSignaling[]> {
  if (!redis) throw new Error('redis not started');
  prefix = `t${++prefixCount}:`;
  for (let i = 0; i < n; i++) {
    const backplane = await createRedisBackplane({ url: redis.url, prefix, instanceTtlMs: 1000 });
    servers.push(await startSignaling({ ...options, backplane }));
  }
  return servers.slice(-n);
}

async function connect(server: { url: string }, from = '127.0.0.1'): Promise<TestClient> {
  const c = await TestClient.connect(server.url, { localAddress: from });
  clients.push(c);
  return c;
}

describe.skipIf(!available.ok)('Redis scale-out', () => {
  it('members on different instances see each other, relay in order both ways, and see each other leave', async () => {
    const [s1, s2] = await instances(2);
    const room = randomRoom();
    const a = await connect(s1);
    const wa = await a.join(room);
    const b = await connect(s2);
    const wb = await b.join(room);
    expect(wb.peers).toEqual([wa.self]);
    expect(await a.nextOf('peer-joined')).toEqual({ t: 'peer-joined', id: wb.self });
    const c = await connect(s1);
    const wc = await c.join(room);
    expect(new Set(wc.peers)).toEqual(new Set([wa.self, wb.self]));
    expect(await a.nextOf('peer-joined')).toEqual({ t: 'peer-joined', id: wc.self });
    expect(await b.nextOf('peer-joined')).toEqual({ t: 'peer-joined', id: wc.self });

    for (let i = 0; i < 40; i++) a.relay(wb.self, `a${i}`);
    for (let i = 0; i < 40; i++) b.relay(wa.self, `b${i}`);
    c.relay(wa.self, 'same-instance');
    for (let i = 0; i < 40; i++) expect(await b.nextOf('relay')).toEqual({ t: 'relay', from: wa.self, data: `a${i}` });
    const atA = [];
    for (let i = 0; i < 41; i++) atA.push(await a.nextOf('relay'));
    expect(atA.filter((m) => m.from === wb.self).map((m) => m.data)).toEqual(Array.from({ length: 40 }, (_, i) => `b${i}`));
    expect(atA.filter((m) => m.from === wc.self).map((m) => m.data)).toEqual(['same-instance']);
    // Another room, on both instances, hears nothing of this one.
    const other = [await connect(s1), await connect(s2)];
    await other[0].join(randomRoom());
    a.relay('A'.repeat(22), 'x');
    expect(await a.nextOf('error')).toMatchObject({ code: 'UNKNOWN_PEER' });

    await b.close();
    expect(await a.nextOf('peer-left')).toEqual({ t: 'peer-left', id: wb.self });
    expect(await c.nextOf('peer-left')).toEqual({ t: 'peer-left', id: wb.self });
    for (const x of [a, c, ...other]) expect(x.received.filter((m) => m.t === 'relay' && m.from !== wb.self && m.from !== wc.self)).toEqual([]);
  });

  it('limits hold across instances: sockets per address', async () => {
    const [s1, s2] = await instances(2, { limits: { maxSocketsPerAddress: 2 } });
    await connect(s1, '127.0.0.20');
    await connect(s2, '127.0.0.20');
    expect(await upgradeStatus(s1.url, '127.0.0.20')).toBe(429);
    expect(await upgradeStatus(s2.url, '127.0.0.20')).toBe(429);
    expect(await upgradeStatus(s2.url, '127.0.0.24')).toBe(101);
  });

  it('limits hold across instances: joins per minute and room size', async () => {
    const [s1, s2] = await instances(2, { limits: { joinsPerMinute: 3, maxRoomSize: 2 } });
    const room = randomRoom();
    const [x1, x2, x3, x4] = [await connect(s1, '127.0.0.21'), await connect(s1, '127.0.0.21'), await connect(s2, '127.0.0.21'), await connect(s2, '127.0.0.21')];
    await x1.join(room);
    await x2.join(randomRoom());
    await x3.join(randomRoom()); // the third join of 127.0.0.21, on the other instance
    x4.send({ t: 'join', room: randomRoom() });
    expect(await x4.nextOf('error')).toMatchObject({ code: 'RATE_LIMITED' });
    const y = await connect(s2, '127.0.0.22');
    await y.join(room); // the room now has 2 members, one on each instance
    const z = await connect(s1, '127.0.0.23');
    z.send({ t: 'join', room });
    expect(await z.nextOf('error')).toMatchObject({ code: 'ROOM_FULL' });
  });

  it('an instance that dies (SIGKILL) loses only its own sockets; the survivors keep their room', async () => {
    const [s1] = await instances(1);
    if (!redis) throw new Error('redis not started');
    const dist = mkdtempSync(join(tmpdir(), 'parley-dist-'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>test</title>');
    const victim = await startParley({ PARLEY_REDIS_URL: redis.url, PARLEY_REDIS_PREFIX: prefix, PARLEY_INSTANCE_TTL_MS: '1000', PARLEY_DIST_DIR: dist });
    const s2 = { url: `${victim.url.replace('http', 'ws')}ws` };
    try {
      const room = randomRoom();
      const a = await connect(s1);
      const wa = await a.join(room);
      const b = await connect(s2);
      const wb = await b.join(room);
      const d = await connect(s1);
      const wd = await d.join(room);
      expect(new Set(wd.peers)).toEqual(new Set([wa.self, wb.self]));
      b.relay(wa.self, 'before');
      expect(await a.nextOf('relay')).toEqual({ t: 'relay', from: wb.self, data: 'before' });

      await victim.kill();
      // Reaped once its key expires (TTL 1 s): both survivors hear that B left.
      expect(await a.nextOf('peer-left')).toEqual({ t: 'peer-left', id: wb.self });
      expect(await d.nextOf('peer-left')).toEqual({ t: 'peer-left', id: wb.self });
      a.relay(wd.self, 'still-here');
      expect(await d.nextOf('relay')).toEqual({ t: 'relay', from: wa.self, data: 'still-here' });
      const e = await connect(s1);
      expect(new Set((await e.join(room)).peers)).toEqual(new Set([wa.self, wd.self]));
      expect([a, d].flatMap((x) => x.received.filter((m) => m.t === 'error'))).toEqual([]);
    } finally {
      await victim.stop();
      rmSync(dist, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!available.ok)('Redis backplane under a stall (issue 16: honest failure codes)', () => {
  it('a Redis stall longer than 5 s delays relays but fails none; a backlog over the cap is refused as UNAVAILABLE, never UNKNOWN_PEER', async () => {
    if (!redis) throw new Error('redis not started');
    prefix = `t${++prefixCount}:`;
    const logs: string[] = [];
    const backplane = await createRedisBackplane({ url: redis.url, prefix, maxPendingCommands: 5 });
    servers.push(await startSignaling({ backplane, log: (l) => logs.push(l) }));
    const [s] = servers.slice(-1);
    const room = randomRoom();
    const a = await connect(s);
    await a.join(room);
    const b = await connect(s);
    const wb = await b.join(room);
    await a.nextOf('peer-joined');
    const admin = createClient({ url: redis.url });
    await admin.connect();
    try {
      // Every client's commands wait 6 s: longer than node-redis' default command timeout,
      // which used to fail such relays with UNKNOWN_PEER although Redis ran them afterwards.
      await admin.sendCommand(['CLIENT', 'PAUSE', '6000', 'ALL']);
      for (let i = 0; i < 6; i++) a.relay(wb.self, `r${i}`);
      // The sixth finds 5 commands waiting (the cap) and is refused at once, honestly.
      expect(await a.nextOf('error')).toMatchObject({ code: 'UNAVAILABLE' });
      for (let i = 0; i < 5; i++) expect(await b.nextOf('relay')).toMatchObject({ data: `r${i}` });
      expect(a.received.filter((m) => m.t === 'error').map((m) => (m as { code: string }).code)).toEqual(['UNAVAILABLE']);
      expect(b.received.filter((m) => m.t === 'relay' && m.data === 'r5')).toEqual([]);
      expect(logs.some((l) => /relay failed in the backplane: 5 backplane commands are already waiting/.test(l))).toBe(true);
    } finally {
      await admin.sendCommand(['CLIENT', 'UNPAUSE']).catch(() => undefined);
      await admin.close();
    }
  }, 30_000);
});
