/**
 * Authenticated Beaver triples over Z_2^128 for the strict backend, from checked OT (no
 * dealer): [a], [b], [c = a·b] with SPDZ2k MACs [CDE+18], each checked by sacrificing a
 * second triple [â], [b], [ĉ = â·b] as in SPDZ2k's Π_Triple / MASCOT's sacrifice [KOS16].
 *
 * 1. Products: every party picks random a_i, â_i, b_i ∈ Z_2^128. For every ordered pair
 *    (i sender with a_i, â_i; j receiver choosing with the 128 bits of b_j), Gilboa's
 *    OT product [Gil99] on actively secure random OTs (KOS15/SoftSpokenOT-checked OT
 *    extension, src/core/ot/checked-extension.ts; one random OT per bit with a 256-bit
 *    message, the pads for a and â): i sends d_k = m⁰_k − m¹_k + a_i per bit k and keeps
 *    −Σ 2^k m⁰_k, j adds Σ 2^k (m^{b_k}_k + b_k·d_k); the two shares sum to a_i·b_j.
 *    For the binary weights w_k = 2^k only the low 128 − k bits of d_k survive, so i sends
 *    the low 4 − ⌊k/32⌋ words of it (as MP-SPDZ does); the random weights g_l need all 4.
 *    Arithmetic on 4 × 32-bit limbs (no BigInt in the loops).
 * 2. MACs on a, b, c, â, ĉ by COPE (cope.ts), one round.
 * 3. Sacrifice [CDE+18 §4, Π_Triple "sacrifice"]: a coin-tossed t ∈ Z_2^s (commit, then
 *    reveal), open ρ = t·a − â, and check that z = t·c − ĉ − ρ·b opens to 0 in all
 *    k + s = 128 bits (strict.ts freshTriples). Why all of them: let c = ab + e, ĉ = âb + ê
 *    with e = 2^v·e′, e′ odd, v < k (errors with v ≥ k are harmless: values live mod 2^k).
 *    - A mod-2^k check passes iff t·e ≡ ê mod 2^k: probability 2^−(k−v), i.e. 1/2 for an
 *      error in the top bit (v = 63) — the hole this step closes (attacks.test.ts
 *      'high 2-adic valuation').
 *    - Mod 2^(k+s): t ↦ t·e′ is injective on Z_2^s mod 2^(k+s−v) ⊇ 2^s values, so
 *      t·e ≡ ê + (correction) needs the adversary's additive correction δ to z, chosen
 *      after seeing t, to have valuation w = v(ê − t·e); Pr_t[w ≥ W] ≤ 2^−(W−v), and a δ
 *      of valuation w ≥ k survives the batched MAC check (α ∈ Z_2^s unknown) with
 *      probability 2^−(k+s−w), below k with 2^−s. Summed over w: ≤ (s+1)·2^−(k+s−v) + 2^−s
 *      ≤ 2^−(s − log2(s+1) − 1) ≈ 2^−57 for k = s = 64 (SPDZ2k's 2^−(s − log s) bound).
 *    Honest z is 0 in every bit and ρ is uniform (masked by â ∈ Z_2^128), so the openings
 *    reveal nothing; both join the batched MAC check before any output is revealed.
 *    Cost: 2 rounds for the coin, 1 each for ρ and z; 2 × 16 bytes per triple and peer.
 *
 * Selective failure, and why the receiver's b is a random encoding [DKLs18 §"encoding"]: a
 * malicious OT sender can offer a wrong d_k for one choice bit ω_k; the honest receiver's c
 * then moves by ε·w_k·ω_k, so the sacrifice fails iff ω_k = 1 and, when it passes, the
 * adversary knows ω_k. With b_j = Σ_{k<128} 2^k ω_k (the plain Gilboa product) ω_k IS bit k
 * of b_j, and the Beaver opening e = y − b of the product that uses the triple then hands
 * over bit k of the honest secret y (an input, or a bit of its range decomposition), one
 * bit per attempt at an abort risk of 1/2 (selective-failure.test.ts showed it). So each
 * receiver picks η = 128 + EXTRA_BITS random choice bits ω and sets
 *      b_j = Σ_{k<128} 2^k·ω_k + Σ_{l<EXTRA_BITS} g_l·ω_{128+l}  (mod 2^128),
 * g_l ∈ Z_2^128 public random constants (GADGET, from SHA-256 of a fixed label: a common
 * random string nobody chooses). The product a_i·b_j is the Gilboa sum with weights w = (2^k,
 * g_l). ω ↦ Σ g_l ω_l is a universal hash family (any nonzero ±1 combination of uniform g's
 * is uniform, its coefficient being a unit; inputs that differ only in the binary part never
 * collide). An adversary that attacks m of the choice bits survives the sacrifice with
 * probability 2^−m (each attacked ω must be 0; the honest ω's are uniform and independent of
 * everything else, so a simulator aborts with the same probability), and given that it
 * survives, the other η − m bits are uniform, so by the leftover hash lemma b_j is within
 * 2^−(η − m − 128)/2 of uniform given its whole view. Its advantage is at most
 * 2^−m·2^−(EXTRA_BITS − m)/2 ≤ 2^−EXTRA_BITS/2 = 2^−64 for EXTRA_BITS = 128 (DKLs18 use
 * ξ = κ + 2s the same way): the abort decision carries no usable information about the b a
 * triple uses, nor about a secret masked by it. Cost: twice the OTs (256 instead of 128 per
 * triple and peer) and the EXTRA_BITS corrections in full (4 words each: the factor g_l
 * keeps every bit),
 * 1,664 instead of 640 words per triple and peer.
 *
 * [Gil99]  Gilboa. Two Party RSA Key Generation. CRYPTO 1999.
 * [DKLs18] Doerner, Kondi, Lee, shelat. Secure Two-party Threshold ECDSA from ECDSA
 *          Assumptions. IEEE S&P 2018 (the receiver's randomised input encoding).
 * [KOS16]  Keller, Orsini, Scholl. MASCOT. CCS 2016.
 * [CDE+18] Cramer, Damgård, Escudero, Scholl, Xing. SPDZ2k. CRYPTO 2018.
 */
