/**
 * Sums and everything a sum determines: sum and mean of equal-length vectors (a vector mean
 * is federated averaging), count, statistics (count, mean, variance, standard deviation),
 * histogram counts and the threshold test "is the total above X?".
 *
 * Everything runs on the committed inputs (one `Shared` per party, ctx.inputs): sums are
 * local additions of shares, and only the declared totals are opened:
 * - sum/mean: the elementwise sum; the mean is sum/N with N public (equivalent).
 * - stats: Σy and Σy² with y = x − m for the public midpoint m of the bounds (centering
 *   keeps Σy² small), squares by one batched multiplication; given the public count these
 *   are equivalent to the exact mean and population variance (divisor T, not T − 1).
 * - histogram: for every cut point c, the bits [x ≥ c] of every value (one narrow
 *   comparison layer), counted inside the MPC; the opened #{x ≥ c} determine exactly the
 *   bucket counts and nothing more.
 * - with ε in the spec (sum, mean, histogram) or a minimum group size (histogram), the
 *   shared totals go to src/core/dp instead, which adds noise and suppresses small buckets
 *   inside the MPC before anything is opened.
 * - threshold: the total stays shared and only the bit [total > X] is opened, from one
 *   comparison (narrow after clamping X to the possible totals).
 * Sums must not wrap mod 2^64: run.ts checks public bounds × public counts first.
 *
 * Security: that of the backend (backend/types.ts); the openings are the declared output.
 */
import { MpcError } from '../errors.ts';
import type { Shared } from '../backend/types.ts';
import type { ComputationContext, ComputationOutput } from './context.ts';
import { EXTRA_DECIMALS, decimalString, roundDiv, sqrtRound } from './rounding.ts';
import { bitLength } from './search.ts';
import { guardedHistogram, privateSumOrMean } from '../dp/aggregates.ts';

const U64_LIMIT = 1n << 64n;
const pow10 = (k: number): bigint => 10n ** BigInt(k);
const signed = (u: bigint): bigint => BigInt.asIntN(64, u);

const scalarOrVector = (xs: string[]): string | string[] => (xs.length === 1 ? xs[0] : xs);

/** All committed values of all parties as one vector (party order). */
export const allValues = (ctx: ComputationContext): Shared => ctx.b.concat(ctx.inputs);

/** sum or mean: elementwise over the N parties' vectors. */
export async function computeSumOrMean(ctx: ComputationContext): Promise<ComputationOutput> {
  const { b, spec } = ctx;
  if (spec.epsilon !== undefined) return privateSumOrMean(ctx); // noise added inside the MPC (src/core/dp)
  const total = ctx.inputs.reduce((acc, x) => b.add(acc, x));
  const sums = Array.from(await b.open(total), signed);
  if (spec.kind === 'sum') return { kind: 'sum', value: scalarOrVector(sums.map((v) => decimalString(v, spec.decimals))) };
  const places = spec.decimals + EXTRA_DECIMALS;
  const n = BigInt(b.n);
  return { kind: 'mean', value: scalarOrVector(sums.map((v) => decimalString(roundDiv(v * pow10(EXTRA_DECIMALS), n), places))) };
}

/** Largest |x − m| for valid x, and the midpoint m. */
function centre(ctx: ComputationContext): { m: bigint; radius: bigint } {
  const { lower, upper } = ctx.scaled;
  const m = (lower + upper) / 2n;
  return { m, radius: upper - m > m - lower ? upper - m : m - lower };
}

export async function computeStats(ctx: ComputationContext): Promise<ComputationOutput> {
  const { b, spec } = ctx;
  const t = BigInt(ctx.total);
  if (t === 0n) throw new MpcError('INVALID_ARGUMENT', 'statistics need at least one value');
  const { m, radius } = centre(ctx);
  if (t * radius * radius >= U64_LIMIT) {
    throw new MpcError('INVALID_ARGUMENT', `bounds too wide for exact statistics of ${ctx.total} values with ${spec.decimals} decimals: narrow the bounds or use fewer decimals`);
  }
  const y = b.addPublic(allValues(ctx), -m);
  const yy = await b.mul(y, y);
  const [oy, oyy] = await b.open(b.concat([b.sumGroups(y, ctx.total), b.sumGroups(yy, ctx.total)]));
  const sumY = signed(oy);
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

/** Shared #{x ≥ c_j} for every cut point c_j (T > 0): one comparison layer, counted inside the MPC. */
export async function histogramAtLeast(ctx: ComputationContext): Promise<Shared> {
  const { b } = ctx;
  const cuts = ctx.scaled.edges;
  const T = ctx.total;
  // lane j·T + t: value t against cut j; [x ≥ c] = ¬[x − c < 0], |x − c| ≤ upper − lower
  const all = allValues(ctx);
  const idx = Array.from({ length: cuts.length * T }, (_, i) => i % T);
  const c = new BigUint64Array(cuts.length * T);
  for (let i = 0; i < c.length; i++) c[i] = BigInt.asUintN(64, -cuts[Math.floor(i / T)]);
  const diff = b.addPublic(b.gather(all, idx), c);
  const below = await b.ltz(diff, { width: bitLength(ctx.scaled.upper - ctx.scaled.lower) + 1 });
  return b.countOnes(b.not(below), T);
}

/** Bucket j holds the values with exactly j cut points ≤ value. */
export async function computeHistogram(ctx: ComputationContext): Promise<ComputationOutput> {
  const { b, spec } = ctx;
  const cuts = ctx.scaled.edges;
  const T = ctx.total;
  const edges = [spec.lower, ...(spec.edges ?? []), spec.upper];
  if (T === 0) return { kind: 'histogram', buckets: { edges, counts: new Array<number>(cuts.length + 1).fill(0) } };
  // noise and small-group guards are decided inside the MPC on the shared counts (src/core/dp)
  if (spec.epsilon !== undefined || spec.minGroup !== undefined) return guardedHistogram(ctx, await histogramAtLeast(ctx));
  const atLeast = Array.from(await b.open(await histogramAtLeast(ctx)), Number); // #{x ≥ c_j}
  const counts = [T - (atLeast[0] ?? T), ...atLeast.map((v, j) => v - (atLeast[j + 1] ?? 0))];
  if (counts.some((v) => v < 0 || v > T)) throw new MpcError('ABORTED', 'histogram counts are inconsistent: a participant deviated from the protocol');
  return { kind: 'histogram', buckets: { edges, counts } };
}

export async function computeThreshold(ctx: ComputationContext): Promise<ComputationOutput> {
  const { b } = ctx;
  const total = b.sumGroups(allValues(ctx), ctx.total);
  // The total lies in [T·lower, T·upper], so clamping X to [T·lower − 1, T·upper] keeps the
  // answer; then |X − total| ≤ T·(upper − lower) + 1, usually far below 2^63, and a narrow
  // comparison gives the sign; otherwise the full-range lt.
  const t = BigInt(ctx.total);
  const { lower, upper, threshold } = ctx.scaled;
  const lo = t * lower - 1n;
  const hi = t * upper;
  const clamped = threshold < lo ? lo : threshold > hi ? hi : threshold;
  // [X' − total < 0] = [total > X']
  const above =
    hi - lo < 1n << 62n
      ? await b.ltz(b.addPublic(b.neg(total), clamped), { width: bitLength(hi - lo) + 1 })
      : await b.lt(b.constant([threshold]), total);
  const [bit] = await b.openBits(above);
  return { kind: 'threshold', above: bit === 1 };
}

export function computeCount(ctx: ComputationContext): ComputationOutput {
  return { kind: 'count', value: String(ctx.total) };
}
