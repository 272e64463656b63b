import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { MpcError } from '../errors.ts';
import { HEADER_BYTES, Protocol, decodeHeader } from '../session/round.ts';
import { runPartiesSettled } from '../session/simulate.ts';
import { RANDOM_SIGMAS, bitBalanceOk, leakRng, samplesToDetectBias } from '../test-stats.test-helpers.ts';
import type { ArithTriples, BitTriples, TripleSource } from '../triples/types.ts';
import { makeBitShares } from './bit-shares.ts';
import { and, notBits, xorBits } from './boolean.ts';
import { dealerSources } from './dealer.test-helpers.ts';
import { PARTY_COUNTS, runWithDealer } from './protocol.test-helpers.ts';

const u32 = fc.integer({ min: 0, max: 0xffffffff });

/** XOR shares of `words`: random for parties 1..n−1, the rest for party 0. */
function xorShare(words: Uint32Array, n: number): Uint32Array[] {
  const shares = Array.from({ length: n - 1 }, () => Uint32Array.from(words, () => (Math.random() * 2 ** 32) >>> 0));
  const first = words.slice();
  for (const sh of shares) for (let i = 0; i < first.length; i++) first[i] ^= sh[i];
  return [first, ...shares];
}
const xorAll = (shares: readonly Uint32Array[]): number[] =>
  Array.from(shares[0], (_, i) => shares.reduce((acc, sh) => (acc ^ sh[i]) >>> 0, 0));

describe('boolean gates', () => {
  for (const n of PARTY_COUNTS) {
    it(`AND, XOR, NOT equal the plaintext gates (N=${n}, 2 planes)`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 70 }), fc.infiniteStream(u32), async (count, stream) => {
          const w = 2 * Math.ceil(count / 32);
          const x = Uint32Array.from({ length: w }, () => stream.next().value);
          const y = Uint32Array.from({ length: w }, () => stream.next().value);
          const xs = xorShare(x, n).map((s) => makeBitShares(count, 2, s));
          const ys = xorShare(y, n).map((s) => makeBitShares(count, 2, s));
          const out = await runWithDealer(n, async (s, i, t) => {
            const z = await and(s, xs[i], ys[i], t);
            return { and: z.words, xor: xorBits(xs[i], ys[i]).words, not: notBits(i, xs[i]).words };
          });
          expect(xorAll(out.map((o) => o.and))).toEqual(Array.from(x, (v, i) => (v & y[i]) >>> 0));
          expect(xorAll(out.map((o) => o.xor))).toEqual(Array.from(x, (v, i) => (v ^ y[i]) >>> 0));
          expect(xorAll(out.map((o) => o.not))).toEqual(Array.from(x, (v) => ~v >>> 0));
        }),
        { numRuns: 10 },
      );
    });
  }

  it('uses exactly one round and one triple word per word', async () => {
    const n = 3;
    const { sources, stats } = dealerSources(n);
    const res = await runPartiesSettled(n, async (s, i) => {
      await and(s, makeBitShares(100, 3), makeBitShares(100, 3), sources[i]);
      return s.stats.rounds;
    });
    expect(res.map((r) => r.status === 'fulfilled' && r.value)).toEqual([1, 1, 1]);
    expect(stats.map((st) => st.bitWords)).toEqual([12, 12, 12]);
  });

  it('rejects shape mismatches', async () => {
    const { sources } = dealerSources(2);
    const res = await runPartiesSettled(2, (s, i) => and(s, makeBitShares(10, 1), makeBitShares(40, 1), sources[i]));
    expect(res.map((r) => r.status === 'rejected' && (r.reason as MpcError).code)).toEqual(['INVALID_ARGUMENT', 'INVALID_ARGUMENT']);
  });
});

/*
 * AND privacy, sized for the leak it claims to catch (issue 10 part 4): party 0 holds
 * x = all ones alone and ANDs it with itself; party 1 observes party 0's opening
 * d₀ = x₀ ⊕ a₀, e₀ = x₀ ⊕ b₀, which must look uniform. The claim: a mask with one bit biased
 * by 1 % is caught, so the view has samplesToDetectBias(1 %) 64-bit elements. The dealer
 * is seeded and the planted bias comes from a seeded generator: deterministic.
 */
describe('AND privacy', () => {
  const BIAS = 0.01;
  const VIEW_U64 = samplesToDetectBias(BIAS);
  const WORDS = VIEW_U64; // d₀ and e₀ each VIEW_U64 / 2 u64, i.e. VIEW_U64 32-bit words
  const BIASED_BIT = 17;

  async function observed(source: (self: number) => TripleSource): Promise<BigUint64Array> {
    const n = 3;
    const x = (i: number) => makeBitShares(32 * WORDS, 1, new Uint32Array(WORDS).fill(i === 0 ? 0xffffffff : 0));
    const seen: Uint8Array[] = [];
    const res = await runPartiesSettled(n, (s, i) => and(s, x(i), x(i), source(i)), {
      network: {
        tamper: (f) => {
          if (f.from === 0 && f.to === 1 && decodeHeader(f.bytes).protocol === Protocol.And) seen.push(f.bytes.slice(HEADER_BYTES));
          return undefined;
        },
      },
    });
    expect(res.every((r) => r.status === 'fulfilled')).toBe(true);
    expect(seen).toHaveLength(1);
    const view = new BigUint64Array(seen[0].buffer);
    expect(view.length).toBe(VIEW_U64);
    return view;
  }

  /** The honest dealer, except party 0's mask words a₀, b₀ have bit BIASED_BIT cleared with probability 2·BIAS (so d₀, e₀ lean to 1 by BIAS). */
  function biasedMasks(): (self: number) => TripleSource {
    const { sources } = dealerSources(3, 99);
    const rng = leakRng(41);
    const lean = (w: Uint32Array) => {
      for (let i = 0; i < w.length; i++) if (rng() < 2 * BIAS) w[i] &= ~(1 << BIASED_BIT);
    };
    return (i) =>
      i !== 0
        ? sources[i]
        : {
            arith: (count) => sources[0].arith(count),
            bits: async (words): Promise<BitTriples> => {
              const t = await sources[0].bits(words);
              lean(t.a);
              lean(t.b);
              return t;
            },
          };
  }

  it('the opened d = x ⊕ a, e = y ⊕ b are balanced in every bit position', async () => {
    const { sources } = dealerSources(3, 99);
    expect(bitBalanceOk(await observed((i) => sources[i]), RANDOM_SIGMAS)).toBe(true);
  });

  it('negative controls: a mask with one bit biased by 1 %, and no mask (zero triples), fail the check', async () => {
    expect(bitBalanceOk(await observed(biasedMasks()), RANDOM_SIGMAS)).toBe(false);
    const zero: TripleSource = {
      arith: async (count): Promise<ArithTriples> => ({ a: new BigUint64Array(count), b: new BigUint64Array(count), c: new BigUint64Array(count) }),
      bits: async (words): Promise<BitTriples> => ({ a: new Uint32Array(words), b: new Uint32Array(words), c: new Uint32Array(words) }),
    };
    expect(bitBalanceOk(await observed(() => zero), RANDOM_SIGMAS)).toBe(false);
  });
});
