/**
 * Sums and everything a sum determines: sum and mean of equal-length vectors (a vector mean
 * is federated averaging), count, statistics (count, mean, variance, standard deviation),
 * histogram counts and the threshold test "is the total above X?".
 *
 * Each value is held in the clear by one party, so per-party aggregates (its sum, its sum
 * of squares, its bucket counts) are local, and one secure sum (protocols/sum.ts, pairwise
 * masking, no triples) reveals exactly the totals:
 * - sum/mean: the elementwise sum; the mean is sum/N with N public (equivalent).
 * - stats: Σy and Σy² with y = x − m for the public midpoint m of the bounds (centering
 *   keeps Σy² small); given the public count these are equivalent to the exact mean and
 *   population variance (divisor T, not T − 1). No Beaver squares needed: squares are local.
 * - histogram: the bucket counts themselves.
 * - threshold: the total stays shared (each party's share is its own sum) and only the bit
 *   [total > X] is opened, from one comparison (narrow after clamping X to the possible totals).
 * Sums must not wrap mod 2^64: run.ts checks public bounds × public counts first.
 *
 * Security: semi-honest; secure sum reveals only the sum (sum.ts), comparisons and the
 * opened bit as compare.ts/open.ts.
 */
import { MpcError } from '../errors.ts';
import { secureSum } from '../protocols/sum.ts';
import { lt } from '../protocols/compare.ts';
import { openBits } from '../protocols/open.ts';
import type { BitShares } from '../protocols/bit-shares.ts';
import { narrowLtz } from './narrow-sign.ts';
import { bitLength } from './search.ts';
import type { ComputationContext, ComputationOutput } from './context.ts';
import { EXTRA_DECIMALS, decimalString, roundDiv, sqrtRound } from './rounding.ts';

const U64_LIMIT = 1n << 64n;
const pow10 = (k: number): bigint => 10n ** BigInt(k);

const scalarOrVector = (xs: string[]): string | string[] => (xs.length === 1 ? xs[0] : xs);

/** sum or mean: elementwise over the N parties' vectors. */
export async function computeSumOrMean(ctx: ComputationContext): Promise<ComputationOutput> {
  const { s, spec } = ctx;
  const sums = Array.from(await secureSum(s, BigUint64Array.from(ctx.values, (v) => BigInt.asUintN(64, v))), (u) => BigInt.asIntN(64, u));
  if (spec.kind === 'sum') return { kind: 'sum', value: scalarOrVector(sums.map((v) => decimalString(v, spec.decimals))) };
  const places = spec.decimals + EXTRA_DECIMALS;
  const n = BigInt(s.n);
  return { kind: 'mean', value: scalarOrVector(sums.map((v) => decimalString(roundDiv(v * pow10(EXTRA_DECIMALS), n), places))) };
}

/** Largest |x − m| for valid x, and the midpoint m. */
function centre(ctx: ComputationContext): { m: bigint; radius: bigint } {
  const { lower, upper } = ctx.scaled;
  const m = (lower + upper) / 2n;
  return { m, radius: upper - m > m - lower ? upper - m : m - lower };
}

export async function computeStats(ctx: ComputationContext): Promise<ComputationOutput> {
  const { s, spec } = ctx;
  const t = BigInt(ctx.total);
  if (t === 0n) throw new MpcError('INVALID_ARGUMENT', 'statistics need at least one value');
  const { m, radius } = centre(ctx);
  if (t * radius * radius >= U64_LIMIT) {
    throw new MpcError('INVALID_ARGUMENT', `bounds too wide for exact statistics of ${ctx.total} values with ${spec.decimals} decimals: narrow the bounds or use fewer decimals`);
  }
  let sy = 0n;
  let syy = 0n;
  for (const x of ctx.values) {
    const y = x - m;
    sy += y;
    syy += y * y;
  }
  const [oy, oyy] = await secureSum(s, BigUint64Array.of(BigInt.asUintN(64, sy), BigInt.asUintN(64, syy)));
  const sumY = BigInt.asIntN(64, oy);
  const sumYY = oyy; // 0 ≤ Σy² < 2^64 by the check above
  const d = spec.decimals;
  const e = pow10(EXTRA_DECIMALS);
  // mean = m + Σy/T; population variance = (T·Σy² − (Σy)²) / T² (units 10^−2d)
  const varNum = t * sumYY - sumY * sumY;
  return {
    kind: 'stats',
    stats: {
      count: ctx.total,
      mean: decimalString(roundDiv((m * t + sumY) * e, t), d + EXTRA_DECIMALS),
      variance: decimalString(roundDiv(varNum * e, t * t), 2 * d + EXTRA_DECIMALS),
      stddev: decimalString(sqrtRound(varNum * e * e, t * t), d + EXTRA_DECIMALS),
    },
  };
}

/** Bucket j holds the values with exactly j cut points ≤ value. */
export async function computeHistogram(ctx: ComputationContext): Promise<ComputationOutput> {
  const { s, spec } = ctx;
  const cuts = ctx.scaled.edges;
  const mine = new BigUint64Array(cuts.length + 1);
  for (const x of ctx.values) {
    let j = 0;
    while (j < cuts.length && cuts[j] <= x) j++;
    mine[j] += 1n;
  }
  const counts = Array.from(await secureSum(s, mine), (c) => Number(c));
  return { kind: 'histogram', buckets: { edges: [spec.lower, ...(spec.edges ?? []), spec.upper], counts } };
}

export async function computeThreshold(ctx: ComputationContext): Promise<ComputationOutput> {
  const { s, triples } = ctx;
  let own = 0n;
  for (const x of ctx.values) own += x;
  // The total lies in [T·lower, T·upper], so clamping X to [T·lower − 1, T·upper] keeps the
  // answer; then |X − total| ≤ T·(upper − lower) + 1, usually far below 2^63, and a narrow
  // adder gives the sign; otherwise the full-range lt of compare.ts.
  const t = BigInt(ctx.total);
  const { lower, upper, threshold } = ctx.scaled;
  const lo = t * lower - 1n;
  const hi = t * upper;
  const clamped = threshold < lo ? lo : threshold > hi ? hi : threshold;
  let less: BitShares;
  if (hi - lo < 1n << 62n) {
    // |X' − total| ≤ hi − lo < 2^(width − 1): the sign of X' − total from a narrow adder
    const diff = BigUint64Array.of(BigInt.asUintN(64, (s.self === 0 ? clamped : 0n) - own));
    less = await narrowLtz(s, diff, bitLength(hi - lo) + 1, triples);
  } else {
    const x = BigUint64Array.of(s.self === 0 ? BigInt.asUintN(64, threshold) : 0n);
    less = await lt(s, x, BigUint64Array.of(BigInt.asUintN(64, own)), triples);
  }
  const opened = await openBits(s, less);
  return { kind: 'threshold', above: (opened.words[0] & 1) === 1 };
}

export function computeCount(ctx: ComputationContext): ComputationOutput {
  return { kind: 'count', value: String(ctx.total) };
}
