/**
 * Base OT secure against a malicious sender or receiver: the endemic OT of Masny and
 * Rindal [MR19] ("OT from key agreement") instantiated with Diffie–Hellman over
 * ristretto255 [RFC9496], batched with one sender message for the whole batch as in
 * [MRR21]. Pure math; ot-setup.ts drives it (strict mode). Chou–Orlandi (base-ot.ts)
 * stays for fast mode.
 *
 *   sender:    a ← Z_ℓ, A = a·G                                                  → A
 *   receiver:  b_i ← Z_ℓ, M = b_i·G; r_{1−c} ← G uniform; r_c = M − H_i(r_{1−c})  → r_0, r_1
 *   sender:    M_0 = r_0 + H_i(r_1), M_1 = r_1 + H_i(r_0);
 *              k_x = KDF(i, A, r_0, r_1, a·M_x)                                (x = 0, 1)
 *   receiver:  k_c = KDF(i, A, r_0, r_1, b_i·A)
 * H_i: hash to ristretto255 (RFC 9380 hash_to_curve with the RFC 9496 map) of the OT's
 * context (session instance, ordered pair, index i) and a point; KDF: SHA-256 of the same
 * context and the whole transcript. The two messages are independent, so both travel in
 * the same round.
 *
 * Model and assumptions: UC security with static malicious corruption of either party,
 * for the *endemic* OT functionality (a corrupt party may choose its own outputs: a corrupt
 * receiver its key k_c, a corrupt sender both keys), under CDH in ristretto255 with H_i
 * and KDF random oracles [MR19; MRR21 for the batched sender message]. A
 * malicious receiver cannot know the discrete logs of both M_0 and M_1 (fixing either
 * r determines the other M through H), so it learns at most one key; (r_0, r_1) is
 * uniform whatever c is, so the choice is perfectly hidden from the sender. Endemic OT is
 * exactly what OT extension needs from its base OTs [MR19]: the base OTs are random
 * OTs whose corrupt party's outputs are its own randomness anyway. Unlike Chou–Orlandi,
 * whose UC proof is broken [GIR17, HL17], this protocol has a complete proof in the
 * random-oracle model. ristretto255 is prime order, so decoding a point rejects
 * non-canonical encodings; the identity is refused (MALFORMED_MESSAGE blaming the peer).
 *
 * Cost per OT: receiver one fixed-base and one variable-base multiplication (b_i·A, with
 * a window table for A) and two hashes to the group; sender two variable-base
 * multiplications and two hashes to the group; 64 bytes on the wire (Chou–Orlandi: 32).
 *
 * [MR19]  Masny, Rindal. Endemic Oblivious Transfer. CCS 2019 (ePrint 2019/706).
 * [MRR21] McQuoid, Rosulek, Roy. Batching Base Oblivious Transfers. ASIACRYPT 2021.
 * [GIR17] Genç, Iovino, Rial. "The Simplest Protocol for Oblivious Transfer" Revisited. 2017.
 * [HL17]  Hauck, Loss. Efficient and Universally Composable Protocols for Oblivious
 *         Transfer from the CDH Assumption. ePrint 2017/1011.
 */
import { ristretto255, ristretto255_hasher } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { MpcError } from '../errors.ts';
import { randomBytes } from '../random.ts';
import { decodePoint, randomScalar, type BaseOtContext, type RistrettoPoint } from './base-ot.ts';

const Point = ristretto255.Point;
export const ENDEMIC_POINT_BYTES = 32;
/** Receiver message per OT: r_0 ‖ r_1. */
export const ENDEMIC_OT_BYTES = 2 * ENDEMIC_POINT_BYTES;
const H_DST = new TextEncoder().encode('parley/base-ot/mr19/H/v1');
const KDF_DOMAIN = new TextEncoder().encode('parley/base-ot/mr19/kdf/v1');

function context(ctx: BaseOtContext, i: number, extra: number): Uint8Array {
  const buf = new Uint8Array(16 + extra);
  const v = new DataView(buf.buffer, 0, 16);
  v.setUint32(0, ctx.instance);
  v.setUint32(4, ctx.sender);
  v.setUint32(8, ctx.receiver);
  v.setUint32(12, i);
  return buf;
}

/** H_i(r): the random oracle onto the group, bound to the OT's context. */
function hashToGroup(ctx: BaseOtContext, i: number, r: Uint8Array): RistrettoPoint {
  const msg = context(ctx, i, ENDEMIC_POINT_BYTES);
  msg.set(r, 16);
  return ristretto255_hasher.hashToCurve(msg, { DST: H_DST }) as RistrettoPoint;
}

