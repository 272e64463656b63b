/**
 * Consistency check for OT extension against a malicious receiver: KOS15 for IKNP, which
 * is also the malicious check of SoftSpokenOT [Roy22] (both give the same row correlation
 * q_j = t_j ⊕ x_j·Δ, so one check serves both). Pure math; checked-extension.ts runs it.
 *
 * After the receiver has sent its columns for m' = m + κ + s rows (the last κ + s = 192
 * rows have random choice bits and are thrown away), the parties toss a coin (commit then
 * reveal, coin-toss.ts) and expand it into χ_1..χ_m' ∈ GF(2^128). Then
 *   receiver:  x = Σ_j x_j·χ_j,   t = Σ_j t_j·χ_j                          → (x, t)
 *   sender:    accept iff  Σ_j q_j·χ_j = t ⊕ x·Δ
 * ([KOS15] "check correlation"; gf128.ts computes the sums without products).
 *
 * What it guarantees [KOS15, Roy22]: a receiver whose columns are not all for one
 * choice vector (IKNP: column i carries choice x^(i); SoftSpokenOT: block b carries x^(b))
 * makes q_j = t_j ⊕ (x^(i)_j·Δ_i)_i. To pass it must guess the Δ bits where its choices
 * disagree: learning ℓ bits of Δ passes with probability 2^−ℓ, so the adversary learns
 * ℓ bits with probability at most 2^−ℓ (a selective failure that the analysis allows;
 * the remaining 128 − ℓ bits keep the hash's security). The honest sender's check is
 * deterministic given Δ: an inconsistency in column i of a row is caught exactly when
 * Δ_i = 1 (tested). A wrong (x, t) with consistent columns fails except with
 * probability 2^−128. The κ + s sacrificed rows make x uniform (their χ's span
 * GF(2^128) except with probability 2^−64), so (x, t) tells a malicious sender nothing
 * about the receiver's choices; the coin must not be the sender's alone, which is why it
 * is tossed.
 *
 * [KOS15] Keller, Orsini, Scholl. Actively Secure OT Extension with Optimal Overhead.
 *         CRYPTO 2015 (ePrint 2015/546, revised analysis).
 * [Roy22] Roy. SoftSpokenOT: Quieter OT Extension from Small-Field Silent VOLE in the
 *         Minicrypt Model. CRYPTO 2022 (malicious security: the same check on the
 *         VOLE correlation, with a tighter bound).
 */
import { chacha12 } from '@noble/ciphers/chacha.js';
import { blake3 } from '@noble/hashes/blake3.js';
import { MpcError } from '../errors.ts';
import { combineRows, gfMul } from './gf128.ts';

/** κ + s sacrificed rows: κ = 128, s = 64 (a multiple of 32, so m' stays word aligned). */
export const CHECK_EXTRA_ROWS = 192;
/** x ‖ t: two field elements. */
export const CHECK_RESPONSE_BYTES = 32;

const LABEL = new TextEncoder().encode('parley/ot-check/chi/v1');

/**
 * χ_1..χ_m for one extension call of one ordered pair, from the tossed coin: ChaCha12
 * under a key bound to the coin, the pair and the call, so no two checks share χ's.
 */
export function checkChallenges(coin: Uint8Array, sender: number, receiver: number, call: number, m: number): Uint32Array {
  const msg = new Uint8Array(LABEL.length + coin.length + 12);
  msg.set(LABEL);
  msg.set(coin, LABEL.length);
  const v = new DataView(msg.buffer, LABEL.length + coin.length);
  v.setUint32(0, sender);
  v.setUint32(4, receiver);
  v.setUint32(8, call);
  const out = new Uint8Array(16 * m);
  chacha12(blake3(msg), new Uint8Array(12), out, out);
  return new Uint32Array(out.buffer);
}

/**
 * x = Σ_j x_j·χ_j: the XOR of the χ_j at the receiver's set choice bits. This is all a
 * malicious sender learns from the check beyond its own rows (t = Σ χ_j·q_j ⊕ x·Δ follows
 * from x), and the sacrificed rows make it uniform (kos-check.test.ts measures it).
 */
export function combineChoices(choice: Uint32Array, m: number, chi: Uint32Array): Uint32Array {
  const x = new Uint32Array(4);
  for (let j = 0; j < m; j++) {
    // Masked, not branched: the work must not depend on the secret choice bits.
    const mask = -((choice[j >>> 5] >>> (j & 31)) & 1);
    x[0] ^= chi[4 * j] & mask;
    x[1] ^= chi[4 * j + 1] & mask;
    x[2] ^= chi[4 * j + 2] & mask;
    x[3] ^= chi[4 * j + 3] & mask;
  }
  return x;
}

/** Receiver: (x, t) from its t-columns (128 × m/32 words) and its m choice bits. */
export function checkResponse(tCols: Uint32Array, choice: Uint32Array, m: number, chi: Uint32Array): Uint8Array {
  const out = new Uint8Array(CHECK_RESPONSE_BYTES);
  const w = new Uint32Array(out.buffer);
  w.set(combineChoices(choice, m, chi), 0);
  w.set(combineRows(tCols, m, chi), 4);
  return out;
}

/**
 * Sender: accept (return) or throw MALICIOUS_ABORT blaming the receiver. `qCols` are its
 * q-columns for the same m rows, `delta` its Δ.
 */
export function verifyResponse(qCols: Uint32Array, m: number, delta: Uint32Array, chi: Uint32Array, response: Uint8Array, receiver: number): void {
  if (response.length !== CHECK_RESPONSE_BYTES) {
    throw new MpcError('MALFORMED_MESSAGE', `OT check: expected ${CHECK_RESPONSE_BYTES} bytes, got ${response.length}`, receiver);
  }
  const r = new Uint32Array(4 * 2);
  new Uint8Array(r.buffer).set(response);
  const q = combineRows(qCols, m, chi);
  const xd = gfMul(r.subarray(0, 4), delta);
  // Compare without early exit.
  let diff = 0;
  for (let i = 0; i < 4; i++) diff |= q[i] ^ r[4 + i] ^ xd[i];
  if (diff !== 0) {
    throw new MpcError('MALICIOUS_ABORT', `a participant deviated from the protocol: party ${receiver}'s OT-extension columns failed the consistency check`, receiver);
  }
}
