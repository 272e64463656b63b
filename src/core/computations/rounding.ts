/**
 * Exact rational results as decimal strings. Means, variances and standard deviations are
 * rationals (or square roots of rationals) of the opened integer sums; we round them once,
 * exactly, with bigint arithmetic: to the nearest multiple of 10^−places, ties toward +∞
 * ("half up"; the secure division of weighted-mean.ts rounds the same way). No floats.
 *
 * Security: none (public arithmetic on opened outputs).
 */
import { MpcError } from '../errors.ts';
import { formatDecimal } from '../fixed-point.ts';

/** Extra decimal places of derived results (mean, stddev, weighted mean) beyond the inputs'. */
export const EXTRA_DECIMALS = 2;

/** floor(a / b) for b > 0 (bigint `/` truncates toward zero). */
export function floorDiv(a: bigint, b: bigint): bigint {
  if (b <= 0n) throw new MpcError('INVALID_ARGUMENT', 'floorDiv needs a positive divisor');
  const q = a / b;
  return q * b > a ? q - 1n : q;
}

/** round(a / b), ties toward +∞, for b > 0. */
export const roundDiv = (a: bigint, b: bigint): bigint => floorDiv(2n * a + b, 2n * b);

/** floor(√n) for n ≥ 0 (Newton's method on bigints). */
export function isqrt(n: bigint): bigint {
  if (n < 0n) throw new MpcError('INVALID_ARGUMENT', 'isqrt of a negative number');
  if (n < 2n) return n;
  let x = 1n << BigInt((n.toString(2).length + 1) >> 1); // ≥ √n
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/**
 * round(√(a / b)) for a ≥ 0, b > 0, ties up: with u = ⌊2√(a/b)⌋ = isqrt(⌊4a/b⌋) (the floor
 * of a square root of a real equals that of its floor), round(√z) = ⌊(2√z + 1)/2⌋ = ⌊(u + 1)/2⌋.
 */
export function sqrtRound(a: bigint, b: bigint): bigint {
  if (a < 0n || b <= 0n) throw new MpcError('INVALID_ARGUMENT', 'sqrtRound needs a ≥ 0 and b > 0');
  return (isqrt((4n * a) / b) + 1n) >> 1n;
}

/** Scaled integer with `places` decimals -> "−12.50". */
export const decimalString = (scaled: bigint, places: number): string => formatDecimal(scaled, places);