import { MpcError } from '../../errors.ts';
import { checkedRandomOtAll } from '../../ot/checked-extension.ts';
import { fromBigInts, toBigInts } from '../../ot/cope.ts';
import type { SessionOt } from '../../ot/ot-setup.ts';
import { randomBytes } from '../../random.ts';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes } from '../../codec.ts';
import type { PartyId } from '../../session/channel.ts';
import { Protocol } from '../../session/round.ts';
import type { Session } from '../../session/session.ts';
import { RING_BITS } from './z2k.ts';

export interface AuthVec {
  v: bigint[];
  m: bigint[];
}

export interface AuthTriples {
  a: AuthVec;
  b: AuthVec;
  c: AuthVec;
}

/** Words of one OT message: the 128-bit pads for a and for â. */
const PAD_WORDS = 8;
/** Choice bits with a random weight g_l besides the 128 binary ones (2σ, σ = 64: see above). */
export const EXTRA_BITS = 128;
/** Choice bits (OTs) per triple and peer, and their words. */
const CHOICE_BITS = RING_BITS + EXTRA_BITS;
const CHOICE_WORDS = CHOICE_BITS / 32;
/** Words sent per product and choice bit k (binary weights: the low 128 − 32·⌊k/32⌋ bits of d_k). */
const wordsAt = (k: number): number => (k < RING_BITS ? 4 - (k >>> 5) : 4);
/** Words of the corrections for one triple (a and â): 2 · Σ_k wordsAt(k). */
export const GILBOA_WORDS = 2 * (32 * (4 + 3 + 2 + 1) + 4 * EXTRA_BITS);

/**
 * The public random weights g_l of the encoding, as 8 little-endian 16-bit limbs each (for
 * exact products in doubles): SHA-256 of a fixed label and l, low 128 bits. A common random
 * string: fixed in the code, so nobody picks it, and independent of every run's secrets.
 */
