/**
 * The settings added for per-address limits, TURN credentials and Redis scale-out: defaults,
 * accepted values and the messages for bad ones (server/config.ts), and the TURN REST
 * credential against a known answer computed with openssl
 * (`printf %s 1700000000:abc | openssl dgst -sha1 -hmac parley-test-secret-0123 -binary | base64`).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfig } from './config.ts';
import { iceServersWithTurn, turnCredential, turnPassword } from './turn-credentials.ts';

const SECRET = 'parley-test-secret-0123';

describe('settings', () => {
  it('defaults: per-address caps on, no TURN, no Redis, policy left to the browser', () => {
    const c = readConfig({});
    expect(c.limits).toMatchObject({ maxSocketsPerAddress: 64, joinsPerMinute: 120, maxConnections: 5000 });
    expect(c.turn).toBeUndefined();
    expect(c.redisUrl).toBeUndefined();
    expect(c.iceTransportPolicy).toBeUndefined();
    expect(c.trustedProxyHeader).toBeUndefined();
  });

  it('reads the new variables', () => {
    const c = readConfig({
      PARLEY_MAX_SOCKETS_PER_ADDRESS: '8',
      PARLEY_JOINS_PER_MINUTE: '30',
      PARLEY_TRUSTED_PROXY_HEADER: 'X-Forwarded-For',
      PARLEY_TURN_URLS: 'turn:turn.example.org:3478?transport=udp, turns:turn.example.org:5349',
      PARLEY_TURN_SECRET: SECRET,
      PARLEY_TURN_TTL_SECONDS: '600',
      PARLEY_ICE_TRANSPORT_POLICY: 'relay',
      PARLEY_REDIS_URL: 'redis://127.0.0.1:6390',
    });
    expect(c.limits).toMatchObject({ maxSocketsPerAddress: 8, joinsPerMinute: 30 });
    expect(c.trustedProxyHeader).toBe('x-forwarded-for');
    expect(c.turn).toEqual({ urls: ['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:5349'], secret: SECRET, ttlSeconds: 600 });
    expect(c.iceTransportPolicy).toBe('relay');
    expect(c.redisUrl).toBe('redis://127.0.0.1:6390');
    expect(c.redisPrefix).toBe('parley:');
  });

  it('reads the TURN secret from a file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'parley-cfg-'));
    const file = join(dir, 'turn-secret');
    await writeFile(file, `${SECRET}\n`);
    expect(readConfig({ PARLEY_TURN_URLS: 'turns:t.example:5349', PARLEY_TURN_SECRET_FILE: file }).turn?.secret).toBe(SECRET);
    await rm(dir, { recursive: true });
  });

  it.each([
    [{ PARLEY_MAX_SOCKETS_PER_ADDRESS: '0' }, /PARLEY_MAX_SOCKETS_PER_ADDRESS must be between/],
    [{ PARLEY_JOINS_PER_MINUTE: 'lots' }, /PARLEY_JOINS_PER_MINUTE must be an integer/],
    [{ PARLEY_TRUSTED_PROXY_HEADER: 'x forwarded' }, /not a header name/],
    [{ PARLEY_TURN_URLS: 'turn:t.example:3478' }, /neither PARLEY_TURN_SECRET nor PARLEY_TURN_SECRET_FILE/],
    [{ PARLEY_TURN_SECRET: SECRET }, /PARLEY_TURN_URLS is not/],
    [{ PARLEY_TURN_URLS: 'stun:t.example:3478', PARLEY_TURN_SECRET: SECRET }, /must start with turn: or turns:/],
    [{ PARLEY_TURN_URLS: 'turn:t.example:3478', PARLEY_TURN_SECRET: 'short' }, /too short \(5 characters/],
    [{ PARLEY_TURN_URLS: 'turn:t.example:3478', PARLEY_TURN_SECRET_FILE: '/nonexistent/parley' }, /cannot read .*ENOENT/],
    [{ PARLEY_ICE_TRANSPORT_POLICY: 'none' }, /must be "all" or "relay"/],
    [{ PARLEY_REDIS_URL: 'http://x' }, /must start with redis:\/\/ or rediss:\/\//],
    [{ PARLEY_REDIS_URL: 'not a url' }, /PARLEY_REDIS_URL is not a URL/],
    [{ PARLEY_REDIS_PREFIX: 'a b' }, /PARLEY_REDIS_PREFIX/],
  ])('refuses %o', (env, message) => {
    expect(() => readConfig(env)).toThrow(message);
  });

  it('never echoes the TURN secret in a message', () => {
    const secret = 'x'.repeat(10);
    expect(() => readConfig({ PARLEY_TURN_URLS: 'turn:t:1', PARLEY_TURN_SECRET: secret })).toThrow(/^(?!.*xxxxxxxxxx).*$/s);
  });
});

describe('TURN REST credentials', () => {
  it('password = base64(HMAC-SHA1(secret, username)): known answer', () => {
    expect(turnPassword(SECRET, '1700000000:abc')).toBe('SItM3dwRBBXDoCrYkLCVI/W6rOY=');
  });

  it('username = expiry:random, expiry = now + ttl; fresh for every call; static servers kept in front', () => {
    const turn = { urls: ['turn:127.0.0.1:3480'], secret: SECRET, ttlSeconds: 600 };
    const c = turnCredential(turn, 1_700_000_000_500);
    const [expiry, id] = (c.username ?? '').split(':');
    expect(Number(expiry)).toBe(1_700_000_600);
    expect(id).toMatch(/^[A-Za-z0-9_-]{12}$/);
    expect(c.credential).toBe(turnPassword(SECRET, c.username ?? ''));
    const list = iceServersWithTurn([{ urls: 'stun:127.0.0.1:3480' }], turn);
    const [a, b] = [list(), list()];
    expect(a[0]).toEqual({ urls: 'stun:127.0.0.1:3480' });
    expect(a[1].username).not.toBe(b[1].username);
    expect(JSON.stringify(a)).not.toContain(SECRET);
  });
});
