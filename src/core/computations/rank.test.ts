// Rank for larger groups (popcounts of 6 to 15 bits, 3- and 4-bit counts), on the
// test-only dealer triples so that the run stays fast: the OT-triple runs for N = 2, 3, 5
// are in computations.test.ts. Ties, both bounds, and every party's own view.
import { createFastBackend } from '../backend/fast.ts';
import { describe, expect, it } from 'vitest';
import { dealerSources } from '../protocols/dealer.test-helpers.ts';
import { runParties } from '../session/simulate.ts';
import { runComputation } from './run.ts';
import type { ComputationSpec } from './spec.ts';

const SPEC: ComputationSpec = { kind: 'rank', decimals: 1, lower: '-5', upper: '5', length: 1 };

describe('rank, larger groups (dealer triples)', () => {
  for (const n of [7, 9, 16]) {
    it(`N=${n}: each party gets its own competition rank`, async () => {
      const xs = Array.from({ length: n }, (_, i) => BigInt(i < 8 ? [-50, 50, 0, 0, 13, -7, 50, 1][i] : ((i * 37) % 101) - 50));
      const { sources } = dealerSources(n, n);
      const out = await runParties(n, (s, i) => runComputation(createFastBackend(s, sources[i]), SPEC, { values: [xs[i]] }, xs.map(() => 1)), { timeoutMs: 60_000 });
      out.forEach((o, i) => {
        const rank = 1 + xs.filter((x) => x > xs[i]).length;
        expect(o.rank).toEqual({ rank, of: n, percentile: Math.round((10_000 * rank) / n) / 100 });
      });
    });
  }
});
