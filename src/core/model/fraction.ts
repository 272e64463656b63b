/**
 * Oblivious fixed-point fractions and prefix sums on the backend interface (issue 13),
 * so every metric is a ratio computed inside the MPC and only the ratio is opened.
 *
 * divFraction(X, Y): q = ⌊2^F·X / Y⌋ for 0 ≤ X < 2^I·Y, by restoring long division that
 * shifts the remainder left instead of the divisor right (Knuth TAOCP vol. 2 §4.3.1): the
 * integer digits compare R with 2^k·Y (k < I), then each fractional digit doubles R < Y and
 * compares with Y. The comparison width is then bits(Y) + I + 2 whatever F is — unlike
 * table/fixed-math.ts divFloor, whose 2^qBits·Y must fit 64 bits, which rules out F = 24
 * over counts of 2^50 (the AUC's P·N). Each digit: one `ltz`, one b2a, one multiplication.
 * Exact (floor), not probabilistic. With Y = 0 every digit is 1: q = 2^(F+I) − 1, which no
 * valid quotient reaches when I leaves room (fractions ≤ 1 use I = 1), so callers read it as
 * "undefined" (e.g. precision with no predicted positive) without opening anything else.
 *
 * prefixSums: inclusive prefix sums within consecutive groups (Hillis–Steele doubling),
 * local and free.
 * Security: that of the backend; nothing is opened here.
 */
import { MpcError } from '../errors.ts';
import type { Backend, Shared } from '../backend/types.ts';

export interface FractionBits {
  /** Fractional bits F of the quotient. */
  frac: number;
  /** Public promise 0 ≤ Y < 2^yBits. */
  yBits: number;
  /** Integer bits I: promise X < 2^I·Y (fractions ≤ 1: I = 1). */
  int?: number;
}

/** The value every digit-1 quotient takes (Y = 0 or X ≥ 2^I·Y): read as undefined. */
export const saturated = (o: Pick<FractionBits, "frac" | "int">): bigint => (1n << BigInt(o.frac + (o.int ?? 1))) - 1n;

export async function divFraction(b: Backend, x: Shared, y: Shared, o: FractionBits): Promise<Shared> {
  const I = o.int ?? 1;
  if (x.length !== y.length) throw new MpcError('INVALID_ARGUMENT', `divFraction: ${x.length} numerators for ${y.length} denominators`);
  const width = o.yBits + I + 2;
  if (width > 64 || o.frac < 0 || o.frac + I > 62) throw new MpcError('INVALID_ARGUMENT', `divFraction: ${o.yBits}-bit denominators with ${I} integer and ${o.frac} fractional bits do not fit 64 bits`);
  let r = x;
  let q = b.constant(new Array<bigint>(x.length).fill(0n));
  const digit = async (t: Shared, weight: bigint) => {
    const d = await b.b2a(b.not(await b.ltz(b.sub(r, t), { width })));
    r = b.sub(r, await b.mul(d, t));
    q = b.add(q, b.mulPublic(d, weight));
  };
  for (let k = I - 1; k >= 0; k--) await digit(b.mulPublic(y, 1n << BigInt(k)), 1n << BigInt(k + o.frac));
  for (let j = 1; j <= o.frac; j++) {
    r = b.mulPublic(r, 2n);
    await digit(y, 1n << BigInt(o.frac - j));
  }
  return q;
}

/** Inclusive prefix sums within consecutive groups of `group` elements (local). */
export function prefixSums(b: Backend, x: Shared, group: number): Shared {
  if (group < 1 || x.length % group !== 0) throw new MpcError('INVALID_ARGUMENT', `prefixSums: ${x.length} elements in groups of ${group}`);
  let acc = x;
  for (let step = 1; step < group; step *= 2) {
    const idx = new Array<number>(x.length);
    const keep = new BigUint64Array(x.length);
    for (let i = 0; i < x.length; i++) {
      const inGroup = i % group >= step;
      idx[i] = inGroup ? i - step : i;
      keep[i] = inGroup ? 1n : 0n;
    }
    acc = b.add(acc, b.mulPublic(b.gather(acc, idx), keep));
  }
  return acc;
}

/** Element i of the result is Σ_j coef[j]·x[idx[j]] over the terms of output i (local). */
export function linearMap(b: Backend, x: Shared, terms: readonly (readonly [number, bigint])[][]): Shared {
  const width = Math.max(1, ...terms.map((t) => t.length));
  const idx: number[] = [];
  const coef = new BigUint64Array(terms.length * width);
  terms.forEach((t, i) => {
    for (let j = 0; j < width; j++) {
      idx.push(j < t.length ? t[j][0] : 0);
      coef[i * width + j] = j < t.length ? BigInt.asUintN(64, t[j][1]) : 0n;
    }
  });
  return b.sumGroups(b.mulPublic(b.gather(x, idx), coef), width);
}
