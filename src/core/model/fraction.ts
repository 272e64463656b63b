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
  /**
   * Bits per digit r (1..4, dividing F): each step compares R with c·t for every c < 2^r
   * at once, so a quotient costs ⌈(I + F)/r⌉ steps (rounds) instead of I + F, for 2^r − 1
   * comparisons per step — for few elements on a slow network (logistic pivots).
   */
  radixBits?: number;
}

const radixOf = (o: Pick<FractionBits, 'frac' | 'radixBits'>): number => {
  const r = o.radixBits ?? 1;
  if (!Number.isInteger(r) || r < 1 || r > 4 || o.frac % r !== 0) throw new MpcError('INVALID_ARGUMENT', `divFraction: ${r} bits per digit must be 1..4 and divide ${o.frac}`);
  return r;
};
/** Integer bits rounded up to whole digits. */
const intOf = (o: Pick<FractionBits, 'frac' | 'int' | 'radixBits'>): number => Math.ceil((o.int ?? 1) / radixOf(o)) * radixOf(o);

/** The value every all-ones quotient takes (Y = 0 or X ≥ 2^I·Y): read as undefined. */
export const saturated = (o: Pick<FractionBits, 'frac' | 'int' | 'radixBits'>): bigint => (1n << BigInt(o.frac + intOf(o))) - 1n;

export async function divFraction(b: Backend, x: Shared, y: Shared, o: FractionBits): Promise<Shared> {
  const r = radixOf(o);
  const I = intOf(o);
  const len = x.length;
  if (len !== y.length) throw new MpcError('INVALID_ARGUMENT', `divFraction: ${len} numerators for ${y.length} denominators`);
  const width = o.yBits + Math.max(I, r) + 2;
  if (width > 64 || o.frac < 0 || o.frac + I > 62) throw new MpcError('INVALID_ARGUMENT', `divFraction: ${o.yBits}-bit denominators with ${I} integer and ${o.frac} fractional bits do not fit 64 bits`);
  const m = (1 << r) - 1;
  // Comparison c of element j sits at c·len + j; the digit of j sums its m results.
  const byElement = Array.from({ length: len * m }, (_, i) => (i % m) * len + Math.floor(i / m));
  let rem = x;
  let q = b.constant(new Array<bigint>(len).fill(0n));
  const digit = async (t: Shared, weight: bigint) => {
    const diffs = b.concat(Array.from({ length: m }, (_, c) => b.sub(rem, b.mulPublic(t, BigInt(c + 1)))));
    const ge = await b.b2a(b.not(await b.ltz(diffs, { width })));
    const d = m === 1 ? ge : b.sumGroups(b.gather(ge, byElement), m);
    rem = b.sub(rem, await b.mul(d, t));
    q = b.add(q, b.mulPublic(d, weight));
  };
  for (let k = I - r; k >= 0; k -= r) await digit(b.mulPublic(y, 1n << BigInt(k)), 1n << BigInt(k + o.frac));
  for (let j = r; j <= o.frac; j += r) {
    rem = b.mulPublic(rem, 1n << BigInt(r));
    await digit(y, 1n << BigInt(o.frac - j));
  }
  return q;
}

/**
 * Bits per digit for `count` divisions of F fractional bits: few elements are latency-bound
 * (one digit step costs about the same for 1 or 15 comparisons), many are traffic-bound.
 */
export const radixFor = (count: number, frac: number): number => {
  if (count <= 16) return frac % 4 === 0 ? 4 : frac % 3 === 0 ? 3 : frac % 2 === 0 ? 2 : 1;
  return count <= 64 && frac % 2 === 0 ? 2 : 1;
};

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
