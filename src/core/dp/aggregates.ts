/**
 * Sum, mean and histogram with differential privacy and small-group guards, on the shared
 * totals computations/aggregates.ts hands over before opening anything.
 *
 * - sum / mean: one party's vector is one record, so replacing it moves each of the L
 *   coordinates of the total by at most upper − lower (scaled): sensitivity upper − lower,
 *   L coordinates (release.ts). The mean is the noisy sum / N (N public).
 * - histogram: one value is one record; replacing it moves one bucket down by 1 and one up
 *   by 1: sensitivity 1, 2 coordinates. Bucket counts are a local linear map of the shared
 *   #{x ≥ c_j}.
 * - cross-tab counts (table/run-table.ts) use the same `guardCounts`: one row is one record.
 * - minimum group size k (histogram, cross-tab): the bits [count_j < k] are computed inside the MPC
 *   and opened; only the buckets at or above k are then opened. With ε the test runs on the
 *   noisy count (post-processing of the private release, so it costs no extra privacy);
 *   without ε on the exact count, so suppression reveals "below k" and nothing more.
 *
 * Security: that of the backend; noise per accounting.ts / noise.ts.
 */
import { MpcError } from '../errors.ts';
import type { Backend, Shared } from '../backend/types.ts';
import type { ComputationContext, ComputationOutput } from '../computations/context.ts';
import { formatDecimal } from '../fixed-point.ts';
import { dpOf } from './params.ts';
import { type ReleasePlan, addNoise, decodeNoisy, planRelease } from './release.ts';

const abs = (v: bigint): bigint => (v < 0n ? -v : v);
const bitLength = (v: bigint): number => (v <= 0n ? 0 : v.toString(2).length);
const EXTRA = 2; // mean decimals beyond the input's, as computations/rounding EXTRA_DECIMALS

/** floor((2a + b) / 2b): a/b rounded half up (b > 0). */
function roundDiv(a: bigint, b: bigint): bigint {
  const n = 2n * a + b;
  const d = 2n * b;
  const q = n / d;
  return n % d !== 0n && n < 0n ? q - 1n : q;
}

const dpInfo = (plan: ReleasePlan, spec: ComputationContext['spec'], halfWidth: string): ComputationOutput['dp'] => ({
  epsilon: spec.epsilon ?? '',
  delta: String(plan.delta),
  halfWidth,
});

export async function privateSumOrMean(ctx: ComputationContext): Promise<ComputationOutput> {
  const { b, spec, scaled } = ctx;
  const dp = dpOf(spec);
  if (!dp) throw new MpcError('INVALID_ARGUMENT', 'privateSumOrMean needs ε in the spec');
  const total = ctx.inputs.reduce((acc, x) => b.add(acc, x));
  const maxAbs = abs(scaled.lower) > abs(scaled.upper) ? abs(scaled.lower) : abs(scaled.upper);
  const sensitivity = scaled.upper - scaled.lower > 0n ? scaled.upper - scaled.lower : 1n;
  const plan = planRelease({ ...dp, sensitivity, coordinates: total.length, bound: BigInt(b.n) * maxAbs }, total.length);
  const noisy = decodeNoisy(plan, await b.open(await addNoise(b, total, plan)));
  const one = <T>(xs: T[]): T | T[] => (xs.length === 1 ? xs[0] : xs);
  if (spec.kind === 'sum') {
    return { kind: 'sum', value: one(noisy.map((v) => formatDecimal(v, spec.decimals))), dp: dpInfo(plan, spec, formatDecimal(plan.halfWidth, spec.decimals)) };
  }
  const n = BigInt(b.n);
  const e = 10n ** BigInt(EXTRA);
  const places = spec.decimals + EXTRA;
  return {
    kind: 'mean',
    value: one(noisy.map((v) => formatDecimal(roundDiv(v * e, n), places))),
    dp: dpInfo(plan, spec, formatDecimal(-roundDiv(-plan.halfWidth * e, n), places)), // rounded up
  };
}

/**
 * Collective. Counts (shares, each in [0, bound]) released with noise and/or a minimum group
 * size k: one record moves at most two counts by 1 (sensitivity 1, 2 coordinates; an added
 * or removed record moves one). Suppressed counts are reported as 0 and never opened.
 * `coordinates` > 2 when the same record also moves other released values (a cross-tab's
 * noisy sums: 4), so ε is split over all of them (accounting.ts, basic composition).
 */
export async function guardCounts(
  b: Backend,
  counts: Shared,
  bound: bigint,
  spec: { epsilon?: string; delta?: string; minGroup?: number },
  coordinates = 2,
): Promise<{ counts: number[]; suppressed?: boolean[]; plan?: ReleasePlan }> {
  const dp = dpOf(spec);
  const plan = dp ? planRelease({ ...dp, sensitivity: 1n, coordinates, bound }, counts.length) : undefined;
  const values = plan ? await addNoise(b, counts, plan) : counts;
  const decode = (opened: ArrayLike<bigint>): number[] => (plan ? decodeNoisy(plan, opened) : Array.from(opened, (u) => BigInt.asIntN(64, u))).map(Number);
  const k = spec.minGroup;
  if (k === undefined) return { counts: decode(await b.open(values)), ...(plan ? { plan } : {}) };
  // [value_j < k] inside the MPC; |value − k| ≤ bound + noise + k
  const spread = plan ? BigInt(plan.shape.k) << BigInt(plan.shape.w) : 0n;
  const below = await b.openBits(await b.ltz(b.addPublic(values, -BigInt(k)), { width: bitLength(bound + spread + BigInt(k)) + 2 }));
  const keep = Array.from(below.keys()).filter((j) => below[j] === 0);
  const opened = keep.length ? decode(await b.open(b.gather(values, keep))) : [];
  const out = new Array<number>(counts.length).fill(0);
  keep.forEach((j, i) => (out[j] = opened[i]));
  if (!plan && opened.some((v) => v < k || v > Number(bound))) throw new MpcError('ABORTED', 'counts are inconsistent: a participant deviated from the protocol');
  return { counts: out, suppressed: Array.from(below, (x) => x === 1), ...(plan ? { plan } : {}) };
}

/** Histogram with noise and/or a minimum group size, from the shared #{x ≥ c_j} (T > 0). */
export async function guardedHistogram(ctx: ComputationContext, atLeast: Shared): Promise<ComputationOutput> {
  const { b, spec } = ctx;
  const T = BigInt(ctx.total);
  const edges = [spec.lower, ...(spec.edges ?? []), spec.upper];
  // count_0 = T − A_0, count_j = A_{j−1} − A_j, count_J = A_{J−1}
  const counts = b.sub(b.concat([b.constant([T]), atLeast]), b.concat([atLeast, b.constant([0n])]));
  const g = await guardCounts(b, counts, T, spec);
  const info = g.plan ? dpInfo(g.plan, spec, String(g.plan.halfWidth)) : undefined;
  return { kind: 'histogram', buckets: { edges, counts: g.counts, ...(g.suppressed ? { suppressed: g.suppressed } : {}) }, ...(info ? { dp: info } : {}) };
}
