/**
 * Correlated oblivious product evaluation over Z_2^128 (COPE, [KOS16] §4, adapted to
 * Z_2^(k+s) in SPDZ2k [CDESX18]): between the holder A of a fixed MAC-key share
 * α ∈ Z_2^64 and a party X with a vector x ∈ (Z_2^128)^n, one round gives A the values
 * T + α·x and X the values −T (additive shares of α·x mod 2^128). With k = s = 64 this is
 * what SPDZ2k MACs over Z_2^(k+s) are made from: a party's MAC share of x is
 * α_i·x_i + Σ_j (its COPE shares with every j in both roles), see `macShares`.
 *
 * Setup, once per session and ordered pair: A needs, for each bit b < 64 of α, an OT in
 * which it chose α_b and X knows both seeds. We take them from the checked OT extension
 * (checked-extension.ts, X as extension sender): A chooses the 64 bits of α, and the seeds
 * are s_b^c = H(b, q_b ⊕ c·Δ_X) (A: H(b, t_b)). So α is independent of every Δ, and the
 * KOS15 check has already bounded what a malicious A learns about Δ_X.
 * Extension (call c, n values): X expands t_b^0 = G(s_b^0), t_b^1 = G(s_b^1) and sends
 *   u_b = t_b^0 − t_b^1 + x                                     (64 · n · 16 bytes)
 * A computes q_b = G(s_b^(α_b)) + α_b·u_b = t_b^0 + α_b·x, then
 *   A: Σ_b 2^b·q_b = T + α·x,        X: −T,   T = Σ_b 2^b·t_b^0.
 * G: ChaCha12 under the seed, nonce = the call number (fresh per call).
 *
 * Security: A sends nothing in COPE, and X's view of the setup is the view of an OT
 * extension sender, which is independent of the receiver's choices α_b: α stays hidden
 * from a malicious X. A malicious X may use a different x in different b (inconsistent
 * inputs): COPE, as in MASCOT and SPDZ2k, does not catch this itself; the authentication
 * check of the layer above (SPDZ2k's check of a random linear combination of the
 * authenticated values, opened with its MAC) does, with the selective-failure leakage
 * bounded as in [CDESX18]. Semi-honest X and A learn nothing. One session = one α per
 * party: fresh per run.
 *
 * Values are Z_2^128 elements as 4 little-endian 32-bit limbs (Uint32Array, 4 words per
 * element); `toBigInts`/`fromBigInts` convert. Limb arithmetic, no BigInt in the loops.
 *
 * [KOS16]   Keller, Orsini, Scholl. MASCOT: Faster Malicious Arithmetic Secure Computation
 *           with Oblivious Transfer. CCS 2016.
 * [CDESX18] Cramer, Damgård, Escudero, Scholl, Xing. SPDZ2k: Efficient MPC mod 2^k for
 *           Dishonest Majority. CRYPTO 2018.
 */
import { chacha12 } from '@noble/ciphers/chacha.js';
import { blake3 } from '@noble/hashes/blake3.js';
import { MpcError } from '../errors.ts';
import { randomBytes } from '../random.ts';
import type { PartyId } from '../session/channel.ts';
import { Protocol } from '../session/round.ts';
import type { Session } from '../session/session.ts';
import { extendChecked } from './checked-extension.ts';
import type { SessionOt } from './ot-setup.ts';

/** Bits of the MAC key share α (SPDZ2k's s). */
export const ALPHA_BITS = 64;
/** Bytes of X's message per value: 64 elements of Z_2^128. */
export const COPE_BYTES_PER_VALUE = ALPHA_BITS * 16;
const SEED_LABEL = new TextEncoder().encode('parley/cope/seed/v1');

interface PeerCope {
  /** As A toward the peer: s_b^(α_b). */
  readonly chosen: readonly Uint8Array[];
  /** As X toward the peer: s_b^0, s_b^1. */
  readonly seeds0: readonly Uint8Array[];
  readonly seeds1: readonly Uint8Array[];
}

export interface SessionCope {
  /** Our α ∈ Z_2^64 (as bits 0..63 of the OT choices), the same toward every peer. */
  readonly alpha: bigint;
  readonly alphaBits: Uint32Array;
  readonly peers: ReadonlyMap<PartyId, PeerCope>;
  calls: number;
}

function seed(row: Uint32Array, mask: Uint32Array | undefined, sender: number, receiver: number, b: number): Uint8Array {
  const msg = new Uint8Array(SEED_LABEL.length + 16 + 12);
  msg.set(SEED_LABEL);
  const r = new Uint32Array(4);
  for (let i = 0; i < 4; i++) r[i] = row[i] ^ (mask ? mask[i] : 0);
  msg.set(new Uint8Array(r.buffer), SEED_LABEL.length);
  const v = new DataView(msg.buffer, SEED_LABEL.length + 16);
  v.setUint32(0, sender);
  v.setUint32(4, receiver);
  v.setUint32(8, b);
  return blake3(msg);
}

