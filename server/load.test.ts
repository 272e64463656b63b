/**
 * A bounded load test on loopback: 500 WebSocket clients in 100 rooms of 5 (each from its own
 * 127.x.y.z source address, as different clients would be: the per-address caps apply), each relaying
 * 20 envelopes to each of its 4 roommates (40,000 relays). Asserts that no envelope is lost,
 * duplicated or reordered, that nothing crosses rooms, and that the server forgets
 * everything once the clients leave (heap back near its start). Stops by itself well
 * under 20 s; the deadline only turns a hang into a readable failure.
 */
import { once } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { parseServerMessage } from '../src/shared/signaling.ts';
import { randomEnvelope, randomRoom, startSignaling } from './test-client.ts';

const ROOMS = 100;
const PER_ROOM = 5;
const MESSAGES_PER_PEER = 20; // 4 × 20 + 1 join = 81 messages, inside the default burst of 100
const CONNECT_BATCH = 100;
const DEADLINE_MS = 20_000;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
function heapUsed(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

interface LoadClient {
  ws: WebSocket;
  room: number;
  self: string;
  /** Next expected sequence number per sender id. */
  nextSeq: Map<string, number>;
  errors: string[];
}

describe('load', () => {
  it('500 clients in 100 rooms relay to all roommates without loss', async () => {
    const heapBefore = heapUsed();
    const server = await startSignaling();
    const started = performance.now();
    const roomIds = Array.from({ length: ROOMS }, () => randomRoom());
    const padding = randomEnvelope(150);
    const expected = ROOMS * PER_ROOM * (PER_ROOM - 1) * MESSAGES_PER_PEER;
    let received = 0;
    let done: () => void = () => undefined;
    const allReceived = new Promise<void>((resolve) => (done = resolve));
    const clients: LoadClient[] = [];

    async function open(room: number, i: number): Promise<LoadClient> {
      const ws = new WebSocket(server.url, { localAddress: `127.0.${1 + Math.floor(i / 250)}.${1 + (i % 250)}` });
      const c: LoadClient = { ws, room, self: '', nextSeq: new Map(), errors: [] };
      const welcomed = new Promise<void>((resolve) => {
        ws.on('message', (raw) => {
          const parsed = parseServerMessage(String(raw));
          if (!parsed.ok) return void c.errors.push(parsed.error);
          const m = parsed.value;
          if (m.t === 'welcome') {
            c.self = m.self;
            resolve();
          } else if (m.t === 'relay') {
            const [, seq] = m.data.split('_');
            const want = c.nextSeq.get(m.from) ?? 0;
            if (Number(seq) !== want) c.errors.push(`from ${m.from}: got ${seq}, expected ${want}`);
            c.nextSeq.set(m.from, want + 1);
            if (++received === expected) done();
          } else if (m.t === 'error') {
            c.errors.push(m.code);
          }
        });
      });
      await once(ws, 'open');
      ws.send(JSON.stringify({ t: 'join', room: roomIds[room] }));
      await welcomed;
      return c;
    }

    for (let i = 0; i < ROOMS * PER_ROOM; i += CONNECT_BATCH) {
      const batch = Array.from({ length: CONNECT_BATCH }, (_, k) => open(Math.floor((i + k) / PER_ROOM), i + k));
      clients.push(...(await Promise.all(batch)));
    }
    const connectedMs = performance.now() - started;
    expect(server.signaling.stats()).toEqual({ connections: 500, rooms: ROOMS, members: 500 });

    const roommates = (c: LoadClient) => clients.filter((o) => o.room === c.room && o !== c);
    for (let seq = 0; seq < MESSAGES_PER_PEER; seq++) {
      for (const c of clients) {
        for (const peer of roommates(c)) c.ws.send(JSON.stringify({ t: 'relay', to: peer.self, data: `s_${seq}_${padding}` }));
      }
    }
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`deadline: ${received} of ${expected} envelopes arrived`)), DEADLINE_MS);
    });
    await Promise.race([allReceived, deadline]);
    clearTimeout(timer);
    const relayMs = performance.now() - started - connectedMs;
    const heapLoaded = process.memoryUsage().heapUsed;

    for (const c of clients) {
      expect(c.errors).toEqual([]);
      const senders = roommates(c).map((p) => p.self).sort();
      expect([...c.nextSeq.keys()].sort()).toEqual(senders); // only roommates ever reached c
      for (const n of c.nextSeq.values()) expect(n).toBe(MESSAGES_PER_PEER);
    }
    expect(received).toBe(expected);

    await Promise.all(clients.map(async (c) => {
      c.ws.close();
      await once(c.ws, 'close');
    }));
    await server.stop();
    expect(server.signaling.stats()).toEqual({ connections: 0, rooms: 0, members: 0 });
    clients.length = 0;
    const heapAfter = heapUsed();
    const mb = (n: number) => (n / 2 ** 20).toFixed(1);
    console.log(
      `load: 500 clients connected in ${connectedMs.toFixed(0)} ms; ${expected} relays in ${relayMs.toFixed(0)} ms ` +
        `(${((expected / relayMs) * 1000).toFixed(0)}/s); heap ${mb(heapBefore)} → ${mb(heapLoaded)} (loaded) → ${mb(heapAfter)} MB`,
    );
    // Everything the server held for 500 connections is gone again.
    expect(heapAfter - heapBefore).toBeLessThan(8 * 2 ** 20);
  }, 30_000);
});
