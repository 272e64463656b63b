import { describe, expect, it } from 'vitest';
import { Protocol } from '../session/round.ts';
import { partyId } from '../session/channel.ts';
import type { MemoryNetwork } from '../session/memory-network.ts';
import { runParties, runPartiesSettled } from '../session/simulate.ts';
import { shapedNetwork } from './shaped-network.test-helpers.ts';
import { createTripleSource } from './triple-source.ts';
import type { ArithTriples, BitTriples } from './types.ts';
import { triplesNotRandom } from '../test-stats.test-helpers.ts';

const sumU64 = (xs: BigUint64Array[], t: number): bigint => BigInt.asUintN(64, xs.reduce((acc, x) => acc + x[t], 0n));
const xorWords = (xs: Uint32Array[], w: number): number => xs.reduce((acc, x) => acc ^ x[w], 0) >>> 0;

const addAll = (xs: readonly BigUint64Array[]): BigUint64Array => xs[0].map((_, t) => BigInt.asUintN(64, xs.reduce((acc, x) => acc + x[t], 0n)));
const xorAll = (xs: readonly Uint32Array[]): Uint32Array => xs[0].map((_, w) => xorWords([...xs], w));

/**
 * Correct (c = a·b) and random: a source of all-zero, constant, reused or a = b triples, or
 * one that leaves some party zero shares, satisfies c = a·b and fails here
 * (triplesNotRandom; the negative controls below show it). Several calls of one source
 * may be given together, so reuse across calls is caught too.
 */
function checkArith(ts: ArithTriples[], count: number, ...more: ArithTriples[][]): void {
  for (const t of ts) expect([t.a.length, t.b.length, t.c.length]).toEqual([count, count, count]);
  for (let t = 0; t < count; t++) {
    const a = sumU64(ts.map((x) => x.a), t), b = sumU64(ts.map((x) => x.b), t), c = sumU64(ts.map((x) => x.c), t);
    expect(c).toBe(BigInt.asUintN(64, a * b));
  }
  expect(triplesNotRandom(ts.map((t, i) => [t, ...more.map((m) => m[i])]), addAll)).toBeUndefined();
}

function checkBits(ts: BitTriples[], words: number): void {
  for (const t of ts) expect([t.a.length, t.b.length, t.c.length]).toEqual([words, words, words]);
  for (let w = 0; w < words; w++) {
    const a = xorWords(ts.map((x) => x.a), w), b = xorWords(ts.map((x) => x.b), w);
    expect(xorWords(ts.map((x) => x.c), w)).toBe((a & b) >>> 0);
  }
  expect(triplesNotRandom(ts.map((t) => [t]), xorAll)).toBeUndefined();
}

describe('the triple checks reject consistent but non-random triples (negative controls)', () => {
  const n = 3;
  const count = 64;
  const words = 16;
  const rnd64 = (len: number) => BigUint64Array.from({ length: len }, () => BigInt.asUintN(64, BigInt(Math.floor(Math.random() * 2 ** 53)) * 2048n + BigInt(Math.floor(Math.random() * 2048))));
  const rnd32 = (len: number) => Uint32Array.from({ length: len }, () => Math.floor(Math.random() * 2 ** 32));
  /** Party shares of the given whole a and b (party 0 takes the rest), with c = a·b shared likewise. */
  function shareArith(a: BigUint64Array, b: BigUint64Array, others: (len: number) => BigUint64Array): ArithTriples[] {
    const c = a.map((x, t) => BigInt.asUintN(64, x * b[t]));
    const parts = [a, b, c].map((whole) => {
      const rest = Array.from({ length: n - 1 }, () => others(whole.length));
      const first = whole.map((x, t) => BigInt.asUintN(64, rest.reduce((acc, r) => acc - r[t], x)));
      return [first, ...rest];
    });
    return Array.from({ length: n }, (_, i) => ({ a: parts[0][i], b: parts[1][i], c: parts[2][i] }));
  }
  function shareBits(a: Uint32Array, b: Uint32Array, others: (len: number) => Uint32Array): BitTriples[] {
    const c = a.map((x, w) => (x & b[w]) >>> 0);
    const parts = [a, b, c].map((whole) => {
      const rest = Array.from({ length: n - 1 }, () => others(whole.length));
      const first = whole.map((x, w) => rest.reduce((acc, r) => (acc ^ r[w]) >>> 0, x));
      return [first, ...rest];
    });
    return Array.from({ length: n }, (_, i) => ({ a: parts[0][i], b: parts[1][i], c: parts[2][i] }));
  }
  const zeros64 = (len: number) => new BigUint64Array(len);
  const zeros32 = (len: number) => new Uint32Array(len);

  it('random triples pass (the control of the controls)', () => {
    checkArith(shareArith(rnd64(count), rnd64(count), rnd64), count);
    checkBits(shareBits(rnd32(words), rnd32(words), rnd32), words);
  });

  it('a source returning all-zero triples fails', () => {
    expect(() => checkArith(shareArith(zeros64(count), zeros64(count), zeros64), count)).toThrow(/share of a has a lane 0/);
    expect(() => checkBits(shareBits(zeros32(words), zeros32(words), zeros32), words)).toThrow(/share of a has a lane 0/);
    // Random-looking shares of all-zero triples: only the recombined values show it.
    expect(() => checkArith(shareArith(zeros64(count), zeros64(count), rnd64), count)).toThrow(/recombined a has a lane 0/);
    expect(() => checkBits(shareBits(zeros32(words), zeros32(words), rnd32), words)).toThrow(/recombined a has a lane 0/);
  });

  it('constant triples, a = b, reused triples and a party left with zero shares fail', () => {
    const one = new BigUint64Array(count).fill(0x9e3779b97f4a7c15n);
    expect(() => checkArith(shareArith(one, rnd64(count), rnd64), count)).toThrow(/recombined a repeats/);
    expect(() => checkBits(shareBits(new Uint32Array(words).fill(0x5a5a5a5a), rnd32(words), rnd32), words)).toThrow(/recombined a repeats/);
    const a = rnd64(count);
    expect(() => checkArith(shareArith(a, a, rnd64), count)).toThrow(/a = b/);
    const aw = rnd32(words);
    expect(() => checkBits(shareBits(aw, aw, rnd32), words)).toThrow(/a = b/);
    const batch = shareArith(rnd64(count), rnd64(count), rnd64);
    expect(() => checkArith(batch, count, batch)).toThrow(/repeats/);
    expect(() => checkArith(shareArith(rnd64(count), rnd64(count), zeros64), count)).toThrow(/party 1.{1,3}s share of a has a lane 0/);
  });
});

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
      // Fresh triples on every call: the two arithmetic calls share no value.
      expect(triplesNotRandom(outs.map((o) => [o.x, o.z]), addAll)).toBeUndefined();
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