const GADGET: Uint16Array = (() => {
  const g = new Uint16Array(8 * EXTRA_BITS);
  const label = new TextEncoder().encode('parley/spdz2k/gilboa-encoding/v1');
  for (let l = 0; l < EXTRA_BITS; l++) {
    const h = sha256(concatBytes(label, new Uint8Array([l & 0xff, l >>> 8])));
    for (let i = 0; i < 8; i++) g[8 * l + i] = h[2 * i] | (h[2 * i + 1] << 8);
  }
  return g;
})();
/** The gadget's g_l as ring elements (tests, and b_j from ω in `productShares`). */
export const GADGET_WEIGHTS: readonly bigint[] = Array.from({ length: EXTRA_BITS }, (_, l) => {
  let v = 0n;
  for (let i = 7; i >= 0; i--) v = (v << 16n) | BigInt(GADGET[8 * l + i]);
  return v;
});

const randomLimbs = (count: number): Uint32Array => new Uint32Array(randomBytes(16 * count).buffer);

/** out[oo..oo+w) = low w words of x − y + z (each 4 words at its offset), mod 2^128. */
function subAdd(out: Uint32Array, oo: number, w: number, x: Uint32Array, xo: number, y: Uint32Array, yo: number, z: Uint32Array, zo: number): void {
  let borrow = 0;
  let carry = 0;
  for (let i = 0; i < w; i++) {
    let d = x[xo + i] - y[yo + i] - borrow;
    borrow = d < 0 ? 1 : 0;
    d = (d + 0x100000000) % 0x100000000;
    const e = d + z[zo + i] + carry;
    carry = e > 0xffffffff ? 1 : 0;
    out[oo + i] = e >>> 0;
  }
}

/**
 * Σ_k 2^k·(x_k + (bit_k ? d_k : 0)) mod 2^128 over k < 128 into out[oo..oo+4) (Horner from
 * the top). x_k: 4 words at xo + k·PAD_WORDS + padOff; d_k: wordsAt(k) words at the running
 * offset `dOff` of d in the layout of `sendCorrections`; `bits`: 4 words of b at bo, or null.
 */
function weightedSum(out: Uint32Array, oo: number, x: Uint32Array, xo: number, padOff: number, d: Uint32Array | null, dOffs: Int32Array | null, dBase: number, bits: Uint32Array | null, bo: number): void {
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
  for (let k = RING_BITS - 1; k >= 0; k--) {
    // acc = 2·acc + x_k
    const s = xo + k * PAD_WORDS + padOff;
    let t = ((a0 << 1) >>> 0) + x[s];
    const n0 = t >>> 0;
    t = (((a1 << 1) | (a0 >>> 31)) >>> 0) + x[s + 1] + (t > 0xffffffff ? 1 : 0);
    const n1 = t >>> 0;
    t = (((a2 << 1) | (a1 >>> 31)) >>> 0) + x[s + 2] + (t > 0xffffffff ? 1 : 0);
    const n2 = t >>> 0;
    t = (((a3 << 1) | (a2 >>> 31)) >>> 0) + x[s + 3] + (t > 0xffffffff ? 1 : 0);
    a0 = n0; a1 = n1; a2 = n2; a3 = t >>> 0;
    if (d && dOffs && bits) {
      // + bit_k·d_k, masked instead of branched on the secret bit
      const mask = -((bits[bo + (k >>> 5)] >>> (k & 31)) & 1);
      const o = dBase + dOffs[k];
      const w = wordsAt(k);
      let u = a0 + ((d[o] & mask) >>> 0);
      a0 = u >>> 0;
      u = a1 + (w > 1 ? (d[o + 1] & mask) >>> 0 : 0) + (u > 0xffffffff ? 1 : 0);
      a1 = u >>> 0;
      u = a2 + (w > 2 ? (d[o + 2] & mask) >>> 0 : 0) + (u > 0xffffffff ? 1 : 0);
      a2 = u >>> 0;
      u = a3 + (w > 3 ? (d[o + 3] & mask) >>> 0 : 0) + (u > 0xffffffff ? 1 : 0);
      a3 = u >>> 0;
    }
  }
  out[oo] = a0; out[oo + 1] = a1; out[oo + 2] = a2; out[oo + 3] = a3;
}

/**
 * Σ_l g_l·(x_{128+l} + (ω_{128+l} ? d_{128+l} : 0)) mod 2^128 added into out[oo..oo+4): the
 * random-weight part of the Gilboa sum. Same layout arguments as `weightedSum`; `bits`: the
 * triple's CHOICE_WORDS words of ω at bo. Products of 16-bit limbs are exact in doubles, and
 * each of the 8 column sums stays below 8·2^32·EXTRA_BITS < 2^53.
 */
