/**
 * Base oblivious transfer from X25519 key agreement alone: the POPF-based OT of McQuoid,
 * Rosulek and Roy [MRR20, §6] over curve25519 and its quadratic twist, as libOTe's
 * McRosRoyTwist [libOTe] instantiates it — no hash to the curve, no point addition in the
 * hot path, so every scalar multiplication can run natively (x25519.ts: WebCrypto, noble
 * as fallback). Pure math; ot-setup.ts drives it for both protection levels.
 *
 *   sender:    a ← X25519 key; A = (x(a·G_E), x(a·G_E'))                             → A
 *   receiver:  per OT i with choice c: pick the group g ∈ {E, E'} by a fair coin, a key k
 *              (on E': two keys k₁, k₂, k = k₁k₂, see below), a uniform small-order point
 *              T of g; B = x(k·G_g + T) with a random top bit; f_i = Program_i(c, B)      → f
 *   sender:    B_x = Eval_i(f_i, x); k_x = KDF(i, x, A, f_i, x(a·B_x))              (x = 0, 1)
 *   receiver:  k_c = KDF(i, c, A, f_i, x(k·A_g))
 * The two messages are independent: one round. Correct because X25519 clamps a to a
 * multiple of 8, which removes T: x(a·B_c) = x(a·k·G_g) = x(k·A_g).
 *
 * POPF: the two-round Feistel construction of [MRR20, §5] on 256-bit outputs, f = (t, s)
 * with |s| = 384 bits: Eval(f, x) = t ⊕ H_x(s ⊕ H'_x(t)); Program(x, y) picks s₀ at random,
 * t = y ⊕ H_x(s₀), s = s₀ ⊕ H'_x(t). H, H' are SHA-256 / SHA-512 with domain separation
 * and the OT's context (session instance, ordered pair, index i, input x).
 *
 * Security [MRR20, Thm. 6.2]: UC-secure random OT against a static malicious sender or
 * receiver, in the random-oracle model, from a key agreement whose messages are uniform
 * and which is secure against an eavesdropper: here X25519 over E ∪ E', i.e. CDH on
 * curve25519 and on its twist (both of prime order ℓ, ℓ' ≈ 2^252, 2^253 times cofactors
 * 8, 4; the twist is secure by design [Ber06]). A malicious receiver can program the POPF
 * at one input only, so it knows the discrete log of at most one B_x; the other key is
 * a·B_{1−x} for a point it does not control. Receiver privacy needs B uniform among all
 * 256-bit strings: the coin picks E or E' (off from #E/(#E+#E') by 2^−128), x(k·G) for a
 * clamped k is uniform among the x-coordinates of E's prime-order subgroup up to 2^−125
 * (clamped scalars are 8·[2^251, 2^252), and ±j cover Z_ℓ once), on E' a single clamped key
 * reaches only half of them (ℓ' ≈ 2^253), so the receiver multiplies by two keys: the
 * product of two independent clamped scalars is within ≈ 2^−116 of uniform mod ℓ'
 * (Pólya–Vinogradov); T makes the point uniform on the whole group, and the random top
 * bit the encoding uniform. A peer's A must be canonical and on the right group, every
 * DH output non-zero, else MALFORMED_MESSAGE blaming that peer. As for the endemic OT
 * this replaces [MR19], a corrupt party may choose its own outputs; that is what OT
 * extension needs of its base OTs.
 *
 * Cost per OT: receiver 1.5 key generations + 1.5 multiplications (+ 1 square root and one
 * affine addition in BigInt), sender 2 multiplications; 80 bytes on the wire per OT, 64
 * per batch from the sender.
 *
 * [MRR20]  McQuoid, Rosulek, Roy. Minimal Symmetric PAKE and 1-out-of-N OT from
 *          Programmable-Once Public Functions. ACM CCS 2020, ePrint 2020/1043.
 * [libOTe] Rindal, Roy. libOTe, libOTe/Base/McRosRoyTwist.h (design reference; no code taken).
 * [Ber06]  Bernstein. Curve25519: new Diffie-Hellman speed records. PKC 2006.
 * [MR19]   Masny, Rindal. Endemic Oblivious Transfer. CCS 2019.
 */
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { MpcError } from '../errors.ts';
import { randomBytes } from '../random.ts';
import type { BaseOtContext } from './base-ot.ts';
import { COFACTOR, TWIST_BASE, addTorsion, bytesToX, groupOf, xToBytes } from './curve25519-whole.ts';
import type { X25519Engine, X25519Secret } from './x25519.ts';

