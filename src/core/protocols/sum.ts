/**
 * Secure sum without triples (DESIGN §3 "Sums need no triples"): the semi-honest secure
 * aggregation of Bonawitz et al. [BIK+17, CCS'17, §4 without dropouts or the double
 * masking] over Z_2^64.
 *
 * 0. Once per session each pair {i, j} agrees on a seed s_ij (`pairwiseSeeds`).
 * 1. Party i masks its vector with its pseudo-random zero share and sends
 *    y_i = x_i + Σ_{j>i} PRG(s_ij) − Σ_{j<i} PRG(s_ij) to every other party (or to the
 *    one output party). The masks cancel: Σ y_i = Σ x_i.
 *
 * Cost per party: 8·(N−1) bytes per element and one round (8 bytes per element when only
 * one party learns the sum); the seed agreement adds 32 bytes per pair once per session.
 * Security: semi-honest, any coalition of up to N−1 parties learns nothing beyond the sum
 * (and its own inputs): between any two honest parties the mask from their common seed is
 * unknown to the coalition, so the honest y's are pseudo-random subject to their sum.
 * Each call uses a fresh PRG nonce (protocol tag, instance), so masks are never reused.
 */
import { MpcError } from '../errors.ts';
import { u64AsBytes, u64View } from '../codec.ts';
import { addInto, decodeSignedVector, encodeSignedVector } from '../ring.ts';
import { nonceFor } from '../random.ts';
import { pairwiseSeeds, zeroShares } from '../sharing.ts';
import type { PartyId } from '../session/channel.ts';
import { Protocol } from '../session/round.ts';
import type { Session } from '../session/session.ts';

async function maskedInput(s: Session, input: BigUint64Array): Promise<{ y: BigUint64Array; instance: number }> {
  const instance = s.nextInstance(Protocol.Sum);
  const seeds = await pairwiseSeeds(s);
  const y = zeroShares(s, seeds, nonceFor(Protocol.Sum, instance), input.length);
  addInto(y, input);
  return { y, instance };
}

/**
 * Every party inputs a vector of the same length L; every party learns the elementwise
 * sum mod 2^64. One round after the one-time seed agreement.
 */
export async function secureSum(s: Session, input: BigUint64Array): Promise<BigUint64Array> {
  const { y, instance } = await maskedInput(s, input);
  const round = s.round(Protocol.Sum, instance, 0);
  const bytes = u64AsBytes(y); // the session copies it into each frame
  const got = await s.exchange(round, () => bytes, bytes.length);
  for (const [p, b] of got) addInto(y, u64View(b, input.length, p));
  return y;
}

/** As `secureSum`, but only party `to` learns the sum (others get undefined). */
export async function secureSumTo(s: Session, input: BigUint64Array, to: PartyId): Promise<BigUint64Array | undefined> {
  if (!Number.isInteger(to) || to < 0 || to >= s.n) throw new MpcError('INVALID_ARGUMENT', `output party ${to} is not a party`);
  const { y, instance } = await maskedInput(s, input);
  const round = s.round(Protocol.Sum, instance, 0);
  if (s.self !== to) {
    s.send(to, round, u64AsBytes(y));
    return undefined;
  }
  const got = await s.receiveAll(round, y.byteLength);
  for (const [p, b] of got) addInto(y, u64View(b, input.length, p));
  return y;
}

/**
 * Signed convenience: inputs and result as bigints in [−2^63, 2^63). The sum wraps mod 2^64
 * like any ring sum; callers bound inputs (fixed-point.ts) so that it cannot.
 */
export async function secureSumSigned(s: Session, values: readonly bigint[]): Promise<bigint[]> {
  return decodeSignedVector(await secureSum(s, encodeSignedVector(values)));
}