const acc = new Float64Array(8);
const y16 = new Uint16Array(8);
function gadgetSum(out: Uint32Array, oo: number, x: Uint32Array, xo: number, padOff: number, d: Uint32Array | null, dOffs: Int32Array | null, dBase: number, bits: Uint32Array | null, bo: number): void {
  acc.fill(0);
  for (let l = 0; l < EXTRA_BITS; l++) {
    const k = RING_BITS + l;
    const s = xo + k * PAD_WORDS + padOff;
    let y0 = x[s], y1 = x[s + 1], y2 = x[s + 2], y3 = x[s + 3];
    if (d && dOffs && bits) {
      const mask = -((bits[bo + (k >>> 5)] >>> (k & 31)) & 1);
      const o = dBase + dOffs[k];
      let u = y0 + ((d[o] & mask) >>> 0);
      y0 = u >>> 0;
      u = y1 + ((d[o + 1] & mask) >>> 0) + (u > 0xffffffff ? 1 : 0);
      y1 = u >>> 0;
      u = y2 + ((d[o + 2] & mask) >>> 0) + (u > 0xffffffff ? 1 : 0);
      y2 = u >>> 0;
      u = y3 + ((d[o + 3] & mask) >>> 0) + (u > 0xffffffff ? 1 : 0);
      y3 = u >>> 0;
    }
    y16[0] = y0; y16[1] = y0 >>> 16; y16[2] = y1; y16[3] = y1 >>> 16;
    y16[4] = y2; y16[5] = y2 >>> 16; y16[6] = y3; y16[7] = y3 >>> 16;
    const g = 8 * l;
    for (let i = 0; i < 8; i++) {
      const gi = GADGET[g + i];
      if (gi === 0) continue;
      for (let j = 0; i + j < 8; j++) acc[i + j] += gi * y16[j];
    }
  }
  // carry the 16-bit columns, then add the 128-bit total into out
  let carry = 0;
  const limb = new Uint32Array(4);
  for (let i = 0; i < 8; i++) {
    const v = acc[i] + carry;
    const lo = v % 65536;
    carry = (v - lo) / 65536;
    limb[i >>> 1] |= (i & 1 ? lo << 16 : lo) >>> 0;
  }
  addInto(out, oo, limb, 0);
}

/** Offsets of d_k (for a, j = 0) and d̂_k (for â, j = 1) inside one triple's corrections. */
const OFFSETS: [Int32Array, Int32Array] = (() => {
  const o0 = new Int32Array(CHOICE_BITS), o1 = new Int32Array(CHOICE_BITS);
  let w = 0;
  for (let k = 0; k < CHOICE_BITS; k++) {
    o0[k] = w;
    w += wordsAt(k);
    o1[k] = w;
    w += wordsAt(k);
  }
  if (w !== GILBOA_WORDS) throw new Error('Gilboa layout drift');
  return [o0, o1];
})();

/** out −= y (4 words each at their offsets), mod 2^128. */
function subInto(out: Uint32Array, oo: number, y: Uint32Array, yo: number): void {
  let borrow = 0;
  for (let i = 0; i < 4; i++) {
    const d = out[oo + i] - y[yo + i] - borrow;
    borrow = d < 0 ? 1 : 0;
    out[oo + i] = d >>> 0;
  }
}
/** out += y (4 words each), mod 2^128. */
function addInto(out: Uint32Array, oo: number, y: Uint32Array, yo: number): void {
  let carry = 0;
  for (let i = 0; i < 4; i++) {
    const e = out[oo + i] + y[yo + i] + carry;
    carry = e > 0xffffffff ? 1 : 0;
    out[oo + i] = e >>> 0;
  }
}

