/**
 * Decimal fixed point (DESIGN §3): a value v with d decimals is the integer v·10^d, so
 * money is exact ("1250.50" with d = 2 is 125050n, never 1250.4999…). Parsing works on the
 * decimal string itself, never through a float. The scaled integer is then encoded into
 * Z_2^64 in two's complement.
 *
 * Every problem with a user-supplied value (not a number, too many decimals, outside the
 * declared bounds) is an INPUT_OUT_OF_RANGE error whose message says what was expected and
 * what arrived, so the UI can show it as is. Security: none (local, public arithmetic);
 * `assertSumFits` guards the protocol-level assumption that a sum of N bounded inputs
 * cannot wrap around 2^64.
 */
import { MpcError } from './errors.ts';
import { INT64_MAX, INT64_MIN, decodeSigned } from './ring.ts';

export const MAX_DECIMALS = 18;
const MAX_INPUT_CHARS = 64;
const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?$/;

function checkDecimals(d: number): void {
  if (!Number.isInteger(d) || d < 0 || d > MAX_DECIMALS) {
    throw new MpcError('INVALID_ARGUMENT', `decimals must be an integer in [0, ${MAX_DECIMALS}], got ${d}`);
  }
}

const scaleOf = (d: number): bigint => 10n ** BigInt(d);
const quote = (s: string): string => JSON.stringify(s.length > 24 ? `${s.slice(0, 24)}…` : s);

/** "−1250.5" with d = 2 -> −125050n. Exact; extra decimals are accepted only if they are zeros. */
export function parseDecimal(text: string, decimals: number): bigint {
  checkDecimals(decimals);
  const t = text.trim();
  if (t.length > MAX_INPUT_CHARS) {
    throw new MpcError('INPUT_OUT_OF_RANGE', `expected a number of at most ${MAX_INPUT_CHARS} characters, got ${t.length} characters (${quote(t)})`);
  }
  const m = DECIMAL.exec(t);
  const [, sign, int = '', frac = ''] = m ?? [];
  if (!m || (int === '' && frac === '')) {
    throw new MpcError('INPUT_OUT_OF_RANGE', `expected a decimal number like 1250.50, got ${quote(text)}`);
  }
  const kept = frac.slice(0, decimals);
  if (/[^0]/.test(frac.slice(decimals))) {
    throw new MpcError('INPUT_OUT_OF_RANGE', `expected at most ${decimals} decimal place${decimals === 1 ? '' : 's'}, got ${quote(t)}`);
  }
  const magnitude = BigInt((int || '0') + kept.padEnd(decimals, '0'));
  return sign === '-' ? -magnitude : magnitude;
}

/** Inverse of parseDecimal: exactly `decimals` digits after the point (none when 0). */
export function formatDecimal(value: bigint, decimals: number): string {
  checkDecimals(decimals);
  const neg = value < 0n;
  const digits = (neg ? -value : value).toString().padStart(decimals + 1, '0');
  const int = digits.slice(0, digits.length - decimals);
  const frac = digits.slice(digits.length - decimals);
  return `${neg ? '-' : ''}${int}${decimals > 0 ? `.${frac}` : ''}`;
}

/** As formatDecimal, without trailing zeros in the fraction ("12.50" -> "12.5", "3.00" -> "3"). */
export function formatDecimalTrimmed(value: bigint, decimals: number): string {
  const s = formatDecimal(value, decimals);
  return decimals > 0 ? s.replace(/\.?0+$/, '') : s;
}

/** Nearest float, for display and JSON only (may round beyond 2^53). */
export const fixedToNumber = (value: bigint, decimals: number): number => Number(value) / Number(scaleOf(decimals));

export interface FixedBounds {
  /** Smallest and largest allowed value, scaled (use parseDecimal on the spec's strings). */
  min: bigint;
  max: bigint;
}

export function checkRange(value: bigint, bounds: FixedBounds, decimals: number, what = 'value'): void {
  if (value < bounds.min || value > bounds.max) {
    throw new MpcError(
      'INPUT_OUT_OF_RANGE',
      `expected ${what} between ${formatDecimalTrimmed(bounds.min, decimals)} and ${formatDecimalTrimmed(bounds.max, decimals)}, got ${formatDecimalTrimmed(value, decimals)}`,
    );
  }
}

/** The widest bounds representable: signed 64-bit scaled integers. */
export const INT64_BOUNDS: FixedBounds = { min: INT64_MIN, max: INT64_MAX };

/**
 * Parse, range-check and encode user values into the ring. Errors name the offending item
 * (1-based, as a person counts lines).
 */
export function encodeFixed(texts: readonly string[], decimals: number, bounds: FixedBounds = INT64_BOUNDS): BigUint64Array {
  const out = new BigUint64Array(texts.length);
  texts.forEach((t, i) => {
    const label = texts.length > 1 ? `value ${i + 1}` : 'the value';
    let v: bigint;
    try {
      v = parseDecimal(t, decimals);
      checkRange(v, bounds, decimals, label);
      checkRange(v, INT64_BOUNDS, decimals, label);
    } catch (e) {
      if (e instanceof MpcError && texts.length > 1 && !e.message.includes(label)) {
        throw new MpcError(e.code, `${label}: ${e.message}`);
      }
      throw e;
    }
    out[i] = BigInt.asUintN(64, v);
  });
  return out;
}

/** Ring elements (two's complement) back to decimal strings. */
export function decodeFixed(values: BigUint64Array, decimals: number): string[] {
  return Array.from(values, (u) => formatDecimal(decodeSigned(u), decimals));
}

/**
 * A sum of `count` values within `bounds` stays inside the signed 64-bit range (so the ring
 * sum equals the integer sum). Throws INPUT_OUT_OF_RANGE naming the largest safe bound.
 */
export function assertSumFits(bounds: FixedBounds, count: number, decimals: number): void {
  const worst = [bounds.min * BigInt(count), bounds.max * BigInt(count)];
  if (worst[0] < INT64_MIN || worst[1] > INT64_MAX) {
    const safe = INT64_MAX / BigInt(count);
    throw new MpcError(
      'INPUT_OUT_OF_RANGE',
      `expected bounds within ±${formatDecimalTrimmed(safe, decimals)} so that ${count} values can be summed exactly, got [${formatDecimalTrimmed(bounds.min, decimals)}, ${formatDecimalTrimmed(bounds.max, decimals)}]`,
    );
  }
}
