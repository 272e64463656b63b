/**
 * Actively secure OT extension between every ordered pair of a session (strict mode):
 * IKNP or SoftSpokenOT rows (ot-setup.ts with `security: 'malicious'`) followed by the
 * KOS15 / SoftSpokenOT consistency check (kos-check.ts) on a coin tossed after the
 * receiver's matrix is fixed (coin-toss.ts). No row is returned before the check passes.
 *
 *   step 0   every party, as receiver toward every peer: columns for m + 192 rows (the
 *            last 192 with random choices, sacrificed) ‖ commitment to its coin seed
 *   step 1   every party reveals its seed; coin = H(all seeds), checked against the
 *            commitments (a bad opening: MALICIOUS_ABORT naming that party)
 *   step 2   every receiver sends (x, t) = Σ χ_j·(x_j, t_j) per peer; every sender checks
 *            Σ χ_j·q_j = t ⊕ x·Δ (a failure: MALICIOUS_ABORT naming the receiver)
 * The seed commitment travels with the columns, so no party can choose its seed after
 * seeing others' columns, and the coin is unknown until every matrix is sent. Three rounds
 * per call, all peers in parallel; traffic on top of the extension: (N−1)·(32 + 32 + 32)
 * bytes plus 192 rows' columns per call.
 *
 * Δ-OT (correlated OT with a global key, as TinyOT [NNOB12] uses for bit MACs): a
 * party's Δ is fixed for the whole session and the same toward every peer (the global key
 * of multi-party TinyOT [HSS17, WRK17]), so the checked rows
 * are, for every bit b the receiver chose, a key K (sender) and a MAC M = K ⊕ b·Δ
 * (receiver). `deltaOtAll` hands them out in that form.
 *
 * Security: against any coalition of malicious parties, with abort, under the
 * assumptions of base-ot-endemic.ts (CDH, random oracles), the PRG (ChaCha12) and the
 * hash (cr-hash.ts, for random OTs); a cheating receiver learns ℓ bits of a Δ only with
 * probability 2^−ℓ, and then the run aborts unless it guessed them (kos-check.ts).
 * Correlations are never reused across runs: one setup per Session = per run.
 *
 * [KOS15]  Keller, Orsini, Scholl. Actively Secure OT Extension with Optimal Overhead. CRYPTO 2015.
 * [Roy22]  Roy. SoftSpokenOT. CRYPTO 2022.
 * [NNOB12] Nielsen, Nordholt, Orlandi, Burra. A New Approach to Practical Active-Secure
 *          Two-Party Computation. CRYPTO 2012.
 * [HSS17]  Hazay, Scholl, Soria-Vazquez. Low Cost Constant Round MPC Combining BMR and
 *          Oblivious Transfer. ASIACRYPT 2017.
 * [WRK17]  Wang, Ranellucci, Katz. Global-Scale Secure Multiparty Computation. CCS 2017.
 */
import { concatBytes } from '../codec.ts';
import { MpcError } from '../errors.ts';
import { randomBytes } from '../random.ts';
import type { PartyId } from '../session/channel.ts';
import { Protocol } from '../session/round.ts';
import type { Session } from '../session/session.ts';
import { COMMIT_BYTES, SEED_BYTES, coinShare, coinValue } from './coin-toss.ts';
import { KAPPA } from './iknp.ts';
import { CHECK_EXTRA_ROWS, CHECK_RESPONSE_BYTES, checkChallenges, checkResponse, verifyResponse } from './kos-check.ts';
import { hashToRandomOts, peerOt, type ExtendedRows, type RandomOts, type SessionOt } from './ot-setup.ts';

/**
 * m checked correlated rows in each direction with every peer (m a multiple of 32):
 * as receiver toward p our choices `choicesFor(p)` and rows t_j; as sender the rows
 * q_j = t'_j ⊕ r'_j·Δ_p for p's choices. Throws MALICIOUS_ABORT (after aborting the
 * session, so peers are told) if a peer deviated.
 */
