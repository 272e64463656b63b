/**
 * Gilboa's OLE over Z_2^64 from correlated OT [Gil99]: the product x·y of a sender's x and
 * a receiver's y becomes additive shares, with one OT per bit of y. Pure math on hashed
 * IKNP rows (src/core/ot/); triple-source.ts runs it for every ordered pair.
 *
 * For bit k of y (OT j = 64·t + k of the batch, choice y_k):
 *   sender has v0 = H(j, q_j), v1 = H(j, q_j ⊕ Δ) and sends d_k = v0 + x − v1;
 *   receiver has w = H(j, t_j) = v_{y_k} and sets w_k = w + y_k·d_k = v0 + y_k·x.
 *   Then Σ_k 2^k·w_k − Σ_k 2^k·v0 = x·y (mod 2^64).
 * Because d_k is multiplied by 2^k, only its low 64−k bits matter [DSZ15]: the
 * message is Σ_k (64−k) = 2080 bits per product. We pack d_k with d_{64−k} into one 64-bit
 * word ((64−k) + k = 64 bits), d_0 alone, and d_32's 32 bits into a trailing u32 section.
 *
 * Security: semi-honest; the receiver sees d_k masked by v1 (pseudorandom to it when
 * y_k = 0), the sender sees nothing from the receiver beyond IKNP's columns.
 *
 * [Gil99] Gilboa. Two Party RSA Key Generation. CRYPTO 1999.
 * [DSZ15] Demmler, Schneider, Zohner. ABY – A Framework for Efficient Mixed-Protocol
 *         Secure Two-Party Computation. NDSS 2015 (OT-based triples, truncated corrections).
 */
import { MpcError } from '../errors.ts';

const BITS = 64;
/** Bytes of the sender's message per product: 32 words of 8 bytes + 4 bytes for d_32. */
export const GILBOA_BYTES_PER_PRODUCT = 32 * 8 + 4;

const SHIFT: bigint[] = Array.from({ length: BITS + 1 }, (_, k) => BigInt(k));
/** Select d_k by the choice bit with a mask rather than a branch on the secret y. */
const SELECT: bigint[] = [0n, (1n << 64n) - 1n];
const LOW_MASK: bigint[] = Array.from({ length: BITS + 1 }, (_, k) => (1n << BigInt(k)) - 1n);

/**
 * Sender: x (count values), hashed rows h0/h1 (64·count u64 each) → our additive share of
 * x·y and the message for the receiver.
 */
export function gilboaSend(x: BigUint64Array, h0: BigUint64Array, h1: BigUint64Array): { share: BigUint64Array; message: Uint8Array } {
  const count = x.length;
  if (h0.length < BITS * count || h1.length < BITS * count) throw new MpcError('INVALID_ARGUMENT', 'gilboaSend: need 64 hashed OTs per product');
  const share = new BigUint64Array(count);
  const message = new Uint8Array(count * GILBOA_BYTES_PER_PRODUCT);
  const packed = new BigUint64Array(message.buffer, 0, 32 * count);
  const mid = new Uint32Array(message.buffer, 256 * count, count);
  const d = new BigUint64Array(BITS);
  for (let t = 0; t < count; t++) {
    const xt = x[t];
    const base = BITS * t;
    let acc = 0n;
    for (let k = 0; k < BITS; k++) {
      const v0 = h0[base + k];
      d[k] = v0 + xt - h1[base + k];
      acc = BigInt.asUintN(64, acc + BigInt.asUintN(64, v0 << SHIFT[k]));
    }
    share[t] = -acc;
    const o = 32 * t;
    packed[o] = d[0];
    for (let k = 1; k < 32; k++) packed[o + k] = (d[k] & LOW_MASK[BITS - k]) | BigInt.asUintN(64, d[BITS - k] << SHIFT[BITS - k]);
    mid[t] = Number(d[32] & 0xffffffffn);
  }
  return { share, message };
}

/**
 * Receiver: y (count values, whose bits were the OT choices), hashed rows w (64·count
 * u64) and the sender's message → our additive share of x·y.
 */
export function gilboaReceive(y: BigUint64Array, w: BigUint64Array, message: Uint8Array, sender: number): BigUint64Array {
  const count = y.length;
  if (message.length !== count * GILBOA_BYTES_PER_PRODUCT) {
    throw new MpcError('MALFORMED_MESSAGE', `Gilboa: expected ${count * GILBOA_BYTES_PER_PRODUCT} bytes, got ${message.length}`, sender);
  }
  if (w.length < BITS * count) throw new MpcError('INVALID_ARGUMENT', 'gilboaReceive: need 64 hashed OTs per product');
  // The message may be an unaligned view into a frame: copy once.
  const buf = new Uint8Array(message.length);
  buf.set(message);
  const packed = new BigUint64Array(buf.buffer, 0, 32 * count);
  const mid = new Uint32Array(buf.buffer, 256 * count, count);
  const y32 = new Uint32Array(y.buffer, y.byteOffset, 2 * count);
  const d = new BigUint64Array(BITS);
  const share = new BigUint64Array(count);
  for (let t = 0; t < count; t++) {
    const o = 32 * t;
    d[0] = packed[o];
    for (let k = 1; k < 32; k++) {
      const word = packed[o + k];
      d[k] = word & LOW_MASK[BITS - k];
      d[BITS - k] = word >> SHIFT[BITS - k];
    }
    d[32] = BigInt(mid[t]);
    const lo = y32[2 * t], hi = y32[2 * t + 1];
    const base = BITS * t;
    let acc = 0n;
    for (let k = 0; k < BITS; k++) {
      const yk = k < 32 ? (lo >>> k) & 1 : (hi >>> (k - 32)) & 1;
      const wk = w[base + k] + (d[k] & SELECT[yk]);
      acc = BigInt.asUintN(64, acc + BigInt.asUintN(64, wk << SHIFT[k]));
    }
    share[t] = acc;
  }
  return share;
}
