// The narrow sign circuit against plaintext: shares that are small integers of either sign
// (as in the order-statistics search) and uniformly random shares, sums at the edges of the
// declared width. Dealer triples (test only) keep it fast; computations.test.ts runs it on
// OT triples inside the order statistics.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dealerSources } from './dealer.test-helpers.ts';
import { unsliceBits } from './bit-shares.ts';
import { randomU64 } from '../random.ts';
import { runParties } from '../session/simulate.ts';
import { comparisonCost } from './compare.ts';
import { narrowLtz, narrowLtzWords } from './narrow-sign.ts';

/** n additive shares of each g: small signed integers when `small`, else uniform. */
function shareEach(gs: readonly bigint[], n: number, small: boolean): BigUint64Array[] {
  const shares = Array.from({ length: n }, () => new BigUint64Array(gs.length));
  gs.forEach((g, j) => {
    let rest = g;
    for (let i = 1; i < n; i++) {
      const r = small ? BigInt(j * 7 + i * 3) % 11n - 5n : randomU64(1)[0];
      shares[i][j] = BigInt.asUintN(64, r);
      rest -= r;
    }
    shares[0][j] = BigInt.asUintN(64, rest);
  });
  return shares;
}

async function signs(n: number, width: number, shares: BigUint64Array[]): Promise<number[]> {
  const { sources } = dealerSources(n, width);
  const out = await runParties(n, (s, i) => narrowLtz(s, shares[i], width, sources[i]));
  const bits = out.map(unsliceBits);
  return Array.from(bits[0], (_, j) => bits.reduce((a, b) => a ^ b[j], 0));
}

describe('narrowLtz', () => {
  for (const n of [2, 3, 5]) {
    it(`N=${n}: sign of sums with |g| < 2^(width−1), small and random shares`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 2, max: 40 }), fc.boolean(), fc.array(fc.bigInt({ min: -(1n << 39n), max: 1n << 39n }), { minLength: 1, maxLength: 40 }), async (width, small, raw) => {
          const lim = 1n << BigInt(width - 1);
          const gs = [...raw.map((g) => ((g % lim) + lim) % (2n * lim) - lim), lim - 1n, -lim, 0n, -1n];
          const got = await signs(n, width, shareEach(gs, n, small));
          expect(got).toEqual(gs.map((g) => (g < 0n ? 1 : 0)));
        }),
        { numRuns: 15 },
      );
    });
  }

  it('costs far fewer AND gates than the 64-bit circuit', async () => {
    const full = (await comparisonCost('ltz', 5, 31)).andBits / 32;
    expect(await narrowLtzWords(5, 31, 10)).toBeLessThan(full / 5);
  });
});