export async function extendChecked(s: Session, ot: SessionOt, m: number, choicesFor: (p: PartyId) => Uint32Array): Promise<Map<PartyId, ExtendedRows>> {
  if (!Number.isSafeInteger(m) || m < 0 || m % 32 !== 0) throw new MpcError('INVALID_ARGUMENT', `checked OT extension: m must be a non-negative multiple of 32, got ${m}`);
  const out = new Map<PartyId, ExtendedRows>();
  if (s.others.length === 0) return out;
  for (const p of s.others) {
    if (peerOt(ot, p).security !== 'malicious') throw new MpcError('INVALID_ARGUMENT', "checked OT extension needs a setupOt(…, { security: 'malicious' }) setup");
  }
  const instance = s.nextInstance(Protocol.OtExt);
  const mm = m + CHECK_EXTRA_ROWS;
  const words = mm / 32;
  const coin = coinShare(instance, s.self);

  // Step 0: columns for m + 192 rows and our seed commitment.
  const mine = new Map<PartyId, { choice: Uint32Array; tCols: Uint32Array; t: Uint32Array; call: number }>();
  const round0 = s.round(Protocol.OtExt, instance, 0);
  for (const p of s.others) {
    const given = choicesFor(p);
    if (given.length < m / 32) throw new MpcError('INVALID_ARGUMENT', `checked OT extension: ${m / 32} choice words needed, got ${given.length}`);
    const choice = new Uint32Array(words);
    choice.set(given.subarray(0, m / 32));
    choice.set(new Uint32Array(randomBytes(CHECK_EXTRA_ROWS / 8).buffer), m / 32);
    const r = peerOt(ot, p).recv.receive(choice, mm);
    mine.set(p, { choice, tCols: r.tCols, t: r.t, call: r.call });
    s.send(p, round0, concatBytes(coin.commitment, r.u));
  }
  const first = peerOt(ot, s.others[0]);
  const got0 = await s.receiveAll(round0, COMMIT_BYTES + first.recv.messageBytes(mm));
  const commitments: Uint8Array[] = new Array<Uint8Array>(s.n).fill(new Uint8Array(0));
  const theirs = new Map<PartyId, { qCols: Uint32Array; q: Uint32Array; call: number }>();
  for (const p of s.others) {
    const msg = got0.get(p)!;
    commitments[p] = msg.subarray(0, COMMIT_BYTES);
    theirs.set(p, peerOt(ot, p).send.send(msg.subarray(COMMIT_BYTES), mm, p));
  }

  // Step 1: reveal; the coin exists only now, after every matrix is fixed.
  const got1 = await s.exchange(s.round(Protocol.OtExt, instance, 1), () => coin.seed, SEED_BYTES);
  const seeds = Array.from({ length: s.n }, (_, p) => (p === s.self ? coin.seed : got1.get(p as PartyId)!));
  const value = guard(s, () => coinValue(instance, seeds, commitments, s.self));

  // Step 2: responses as receiver, checks as sender.
  const round2 = s.round(Protocol.OtExt, instance, 2);
  for (const p of s.others) {
    const r = mine.get(p)!;
    const chi = checkChallenges(value, p, s.self, r.call, mm);
    const response = checkResponse(r.tCols, r.choice, mm, chi);
    s.send(p, round2, response);
  }
  const got2 = await s.receiveAll(round2, CHECK_RESPONSE_BYTES);
  for (const p of s.others) {
    const q = theirs.get(p)!;
    const chi = checkChallenges(value, s.self, p, q.call, mm);
    guard(s, () => verifyResponse(q.qCols, mm, peerOt(ot, p).send.delta, chi, got2.get(p)!, p));
  }

  // Only now: the first m rows (the sacrificed ones are dropped).
  for (const p of s.others) {
    const r = mine.get(p)!, q = theirs.get(p)!;
    out.set(p, { t: r.t.subarray(0, 4 * m), recvCall: r.call, q: q.q.subarray(0, 4 * m), sendCall: q.call });
  }
  return out;
}

/** Runs a check; on failure aborts the session (peers are told) and rethrows. */
function guard<T>(s: Session, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof MpcError) s.abort(e);
    throw e;
  }
}

/**
 * m checked random OTs in each direction with every peer (strict-mode randomOtAll), with
 * 64-bit messages (`words` = 2) or 256-bit ones (`words` = 8, one hash call either way).
 */
export async function checkedRandomOtAll(s: Session, ot: SessionOt, m: number, choicesFor: (p: PartyId) => Uint32Array, words: 2 | 8 = 2): Promise<Map<PartyId, RandomOts>> {
  const rows = await extendChecked(s, ot, m, choicesFor);
  const out = new Map<PartyId, RandomOts>();
  for (const [p, r] of rows) out.set(p, hashToRandomOts(s.self, peerOt(ot, p), r, m, Protocol.OtExt, words));
  return out;
}

/** Δ-OTs with one peer (all 128-bit values as 4 little-endian words; bit i of word i>>5). */
export interface DeltaOts {
  /** Our global Δ: the same for every call in the session and toward every peer. */
  readonly delta: Uint32Array;
  /** Keys K_j (4m words) for the peer's m bits: the peer holds M_j = K_j ⊕ b_j·Δ. */
  readonly keys: Uint32Array;
  /** Our m bits toward the peer (m/32 words) … */
  readonly bits: Uint32Array;
  /** … and their MACs M_j = K'_j ⊕ b_j·Δ' (4m words) under the peer's key K' and Δ'. */
  readonly macs: Uint32Array;
}

/**
 * Checked Δ-OT with every peer: for our bits `bitsFor(p)` (m of them, m a multiple of 32)
 * we get MACs under p's global Δ, and p gets the keys; symmetrically we hold the keys
 * and our Δ for p's bits. One checked extension (3 rounds). KAPPA-bit MACs as in TinyOT.
 */
export async function deltaOtAll(s: Session, ot: SessionOt, m: number, bitsFor: (p: PartyId) => Uint32Array): Promise<Map<PartyId, DeltaOts>> {
  const rows = await extendChecked(s, ot, m, bitsFor);
  const out = new Map<PartyId, DeltaOts>();
  for (const [p, r] of rows) {
    out.set(p, { delta: peerOt(ot, p).send.delta, keys: r.q, bits: bitsFor(p).subarray(0, m / 32), macs: r.t });
  }
  return out;
}

/** Bits per MAC and key (κ). */
export const DELTA_OT_BITS = KAPPA;