export const TWIST_SENDER_BYTES = 64;
const T_BYTES = 32;
const S_BYTES = 48;
/** Receiver message per OT: the POPF f = (t, s). */
export const TWIST_OT_BYTES = T_BYTES + S_BYTES;
export const TWIST_KEY_BYTES = 32;

const enc = new TextEncoder();
const DOM_H = enc.encode('parley/base-ot/mrr20-twist/H/v1');
const DOM_H2 = enc.encode('parley/base-ot/mrr20-twist/H2/v1');
const DOM_KDF = enc.encode('parley/base-ot/mrr20-twist/kdf/v1');
const TWIST_BASE_BYTES = xToBytes(TWIST_BASE);

/** domain ‖ instance ‖ sender ‖ receiver ‖ i ‖ x ‖ parts… */
function tagged(domain: Uint8Array, ctx: BaseOtContext, i: number, x: number, ...parts: Uint8Array[]): Uint8Array {
  let len = domain.length + 17;
  for (const p of parts) len += p.length;
  const buf = new Uint8Array(len);
  buf.set(domain);
  const v = new DataView(buf.buffer, domain.length, 17);
  v.setUint32(0, ctx.instance);
  v.setUint32(4, ctx.sender);
  v.setUint32(8, ctx.receiver);
  v.setUint32(12, i);
  v.setUint8(16, x);
  let off = domain.length + 17;
  for (const p of parts) {
    buf.set(p, off);
    off += p.length;
  }
  return buf;
}

const xorInto = (dst: Uint8Array, src: Uint8Array): void => {
  for (let j = 0; j < dst.length; j++) dst[j] ^= src[j];
};

/** Eval_i(f, x) of the Feistel POPF. */
export function popfEval(ctx: BaseOtContext, i: number, f: Uint8Array, x: number): Uint8Array {
  const t = f.slice(0, T_BYTES);
  const s = f.slice(T_BYTES, TWIST_OT_BYTES);
  xorInto(s, sha512(tagged(DOM_H2, ctx, i, x, t)).subarray(0, S_BYTES));
  xorInto(t, sha256(tagged(DOM_H, ctx, i, x, s)));
  return t;
}

/** Program_i(x, y): an f with Eval_i(f, x) = y. */
export function popfProgram(ctx: BaseOtContext, i: number, x: number, y: Uint8Array): Uint8Array {
  const s = randomBytes(S_BYTES);
  const t = y.slice();
  xorInto(t, sha256(tagged(DOM_H, ctx, i, x, s)));
  xorInto(s, sha512(tagged(DOM_H2, ctx, i, x, t)).subarray(0, S_BYTES));
  const f = new Uint8Array(TWIST_OT_BYTES);
  f.set(t);
  f.set(s, T_BYTES);
  return f;
}

function kdf(ctx: BaseOtContext, i: number, x: number, A: Uint8Array, f: Uint8Array, dh: Uint8Array): Uint8Array {
  return sha256(tagged(DOM_KDF, ctx, i, x, A, f, dh));
}

/** A DH with a peer's value; an all-zero result (small-order input) is the peer's fault. */
async function dh(engine: X25519Engine, k: X25519Secret, u: Uint8Array, blame: number, what: string): Promise<Uint8Array> {
  try {
    return await engine.multiply(k, u);
  } catch {
    throw new MpcError('MALFORMED_MESSAGE', `base OT: ${what} is a point of small order`, blame);
  }
}

export interface TwistSenderSecret {
  readonly a: X25519Secret;
  /** A = x(a·G_E) ‖ x(a·G_E'). */
  readonly message: Uint8Array;
}

/** Sender: one key for the whole batch, on both groups. */
export async function twistSenderStart(engine: X25519Engine): Promise<TwistSenderSecret> {
  const a = await engine.generate();
  const message = new Uint8Array(TWIST_SENDER_BYTES);
  message.set(a.publicKey);
  message.set(await engine.multiply(a, TWIST_BASE_BYTES), 32);
  return { a, message };
}

interface ReceiverOt {
  readonly group: 0 | 1;
  readonly keys: readonly X25519Secret[];
}

export interface TwistReceiverState {
  readonly choices: Uint8Array;
  readonly ots: readonly ReceiverOt[];
  /** f_1 ‖ … ‖ f_m, 80 bytes each. */
  readonly message: Uint8Array;
}

