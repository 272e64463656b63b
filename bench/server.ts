/**
 * `npm run bench:server [-- --clients 5000 --rooms 1000 --messages 5 --reps 1]`
 *
 * Signaling load across instances (issue 16 part 4): one redis-server and two production
 * instances (child processes, PARLEY_REDIS_URL) on loopback; `clients` WebSocket clients in
 * `rooms` rooms, room members alternating between the instances, each from its own
 * 127.x.y.z address (the per-address caps apply as in production). Every client relays
 * `messages` envelopes to every roommate. Checks that no envelope is lost, duplicated,
 * reordered or delivered across rooms, and reports relays/s, median and p99 relay latency
 * (send → receive, one clock) and each instance's resident memory (VmRSS) idle and loaded.
 * The baseline beside it: the same load on one instance without Redis (the default).
 * Not a test: numbers depend on the machine; run it on a quiet one.
 */
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { WebSocket } from 'ws';
import { parseServerMessage } from '../src/shared/signaling.ts';
import { ensurePackages, startParley, startRedis, type Service } from '../server/services.ts';
import { randomRoom } from '../server/test-client.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
}
const CLIENTS = arg('clients', 5000);
const ROOMS = arg('rooms', 1000);
const MESSAGES = arg('messages', 5);
const BATCH = 250;

const rssMb = (pid: number): number => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};

interface Client {
  ws: WebSocket;
  room: number;
  self: string;
  next: Map<string, number>;
}

interface Outcome {
  connectMs: number;
  relays: number;
  relayMs: number;
  p50: number;
  p99: number;
  rss: { idle: number[]; loaded: number[] };
}

async function load(instances: (Service & { url: string })[]): Promise<Outcome> {
  const idle = instances.map((s) => rssMb(s.pid));
  const roomIds = Array.from({ length: ROOMS }, () => randomRoom());
  const perRoom = CLIENTS / ROOMS;
  const expected = CLIENTS * (perRoom - 1) * MESSAGES;
  const latencies = new Float64Array(expected);
  let received = 0;
  let failure = '';
  const closes = new Map<string, number>();
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const clients: Client[] = [];
  const started = performance.now();

  async function open(i: number): Promise<Client> {
    const room = Math.floor(i / perRoom);
    const inst = instances[i % instances.length];
    const ws = new WebSocket(`${inst.url.replace('http', 'ws')}ws`, { localAddress: `127.${10 + Math.floor(i / 62_500)}.${Math.floor(i / 250) % 250}.${1 + (i % 250)}` });
    const c: Client = { ws, room, self: '', next: new Map() };
    const welcomed = new Promise<void>((resolve) => {
      ws.on('message', (raw) => {
        const parsed = parseServerMessage(String(raw));
        if (!parsed.ok) return void (failure ||= parsed.error);
        const m = parsed.value;
        if (m.t === 'welcome') {
          c.self = m.self;
          resolve();
        } else if (m.t === 'relay') {
          const [sent, seq] = m.data.split('_');
          const want = c.next.get(m.from) ?? 0;
          if (Number(seq) !== want) failure ||= `from ${m.from}: got ${seq}, expected ${want}`;
          c.next.set(m.from, want + 1);
          latencies[received] = performance.now() - Number(sent) / 1000;
          if (++received === expected) finish();
        } else if (m.t === 'error') failure ||= `${m.code}: ${m.message}`;
      });
    });
    ws.on('close', (code, reason) => {
      const key = `${code} ${String(reason)}`;
      closes.set(key, (closes.get(key) ?? 0) + 1);
    });
    await once(ws, 'open');
    ws.send(JSON.stringify({ t: 'join', room: roomIds[room] }));
    await welcomed;
    return c;
  }

  for (let i = 0; i < CLIENTS; i += BATCH) clients.push(...(await Promise.all(Array.from({ length: Math.min(BATCH, CLIENTS - i) }, (_, k) => open(i + k)))));
  const connectMs = performance.now() - started;
  const byRoom = new Map<number, Client[]>();
  for (const c of clients) byRoom.set(c.room, [...(byRoom.get(c.room) ?? []), c]);

  const relayStart = performance.now();
  let sends = 0;
  for (let seq = 0; seq < MESSAGES; seq++) {
    for (const c of clients) {
      // One process plays every client: yield now and then, so that it still answers the
      // server's pings (a real client is a process of its own) and reads what arrives.
      if (++sends % 500 === 0) await new Promise((r) => setImmediate(r));
      for (const peer of byRoom.get(c.room) ?? []) {
        if (peer === c) continue;
        // Sent time in µs (base-10 digits are base64url), then the sequence number.
        c.ws.send(JSON.stringify({ t: 'relay', to: peer.self, data: `${Math.round(performance.now() * 1000)}_${seq}_pad` }));
      }
    }
  }
  const timer = setTimeout(() => finish(), 120_000);
  await done;
  clearTimeout(timer);
  const relayMs = performance.now() - relayStart;
  const loaded = instances.map((s) => rssMb(s.pid));
  const closed = [...closes].map(([why, n]) => `${n} × ${why}`).join(', ');
  if (failure) throw new Error(`envelope check failed: ${failure}${closed ? `; sockets closed by the server: ${closed}` : ''}`);
  if (received !== expected) throw new Error(`lost envelopes: ${received} of ${expected} arrived within 120 s${closed ? `; sockets closed by the server: ${closed}` : ''}`);
  for (const c of clients) {
    const mates = (byRoom.get(c.room) ?? []).filter((p) => p !== c).map((p) => p.self).sort();
    if ([...c.next.keys()].sort().join() !== mates.join()) throw new Error('an envelope crossed rooms');
    for (const n of c.next.values()) if (n !== MESSAGES) throw new Error(`a sender's count is ${n}, not ${MESSAGES}`);
  }
  await Promise.all(clients.map(async (c) => {
    c.ws.close();
    await once(c.ws, 'close');
  }));
  const sorted = Array.from(latencies).sort((a, b) => a - b);
  return { connectMs, relays: expected, relayMs, p50: sorted[Math.floor(expected / 2)], p99: sorted[Math.floor(expected * 0.99)], rss: { idle, loaded } };
}

