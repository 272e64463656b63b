/**
 * Cross terms of AND triples from random OT: for bits a (sender) and b (receiver), one OT
 * per bit gives XOR shares of a∧b (the random-OT triple generation of [ALSZ13]). Pure
 * math on hashed extension rows (src/core/ot/); triple-source.ts runs it for every
 * ordered pair.
 *
 * For OT j with receiver choice b_j: the sender has random bits m0 = lsb H(j, q_j),
 * m1 = lsb H(j, q_j ⊕ Δ) and sends d_j = a_j ⊕ m0 ⊕ m1 (one bit: it fixes the sender's
 * a_j, which must be the same toward every peer); the receiver has m_{b_j} and sets
 * v_j = m_{b_j} ⊕ b_j·d_j = m0 ⊕ a_j·b_j. Shares: sender m0, receiver v_j.
 * Traffic per AND per ordered pair: 128 bits of IKNP columns + this 1 bit.
 *
 * Bit-sliced: bit j of the word arrays is AND number j (word j>>5, bit j&31).
 * Security: semi-honest; d_j is masked by m_{1−b_j}, unknown to the receiver.
 *
 * [ALSZ13] Asharov, Lindell, Schneider, Zohner. More Efficient Oblivious Transfer and
 *          Extensions for Faster Secure Computation. CCS 2013.
 */
import { MpcError } from '../errors.ts';

/** h0/h1: 2 words per OT (we use the low bit). Returns the sender's share and message. */
export function andSend(a: Uint32Array, h0: Uint32Array, h1: Uint32Array): { share: Uint32Array; message: Uint32Array } {
  const words = a.length;
  if (h0.length < 64 * words || h1.length < 64 * words) throw new MpcError('INVALID_ARGUMENT', 'andSend: need 32 hashed OTs per word');
  const share = new Uint32Array(words);
  const message = new Uint32Array(words);
  for (let w = 0; w < words; w++) {
    let s = 0, d = 0;
    const base = 64 * w;
    for (let k = 0; k < 32; k++) {
      const m0 = h0[base + 2 * k] & 1;
      s |= m0 << k;
      d |= (m0 ^ (h1[base + 2 * k] & 1)) << k;
    }
    share[w] = s;
    message[w] = d ^ a[w];
  }
  return { share, message };
}

/** hb: 2 words per OT (m_{b_j}); message: the sender's d words. Returns our share. */
export function andReceive(b: Uint32Array, hb: Uint32Array, message: Uint32Array, sender: number): Uint32Array {
  const words = b.length;
  if (message.length !== words) throw new MpcError('MALFORMED_MESSAGE', `AND-OT: expected ${words} words, got ${message.length}`, sender);
  if (hb.length < 64 * words) throw new MpcError('INVALID_ARGUMENT', 'andReceive: need 32 hashed OTs per word');
  const share = new Uint32Array(words);
  for (let w = 0; w < words; w++) {
    let v = 0;
    const base = 64 * w;
    for (let k = 0; k < 32; k++) v |= (hb[base + 2 * k] & 1) << k;
    share[w] = v ^ (b[w] & message[w]);
  }
  return share;
}
