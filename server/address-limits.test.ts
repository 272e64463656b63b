/**
 * Per-address limits (issue 10 part 4): sockets per address, joins per minute per address,
 * and where the address comes from (TCP peer, or one trusted proxy header only). Clients
 * use distinct 127.x.y.z source addresses to stand for distinct machines.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { addressKey } from './client-address.ts';
import type { SignalingOptions } from './signaling.ts';
import { randomRoom, startSignaling, TestClient, upgradeStatus as upgradeStatusAt, type RunningSignaling } from './test-client.ts';

let running: RunningSignaling | undefined;
const clients: TestClient[] = [];

async function start(options: Omit<SignalingOptions, 'server'> = {}): Promise<RunningSignaling> {
  running = await startSignaling(options);
  return running;
}

async function connect(from: string, headers?: Record<string, string>): Promise<TestClient> {
  if (!running) throw new Error('server not started');
  const c = await TestClient.connect(running.url, { localAddress: from, headers });
  clients.push(c);
  return c;
}

function upgradeStatus(from: string, headers?: Record<string, string>): Promise<number> {
  if (!running) throw new Error('server not started');
  return upgradeStatusAt(running.url, from, headers);
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await running?.stop();
  running = undefined;
});

describe('address keys', () => {
  it('IPv4 as is, IPv4-mapped IPv6 as IPv4, IPv6 by /64, anything else refused', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2::99')).toBe('2001:db8:1:2::/64');
    expect(addressKey('[2001:db8::1]')).toBe('2001:db8:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    for (const bad of ['', 'localhost', '1.2.3', '2001:db8::1::2', '203.0.113.7:443', 'unknown']) expect(addressKey(bad)).toBeUndefined();
  });
});

describe('per-address limits', () => {
  it('sockets per address: the next one gets 429, other addresses are unaffected, closing frees a slot', async () => {
    await start({ limits: { maxSocketsPerAddress: 2 } });
    const [a1] = [await connect('127.0.0.2'), await connect('127.0.0.2')];
    expect(await upgradeStatus('127.0.0.2')).toBe(429);
    const b = await connect('127.0.0.3');
    expect((await b.join(randomRoom())).peers).toEqual([]);
    await a1.close();
    // The slot is released when the socket closes; the server sees that shortly after us.
    let status = await upgradeStatus('127.0.0.2');
    while (status === 429) status = await upgradeStatus('127.0.0.2');
    expect(status).toBe(101);
  });

  it('joins per minute per address: RATE_LIMITED beyond the bucket, refilled with time, others unaffected', async () => {
    let t = 0;
    await start({ now: () => t, limits: { joinsPerMinute: 3, maxSocketsPerAddress: 10 } });
    const joiners = await Promise.all([1, 2, 3, 4].map(() => connect('127.0.0.4')));
    for (const c of joiners.slice(0, 3)) await c.join(randomRoom());
    const fourth = joiners[3];
    fourth.send({ t: 'join', room: randomRoom() });
    expect(await fourth.nextOf('error')).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringContaining('joins per minute') });
    // Another machine joins at once.
    const other = await connect('127.0.0.5');
    await other.join(randomRoom());
    // Closing sockets does not reset the allowance; time does (3 per minute = one per 20 s).
    t += 19_000;
    fourth.send({ t: 'join', room: randomRoom() });
    expect(await fourth.nextOf('error')).toMatchObject({ code: 'RATE_LIMITED' });
    t += 1_500;
    expect((await fourth.join(randomRoom())).peers).toEqual([]);
  });

  it('without a configured proxy header, forwarding headers are ignored (no way to pick an address)', async () => {
    await start({ limits: { maxSocketsPerAddress: 1 } });
    await connect('127.0.0.6', { 'x-forwarded-for': '198.51.100.1' });
    expect(await upgradeStatus('127.0.0.6', { 'x-forwarded-for': '198.51.100.2', forwarded: 'for=198.51.100.3' })).toBe(429);
  });

  it('behind a proxy: the trusted header names the client; its last entry counts; missing header is refused', async () => {
    await start({ trustedProxyHeader: 'x-forwarded-for', limits: { maxSocketsPerAddress: 1 } });
    // One proxy address, two clients: counted apart.
    await connect('127.0.0.7', { 'x-forwarded-for': '198.51.100.1' });
    await connect('127.0.0.7', { 'x-forwarded-for': '198.51.100.2' });
    expect(await upgradeStatus('127.0.0.7', { 'x-forwarded-for': '198.51.100.1' })).toBe(429);
    // A client-supplied first entry does not help: the proxy appended the real one last.
    expect(await upgradeStatus('127.0.0.7', { 'x-forwarded-for': '10.9.9.9, 198.51.100.1' })).toBe(429);
    expect(await upgradeStatus('127.0.0.7')).toBe(400);
    expect(await upgradeStatus('127.0.0.7', { 'x-forwarded-for': 'garbage' })).toBe(400);
  });

  it('Forwarded (RFC 7239) as the trusted header, IPv6 clients grouped by /64', async () => {
    await start({ trustedProxyHeader: 'forwarded', limits: { maxSocketsPerAddress: 1 } });
    await connect('127.0.0.8', { forwarded: 'for="[2001:db8:1:2::1]:4711";proto=https' });
    expect(await upgradeStatus('127.0.0.8', { forwarded: 'for="[2001:db8:1:2::ffff]"' })).toBe(429);
    await connect('127.0.0.8', { forwarded: 'for="[2001:db8:1:3::1]"' });
    await connect('127.0.0.8', { forwarded: 'for=192.0.2.60:80' });
  });
});
