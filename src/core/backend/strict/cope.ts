/**
 * Authentication of shares with SPDZ2k MACs by correlated oblivious product evaluation
 * (COPE / vector OLE with a fixed key, as in MASCOT [KOS16] §4 and SPDZ2k [CDE+18] §4):
 * every party i holds a MAC key share α_i ∈ Z_2^64 for the whole session; the MAC of a
 * value x is α·x mod 2^128 with α = Σ α_i, additively shared.
 *
 * Setup (once per session, one round): for every ordered pair (value holder i, key holder
 * j), 64 base OTs in which j chooses with the bits of α_j: i learns both keys k⁰_b, k¹_b,
 * j learns k^{α_b}_b. The base OTs are endemic OTs secure against a malicious sender or
 * receiver ([MR19], src/core/ot/base-ot-endemic.ts).
 *
 * One call (one round): i authenticates its vector x (length L): for every bit b,
 * G(k⁰_b), G(k¹_b) ∈ (Z_2^128)^L from ChaCha20 with a per-call nonce; i sends
 * d_b = G(k⁰_b) − G(k¹_b) + x and keeps u = −Σ_b 2^b·G(k⁰_b); j computes
 * w = Σ_b 2^b·(G(k^{α_b}_b) + α_b·d_b). Then u + w = Σ_b 2^b α_b x = α_j·x.
 * With its own α_i·x, the N MAC shares of x sum to α·x.
 *
 * Security: j sends nothing, so a malicious key holder learns nothing about x (the
 * d_b are masked by G(k^{1−α_b}_b)). A malicious value holder may use a different x per
 * bit b: the MAC then carries an error 2^b·α_b·(x_b − x), which the batched MAC check
 * detects unless the adversary guessed α_b — it learns that bit of α_j at the price of an
 * abort with probability 1/2 per guessed bit, the selective-failure leakage MASCOT
 * accounts for; α is fresh per session (= per run), so nothing carries over.
 *
 * [KOS16]  Keller, Orsini, Scholl. MASCOT: Faster Malicious Arithmetic Secure Computation
 *          with Oblivious Transfer. CCS 2016.
 * [CDE+18] Cramer, Damgård, Escudero, Scholl, Xing. SPDZ2k. CRYPTO 2018.
 * [MR19]   Masny, Rindal. Endemic Oblivious Transfer. CCS 2019.
 */
import { concatBytes } from '../../codec.ts';
import { MpcError } from '../../errors.ts';
import { ENDEMIC_OT_BYTES, ENDEMIC_POINT_BYTES, endemicReceive, endemicReceiverKeys, endemicSenderKeys, endemicSenderStart } from '../../ot/base-ot-endemic.ts';
import { nonceFor, randomU64 } from '../../random.ts';
import type { PartyId } from '../../session/channel.ts';
import { Protocol } from '../../session/round.ts';
import type { Session } from '../../session/session.ts';
import { ELEMENT_BYTES, S, fromBytes, mod, prgRing, toBytes } from './z2k.ts';

export interface CopeState {
  /** Our MAC key share α_i ∈ Z_2^64. */
  readonly alpha: bigint;
  /** As key holder toward value holder p: the keys we chose, k^{α_b}_b. */
  readonly chosen: ReadonlyMap<PartyId, Uint8Array[]>;
  /** As value holder toward key holder p: both keys. */
  readonly both: ReadonlyMap<PartyId, { k0: Uint8Array[]; k1: Uint8Array[] }>;
}

const alphaBits = (alpha: bigint): Uint8Array => Uint8Array.from({ length: S }, (_, b) => Number((alpha >> BigInt(b)) & 1n));

