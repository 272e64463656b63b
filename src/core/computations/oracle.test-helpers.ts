/**
 * TEST ONLY: plaintext oracles for the computations, written independently of the
 * protocol modules (uncentred sums, sorting, direct counting), and random inputs.
 */
import fc from 'fast-check';
import type { ComputationOutput } from './context.ts';
import { type ComputationSpec, scaleSpec } from './spec.ts';
import { formatDecimal } from '../fixed-point.ts';
import { roundDiv, sqrtRound } from './rounding.ts';

export interface Case {
  spec: ComputationSpec;
  /** values[i]: party i's scaled values; weights likewise (weighted-mean). */
  values: bigint[][];
  weights?: bigint[][];
}

const cmp = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);

/** Expected output for party `self`. */
export function oracle(c: Case, self: number): ComputationOutput {
  const { spec } = c;
  const d = spec.decimals;
  const sc = scaleSpec(spec);
  const all = c.values.flat().sort(cmp);
  const t = BigInt(all.length);
  const n = c.values.length;
  const sumAll = all.reduce((a, b) => a + b, 0n);
  switch (spec.kind) {
    case 'pooled-mean':
      return { kind: 'pooled-mean', value: formatDecimal(roundDiv(sumAll * 100n, t), d + 2), count: all.length };
    case 'sum':
    case 'mean': {
      const sums = c.values[0].map((_, j) => c.values.reduce((a, v) => a + v[j], 0n));
      const strs = spec.kind === 'sum' ? sums.map((v) => formatDecimal(v, d)) : sums.map((v) => formatDecimal(roundDiv(v * 100n, BigInt(n)), d + 2));
      return { kind: spec.kind, value: strs.length === 1 ? strs[0] : strs };
    }
    case 'count':
      return { kind: 'count', value: String(all.length) };
    case 'stats': {
      const sq = all.reduce((a, x) => a + x * x, 0n);
      const num = t * sq - sumAll * sumAll;
      return {
        kind: 'stats',
        stats: {
          count: all.length,
          mean: formatDecimal(roundDiv(sumAll * 100n, t), d + 2),
          variance: formatDecimal(roundDiv(num * 100n, t * t), 2 * d + 2),
          stddev: formatDecimal(sqrtRound(num * 10_000n, t * t), d + 2),
        },
      };
    }
    case 'weighted-mean': {
      const ws = (c.weights ?? []).flat();
      const xs = c.values.flat();
      const w = ws.reduce((a, b) => a + b, 0n);
      const s = xs.reduce((a, x, i) => a + x * ws[i], 0n);
      return { kind: 'weighted-mean', value: formatDecimal(roundDiv(s * 100n, w), d + 2) };
    }
    case 'min':
    case 'max':
    case 'median':
    case 'percentile': {
      let k = 1;
      if (spec.kind === 'max') k = all.length;
      else if (spec.kind !== 'min') while (BigInt(k) * 100_000_000n < sc.pMicro * t) k++; // smallest k with k/T ≥ p/100
      return { kind: spec.kind, value: formatDecimal(all[k - 1], d) };
    }
    case 'rank': {
      const mine = c.values[self][0];
      const rank = 1 + c.values.filter((v) => v[0] > mine).length;
      return { kind: 'rank', rank: { rank, of: n, percentile: Math.round((10_000 * rank) / n) / 100 } };
    }
    case 'histogram': {
      const bounds = [sc.lower, ...sc.edges];
      const counts = bounds.map((lo, j) => all.filter((x) => x >= lo && (j + 1 === bounds.length || x < bounds[j + 1])).length);
      return { kind: 'histogram', buckets: { edges: [spec.lower, ...(spec.edges ?? []), spec.upper], counts } };
    }
    case 'threshold':
      return { kind: 'threshold', above: sumAll > sc.threshold };
  }
}

/** A value in [lo, hi] with the bounds and a few tie-prone points over-represented. */
export const boundedValue = (lo: bigint, hi: bigint): fc.Arbitrary<bigint> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.bigInt({ min: lo, max: hi }) },
    { weight: 1, arbitrary: fc.constantFrom(lo, hi, lo + 1n, hi - 1n, (lo + hi) / 2n, 0n > lo && 0n < hi ? 0n : lo) },
  );

/** Values per party: n parties, 0..max values each (at least one value overall). */
export const partyValues = (n: number, max: number, lo: bigint, hi: bigint): fc.Arbitrary<bigint[][]> =>
  fc
    .array(fc.array(boundedValue(lo, hi), { minLength: 0, maxLength: max }), { minLength: n, maxLength: n })
    .filter((vs) => vs.some((v) => v.length > 0));
