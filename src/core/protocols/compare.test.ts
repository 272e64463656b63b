import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { MpcError } from '../errors.ts';
import { partyId } from '../session/channel.ts';
import type { MemoryNetwork } from '../session/memory-network.ts';
import { runPartiesSettled } from '../session/simulate.ts';
import { a2b, msb } from './a2b.ts';
import { b2a } from './b2a.ts';
import { selectBits } from './bit-shares.ts';
import { multiply } from './multiply.ts';
import { open } from './open.ts';
import { comparisonCost, eq, lt, ltz } from './compare.ts';
import { dealerSources } from './dealer.test-helpers.ts';
import { INT64_MAX, INT64_MIN, PARTY_COUNTS, int64, reconstructBits, runWithDealer, shareAll, toU64 } from './protocol.test-helpers.ts';

const bit = (b: boolean): number => (b ? 1 : 0);
const EDGES = [INT64_MIN, INT64_MIN + 1n, -1n, 0n, 1n, INT64_MAX - 1n, INT64_MAX];

describe('compare', () => {
  for (const n of PARTY_COUNTS) {
    it(`lt, eq, ltz equal the signed plaintext comparisons (N=${n})`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(int64(), int64(), fc.boolean()), { minLength: 1, maxLength: 40 }),
          async (rows) => {
            const pairs = rows.map(([a, b, same]) => [a, same ? a : b] as const); // eq needs equal pairs often
            const xs = shareAll(toU64(pairs.map((p) => p[0])), n);
            const ys = shareAll(toU64(pairs.map((p) => p[1])), n);
            const out = await runWithDealer(n, async (s, i, t) => ({
              lt: await lt(s, xs[i], ys[i], t),
              ltRipple: await lt(s, xs[i], ys[i], t, { carry: 'ripple' }),
              eq: await eq(s, xs[i], ys[i], t),
              ltz: await ltz(s, xs[i], t),
            }));
            expect(reconstructBits(out.map((o) => o.lt))).toEqual(pairs.map(([a, b]) => bit(a < b)));
            expect(reconstructBits(out.map((o) => o.ltRipple))).toEqual(pairs.map(([a, b]) => bit(a < b)));
            expect(reconstructBits(out.map((o) => o.eq))).toEqual(pairs.map(([a, b]) => bit(a === b)));
            expect(reconstructBits(out.map((o) => o.ltz))).toEqual(pairs.map(([a]) => bit(a < 0n)));
          },
        ),
        { numRuns: 8 },
      );
    });
  }

  it('lt is exact on every pair of 64-bit edge values, including overflowing differences (N=3)', async () => {
    const pairs = EDGES.flatMap((a) => EDGES.map((b) => [a, b] as const));
    const xs = shareAll(toU64(pairs.map((p) => p[0])), 3);
    const ys = shareAll(toU64(pairs.map((p) => p[1])), 3);
    const out = await runWithDealer(3, (s, i, t) => lt(s, xs[i], ys[i], t));
    expect(reconstructBits(out)).toEqual(pairs.map(([a, b]) => bit(a < b)));
  });

  it('bounded lt is exact when |x − y| < 2^63, and is cheaper', async () => {
    const half = 1n << 62n;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.bigInt({ min: -half, max: half - 1n }), fc.bigInt({ min: -half, max: half - 1n })), { minLength: 1, maxLength: 40 }), async (pairs) => {
        const xs = shareAll(toU64(pairs.map((p) => p[0])), 3);
        const ys = shareAll(toU64(pairs.map((p) => p[1])), 3);
        const out = await runWithDealer(3, (s, i, t) => lt(s, xs[i], ys[i], t, { bounded: true }));
        expect(reconstructBits(out)).toEqual(pairs.map(([a, b]) => bit(a < b)));
      }),
      { numRuns: 8 },
    );
    const full = await comparisonCost('lt', 3, 32);
    const bounded = await comparisonCost('lt-bounded', 3, 32);
    expect(bounded.andBits * 3).toBeLessThan(full.andBits + 32 * 32);
  });

  it('lt with precomputed signs is exact on all pairs of edge and random values, at bounded cost', async () => {
    for (const n of [2, 3]) {
      const vals = [...EDGES, 1n << 62n, -(1n << 62n) - 1n, 77n, -77n];
      const vs = shareAll(toU64(vals), n);
      const I = vals.flatMap((_, i) => vals.map(() => i));
      const J = vals.flatMap(() => vals.map((_, j) => j));
      const gather = (v: BigUint64Array, idx: number[]): BigUint64Array => BigUint64Array.from(idx, (k) => v[k]);
      const out = await runWithDealer(n, async (s, i, t) => {
        const signs = await ltz(s, vs[i], t);
        return lt(s, gather(vs[i], I), gather(vs[i], J), t, { signs: { x: selectBits(signs, I), y: selectBits(signs, J) } });
      });
      expect(reconstructBits(out)).toEqual(I.map((a, k) => bit(vals[a] < vals[J[k]])));
    }
    const bounded = await comparisonCost('lt-bounded', 3, 32);
    expect(await comparisonCost('lt-signs', 3, 32)).toEqual({ andBits: bounded.andBits + 32, rounds: bounded.rounds + 1 });
  });

  it('reports the cost model: ANDs per element and rounds', async () => {
    const table = await Promise.all(PARTY_COUNTS.map(async (n) => [n, await comparisonCost('lt', n, 32), await comparisonCost('lt-bounded', n, 32), await comparisonCost('eq', n, 32)] as const));
    for (const [n, full, bounded, equal] of table) {
      const w = { 2: 0, 3: 1, 5: 3 }[n]; // Wallace levels
      expect(bounded).toEqual({ andBits: 32 * ((n - 2) * 63 + 150), rounds: w + 7 });
      expect(full).toEqual({ andBits: 32 * (3 * ((n - 2) * 63 + 150) + 1), rounds: w + 8 });
      expect(equal).toEqual({ andBits: 32 * (n - 1) * 63, rounds: w + 6 });
      expect(await comparisonCost('lt-bounded', n, 32, 'ripple')).toEqual({ andBits: 32 * (n - 1) * 63, rounds: w + 63 });
    }
  });

  it('a party dropping mid-comparison gives PEER_LEFT to the others', async () => {
    const n = 3;
    const { sources } = dealerSources(n);
    const xs = shareAll(toU64([1n, -5n, 7n]), n);
    let net: MemoryNetwork | undefined;
    const res = await runPartiesSettled(
      n,
      (s, i) => lt(s, xs[i], xs[i], sources[i]),
      {
        timeoutMs: 5000,
        onNetwork: (m) => (net = m),
        network: {
          // party 1 vanishes when it sends its 3rd frame (mid-circuit)
          tamper: (f) => {
            if (f.from === 1 && f.seq === 2) {
              (net as MemoryNetwork).drop(partyId(1));
              return [];
            }
            return undefined;
          },
        },
      },
    );
    for (const p of [0, 2]) {
      expect(res[p].status).toBe('rejected');
      const e = (res[p] as PromiseRejectedResult).reason as MpcError;
      expect(e.code).toBe('PEER_LEFT');
      expect(e.party).toBe(1);
    }
  });
});

describe('empty vectors', () => {
  it('every protocol accepts length 0', async () => {
    const e = new BigUint64Array(0);
    const out = await runWithDealer(3, async (s, _i, t) => {
      const bits = await lt(s, e, e, t);
      return [
        (await open(s, await multiply(s, e, e, t))).length,
        bits.count,
        (await eq(s, e, e, t)).count,
        (await a2b(s, e, t)).count,
        (await msb(s, e, t)).count,
        (await b2a(s, bits, t)).length,
      ];
    });
    expect(out).toEqual([0, 0, 0].map(() => [0, 0, 0, 0, 0, 0]));
  });
});
