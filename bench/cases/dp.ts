/**
 * The cost of differential privacy inside the MPC (issue 14), each noisy case beside its
 * noiseless twin (compare the two lines: the ratio is the noise overhead):
 * - `histogram 1000 buckets N=5 [dp]`: 999 cut points over 100 values (20 per party); the
 *   noiseless run opens the bucket counts, the dp run adds ε = 1 noise (δ = 10^-6,
 *   2 coordinates per record) to each of the 1,000 counts inside the MPC first. Built on
 *   the shared counting step directly (the room spec allows 64 edges; this is the size the
 *   issue measures).
 * - `sum N=5 v=1 [dp]`: a scalar sum with ε = 1 beside the plain one (`sum N=5 v=1` there).
 * All preprocessing is in the timed run; base OTs once per case (party pool).
 */
import { createFastBackend } from '../../src/core/backend/fast.ts';
import type { ComputationContext } from '../../src/core/computations/context.ts';
import { histogramAtLeast } from '../../src/core/computations/aggregates.ts';
import { type ComputationSpec, runComputation } from '../../src/core/computations/index.ts';
import { guardedHistogram } from '../../src/core/dp/aggregates.ts';
import { randomU64 } from '../../src/core/random.ts';
import type { BenchCase } from '../harness.ts';
import { PartyPool } from './computations.ts';

let active: PartyPool | undefined;

function histogramCase(n: number, buckets: number, noisy: boolean): BenchCase {
  return {
    name: `histogram ${buckets} buckets N=${n}${noisy ? ' dp ε=1' : ''}`,
    parties: n,
    unit: 'histograms',
    async prepare(quick) {
      const perParty = quick ? 2 : 20;
      const cuts = quick ? 49 : buckets - 1;
      const upper = 10n * BigInt(cuts + 1);
      const values = Array.from({ length: n }, () => Array.from(randomU64(perParty), (r) => r % (upper + 1n)));
      const counts = values.map((v) => v.length);
      const spec: ComputationSpec = { kind: 'histogram', decimals: 0, lower: '0', upper: String(upper), length: perParty, ...(noisy ? { epsilon: '1' } : {}) };
      const edges = Array.from({ length: cuts }, (_, j) => 10n * BigInt(j + 1));
      active?.close();
      const pool = new PartyPool(n, true);
      active = pool;
      return {
        ops: 1,
        run: () =>
          pool.run(async (s, t) => {
            const b = createFastBackend(s, t);
            const inputs = await b.input(counts, values[s.self], { lower: 0n, upper });
            const total = counts.reduce((a, c) => a + c, 0);
            const ctx: ComputationContext = {
              b, spec, inputs, weights: [], counts, total, search: {},
              scaled: { lower: 0n, upper, edges, threshold: 0n, maxWeight: 0n, pMicro: 0n },
            };
            const atLeast = await histogramAtLeast(ctx);
            return noisy ? guardedHistogram(ctx, atLeast) : b.open(atLeast);
          }),
      };
    },
  };
}

function sumCase(n: number): BenchCase {
  return {
    name: `sum N=${n} v=1 dp ε=1`,
    parties: n,
    unit: 'computations',
    async prepare() {
      const spec: ComputationSpec = { kind: 'sum', decimals: 2, lower: '-10000', upper: '10000', length: 1, epsilon: '1' };
      const values = Array.from({ length: n }, () => [BigInt.asIntN(64, randomU64(1)[0]) % 1_000_000n]);
      active?.close();
      const pool = new PartyPool(n, true);
      active = pool;
      return { ops: 1, run: () => pool.run((s, t) => runComputation(createFastBackend(s, t), spec, { values: values[s.self] }, [1, 1, 1, 1, 1].slice(0, n))) };
    },
  };
}

export const cases: BenchCase[] = [histogramCase(5, 1000, false), histogramCase(5, 1000, true), sumCase(5)];
