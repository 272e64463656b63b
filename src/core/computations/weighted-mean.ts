/**
 * Weighted mean Σwᵢxᵢ / Σwᵢ over (value, weight) pairs of all parties, revealing only the
 * rounded quotient: opening the two sums would also reveal the total weight.
 *
 * S = Σw·x (scale 10^2d) and W = Σw (scale 10^d, W ≥ 1 as every weight is ≥ 10^−d) stay
 * additively shared: each party's share is its own partial sum. The result at d + 2
 * decimals is r = ⌊100·S/W + ½⌋ (half up), the smallest integer r with
 * (2r + 1)·W − 200·S − 1 ≥ 0. That expression is linear in the shares with public
 * coefficients and non-decreasing in r (W > 0), so search.ts finds r over
 * [100·lower, 100·upper] (a weighted mean of bounded values is bounded) by opening only
 * bits of r: a secure division by binary search, as in [AMP04]'s k-th element search.
 *
 * Cost: ⌈log₂(100·(upper − lower) + 1)/radix⌉ small comparison layers.
 * Security: semi-honest (search.ts); reveals r only.
 * Limit: every intermediate must fit 63 bits; checked from public bounds and counts.
 */
import { MpcError } from '../errors.ts';
import type { ComputationContext, ComputationOutput } from './context.ts';
import { EXTRA_DECIMALS, decimalString } from './rounding.ts';
import { bitLength, searchSmallest } from './search.ts';

const LIMIT = 1n << 63n;
const abs = (v: bigint): bigint => (v < 0n ? -v : v);

export async function computeWeightedMean(ctx: ComputationContext): Promise<ComputationOutput> {
  const { s, spec, scaled } = ctx;
  if (ctx.total === 0) throw new MpcError('INVALID_ARGUMENT', 'a weighted mean needs at least one value');
  const e = 10n ** BigInt(EXTRA_DECIMALS);
  const lo = scaled.lower * e;
  const bits = bitLength((scaled.upper - scaled.lower) * e);
  // Largest |g| over the searched points r ∈ [lo, lo + 2^bits): bounds × counts × weights.
  const t = BigInt(ctx.total);
  const wMax = t * scaled.maxWeight;
  const xMax = abs(scaled.lower) > abs(scaled.upper) ? abs(scaled.lower) : abs(scaled.upper);
  const rMax = abs(lo) + (1n << BigInt(bits));
  const gMax = (2n * rMax + 1n) * wMax + 2n * e * wMax * xMax + 1n;
  if (gMax >= LIMIT) {
    throw new MpcError('INVALID_ARGUMENT', `bounds and maxWeight too wide for an exact weighted mean of ${ctx.total} values: narrow them or use fewer decimals`);
  }
  let sw = 0n;
  let swx = 0n;
  ctx.values.forEach((x, i) => {
    sw += ctx.weights[i];
    swx += ctx.weights[i] * x;
  });
  const one = s.self === 0 ? 1n : 0n;
  const offset = await searchSmallest(
    s,
    ctx.triples,
    bits,
    (points) => BigUint64Array.from(points, (p) => BigInt.asUintN(64, (2n * (lo + p) + 1n) * sw - 2n * e * swx - one)),
    ctx.search,
    bitLength(gMax) + 1, // |g| ≤ gMax < 2^(width − 1): the narrow adder suffices
  );
  return { kind: 'weighted-mean', value: decimalString(lo + offset, spec.decimals + EXTRA_DECIMALS) };
}
