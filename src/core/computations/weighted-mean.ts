/**
 * Weighted mean Σwᵢxᵢ / Σwᵢ over (value, weight) pairs of all parties, revealing only the
 * rounded quotient: opening the two sums would also reveal the total weight.
 *
 * S = Σw·x (scale 10^2d, one batched multiplication of the committed values and weights)
 * and W = Σw (scale 10^d, W ≥ 1 as every weight is ≥ 10^−d) stay shared. The result at d + 2
 * decimals is r = ⌊100·S/W + ½⌋ (half up), the smallest integer r with
 * (2r + 1)·W − 200·S − 1 ≥ 0. That expression is linear in the shares with public
 * coefficients and non-decreasing in r (W > 0), so search.ts finds r over
 * [100·lower, 100·upper] (a weighted mean of bounded values is bounded) by opening only
 * bits of r: a secure division by binary search, as in [AMP04]'s k-th element search.
 *
 * Cost: ⌈log₂(100·(upper − lower) + 1)/radix⌉ small comparison layers.
 * Security: that of the backend (search.ts); reveals r only.
 * Limit: every intermediate must fit 63 bits; checked from public bounds and counts.
 */
import { MpcError } from '../errors.ts';
import type { ComputationContext, ComputationOutput } from './context.ts';
import { EXTRA_DECIMALS, decimalString } from './rounding.ts';
import { bitLength, searchSmallest } from './search.ts';

const LIMIT = 1n << 63n;
const abs = (v: bigint): bigint => (v < 0n ? -v : v);

export async function computeWeightedMean(ctx: ComputationContext): Promise<ComputationOutput> {
  const { b, spec, scaled } = ctx;
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
  const x = b.concat(ctx.inputs);
  const w = b.concat(ctx.weights);
  const T = ctx.total;
  const sums = b.concat([b.sumGroups(w, T), b.sumGroups(await b.mul(w, x), T)]); // [W, S]
  const offset = await searchSmallest(
    b,
    bits,
    // g(r) = (2(lo + p) + 1)·W − 2e·S − 1 at every point p
    (points) => {
      const coeff = new BigUint64Array(2 * points.length);
      points.forEach((p, j) => {
        coeff[2 * j] = BigInt.asUintN(64, 2n * (lo + p) + 1n);
        coeff[2 * j + 1] = BigInt.asUintN(64, -2n * e);
      });
      const terms = b.mulPublic(b.gather(sums, points.flatMap(() => [0, 1])), coeff);
      return b.addPublic(b.sumGroups(terms, 2), -1n);
    },
    ctx.search,
    bitLength(gMax) + 1, // |g| ≤ gMax < 2^(width − 1): the narrow comparison suffices
  );
  return { kind: 'weighted-mean', value: decimalString(lo + offset, spec.decimals + EXTRA_DECIMALS) };
}