function kdf(ctx: BaseOtContext, i: number, A: Uint8Array, r01: Uint8Array, P: RistrettoPoint): Uint8Array {
  const body = context(ctx, i, ENDEMIC_POINT_BYTES + ENDEMIC_OT_BYTES + ENDEMIC_POINT_BYTES);
  body.set(A, 16);
  body.set(r01, 16 + ENDEMIC_POINT_BYTES);
  body.set(P.toBytes(), 16 + ENDEMIC_POINT_BYTES + ENDEMIC_OT_BYTES);
  const buf = new Uint8Array(KDF_DOMAIN.length + body.length);
  buf.set(KDF_DOMAIN);
  buf.set(body, KDF_DOMAIN.length);
  return sha256(buf);
}

export interface EndemicSenderSecret {
  readonly a: bigint;
  readonly A: Uint8Array;
}

/** Sender: A = a·G (one per batch). */
export function endemicSenderStart(): EndemicSenderSecret {
  const a = randomScalar();
  return { a, A: Point.BASE.multiply(a).toBytes() };
}

export interface EndemicReceiverState {
  readonly b: readonly bigint[];
  readonly message: Uint8Array;
}

/**
 * Receiver: the message (64 bytes per choice) — it does not depend on A, so it is sent in
 * the same round as the sender's A. `choices[i]` ∈ {0, 1}.
 */
export function endemicReceive(ctx: BaseOtContext, choices: Uint8Array): EndemicReceiverState {
  const message = new Uint8Array(choices.length * ENDEMIC_OT_BYTES);
  const b: bigint[] = [];
  for (let i = 0; i < choices.length; i++) {
    const bi = randomScalar();
    const M = Point.BASE.multiply(bi);
    // r_{1−c}: a uniform group element (the RFC 9496 map of 64 random-oracle bytes).
    const other = ristretto255_hasher.hashToCurve(randomBytes(32), { DST: H_DST }).toBytes();
    const mine = M.subtract(hashToGroup(ctx, i, other)).toBytes();
    const c = choices[i] & 1;
    message.set(c ? other : mine, i * ENDEMIC_OT_BYTES);
    message.set(c ? mine : other, i * ENDEMIC_OT_BYTES + ENDEMIC_POINT_BYTES);
    b.push(bi);
  }
  return { b, message };
}

/** Receiver: its chosen keys k_{c_i} once the sender's A has arrived. */
export function endemicReceiverKeys(ctx: BaseOtContext, state: EndemicReceiverState, Abytes: Uint8Array): Uint8Array[] {
  if (Abytes.length !== ENDEMIC_POINT_BYTES) throw new MpcError('MALFORMED_MESSAGE', `base OT: expected ${ENDEMIC_POINT_BYTES}-byte A, got ${Abytes.length}`, ctx.sender);
  // Every b_i multiplies the same A: a window table makes that nearly fixed-base fast.
  const A = decodePoint(Abytes, ctx.sender).precompute(8);
  return state.b.map((bi, i) => kdf(ctx, i, Abytes, state.message.subarray(i * ENDEMIC_OT_BYTES, (i + 1) * ENDEMIC_OT_BYTES), A.multiply(bi)));
}

/** Sender: both keys of every OT from the receiver's (r_0, r_1) pairs. */
export function endemicSenderKeys(ctx: BaseOtContext, secret: EndemicSenderSecret, message: Uint8Array, count: number): { k0: Uint8Array[]; k1: Uint8Array[] } {
  if (message.length !== count * ENDEMIC_OT_BYTES) {
    throw new MpcError('MALFORMED_MESSAGE', `base OT: expected ${count * ENDEMIC_OT_BYTES} bytes of points, got ${message.length}`, ctx.receiver);
  }
  const k0: Uint8Array[] = [];
  const k1: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const r01 = message.subarray(i * ENDEMIC_OT_BYTES, (i + 1) * ENDEMIC_OT_BYTES);
    const r0 = r01.subarray(0, ENDEMIC_POINT_BYTES), r1 = r01.subarray(ENDEMIC_POINT_BYTES);
    const R0 = decodePoint(r0, ctx.receiver), R1 = decodePoint(r1, ctx.receiver);
    const M0 = R0.add(hashToGroup(ctx, i, r1));
    const M1 = R1.add(hashToGroup(ctx, i, r0));
    // M_x may be the identity only with negligible probability (a hash collision); the
    // multiplication is total, and the key is then a known value, as a corrupt receiver
    // could choose anyway (endemic).
    k0.push(kdf(ctx, i, secret.A, r01, M0.multiply(secret.a)));
    k1.push(kdf(ctx, i, secret.A, r01, M1.multiply(secret.a)));
  }
  return { k0, k1 };
}
