import { describe, expect, it } from 'vitest';
import { Protocol } from '../session/round.ts';
import { partyId } from '../session/channel.ts';
import type { MemoryNetwork } from '../session/memory-network.ts';
import { runParties, runPartiesSettled } from '../session/simulate.ts';
import { shapedNetwork } from './shaped-network.test-helpers.ts';
import { createTripleSource } from './triple-source.ts';
import type { ArithTriples, BitTriples } from './types.ts';

const sumU64 = (xs: BigUint64Array[], t: number): bigint => BigInt.asUintN(64, xs.reduce((acc, x) => acc + x[t], 0n));
const xorWords = (xs: Uint32Array[], w: number): number => xs.reduce((acc, x) => acc ^ x[w], 0) >>> 0;

function checkArith(ts: ArithTriples[], count: number): void {
  for (const t of ts) expect([t.a.length, t.b.length, t.c.length]).toEqual([count, count, count]);
  let nonzero = 0;
  for (let t = 0; t < count; t++) {
    const a = sumU64(ts.map((x) => x.a), t), b = sumU64(ts.map((x) => x.b), t), c = sumU64(ts.map((x) => x.c), t);
    expect(c).toBe(BigInt.asUintN(64, a * b));
    if (c !== 0n) nonzero++;
  }
  expect(nonzero).toBeGreaterThan(count / 2);
}

function checkBits(ts: BitTriples[], words: number): void {
  for (let w = 0; w < words; w++) {
    const a = xorWords(ts.map((x) => x.a), w), b = xorWords(ts.map((x) => x.b), w);
    expect(xorWords(ts.map((x) => x.c), w)).toBe((a & b) >>> 0);
  }
}

describe('createTripleSource', () => {
  for (const n of [2, 3, 5]) {
    it(`N=${n}: arithmetic and AND triples reconstruct to c = a·b (several chunks, queued calls)`, async () => {
      const count = 150, words = 20;
      const outs = await runParties(n, async (s) => {
        const src = createTripleSource(s, { arithChunk: 64, bitWordsChunk: 8 });
        // Issued without awaiting: the source queues them in call order.
        const [x, y, z] = await Promise.all([src.arith(count), src.bits(words), src.arith(3)]);
        return { x, y, z };
      });
      checkArith(outs.map((o) => o.x), count);
      checkArith(outs.map((o) => o.z), 3);
      checkBits(outs.map((o) => o.y), words);
    });
  }

  it('single party and empty batches need no peers', async () => {
    const [o] = await runParties(1, async (s) => {
      const src = createTripleSource(s);
      return { x: await src.arith(5), y: await src.bits(2), e: await src.arith(0) };
    });
    checkArith([o.x], 5);
    checkBits([o.y], 2);
    expect(o.e.a.length).toBe(0);
  });

  for (const [n, k] of [[2, 1], [3, 2], [2, 4]] as const) {
    it(`N=${n}, k=${k}: bytes sent per triple match the cost model (N−1)·(64·128/k+2080) and (N−1)·(128/k+1) bits`, async () => {
      const count = 512, words = 64;
      const res = await runParties(n, async (s) => {
        const src = createTripleSource(s, { arithChunk: 512, bitWordsChunk: 64, otK: k });
        await src.setup();
        const before = s.stats.sent.reduce((a, b) => a + b, 0);
        const x = await src.arith(count);
        const mid = s.stats.sent.reduce((a, b) => a + b, 0);
        const y = await src.bits(words);
        const after = s.stats.sent.reduce((a, b) => a + b, 0);
        return { arith: mid - before, bits: after - mid, x, y };
      });
      checkArith(res.map((r) => r.x), count);
      checkBits(res.map((r) => r.y), words);
      const headers = 2 * (n - 1) * 8; // two frames per peer per batch
      for (const r of res) {
        expect(r.arith).toBe(((n - 1) * ((64 * 128) / k + 2080) * count) / 8 + headers);
        expect(r.bits).toBe(((n - 1) * (128 / k + 1) * 32 * words) / 8 + headers);
      }
    });
  }

  it('rejects bad counts with INVALID_ARGUMENT', async () => {
    await runParties(2, async (s) => {
      const src = createTripleSource(s);
      expect(() => src.arith(-1)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
      expect(() => src.bits(1.5)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    });
  });

  it('a party dropping mid-generation gives PEER_LEFT on the others, not a hang', async () => {
    let net: MemoryNetwork | undefined;
    let dropped = false;
    const results = await runPartiesSettled(
      3,
      async (s) => {
        const src = createTripleSource(s, { arithChunk: 32 });
        await src.arith(100);
        return 'done';
      },
      {
        timeoutMs: 10_000,
        onNetwork: (x) => (net = x),
        network: {
          tamper: ({ from, bytes }) => {
            // Party 2 vanishes when it first sends its Gilboa corrections.
            const protocol = (bytes[0] << 8) | bytes[1];
            const step = (bytes[6] << 8) | bytes[7];
            if (from !== 2 || protocol !== Protocol.ArithTriples || step !== 1) return undefined;
            if (!dropped) {
              dropped = true;
              queueMicrotask(() => net!.drop(partyId(2)));
            }
            return [];
          },
        },
      },
    );
    expect(dropped).toBe(true);
    for (const r of results.slice(0, 2)) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'PEER_LEFT', party: 2 });
    }
  });

  it('a party that lies about lengths is blamed with MALFORMED_MESSAGE', async () => {
    const results = await runPartiesSettled(
      3,
      async (s) => {
        await createTripleSource(s, { arithChunk: 32 }).arith(40);
        return 'done';
      },
      {
        timeoutMs: 10_000,
        network: {
          tamper: ({ from, bytes }) => {
            const protocol = (bytes[0] << 8) | bytes[1];
            // Party 1 drops one byte off every Gilboa/extension frame it sends.
            return from === 1 && protocol === Protocol.ArithTriples ? [bytes.subarray(0, bytes.length - 1)] : undefined;
          },
        },
      },
    );
    for (const i of [0, 2]) {
      expect(results[i].status).toBe('rejected');
      expect((results[i] as PromiseRejectedResult).reason).toMatchObject({ code: 'MALFORMED_MESSAGE', party: 1 });
    }
  });

  it('pipelined batches stay in order over slow, jittery links (N=3)', async () => {
    const net = shapedNetwork(2000, 0.5, 3); // 2 MB/s per link, 0.5–3.5 ms latency
    const outs = await runParties(
      3,
      async (s) => {
        const src = createTripleSource(s, { arithChunk: 16, bitWordsChunk: 4 });
        const x = await src.arith(48);
        const y = await src.bits(9);
        await net.idle(s.self);
        return { x, y };
      },
      net.opts,
    );
    checkArith(outs.map((o) => o.x), 48);
    checkBits(outs.map((o) => o.y), 9);
  });
});
