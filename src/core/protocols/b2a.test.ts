import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { MpcError } from '../errors.ts';
import { runParties, runPartiesSettled } from '../session/simulate.ts';
import { makeBitShares, sliceBits } from './bit-shares.ts';
import { b2a } from './b2a.ts';
import { lt } from './compare.ts';
import { dealerSources } from './dealer.test-helpers.ts';
import { PARTY_COUNTS, reconstruct, runWithDealer, shareAll, toU64 } from './protocol.test-helpers.ts';

describe('b2a', () => {
  for (const n of PARTY_COUNTS) {
    it(`turns XOR-shared bits into additive 0/1 shares (N=${n})`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.array(fc.nat(1), { minLength: n, maxLength: n }), { minLength: 1, maxLength: 70 }), async (cols) => {
          // cols[j][i] = party i's share bit of element j
          const shares = Array.from({ length: n }, (_, i) => sliceBits(cols.map((c) => c[i])));
          const out = await runWithDealer(n, (s, i, t) => b2a(s, shares[i], t));
          expect(Array.from(reconstruct(out))).toEqual(cols.map((c) => BigInt(c.reduce((a, b) => a ^ b, 0))));
        }),
        { numRuns: 10 },
      );
    });
  }

  it('uses N−1 triples per bit and ⌈log₂ N⌉ rounds', async () => {
    for (const n of PARTY_COUNTS) {
      const { sources, stats } = dealerSources(n);
      const rounds = await runParties(n, async (s, i) => {
        await b2a(s, makeBitShares(10, 1), sources[i]);
        return s.stats.rounds;
      });
      expect(rounds[0]).toBe(Math.ceil(Math.log2(n)));
      expect(stats[0].arith).toBe((n - 1) * 10);
    }
  });

  it('counts how many shared values are below a threshold (lt then b2a then sum)', async () => {
    const vals = [5n, -3n, 100n, 2n ** 62n, -(2n ** 63n), 9n];
    const n = 3;
    const xs = shareAll(toU64(vals), n);
    const ts = shareAll(toU64(vals.map(() => 6n)), n);
    const out = await runWithDealer(n, async (s, i, t) => (await b2a(s, await lt(s, xs[i], ts[i], t), t)).reduce((a, b) => a + b, 0n));
    expect(BigInt.asUintN(64, out.reduce((a, b) => a + b, 0n))).toBe(3n);
  });

  it('rejects multi-plane input', async () => {
    const { sources } = dealerSources(2);
    const res = await runPartiesSettled(2, (s, i) => b2a(s, makeBitShares(4, 2), sources[i]));
    expect(res.map((r) => r.status === 'rejected' && (r.reason as MpcError).code)).toEqual(['INVALID_ARGUMENT', 'INVALID_ARGUMENT']);
  });
});
