/**
 * Oblivious integer division and square root on shared values, written once against the
 * backend interface (backend/types.ts), so they run unchanged on the fast and the strict
 * backend. Both are restoring digit-by-digit algorithms whose comparisons stay secret:
 * nothing is opened, the result is a `Shared` (the caller opens only the declared output).
 *
 * - divFloor(X, Y): q = ⌊X / Y⌋ for 0 ≤ X, 0 < Y, q < 2^qBits. From the top bit k down,
 *   with the remainder R = X − q·Y kept shared: the candidate digit is 1 iff R − 2^k·Y ≥ 0
 *   (a local linear form, then one `ltz`), and R −= d·2^k·Y (one multiplication of the
 *   0/1 digit with Y). Exact. qBits steps of (ltz + b2a + mul).
 * - isqrtFloor(D): s = ⌊√D⌋ for 0 ≤ D < 2^(2·sBits), the same way with S2 = s² shared:
 *   (s + 2^k)² = S2 + 2^(k+1)·s + 2^(2k) is local, so each step is one `ltz` on
 *   D − (s + 2^k)², one b2a and one multiplication d·(2^(k+1)·s + 2^(2k)). Exact.
 * This is the classic shift-and-subtract division / digit-by-digit square root
 * (e.g. Knuth TAOCP vol. 2 §4.3.1) with each comparison replaced by a secret one, as in
 * MP-SPDZ's and MPyC's integer division by bit-wise long division.
 *
 * Widths: every comparison promises |operand| < 2^(width−1) with width derived from the
 * caller's public promises xBits/yBits (X < 2^xBits, Y < 2^yBits), so narrow circuits are used.
 * Security: that of the backend (composition of its collective calls); no value is opened.
 */
import { MpcError } from '../errors.ts';
import type { Backend, Shared } from '../backend/types.ts';

/** Fractional bits of correlations (and of the standardised regression system). */
export const R_FRACTION_BITS = 16;
/** Bits the centred cross-product matrix of a table computation is truncated to. */
export const A_BITS = 31;

const pow2 = (k: number): bigint => 1n << BigInt(k);

function checkBits(name: string, v: number, max = 62): void {
  if (!Number.isInteger(v) || v < 1 || v > max) throw new MpcError('INVALID_ARGUMENT', `${name} must be an integer in 1..${max}, got ${v}`);
}

/**
 * ⌊X / Y⌋ elementwise, for public promises 0 ≤ X < 2^xBits, 0 < Y < 2^yBits and a result
 * below 2^qBits (results that would be larger come out as 2^qBits − 1).
 */
export async function divFloor(b: Backend, x: Shared, y: Shared, qBits: number, xBits: number, yBits: number): Promise<Shared> {
  checkBits('qBits', qBits);
  checkBits('xBits', xBits);
  checkBits('yBits', yBits);
  if (x.length !== y.length) throw new MpcError('INVALID_ARGUMENT', `divFloor: ${x.length} dividends for ${y.length} divisors`);
  // R − 2^k·Y lies in (−2^(k+yBits), 2^xBits): one sign bit more than the larger of the two.
  const width = Math.max(xBits, qBits - 1 + yBits) + 2;
  if (width > 64) throw new MpcError('INVALID_ARGUMENT', `divFloor: ${qBits}-bit quotients of ${yBits}-bit divisors need more than 64 bits`);
  let r = x;
  let q = b.constant(new Array<bigint>(x.length).fill(0n));
  for (let k = qBits - 1; k >= 0; k--) {
    const shifted = b.mulPublic(y, pow2(k));
    const below = await b.ltz(b.sub(r, shifted), { width }); // 1 where the digit is 0
    const digit = await b.b2a(b.not(below));
    r = b.sub(r, await b.mul(digit, shifted));
    q = b.add(q, b.mulPublic(digit, pow2(k)));
  }
  return q;
}

/** ⌊√D⌋ elementwise for a public promise 0 ≤ D < 2^(2·sBits). */
export async function isqrtFloor(b: Backend, d: Shared, sBits: number): Promise<Shared> {
  checkBits('sBits', sBits, 31);
  const width = 2 * sBits + 2;
  let s = b.constant(new Array<bigint>(d.length).fill(0n));
  let s2 = s;
  for (let k = sBits - 1; k >= 0; k--) {
    const step = b.addPublic(b.mulPublic(s, pow2(k + 1)), pow2(2 * k)); // (s + 2^k)² − s²
    const below = await b.ltz(b.sub(d, b.add(s2, step)), { width });
    const digit = await b.b2a(b.not(below));
    s = b.add(s, b.mulPublic(digit, pow2(k)));
    s2 = b.add(s2, await b.mul(digit, step));
  }
  return s;
}

/** |x| and the sign bit as 0/1 arithmetic shares, for |x| < 2^(width−1). Two rounds of layers. */
export async function absSigned(b: Backend, x: Shared, width: number): Promise<{ abs: Shared; negative: Shared }> {
  const negative = await b.b2a(await b.ltz(x, { width }));
  // |x| = x − 2·neg·x
  const abs = b.sub(x, b.mulPublic(await b.mul(negative, x), 2n));
  return { abs, negative };
}
