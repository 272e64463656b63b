/**
 * Base oblivious transfer: the "simplest OT" of Chou and Orlandi [CO15] over ristretto255
 * [RFC9496], batched — one sender message A for the whole batch, one receiver message of
 * |choices| points. Pure math; the networked driver is ot-setup.ts.
 *
 *   sender:   a ← Z_ℓ, A = a·G                                  → A
 *   receiver: b_i ← Z_ℓ, B_i = b_i·G + c_i·A                    → B_1..B_k
 *   sender:   k0_i = H(i, A, B_i, a·B_i), k1_i = H(i, A, B_i, a·B_i − a·A)
 *   receiver: k_{c_i} = H(i, A, B_i, b_i·A)
 *
 * Security: semi-honest, CDH in the random-oracle model; the receiver's choices are
 * perfectly hidden (B_i is uniform either way). Known caveats of [CO15]: its UC proof
 * against active adversaries is flawed as published [GIR17]; [HL17] found further flaws,
 * recover static malicious security only for a patched protocol under Gap-DH, and the
 * proof fails for adaptive corruptions. We hash the full transcript (A, B_i), the OT
 * index, the ordered pair and the session's protocol instance, and rely only on
 * semi-honest security, which holds. For active security swap in Masny–Rindal [MR19] or
 * the batched endemic OT of [MRR21].
 * ristretto255 is a prime-order group, so decoding a peer's point also rejects small-order
 * and non-canonical encodings (MALFORMED_MESSAGE).
 *
 * [CO15]  Chou, Orlandi. The Simplest Protocol for Oblivious Transfer. LATINCRYPT 2015.
 * [GIR17] Genç, Iovino, Rial. "The Simplest Protocol for Oblivious Transfer" Revisited. 2017.
 * [HL17]  Hauck, Loss. Efficient and Universally Composable Protocols for Oblivious Transfer
 *         from the CDH Assumption. ePrint 2017/1011.
 * [MR19]  Masny, Rindal. Endemic Oblivious Transfer. CCS 2019.
 * [MRR21] McQuoid, Rosulek, Roy. Batching Base Oblivious Transfers. ASIACRYPT 2021.
 */
import { ristretto255 } from '@noble/curves/ed25519.js';
import { bytesToNumberLE } from '@noble/curves/utils.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { MpcError } from '../errors.ts';
import { randomBytes } from '../random.ts';

const Point = ristretto255.Point;
export type RistrettoPoint = InstanceType<typeof Point>;
export const POINT_BYTES = 32;
export const KEY_BYTES = 32;
const DOMAIN = new TextEncoder().encode('parley/base-ot/co15/v1');

/** A uniform non-zero scalar mod ℓ (also used by base-ot-endemic.ts). */
export function randomScalar(): bigint {
  for (;;) {
    // 512 bits reduced mod ℓ: bias 2^-260.
    const k = Point.Fn.create(bytesToNumberLE(randomBytes(64)));
    if (k !== 0n) return k;
  }
}

/** A peer's point: canonical, not the identity, else MALFORMED_MESSAGE blaming `party`. */
export function decodePoint(bytes: Uint8Array, party: number): RistrettoPoint {
  try {
    const p = Point.fromBytes(bytes);
    if (p.is0()) throw new Error('identity');
    return p;
  } catch {
    throw new MpcError('MALFORMED_MESSAGE', 'base OT: peer sent an invalid or identity ristretto255 point', party);
  }
}

/**
 * H(domain ‖ instance ‖ sender ‖ receiver ‖ i ‖ A ‖ B_i ‖ P) with SHA-256: a 32-byte key
 * bound to the protocol instance, the ordered pair, the OT index and the whole transcript.
 */
function keyHash(ctx: BaseOtContext, i: number, A: Uint8Array, B: Uint8Array, P: RistrettoPoint): Uint8Array {
  const buf = new Uint8Array(DOMAIN.length + 16 + 3 * POINT_BYTES);
  buf.set(DOMAIN);
  const v = new DataView(buf.buffer, DOMAIN.length, 16);
  v.setUint32(0, ctx.instance);
  v.setUint32(4, ctx.sender);
  v.setUint32(8, ctx.receiver);
  v.setUint32(12, i);
  let off = DOMAIN.length + 16;
  buf.set(A, off);
  buf.set(B, (off += POINT_BYTES));
  buf.set(P.toBytes(), off + POINT_BYTES);
  return sha256(buf);
}

/** Who is who in one batch (PartyIds) and the session's base-OT instance: both ends hash it. */
export interface BaseOtContext {
  readonly instance: number;
  readonly sender: number;
  readonly receiver: number;
}

export interface BaseOtSenderSecret {
  readonly a: bigint;
  readonly A: Uint8Array;
}

/** Sender round 1: A = a·G. */
export function baseOtSenderStart(): BaseOtSenderSecret {
  const a = randomScalar();
  return { a, A: Point.BASE.multiply(a).toBytes() };
}

/**
 * Receiver: one point per choice bit. Returns the message (k·32 bytes) and the chosen keys.
 * `choices[i]` ∈ {0, 1}.
 */
export function baseOtReceive(ctx: BaseOtContext, Abytes: Uint8Array, choices: Uint8Array): { message: Uint8Array; keys: Uint8Array[] } {
  if (Abytes.length !== POINT_BYTES) throw new MpcError('MALFORMED_MESSAGE', `base OT: expected ${POINT_BYTES}-byte A, got ${Abytes.length}`, ctx.sender);
  // Every b_i multiplies the same A: a window table makes that nearly fixed-base fast.
  const A = decodePoint(Abytes, ctx.sender).precompute(8);
  const message = new Uint8Array(choices.length * POINT_BYTES);
  const keys: Uint8Array[] = [];
  for (let i = 0; i < choices.length; i++) {
    const b = randomScalar();
    const bG = Point.BASE.multiply(b);
    // Both candidates are computed so the work does not depend on the secret choice bit.
    const bGA = bG.add(A);
    const B = (choices[i] & 1 ? bGA : bG).toBytes();
    message.set(B, i * POINT_BYTES);
    keys.push(keyHash(ctx, i, Abytes, B, A.multiply(b)));
  }
  return { message, keys };
}

/** Sender round 2: both keys of every OT from the receiver's points. */
export function baseOtSenderKeys(ctx: BaseOtContext, secret: BaseOtSenderSecret, message: Uint8Array, count: number): { k0: Uint8Array[]; k1: Uint8Array[] } {
  if (message.length !== count * POINT_BYTES) {
    throw new MpcError('MALFORMED_MESSAGE', `base OT: expected ${count * POINT_BYTES} bytes of points, got ${message.length}`, ctx.receiver);
  }
  const aA = Point.fromBytes(secret.A).multiply(secret.a);
  const k0: Uint8Array[] = [];
  const k1: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const Bbytes = message.subarray(i * POINT_BYTES, (i + 1) * POINT_BYTES);
    const aB = decodePoint(Bbytes, ctx.receiver).multiply(secret.a);
    k0.push(keyHash(ctx, i, secret.A, Bbytes, aB));
    // B − A may be the identity when c_i = 1 and b_i = 0 (never: b_i ≠ 0); subtract is total.
    k1.push(keyHash(ctx, i, secret.A, Bbytes, aB.subtract(aA)));
  }
  return { k0, k1 };
}