function report(label: string, o: Outcome): void {
  const mem = o.rss.loaded.map((m, i) => `instance ${i + 1}: ${o.rss.idle[i].toFixed(0)} → ${m.toFixed(0)} MB`).join(', ');
  console.log(
    `${label}: ${CLIENTS} clients in ${ROOMS} rooms connected in ${(o.connectMs / 1000).toFixed(1)} s; ${o.relays} relays in ` +
      `${(o.relayMs / 1000).toFixed(1)} s (${Math.round((o.relays / o.relayMs) * 1000)}/s), none lost; latency median ${o.p50.toFixed(1)} ms, ` +
      `p99 ${o.p99.toFixed(1)} ms; RSS idle → loaded: ${mem}`,
  );
}

const available = ensurePackages('redis-server');
if (!available.ok) {
  console.error(`bench:server needs redis-server: ${available.reason}`);
  process.exit(1);
}
const dist = mkdtempSync(join(tmpdir(), 'parley-bench-dist-'));
writeFileSync(join(dist, 'index.html'), '<!doctype html><title>bench</title>');
const env = { PARLEY_DIST_DIR: dist, PARLEY_MAX_CONNECTIONS: String(CLIENTS + 100) };
const redis = await startRedis();
try {
  const scaled = await Promise.all([0, 1].map(() => startParley({ ...env, PARLEY_REDIS_URL: redis.url })));
  let two: Outcome;
  try {
    two = await load(scaled);
  } catch (e) {
    for (const s of scaled) console.error(`instance output:\n${s.output().slice(-3000)}`);
    throw e;
  } finally {
    await Promise.all(scaled.map((s) => s.stop()));
  }
  const single = await startParley(env);
  let one: Outcome;
  try {
    one = await load([single]);
  } finally {
    await single.stop();
  }
  report('two instances + Redis', two);
  report('baseline, one instance, no Redis', one);
  console.log(
    `ratio (two+Redis / one): relays/s ${((two.relays / two.relayMs) / (one.relays / one.relayMs)).toFixed(2)}×, ` +
      `p99 latency ${(two.p99 / one.p99).toFixed(2)}×`,
  );
} finally {
  await redis.stop();
  rmSync(dist, { recursive: true, force: true });
}