/**
 * COPE setup with every peer: draws our α and runs one checked extension of 64 OTs in
 * each direction (3 rounds). `ot` must be a malicious setup (setupOt security 'malicious').
 */
export async function setupCope(s: Session, ot: SessionOt): Promise<SessionCope> {
  const alphaBits = new Uint32Array(randomBytes(ALPHA_BITS / 8).buffer);
  const rows = await extendChecked(s, ot, ALPHA_BITS, () => alphaBits);
  const peers = new Map<PartyId, PeerCope>();
  for (const [p, r] of rows) {
    const delta = ot.get(p)!.send.delta;
    const chosen: Uint8Array[] = [], seeds0: Uint8Array[] = [], seeds1: Uint8Array[] = [];
    for (let b = 0; b < ALPHA_BITS; b++) {
      chosen.push(seed(r.t.subarray(4 * b, 4 * b + 4), undefined, p, s.self, b));
      seeds0.push(seed(r.q.subarray(4 * b, 4 * b + 4), undefined, s.self, p, b));
      seeds1.push(seed(r.q.subarray(4 * b, 4 * b + 4), delta, s.self, p, b));
    }
    peers.set(p, { chosen, seeds0, seeds1 });
  }
  const alpha = (BigInt(alphaBits[1]) << 32n) | BigInt(alphaBits[0]);
  return { alpha, alphaBits, peers, calls: 0 };
}

function nonce(call: number): Uint8Array {
  const n = new Uint8Array(12);
  new DataView(n.buffer).setUint32(0, call);
  return n;
}

const expand = (key: Uint8Array, call: number, n: number): Uint32Array => new Uint32Array(chacha12(key, nonce(call), new Uint8Array(16 * n)).buffer);

/** out[e] = a[e] + b[e] (mod 2^128) for element e of 4 limbs; `sign` −1 subtracts b. */
function addInto(out: Uint32Array, a: Uint32Array, b: Uint32Array, n: number, sign: 1 | -1 = 1): void {
  for (let e = 0; e < 4 * n; e += 4) {
    let carry = sign === 1 ? 0 : 1;
    for (let k = 0; k < 4; k++) {
      const x = a[e + k] + (sign === 1 ? b[e + k] : ~b[e + k] >>> 0) + carry;
      out[e + k] = x >>> 0;
      carry = x > 0xffffffff ? 1 : 0;
    }
  }
}

/** acc = 2·acc + v (Horner step of Σ 2^b·v_b), per element. */
function doubleAdd(acc: Uint32Array, v: Uint32Array, n: number): void {
  for (let e = 0; e < 4 * n; e += 4) {
    const a0 = acc[e], a1 = acc[e + 1], a2 = acc[e + 2], a3 = acc[e + 3];
    const d0 = (a0 << 1) >>> 0, d1 = ((a1 << 1) | (a0 >>> 31)) >>> 0, d2 = ((a2 << 1) | (a1 >>> 31)) >>> 0, d3 = ((a3 << 1) | (a2 >>> 31)) >>> 0;
    let x = d0 + v[e];
    acc[e] = x >>> 0;
    x = d1 + v[e + 1] + (x > 0xffffffff ? 1 : 0);
    acc[e + 1] = x >>> 0;
    x = d2 + v[e + 2] + (x > 0xffffffff ? 1 : 0);
    acc[e + 2] = x >>> 0;
    x = d3 + v[e + 3] + (x > 0xffffffff ? 1 : 0);
    acc[e + 3] = x >>> 0;
  }
}

/** Shares of α_p·x (we are X, p holds α_p) and of α·x_p (we are A) with one peer. */
export interface CopeShares {
  /** −T: our share of α_p·x for our x (4n limbs). */
  readonly asX: Uint32Array;
  /** T' + α·x_p: our share of α·x_p for the peer's x_p (4n' limbs, n' = the peer's count). */
  readonly asA: Uint32Array;
}

/**
 * One COPE round with every peer, both roles at once: our x (n elements, 4n limbs) under
 * every peer's α, and every peer's x under our α. Every party passes the same n, or
 * `lengths` (public, one per party, lengths[self] = n) when the vectors differ in length;
 * a party with nothing to authenticate sends nothing.
 */