/** One round: α_i and the base OTs with every peer, both directions. */
export async function copeSetup(s: Session): Promise<CopeState> {
  const instance = s.nextInstance(Protocol.Spdz2k);
  const round = s.round(Protocol.Spdz2k, instance, 0);
  const alpha = randomU64(1)[0];
  const bits = alphaBits(alpha);
  const senders = new Map<PartyId, ReturnType<typeof endemicSenderStart>>();
  const receivers = new Map<PartyId, ReturnType<typeof endemicReceive>>();
  // toward p we are value holder (base-OT sender, A) and key holder (base-OT receiver, choices α)
  const got = await s.exchange(
    round,
    (p) => {
      const snd = endemicSenderStart();
      const rcv = endemicReceive({ instance, sender: p, receiver: s.self }, bits);
      senders.set(p, snd);
      receivers.set(p, rcv);
      return concatBytes(snd.A, rcv.message);
    },
    ENDEMIC_POINT_BYTES + S * ENDEMIC_OT_BYTES,
  );
  const chosen = new Map<PartyId, Uint8Array[]>();
  const both = new Map<PartyId, { k0: Uint8Array[]; k1: Uint8Array[] }>();
  for (const p of s.others) {
    const msg = got.get(p) as Uint8Array;
    const theirA = msg.subarray(0, ENDEMIC_POINT_BYTES);
    const theirChoices = msg.subarray(ENDEMIC_POINT_BYTES);
    chosen.set(p, endemicReceiverKeys({ instance, sender: p, receiver: s.self }, receivers.get(p)!, theirA));
    both.set(p, endemicSenderKeys({ instance, sender: s.self, receiver: p }, senders.get(p)!, theirChoices, S));
  }
  return { alpha, chosen, both };
}

/**
 * Collective, one round: every party p authenticates its own vector (length lengths[p];
 * ours is `mine`). Returns, for every p, our share of α·(p's vector) mod 2^128.
 */
export async function authenticate(s: Session, st: CopeState, lengths: readonly number[], mine: readonly bigint[]): Promise<bigint[][]> {
  if (mine.length !== lengths[s.self]) throw new MpcError('INVALID_ARGUMENT', `authenticate: ${mine.length} values, declared ${lengths[s.self]}`);
  const instance = s.nextInstance(Protocol.Spdz2k);
  const round = s.round(Protocol.Spdz2k, instance, 0);
  const L = mine.length;
  const out: bigint[][] = lengths.map((len) => new Array<bigint>(len).fill(0n));
  const own = out[s.self];
  for (let t = 0; t < L; t++) own[t] = mod(st.alpha * mine[t]);
  if (L > 0) {
    for (const p of s.others) {
      const { k0, k1 } = st.both.get(p)!;
      const d: bigint[] = new Array<bigint>(S * L);
      for (let b = 0; b < S; b++) {
        const nonce = nonceFor(Protocol.Spdz2k, instance, b);
        const g0 = prgRing(k0[b], L, nonce);
        const g1 = prgRing(k1[b], L, nonce);
        const shift = BigInt(b);
        for (let t = 0; t < L; t++) {
          d[b * L + t] = mod(g0[t] - g1[t] + mine[t]);
          own[t] = mod(own[t] - (g0[t] << shift));
        }
      }
      s.send(p, round, toBytes(d));
    }
  }
  const from = s.others.filter((p) => lengths[p] > 0);
  const msgs = await Promise.all(from.map((p) => s.receive(p, round, S * lengths[p] * ELEMENT_BYTES)));
  from.forEach((p, i) => {
    const Lp = lengths[p];
    const d = fromBytes(msgs[i], S * Lp, p);
    const keys = st.chosen.get(p)!;
    const w = out[p];
    for (let b = 0; b < S; b++) {
      const g = prgRing(keys[b], Lp, nonceFor(Protocol.Spdz2k, instance, b));
      const bit = (st.alpha >> BigInt(b)) & 1n;
      const shift = BigInt(b);
      for (let t = 0; t < Lp; t++) w[t] = mod(w[t] + ((g[t] + bit * d[b * Lp + t]) << shift));
    }
  });
  return out;
}
