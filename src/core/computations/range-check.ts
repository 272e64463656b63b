/**
 * Input validity inside the MPC (issue 4): the UI validates inputs, but a participant could
 * modify its page, so the protocol checks again and reveals a single bit, "some input was
 * out of range", never whose input, which value, or how many.
 *
 * Each party compares its own values (and weights) with the public bounds in the protocol
 * code, giving a private flag f_i. The parties learn OR_i f_i by a randomised secure sum:
 * party i inputs f_i·r_i with r_i uniform in Z_2^64 \ {0} and the sum (protocols/sum.ts,
 * pairwise masking, no triples, one round) is opened. It is 0 when no flag is set; with
 * one flag set it is uniform over the non-zero elements, with two or more uniform over
 * Z_2^64 up to 2^−64 (one r_i uniform and independent of the rest), so beyond the OR bit
 * it reveals nothing but negligible noise, and misses a set flag with probability ≤ 2^−64.
 * (The standard randomised-OR over a sum, e.g. as in [BIK+17]-style aggregation checks.)
 *
 * Why the comparisons are not done "on shares": every input is held in the clear by
 * exactly one party (the others hold zero shares of it), so an MPC comparison of it would
 * run on that party's data alone, and in the semi-honest model a party that changes its
 * protocol code can falsify either check equally (by lying in its AND-gate openings). What
 * this check guarantees: an input that bypassed the UI validator aborts the computation for
 * everyone, identically, before anything else is opened, and the abort reveals one bit.
 *
 * Security: semi-honest, as sum.ts.
 */
import { MpcError } from '../errors.ts';
import { randomU64 } from '../random.ts';
import type { Session } from '../session/session.ts';
import { secureSum } from '../protocols/sum.ts';

export const OUT_OF_RANGE_MESSAGE = 'some input was out of range';

/** True when any element lies outside [lo, hi]. */
export const anyOutside = (xs: readonly bigint[], lo: bigint, hi: bigint): boolean => xs.some((x) => x < lo || x > hi);

function nonZeroRandom(): bigint {
  for (;;) {
    const r = randomU64(1)[0];
    if (r !== 0n) return r;
  }
}

/** OR of every party's private flag; only the OR (and negligible noise) is revealed. */
export async function secureAny(s: Session, mine: boolean): Promise<boolean> {
  const [sum] = await secureSum(s, BigUint64Array.of(mine ? nonZeroRandom() : 0n));
  return sum !== 0n;
}

/** Abort everywhere, revealing one bit, when any party's flag is set. */
export async function checkInputsInRange(s: Session, outOfRange: boolean): Promise<void> {
  if (await secureAny(s, outOfRange)) throw new MpcError('INPUT_OUT_OF_RANGE', OUT_OF_RANGE_MESSAGE);
}