/** b_t = Σ_{k<128} 2^k ω_k + Σ_l g_l ω_{128+l} mod 2^128 for each triple's CHOICE_WORDS words of ω. */
export function encodedB(omega: Uint32Array, count: number): bigint[] {
  const out: bigint[] = [];
  for (let t = 0; t < count; t++) {
    const w = CHOICE_WORDS * t;
    let v = toBigInts(omega.subarray(w, w + 4))[0];
    for (let l = 0; l < EXTRA_BITS; l++) if ((omega[w + 4 + (l >>> 5)] >>> (l & 31)) & 1) v += GADGET_WEIGHTS[l];
    out.push(BigInt.asUintN(RING_BITS, v));
  }
  return out;
}

/**
 * Step 1: this party's additive shares of a, â, b and c = a·b, ĉ = â·b (unauthenticated).
 * Collective; 3 rounds of checked OT extension plus one round of Gilboa corrections.
 */
export async function productShares(s: Session, ot: SessionOt, count: number): Promise<{ a: bigint[]; ah: bigint[]; b: bigint[]; c: bigint[]; ch: bigint[] }> {
  const a = randomLimbs(count);
  const ah = randomLimbs(count);
  // the receiver's random encoding: CHOICE_BITS bits ω per triple, b = Σ 2^k ω_k + Σ g_l ω_{128+l}
  const omega = randomLimbs(count * (CHOICE_WORDS / 4));
  const A = toBigInts(a), AH = toBigInts(ah), B = encodedB(omega, count);
  const c = fromBigInts(A.map((x, t) => x * B[t]));
  const ch = fromBigInts(AH.map((x, t) => x * B[t]));
  // one OT per choice bit: bit k of triple t is choice bit CHOICE_BITS·t + k, ω's limb layout
  const ots = await checkedRandomOtAll(s, ot, count * CHOICE_BITS, () => omega, PAD_WORDS);
  const instance = s.nextInstance(Protocol.Spdz2k);
  const round = s.round(Protocol.Spdz2k, instance, 0);
  const sum = new Uint32Array(4);
  const stride = CHOICE_BITS * PAD_WORDS;
  for (const p of s.others) {
    const r = ots.get(p)!;
    const d = new Uint32Array(GILBOA_WORDS * count);
    for (let t = 0; t < count; t++) {
      const base = t * GILBOA_WORDS;
      for (let k = 0; k < CHOICE_BITS; k++) {
        const o = t * stride + k * PAD_WORDS;
        subAdd(d, base + OFFSETS[0][k], wordsAt(k), r.m0, o, r.m1, o, a, 4 * t);
        subAdd(d, base + OFFSETS[1][k], wordsAt(k), r.m0, o + 4, r.m1, o + 4, ah, 4 * t);
      }
      // our share of a_i·b_p: −Σ w_k m⁰_k (and of â_i·b_p)
      for (const [padOff, into] of [[0, c], [4, ch]] as const) {
        weightedSum(sum, 0, r.m0, t * stride, padOff, null, null, 0, null, 0);
        gadgetSum(sum, 0, r.m0, t * stride, padOff, null, null, 0, null, 0);
        subInto(into, 4 * t, sum, 0);
      }
    }
    s.send(p, round, new Uint8Array(d.buffer));
  }
  const got = await s.receiveAll(round, GILBOA_WORDS * 4 * count);
  for (const p of s.others) {
    const r = ots.get(p)!;
    const bytes = got.get(p as PartyId)!;
    const d = new Uint32Array(GILBOA_WORDS * count);
    new Uint8Array(d.buffer).set(bytes);
    for (let t = 0; t < count; t++) {
      // our share of a_p·b_i: Σ w_k (m^{ω_k}_k + ω_k·d_k)
      for (const [padOff, into, offs] of [[0, c, OFFSETS[0]], [4, ch, OFFSETS[1]]] as const) {
        weightedSum(sum, 0, r.mr, t * stride, padOff, d, offs, t * GILBOA_WORDS, omega, CHOICE_WORDS * t);
        gadgetSum(sum, 0, r.mr, t * stride, padOff, d, offs, t * GILBOA_WORDS, omega, CHOICE_WORDS * t);
        addInto(into, 4 * t, sum, 0);
      }
    }
  }
  const out = { a: A, ah: AH, b: B, c: toBigInts(c), ch: toBigInts(ch) };
  if (out.c.length !== count) throw new MpcError('INVALID_ARGUMENT', 'triple count drift');
  return out;
}
