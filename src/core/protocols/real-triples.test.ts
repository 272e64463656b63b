// End to end on the product's preprocessing: OT-based triples (createTripleSource), no dealer.
import { describe, expect, it } from 'vitest';
import { runParties } from '../session/simulate.ts';
import { createTripleSource } from '../triples/triple-source.ts';
import { b2a } from './b2a.ts';
import { eq, lt } from './compare.ts';
import { multiply } from './multiply.ts';
import { open } from './open.ts';
import { INT64_MAX, INT64_MIN, reconstructBits, shareAll, toU64 } from './protocol.test-helpers.ts';

const bit = (b: boolean): number => (b ? 1 : 0);

describe('protocols on OT-generated triples', () => {
  for (const n of [2, 3, 5]) {
    it(`multiply, lt, eq, b2a match plaintext (N=${n})`, async () => {
      const xv = [0n, 1n, -1n, INT64_MIN, INT64_MAX, 123456789n, -987654321n, 42n];
      const yv = [0n, -1n, 1n, INT64_MAX, INT64_MIN, 123456789n, 5n, 42n];
      const xs = shareAll(toU64(xv), n);
      const ys = shareAll(toU64(yv), n);
      const out = await runParties(
        n,
        async (s, i) => {
          const t = createTripleSource(s);
          const prod = await open(s, await multiply(s, xs[i], ys[i], t));
          const less = await lt(s, xs[i], ys[i], t);
          const same = await eq(s, xs[i], ys[i], t);
          const count = await open(s, await b2a(s, less, t));
          return { prod, less, same, count };
        },
        { timeoutMs: 20_000 },
      );
      expect(Array.from(out[0].prod)).toEqual(xv.map((x, j) => BigInt.asUintN(64, x * yv[j])));
      expect(reconstructBits(out.map((o) => o.less))).toEqual(xv.map((x, j) => bit(x < yv[j])));
      expect(reconstructBits(out.map((o) => o.same))).toEqual(xv.map((x, j) => bit(x === yv[j])));
      expect(Array.from(out[0].count)).toEqual(xv.map((x, j) => BigInt(bit(x < yv[j]))));
    });
  }
});
