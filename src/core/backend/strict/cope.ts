/**
 * SPDZ2k MACs for the strict backend by correlated oblivious product evaluation (COPE /
 * vector OLE with a fixed key, MASCOT [KOS16] §4, SPDZ2k [CDE+18] §4): every party i holds
 * a MAC key share α_i ∈ Z_2^64 for the whole session; the MAC of a value x is α·x mod
 * 2^128 with α = Σ α_i, additively shared. The COPE itself is src/core/ot/cope.ts (4 × 32
 * bit limbs, no BigInt in its loops); this file adapts it to the backend's vectors.
 *
 * Setup (once per session): 64 checked Δ-correlated OTs per ordered pair in which the key
 * holder chooses with the bits of α_j (ot/cope.ts `setupCope`, on the session's malicious
 * OT extension: no base OTs of its own, so a session runs one set of endemic base OTs).
 *
 * One call (one round): every party p authenticates its own vector (lengths[p] public)
 * and every party ends with an additive share of α·(p's vector) for every p.
 *
 * Security: as ot/cope.ts states. The key holder sends nothing, so α_j stays hidden from a
 * malicious value holder; a value holder using different x for different bits b puts an
 * error 2^b·α_b·(x_b − x) into the MAC, which the batched MAC check of strict.ts catches
 * unless it guessed α_b (selective-failure leakage of single α bits at the price of an
 * abort with probability 1/2 each, as MASCOT and SPDZ2k account for); α is fresh per
 * session (= per run), so nothing carries over.
 *
 * [KOS16]  Keller, Orsini, Scholl. MASCOT: Faster Malicious Arithmetic Secure Computation
 *          with Oblivious Transfer. CCS 2016.
 * [CDE+18] Cramer, Damgård, Escudero, Scholl, Xing. SPDZ2k. CRYPTO 2018.
 */
import { MpcError } from '../../errors.ts';
import { type SessionCope, copeAll, fromBigInts, macShares, setupCope, toBigInts } from '../../ot/cope.ts';
import type { SessionOt } from '../../ot/ot-setup.ts';
import { partyId } from '../../session/channel.ts';
import type { Session } from '../../session/session.ts';

export type CopeState = SessionCope;

/** α_i and the COPE correlations with every peer (3 rounds of checked OT extension). */
export function copeSetup(s: Session, ot: SessionOt): Promise<CopeState> {
  return setupCope(s, ot);
}

/**
 * Collective, one round: every party p authenticates its own vector (length lengths[p];
 * ours is `mine`). Returns, for every p, our share of α·(p's vector) mod 2^128.
 */
export async function authenticate(s: Session, st: CopeState, lengths: readonly number[], mine: readonly bigint[]): Promise<bigint[][]> {
  if (mine.length !== lengths[s.self]) throw new MpcError('INVALID_ARGUMENT', `authenticate: ${mine.length} values, declared ${lengths[s.self]}`);
  const x = fromBigInts(mine);
  const shares = await copeAll(s, st, x, mine.length, lengths);
  // ours: α_i·x + Σ_q (our share of α_q·x); the peers' asA parts belong to their vectors
  const ownOnly = new Map([...shares].map(([q, sh]) => [q, { asX: sh.asX, asA: new Uint32Array(4 * mine.length) }]));
  return lengths.map((len, p) => {
    if (p === s.self) return toBigInts(macShares(st, x, len, ownOnly));
    return len === 0 ? [] : toBigInts(shares.get(partyId(p))!.asA);
  });
}
