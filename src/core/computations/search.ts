/**
 * Oblivious search over a public, bounded integer domain: the smallest t in [0, 2^bits)
 * with g(t) ≥ 0, for a monotone non-decreasing function g whose value at public points
 * the caller computes as `Shared` from committed values without communication (the
 * secure division of the weighted mean: a linear form of the shared sums). Order
 * statistics use the digit search of order-stats.ts, which counts inside the MPC.
 *
 * Each step fixes `radixBits` bits of the answer, most significant first: for the 2^r − 1
 * block ends c_j = prefix + j·2^rest − 1 the parties compute shares of g(c_j), one batched
 * `ltz` gives XOR shares of [g(c_j) < 0], and those bits are opened. Because g is
 * monotone, the opened vector is 1…10…0 and its number of ones is the next digit of the
 * answer: every opened bit is a function of the answer alone, so the transcript reveals
 * the answer and nothing else (the simulator reproduces it from the output). This is the
 * bitwise binary search for the k-th element of Aggarwal, Mishra, Pinkas [AMP04] with
 * comparisons on shares instead of a two-party protocol.
 *
 * Cost: ⌈bits/r⌉ steps of one `ltz` on 2^r − 1 elements plus one opening. With r = 5 the
 * 31 comparisons of a step fill one bit-sliced word, so they cost what one would. When g
 * is known to be small, the sign comes from a narrow circuit (`width`).
 * Security: that of the backend. A non-monotone opening can only come from a deviating
 * party (in strict mode the MAC check catches it first); we abort rather than output garbage.
 *
 * [AMP04] Aggarwal, Mishra, Pinkas. Secure Computation of the k-th Ranked Element.
 *         EUROCRYPT 2004.
 */
import { MpcError } from '../errors.ts';
import type { Backend, Shared } from '../backend/types.ts';
import { DEVIATION_MESSAGE } from '../backend/types.ts';

export const DEFAULT_RADIX_BITS = 5;

/** Digit widths of the steps, most significant first. */
export function stepWidths(bits: number, radixBits: number): number[] {
  const out: number[] = [];
  for (let rest = bits; rest > 0; rest -= radixBits) out.push(Math.min(radixBits, rest));
  return out;
}

export interface SearchOptions {
  /** Bits fixed per step (1..6): fewer rounds for more comparisons. */
  radixBits?: number;
}

export function checkSearch(bits: number, opts: SearchOptions): number {
  const radixBits = opts.radixBits ?? DEFAULT_RADIX_BITS;
  if (!Number.isInteger(bits) || bits < 0 || bits > 63) throw new MpcError('INVALID_ARGUMENT', `search domain must be 0..63 bits, got ${bits}`);
  if (!Number.isInteger(radixBits) || radixBits < 1 || radixBits > 6) throw new MpcError('INVALID_ARGUMENT', `radixBits must be in 1..6, got ${radixBits}`);
  return radixBits;
}

/** The next digit from the opened bits [g(c_j) < 0], j = 1..2^r − 1 (must be 1…10…0). */
export function digitOf(below: Uint8Array): number {
  let digit = 0;
  while (digit < below.length && below[digit] === 1) digit++;
  for (let j = digit; j < below.length; j++) {
    if (below[j] !== 0) throw new MpcError('MALICIOUS_ABORT', `oblivious search opened a non-monotone step: ${DEVIATION_MESSAGE}`);
  }
  return digit;
}

/**
 * Smallest t in [0, 2^bits) with g(t) ≥ 0; `gAt(points)` returns g at the public points
 * (from committed shares, locally). The caller guarantees g(2^bits − 1) ≥ 0 and
 * |g| < 2^(width−1) on the domain (otherwise the result is meaningless).
 */
export async function searchSmallest(b: Backend, bits: number, gAt: (points: readonly bigint[]) => Shared, opts: SearchOptions = {}, width = 64): Promise<bigint> {
  const radixBits = checkSearch(bits, opts);
  let prefix = 0n;
  let rest = bits;
  for (const r of stepWidths(bits, radixBits)) {
    rest -= r;
    const block = 1n << BigInt(rest);
    const points: bigint[] = [];
    for (let j = 1; j < 1 << r; j++) points.push(prefix + BigInt(j) * block - 1n);
    const below = await b.openBits(await b.ltz(gAt(points), { width }));
    prefix += BigInt(digitOf(below)) * block;
  }
  return prefix;
}

/** Number of bits of a non-negative bigint (0 for 0). */
export const bitLength = (v: bigint): number => (v <= 0n ? 0 : v.toString(2).length);