export async function copeAll(s: Session, cope: SessionCope, x: Uint32Array, n: number, lengths?: readonly number[]): Promise<Map<PartyId, CopeShares>> {
  if (!Number.isSafeInteger(n) || n < 0 || x.length < 4 * n) throw new MpcError('INVALID_ARGUMENT', `COPE: need 4·n limbs for n = ${n}, got ${x.length}`);
  if (lengths && (lengths.length !== s.n || lengths[s.self] !== n)) throw new MpcError('INVALID_ARGUMENT', `COPE: lengths must list ${s.n} counts with ours = ${n}`);
  const lengthOf = (p: PartyId): number => (lengths ? lengths[p] : n);
  const call = cope.calls++;
  const round = s.round(Protocol.OtExt, s.nextInstance(Protocol.OtExt), 0);
  const asX = new Map<PartyId, Uint32Array>();
  for (const p of n > 0 ? s.others : []) {
    const pc = cope.peers.get(p)!;
    const msg = new Uint32Array(ALPHA_BITS * 4 * n);
    const acc = new Uint32Array(4 * n);
    // b from the top for the Horner sum −T = −Σ 2^b·t_b^0.
    for (let b = ALPHA_BITS - 1; b >= 0; b--) {
      const t0 = expand(pc.seeds0[b], call, n), t1 = expand(pc.seeds1[b], call, n);
      doubleAdd(acc, t0, n);
      const u = msg.subarray(b * 4 * n, (b + 1) * 4 * n);
      addInto(u, t0, t1, n, -1);
      addInto(u, u, x, n);
    }
    addInto(acc, new Uint32Array(4 * n), acc, n, -1);
    asX.set(p, acc);
    s.send(p, round, new Uint8Array(msg.buffer));
  }
  const from = s.others.filter((p) => lengthOf(p) > 0);
  const msgs = await Promise.all(from.map((p) => s.receive(p, round, ALPHA_BITS * 16 * lengthOf(p))));
  const got = new Map(from.map((p, i) => [p, msgs[i]]));
  const out = new Map<PartyId, CopeShares>();
  for (const p of s.others) {
    const np = lengthOf(p);
    if (np === 0) {
      out.set(p, { asX: asX.get(p) ?? new Uint32Array(4 * n), asA: new Uint32Array(0) });
      continue;
    }
    const pc = cope.peers.get(p)!;
    const u32 = new Uint32Array(ALPHA_BITS * 4 * np);
    new Uint8Array(u32.buffer).set(got.get(p)!);
    const acc = new Uint32Array(4 * np), masked = new Uint32Array(4 * np);
    for (let b = ALPHA_BITS - 1; b >= 0; b--) {
      const q = expand(pc.chosen[b], call, np);
      // q_b = G(s^(α_b)) + α_b·u_b, masked rather than branched on the secret bit.
      const mask = -((cope.alphaBits[b >>> 5] >>> (b & 31)) & 1);
      const u = u32.subarray(b * 4 * np, (b + 1) * 4 * np);
      for (let i = 0; i < 4 * np; i++) masked[i] = u[i] & mask;
      addInto(q, q, masked, np);
      doubleAdd(acc, q, np);
    }
    out.set(p, { asX: asX.get(p) ?? new Uint32Array(4 * n), asA: acc });
  }
  return out;
}

/**
 * SPDZ2k MAC shares of a shared vector: our share x_i (4n limbs) → m_i with
 * Σ_i m_i = (Σ_i α_i)·(Σ_i x_i) mod 2^128, i.e. α_i·x_i + Σ_j (asX_j + asA_j).
 */
export function macShares(cope: SessionCope, x: Uint32Array, n: number, shares: ReadonlyMap<PartyId, CopeShares>): Uint32Array {
  const alpha = fromBigInts([cope.alpha]);
  const m = new Uint32Array(4 * n);
  // α·x_i mod 2^128 by shift-and-add over α's 64 bits.
  const masked = new Uint32Array(4 * n);
  for (let b = ALPHA_BITS - 1; b >= 0; b--) {
    const mask = -((alpha[b >>> 5] >>> (b & 31)) & 1);
    for (let i = 0; i < 4 * n; i++) masked[i] = x[i] & mask;
    doubleAdd(m, masked, n);
  }
  for (const sh of shares.values()) {
    addInto(m, m, sh.asX, n);
    addInto(m, m, sh.asA, n);
  }
  return m;
}

export function toBigInts(limbs: Uint32Array): bigint[] {
  const out: bigint[] = [];
  for (let e = 0; e < limbs.length; e += 4) out.push((BigInt(limbs[e + 3]) << 96n) | (BigInt(limbs[e + 2]) << 64n) | (BigInt(limbs[e + 1]) << 32n) | BigInt(limbs[e]));
  return out;
}

export function fromBigInts(xs: readonly bigint[]): Uint32Array {
  const out = new Uint32Array(4 * xs.length);
  xs.forEach((x, e) => {
    const v = BigInt.asUintN(128, x);
    for (let k = 0; k < 4; k++) out[4 * e + k] = Number((v >> BigInt(32 * k)) & 0xffffffffn);
  });
  return out;
}
