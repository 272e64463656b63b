import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { unsliceU64 } from './bit-shares.ts';
import { a2b, msb } from './a2b.ts';
import { dealerSources } from './dealer.test-helpers.ts';
import { PARTY_COUNTS, int64, reconstructBits, runWithDealer, shareAll, toU64 } from './protocol.test-helpers.ts';
import { runParties } from '../session/simulate.ts';

describe('a2b', () => {
  for (const n of PARTY_COUNTS) {
    it(`bit-decomposes shared values and extracts the sign bit (N=${n})`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(int64(), { minLength: 1, maxLength: 70 }), async (vals) => {
          const x = toU64(vals);
          const xs = shareAll(x, n);
          const out = await runWithDealer(n, async (s, i, t) => ({ bits: await a2b(s, xs[i], t), sign: await msb(s, xs[i], t) }));
          // XOR the 64-plane shares together, then unslice
          const words = out[0].bits.words.slice();
          for (const o of out.slice(1)) for (let k = 0; k < words.length; k++) words[k] ^= o.bits.words[k];
          expect(Array.from(unsliceU64({ count: x.length, bits: 64, words }))).toEqual(Array.from(x));
          expect(reconstructBits(out.map((o) => o.sign))).toEqual(vals.map((v) => (v < 0n ? 1 : 0)));
        }),
        { numRuns: 8 },
      );
    });
  }

  it('costs match the cost model: msb (N−2)·63 + 150 ANDs, full adder (N−2)·63 + 373', async () => {
    for (const n of PARTY_COUNTS) {
      const { sources, stats } = dealerSources(n);
      const rounds = await runParties(n, async (s, i) => {
        const before = stats[i].bitWords;
        await msb(s, new BigUint64Array(32), sources[i]);
        const msbWords = stats[i].bitWords - before;
        const r1 = s.stats.rounds;
        await a2b(s, new BigUint64Array(32), sources[i]);
        return { msbWords, adderWords: stats[i].bitWords - before - msbWords, msbRounds: r1, adderRounds: s.stats.rounds - r1 };
      });
      const wallaceLevels = { 2: 0, 3: 1, 5: 3 }[n];
      // 32 elements = one word per plane, so words = ANDs per element
      expect(rounds[0]).toEqual({ msbWords: (n - 2) * 63 + 150, adderWords: (n - 2) * 63 + 373, msbRounds: wallaceLevels + 7, adderRounds: wallaceLevels + 7 });
    }
  });
});
