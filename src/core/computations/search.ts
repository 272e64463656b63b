/**
 * Oblivious search over a public, bounded integer domain: the smallest t in [0, 2^bits)
 * with g(t) ≥ 0, for a monotone non-decreasing function g whose value at any public point
 * every party can share locally (additive shares, no communication). Order statistics use
 * g(t) = #{values ≤ lower + t} − k (each party counts its own values), the secure division
 * of the weighted mean uses a linear form of the shared sums.
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
 * Cost: ⌈bits/r⌉ steps of one `ltz` on 2^r − 1 elements plus one opening; the AND triples
 * of all steps are fetched in one preprocessing call before the first step. With r = 5 the
 * 31 comparisons of a step fill one bit-sliced word, so they cost what one would. When g
 * is known to be small (order statistics: |g| ≤ total count), the sign comes from a
 * narrow adder (narrow-sign.ts), about a third of the AND gates of the 64-bit `ltz`.
 * Security: semi-honest, as compare.ts and open.ts. A non-monotone opening can only come
 * from a deviating party; we abort rather than output garbage.
 *
 * [AMP04] Aggarwal, Mishra, Pinkas. Secure Computation of the k-th Ranked Element.
 *         EUROCRYPT 2004.
 */
import { MpcError } from '../errors.ts';
import type { Session } from '../session/session.ts';
import type { ArithTriples, BitTriples, TripleSource } from '../triples/types.ts';
import { unsliceBits } from '../protocols/bit-shares.ts';
import { comparisonCost, ltz } from '../protocols/compare.ts';
import { openBits } from '../protocols/open.ts';
import { narrowLtz, narrowLtzWords } from './narrow-sign.ts';

export const DEFAULT_RADIX_BITS = 5;

/** Serves AND triples fetched ahead in one call, in order; arithmetic triples pass through. */
class PrefetchedBits implements TripleSource {
  private pos = 0;
  constructor(
    private readonly inner: TripleSource,
    private readonly t: BitTriples,
  ) {}
  arith(count: number): Promise<ArithTriples> {
    return this.inner.arith(count);
  }
  async bits(words: number): Promise<BitTriples> {
    const s = this.pos;
    if (s + words > this.t.a.length) throw new MpcError('INVALID_ARGUMENT', `prefetched AND triples exhausted (${words} words asked, ${this.t.a.length - s} left)`);
    this.pos += words;
    return { a: this.t.a.subarray(s, s + words), b: this.t.b.subarray(s, s + words), c: this.t.c.subarray(s, s + words) };
  }
}

/** Digit widths of the steps, most significant first. */
function stepWidths(bits: number, radixBits: number): number[] {
  const out: number[] = [];
  for (let rest = bits; rest > 0; rest -= radixBits) out.push(Math.min(radixBits, rest));
  return out;
}

export interface SearchOptions {
  /** Bits fixed per step (1..6): fewer rounds for more comparisons. */
  radixBits?: number;
}

/**
 * Smallest t in [0, 2^bits) with g(t) ≥ 0; `shareAt(points)` returns this party's
 * additive shares of g at the public points. The caller guarantees g(2^bits − 1) ≥ 0 and
 * |g| < 2^(signWidth−1) on the domain (otherwise the result is meaningless); signWidth < 64
 * selects the narrow adder of narrow-sign.ts.
 */
export async function searchSmallest(
  s: Session,
  triples: TripleSource,
  bits: number,
  shareAt: (points: readonly bigint[]) => BigUint64Array,
  opts: SearchOptions = {},
  signWidth = 64,
): Promise<bigint> {
  const radixBits = opts.radixBits ?? DEFAULT_RADIX_BITS;
  if (!Number.isInteger(bits) || bits < 0 || bits > 63) throw new MpcError('INVALID_ARGUMENT', `search domain must be 0..63 bits, got ${bits}`);
  if (!Number.isInteger(radixBits) || radixBits < 1 || radixBits > 6) throw new MpcError('INVALID_ARGUMENT', `radixBits must be in 1..6, got ${radixBits}`);
  const widths = stepWidths(bits, radixBits);
  let words = 0;
  const narrow = signWidth < 64;
  for (const r of widths) words += narrow ? await narrowLtzWords(s.n, (1 << r) - 1, signWidth) : (await comparisonCost('ltz', s.n, (1 << r) - 1)).andBits / 32;
  const source = new PrefetchedBits(triples, await triples.bits(words));
  const sign = (x: BigUint64Array) => (narrow ? narrowLtz(s, x, signWidth, source) : ltz(s, x, source));

  let prefix = 0n;
  let rest = bits;
  for (const r of widths) {
    rest -= r;
    const block = 1n << BigInt(rest);
    const points: bigint[] = [];
    for (let j = 1; j < 1 << r; j++) points.push(prefix + BigInt(j) * block - 1n);
    const below = unsliceBits(await openBits(s, await sign(shareAt(points))));
    let digit = 0;
    while (digit < below.length && below[digit] === 1) digit++;
    for (let j = digit; j < below.length; j++) {
      if (below[j] !== 0) throw new MpcError('ABORTED', 'oblivious search opened a non-monotone step: a party deviated from the protocol');
    }
    prefix += BigInt(digit) * block;
  }
  return prefix;
}

/** Number of bits of a non-negative bigint (0 for 0). */
export const bitLength = (v: bigint): number => (v <= 0n ? 0 : v.toString(2).length);
