/**
 * Order statistics over the multiset union of all parties' values: min, max, median and
 * percentile, each revealing only the selected element.
 *
 * The k-th smallest value (1-based) is the smallest v in [lower, upper] with
 * C(v) = #{values ≤ v} ≥ k. Every party counts its own values ≤ v locally; those counts
 * are additive shares of C(v) (each value is held by one party), so search.ts finds
 * t = v − lower with g(t) = C(lower + t) − k by opening only bits that are functions of
 * the answer; g is small (|g| ≤ T), so its sign comes from a narrow adder. Ties need no care: C counts the multiset. Versus a sorting network over all
 * T values (O(T log² T) comparisons), this costs ⌈log₂(upper − lower + 1)/r⌉ small
 * comparison layers whatever T is: 10,000 values per party cost the same rounds as one.
 *
 * Percentiles use the nearest-rank definition: k = max(1, ⌈p/100 · T⌉); the median is the
 * 50th percentile, i.e. the lower median for an even count (always an actual input value:
 * averaging the two middle values would need both, revealing more).
 *
 * Security: semi-honest; reveals the k-th value (search.ts), with k a function of public
 * counts and the public spec.
 */
import { MpcError } from '../errors.ts';
import type { ComputationContext } from './context.ts';
import { bitLength, searchSmallest } from './search.ts';

/** Nearest-rank k for a percentile given ×10^6 (e.g. 50_000_000 for 50%). */
export function nearestRank(pMicro: bigint, total: number): number {
  const t = BigInt(total);
  const k = (pMicro * t + 99_999_999n) / 100_000_000n;
  return Number(k < 1n ? 1n : k > t ? t : k);
}

/** Number of elements of the sorted array `sorted` that are ≤ v. */
function countAtMost(sorted: readonly bigint[], v: bigint): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The k-th smallest of all parties' values (1 ≤ k ≤ total), scaled. */
export async function kthSmallest(ctx: ComputationContext, k: number): Promise<bigint> {
  if (!Number.isInteger(k) || k < 1 || k > ctx.total) throw new MpcError('INVALID_ARGUMENT', `rank ${k} is outside 1..${ctx.total}`);
  const { lower, upper } = ctx.scaled;
  const sorted = [...ctx.values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const kShare = ctx.s.self === 0 ? BigInt(k) : 0n;
  const t = await searchSmallest(
    ctx.s,
    ctx.triples,
    bitLength(upper - lower),
    (points) => BigUint64Array.from(points, (p) => BigInt.asUintN(64, BigInt(countAtMost(sorted, lower + p)) - kShare)),
    ctx.search,
    // |g| = |C − k| ≤ total < 2^(width − 1): a narrow adder suffices
    Math.min(64, ctx.total.toString(2).length + 1),
  );
  return lower + t;
}

/** k for min, max, median, percentile. */
export function orderRank(ctx: ComputationContext): number {
  switch (ctx.spec.kind) {
    case 'min':
      return 1;
    case 'max':
      return ctx.total;
    default:
      return nearestRank(ctx.scaled.pMicro, ctx.total);
  }
}
