/**
 * Authenticated Beaver triples over Z_2^128 for the strict backend, from checked OT (no
 * dealer): [a], [b], [c = a·b] with SPDZ2k MACs [CDE+18], each checked by sacrificing a
 * second triple [â], [b], [ĉ = â·b] as in SPDZ2k's Π_Triple / MASCOT's sacrifice [KOS16].
 *
 * 1. Products: every party picks random a_i, â_i, b_i ∈ Z_2^128. For every ordered pair
 *    (i sender with a_i, â_i; j receiver choosing with the 128 bits of b_j), Gilboa's
 *    OT product [Gil99] on actively secure random OTs (KOS15/SoftSpokenOT-checked OT
 *    extension, src/core/ot/checked-extension.ts; 4 random 64-bit OTs per bit give the
 *    256-bit pads for a and â): i sends d_k = m⁰_k − m¹_k + a_i per bit k and keeps
 *    −Σ 2^k m⁰_k, j adds Σ 2^k (m^{b_k}_k + b_k·d_k); the two shares sum to a_i·b_j.
 * 2. MACs on a, b, c, â, ĉ by COPE (cope.ts), one round.
 * 3. Sacrifice: a coin-tossed t ∈ Z_2^64 (commit, then reveal), open ρ = t·a − â, and
 *    check that t·c − ĉ − ρ·b opens to 0. A wrong c (c = ab + e) passes only if
 *    t·e ≡ ê, i.e. with probability ≤ 2^−(64 − v) for an error e ≢ 0 mod 2^64 divisible by
 *    exactly 2^v [CDE+18, Lemma 4.x]. ρ is masked by â; both openings join the batched
 *    MAC check before any output is revealed.
 *
 * Known limitation (stated in docs/threat-model.md): a malicious OT sender can offer a
 * wrong d_k for one bit k ("selective failure"); the sacrifice then fails iff bit k of the
 * honest receiver's b_j is 1, so with probability 1/2 the run aborts and otherwise the
 * adversary has learnt one bit of an honest share of b. SPDZ2k removes this with a
 * randomised combination of several b's; we do not yet.
 *
 * [Gil99]  Gilboa. Two Party RSA Key Generation. CRYPTO 1999.
 * [KOS16]  Keller, Orsini, Scholl. MASCOT. CCS 2016.
 * [CDE+18] Cramer, Damgård, Escudero, Scholl, Xing. SPDZ2k. CRYPTO 2018.
 */
import { MpcError } from '../../errors.ts';
import { checkedRandomOtAll } from '../../ot/checked-extension.ts';
import type { SessionOt } from '../../ot/ot-setup.ts';
import { randomBytes } from '../../random.ts';
import type { PartyId } from '../../session/channel.ts';
import { Protocol } from '../../session/round.ts';
import type { Session } from '../../session/session.ts';
import { ELEMENT_BYTES, RING_BITS, fromBytes, mod, toBytes } from './z2k.ts';

export interface AuthVec {
  v: bigint[];
  m: bigint[];
}

export interface AuthTriples {
  a: AuthVec;
  b: AuthVec;
  c: AuthVec;
}

const OTS_PER_BIT = 4;

function randomElements(count: number): bigint[] {
  return fromBytes(randomBytes(count * ELEMENT_BYTES), count);
}

/** 128-bit pad j (0: for a, 1: for â) of OT bit k of product t, from 4 consecutive 64-bit OT messages. */
function pad(words: Uint32Array, t: number, k: number, j: number): bigint {
  const o = ((t * RING_BITS + k) * OTS_PER_BIT + 2 * j) * 2;
  const lo = BigInt(words[o]) | (BigInt(words[o + 1]) << 32n);
  const hi = BigInt(words[o + 2]) | (BigInt(words[o + 3]) << 32n);
  return lo | (hi << 64n);
}

/**
 * Step 1: this party's additive shares of a, â, b and c = a·b, ĉ = â·b (unauthenticated).
 * Collective; 3 rounds of checked OT extension plus one round of Gilboa corrections.
 */
export async function productShares(s: Session, ot: SessionOt, count: number): Promise<{ a: bigint[]; ah: bigint[]; b: bigint[]; c: bigint[]; ch: bigint[] }> {
  const a = randomElements(count);
  const ah = randomElements(count);
  const b = randomElements(count);
  const c = a.map((x, t) => mod(x * b[t]));
  const ch = ah.map((x, t) => mod(x * b[t]));
  const m = count * RING_BITS * OTS_PER_BIT;
  const choices = new Uint32Array(m / 32);
  for (let t = 0; t < count; t++) {
    for (let k = 0; k < RING_BITS; k++) {
      if ((b[t] >> BigInt(k)) & 1n) {
        const base = (t * RING_BITS + k) * OTS_PER_BIT;
        for (let j = 0; j < OTS_PER_BIT; j++) choices[(base + j) >>> 5] |= 1 << ((base + j) & 31);
      }
    }
  }
  const ots = await checkedRandomOtAll(s, ot, m, () => choices);
  const instance = s.nextInstance(Protocol.Spdz2k);
  const round = s.round(Protocol.Spdz2k, instance, 0);
  for (const p of s.others) {
    const r = ots.get(p)!;
    const d = new Array<bigint>(2 * count * RING_BITS);
    for (let t = 0; t < count; t++) {
      for (let k = 0; k < RING_BITS; k++) {
        const sh = BigInt(k);
        for (let j = 0; j < 2; j++) {
          const p0 = pad(r.m0, t, k, j);
          const p1 = pad(r.m1, t, k, j);
          d[(2 * t + j) * RING_BITS + k] = mod(p0 - p1 + (j === 0 ? a[t] : ah[t]));
          if (j === 0) c[t] = mod(c[t] - (p0 << sh));
          else ch[t] = mod(ch[t] - (p0 << sh));
        }
      }
    }
    s.send(p, round, toBytes(d));
  }
  const got = await s.receiveAll(round, 2 * count * RING_BITS * ELEMENT_BYTES);
  for (const p of s.others) {
    const r = ots.get(p)!;
    const d = fromBytes(got.get(p as PartyId)!, 2 * count * RING_BITS, p);
    for (let t = 0; t < count; t++) {
      for (let k = 0; k < RING_BITS; k++) {
        const bit = (b[t] >> BigInt(k)) & 1n;
        const sh = BigInt(k);
        c[t] = mod(c[t] + ((pad(r.mr, t, k, 0) + bit * d[2 * t * RING_BITS + k]) << sh));
        ch[t] = mod(ch[t] + ((pad(r.mr, t, k, 1) + bit * d[(2 * t + 1) * RING_BITS + k]) << sh));
      }
    }
  }
  if (c.length !== count) throw new MpcError('INVALID_ARGUMENT', 'triple count drift');
  return { a, ah, b, c, ch };
}
