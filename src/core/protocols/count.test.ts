import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runParties } from '../session/simulate.ts';
import { makeBitShares, sliceBits } from './bit-shares.ts';
import { b2a } from './b2a.ts';
import { lt } from './compare.ts';
import { countBits } from './count.ts';
import { dealerSources } from './dealer.test-helpers.ts';
import { PARTY_COUNTS, reconstruct, runWithDealer, shareAll, toU64 } from './protocol.test-helpers.ts';

describe('countBits', () => {
  for (const n of PARTY_COUNTS) {
    it(`counts the ones of each group (N=${n})`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 5 }), fc.infiniteStream(fc.nat(1)), async (m, groups, stream) => {
          // shareBits[i][e]: party i's share of bit e
          const shareBits = Array.from({ length: n }, () => Array.from({ length: m * groups }, () => stream.next().value));
          const out = await runWithDealer(n, (s, i, t) => countBits(s, sliceBits(shareBits[i]), m, t));
          const bitsOf = (e: number): number => shareBits.reduce((acc, sh) => acc ^ sh[e], 0);
          const expected = Array.from({ length: groups }, (_, g) => BigInt(Array.from({ length: m }, (_, j) => bitsOf(g * m + j)).reduce((a, b) => a + b, 0)));
          expect(Array.from(reconstruct(out))).toEqual(expected);
        }),
        { numRuns: 10 },
      );
    });
  }

  it('needs far fewer arithmetic triples than b2a of every bit', async () => {
    const n = 3;
    const m = 100;
    const groups = 64;
    const viaCount = dealerSources(n);
    const viaB2a = dealerSources(n);
    await runParties(n, async (s, i) => {
      const x = makeBitShares(m * groups, 1);
      await countBits(s, x, m, viaCount.sources[i]);
      await b2a(s, x, viaB2a.sources[i]);
    });
    // ⌈log₂ 101⌉ = 7 output bits per group, N−1 triples each, instead of m per group
    expect(viaCount.stats[0].arith).toBe(7 * (n - 1) * groups);
    expect(viaB2a.stats[0].arith).toBe(m * (n - 1) * groups);
    // ≈ one AND per input bit (each full adder removes one bit)
    expect((viaCount.stats[0].bitWords * 32) / (m * groups)).toBeLessThan(1.2);
  });

  it('ranks: how many values are below each value', async () => {
    const vals = [5n, -3n, 100n, -(2n ** 63n), 9n, 5n];
    const n = 3;
    const I = vals.flatMap((_, i) => vals.map(() => i));
    const J = vals.flatMap(() => vals.map((_, j) => j));
    const xs = shareAll(toU64(I.map((i) => vals[i])), n);
    const ys = shareAll(toU64(J.map((j) => vals[j])), n);
    const out = await runWithDealer(n, async (s, i, t) => countBits(s, await lt(s, ys[i], xs[i], t), vals.length, t));
    expect(Array.from(reconstruct(out))).toEqual(vals.map((v) => BigInt(vals.filter((u) => u < v).length)));
  });
});
