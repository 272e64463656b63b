/**
 * The production HTTP server on loopback: static files from a temporary dist/, content
 * types, caching, security headers, traversal attempts, /healthz, and the WebSocket on
 * the same port. Also the environment parsing of server/config.ts.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseIceServersEnv, parseOrigins, readConfig } from './config.ts';
import { createAppServer, type AppServer } from './http.ts';
import { randomRoom, TestClient } from './test-client.ts';

let dir: string;
let app: AppServer;
let base: string;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw request: `fetch` would normalise `..` away before it reached the server. */
function get(path: string, method = 'GET'): Promise<Reply> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parley-http-'));
  const dist = join(dir, 'dist');
  await mkdir(join(dist, 'assets'), { recursive: true });
  await writeFile(join(dist, 'index.html'), '<!doctype html><title>Parley</title>');
  await writeFile(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
  await writeFile(join(dist, 'assets', 'index-abc123.css'), 'body{}');
  await writeFile(join(dist, 'favicon.svg'), '<svg/>');
  await writeFile(join(dist, '.env'), 'SECRET=1');
  await writeFile(join(dir, 'secret.txt'), 'top secret');
  await symlink(join(dir, 'secret.txt'), join(dist, 'link.txt'));
  app = await createAppServer({ distDir: dist });
  base = await app.listen(0, '127.0.0.1');
});

afterAll(async () => {
  await app.close();
  await rm(dir, { recursive: true, force: true });
});

describe('static files', () => {
  it('serves index.html for / with security headers and no-cache', async () => {
    const r = await get('/');
    expect(r.status).toBe(200);
    expect(r.body).toContain('<title>Parley</title>');
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['cache-control']).toBe('no-cache');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("worker-src 'self' blob:");
    expect(csp).toMatch(/connect-src 'self' ws:\/\/127\.0\.0\.1:\d+ wss:\/\/127\.0\.0\.1:\d+/);
    expect(csp).not.toContain('unsafe-eval');
  });

  it('serves hashed assets with their content type and a long cache', async () => {
    const js = await get('/assets/index-abc123.js');
    expect(js.status).toBe(200);
    expect(js.body).toBe('console.log(1)');
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toContain('immutable');
    expect((await get('/assets/index-abc123.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await get('/favicon.svg')).headers['content-type']).toBe('image/svg+xml');
    expect((await get('/index.html?x=1')).status).toBe(200);
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await get('/', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
    expect((await get('/', 'POST')).status).toBe(405);
  });

  it('never serves anything outside dist/, dotfiles or directories', async () => {
    for (const path of [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%5csecret.txt',
      '/link.txt',
      '/.env',
      '/assets',
      '/assets/',
      '/missing.js',
      '/%00',
    ]) {
      const r = await get(path);
      expect([400, 403, 404], path).toContain(r.status);
      expect(r.body, path).not.toContain('secret');
      expect(r.headers['x-content-type-options'], path).toBe('nosniff');
    }
    expect((await get('/%E0%A4%A')).status).toBe(400);
  });

  it('answers /healthz', async () => {
    const r = await get('/healthz');
    expect(r.status).toBe(200);
    expect(r.body).toBe('ok');
  });

  it('serves the signaling WebSocket on the same port', async () => {
    const client = await TestClient.connect(`${base.replace('http:', 'ws:')}ws`);
    expect((await client.join(randomRoom())).peers).toEqual([]);
    await client.close();
  });
});

describe('configuration from the environment', () => {
  it('has safe defaults', () => {
    const c = readConfig({});
    expect(c).toMatchObject({ port: 8787, host: '127.0.0.1', iceServers: [], origins: 'same-host', heartbeatMs: 5000 });
    expect(c.limits).toMatchObject({ maxRoomSize: 32, ratePerSecond: 50, burst: 100 });
  });

  it('reads numbers and rejects nonsense', () => {
    expect(readConfig({ PORT: '9000', PARLEY_MAX_ROOM_SIZE: '8' })).toMatchObject({ port: 9000, limits: { maxRoomSize: 8 } });
    expect(() => readConfig({ PORT: 'eighty' })).toThrow(/PORT must be an integer/);
    expect(() => readConfig({ PARLEY_MAX_ROOM_SIZE: '1' })).toThrow(/between 2 and/);
    expect(readConfig({ PARLEY_CONNECT_TIMEOUT_MS: '3000' }).connectTimeoutMs).toBe(3000);
    expect(readConfig({}).connectTimeoutMs).toBeUndefined();
    expect(() => readConfig({ PARLEY_CONNECT_TIMEOUT_MS: '10' })).toThrow(/between 1000 and/);
  });

  it('parses ICE servers, requiring TURN credentials and never echoing them', () => {
    const ice = [
      { urls: 'stun:stun.example.org:3478' },
      { urls: ['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:5349'], username: 'u', credential: 'hunter2' },
    ];
    expect(parseIceServersEnv(JSON.stringify(ice))).toEqual(ice);
    expect(parseIceServersEnv(undefined)).toEqual([]);
    expect(() => parseIceServersEnv('{')).toThrow(/not valid JSON/);
    expect(() => parseIceServersEnv('{"urls":"stun:x"}')).toThrow(/array/);
    expect(() => parseIceServersEnv('[{"urls":"http://x"}]')).toThrow(/must start with stun:/);
    expect(() => parseIceServersEnv('[{"url":"stun:x"}]')).toThrow(/unknown keys url/);
    const noUser = () => parseIceServersEnv('[{"urls":"turn:x","credential":"hunter2"}]');
    expect(noUser).toThrow(/needs both username and credential/);
    expect(noUser).not.toThrow(/hunter2/);
  });

  it('parses allowed origins', () => {
    expect(parseOrigins('*')).toBe('any');
    expect(parseOrigins('https://a.example, https://b.example:8443')).toEqual(['https://a.example', 'https://b.example:8443']);
    expect(() => parseOrigins('https://a.example/path')).toThrow(/not an origin/);
  });
});