/** x(k·G_g) for the receiver's key(s) (one on E, two on E'). */
async function receiverPoint(engine: X25519Engine, group: 0 | 1): Promise<ReceiverOt & { point: Uint8Array }> {
  const k1 = await engine.generate();
  if (group === 0) return { group, keys: [k1], point: k1.publicKey };
  const k2 = await engine.generate();
  return { group, keys: [k1, k2], point: await engine.multiply(k2, await engine.multiply(k1, TWIST_BASE_BYTES)) };
}

/** Receiver: its POPFs (80 bytes per choice); independent of A, so sent in the same round. */
export async function twistReceive(engine: X25519Engine, ctx: BaseOtContext, choices: Uint8Array): Promise<TwistReceiverState> {
  const coins = randomBytes(choices.length);
  const ots = await Promise.all(Array.from(coins, (coin) => receiverPoint(engine, (coin & 1) as 0 | 1)));
  const message = new Uint8Array(choices.length * TWIST_OT_BYTES);
  for (let i = 0; i < choices.length; i++) {
    const { group, point } = ots[i];
    // A uniform small-order point: coin bits 1..3 (E: 8 points, E': 4); bit 4 is the top bit.
    const torsion = (coins[i] >>> 1) & (COFACTOR[group] - 1);
    const B = xToBytes(addTorsion(group, bytesToX(point), torsion));
    B[31] |= coins[i] & 0x80;
    message.set(popfProgram(ctx, i, choices[i] & 1, B), i * TWIST_OT_BYTES);
  }
  return { choices: choices.slice(), ots: ots.map(({ group, keys }) => ({ group, keys })), message };
}

/** Canonical, right group, not small order (the DH catches the last). */
function checkSenderMessage(A: Uint8Array, blame: number): void {
  if (A.length !== TWIST_SENDER_BYTES) throw new MpcError('MALFORMED_MESSAGE', `base OT: expected ${TWIST_SENDER_BYTES} bytes from the sender, got ${A.length}`, blame);
  for (const g of [0, 1] as const) {
    const u = A.subarray(32 * g, 32 * g + 32);
    const x = bytesToX(u);
    const canonical = xToBytes(x).every((b, j) => b === u[j]);
    if (!canonical || groupOf(x) !== g) throw new MpcError('MALFORMED_MESSAGE', `base OT: the sender's ${g === 0 ? 'curve' : 'twist'} key is not a canonical point of ${g === 0 ? 'curve25519' : 'its twist'}`, blame);
  }
}

/** Receiver: its chosen keys k_{c_i} once the sender's A has arrived. */
export async function twistReceiverKeys(engine: X25519Engine, ctx: BaseOtContext, state: TwistReceiverState, A: Uint8Array): Promise<Uint8Array[]> {
  checkSenderMessage(A, ctx.sender);
  return Promise.all(
    state.ots.map(async ({ group, keys }, i) => {
      let shared: Uint8Array = A.slice(32 * group, 32 * group + 32);
      for (const k of keys) shared = await dh(engine, k, shared, ctx.sender, "the sender's key");
      return kdf(ctx, i, state.choices[i] & 1, A, state.message.subarray(i * TWIST_OT_BYTES, (i + 1) * TWIST_OT_BYTES), shared);
    }),
  );
}

/** Sender: both keys of every OT from the receiver's POPFs. */
export async function twistSenderKeys(engine: X25519Engine, ctx: BaseOtContext, secret: TwistSenderSecret, message: Uint8Array, count: number): Promise<{ k0: Uint8Array[]; k1: Uint8Array[] }> {
  if (message.length !== count * TWIST_OT_BYTES) {
    throw new MpcError('MALFORMED_MESSAGE', `base OT: expected ${count * TWIST_OT_BYTES} bytes of POPFs, got ${message.length}`, ctx.receiver);
  }
  const pairs = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const f = message.subarray(i * TWIST_OT_BYTES, (i + 1) * TWIST_OT_BYTES);
      return Promise.all(
        [0, 1].map(async (x) => {
          // Canonical x-coordinate (top bit cleared, reduced mod p), so every engine sees the same input.
          const B = xToBytes(bytesToX(popfEval(ctx, i, f, x)));
          return kdf(ctx, i, x, secret.message, f, await dh(engine, secret.a, B, ctx.receiver, `POPF output ${x} of OT ${i}`));
        }),
      );
    }),
  );
  return { k0: pairs.map((p) => p[0]), k1: pairs.map((p) => p[1]) };
}
