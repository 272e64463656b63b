/**
 * IKNP OT extension [IKNP03], semi-honest, κ = 128: from 128 base OTs (run in the reverse
 * direction) to any number m of OTs on 128-bit rows, with one message of 128·m bits from
 * the extension receiver to the extension sender. Pure math; ot-setup.ts runs it over a
 * Session.
 *
 *   base OTs (reverse):  sender chooses Δ ∈ {0,1}^128 and learns k_i^{Δ_i};
 *                         receiver knows both k_i^0, k_i^1 (i < 128).
 *   receiver, choices r ∈ {0,1}^m:  t^i = G(k_i^0), u^i = t^i ⊕ G(k_i^1) ⊕ r   → u
 *   sender:  q^i = G(k_i^{Δ_i}) ⊕ Δ_i·u^i = t^i ⊕ Δ_i·r
 *   transposed (row j):  q_j = t_j ⊕ r_j·Δ
 * So (q_j, q_j ⊕ Δ) / t_j is a correlated OT on rows; hashing with a correlation-robust
 * H (cr-hash.ts) turns row j into a random OT: sender (H(j, q_j), H(j, q_j ⊕ Δ)),
 * receiver (r_j, H(j, t_j)).
 *
 * PRG G: the ChaCha12 keystream (ChaCha [Ber08] with 12 rounds, as Rust's StdRng) under
 * the base-OT key, nonce = the extension call number (each call uses fresh keystream).
 * ChaCha because it is synchronous and fast in JS; WebCrypto AES-CTR is faster in browsers
 * but async only, so it cannot sit in this synchronous loop. Measured in Node 20 here
 * (@noble/ciphers): ChaCha20 275 MB/s, ChaCha12 414 MB/s, ChaCha8 537 MB/s. The PRG is
 * ~40% of extension time; 12 rounds keep a wide margin (best attacks reach 7 rounds,
 * [Aum19] argues 8 suffice) for 12% more OTs/s than ChaCha20.
 *
 * Security: semi-honest, assuming the base OTs, G a PRG and H correlation robust. A
 * malicious receiver can send inconsistent columns and learn bits of Δ (ot-attack.test.ts
 * shows it recovering all of Δ); strict mode adds the KOS15 consistency check
 * (kos-check.ts, run by checked-extension.ts) and malicious base OTs (base-ot-endemic.ts).
 *
 * [IKNP03] Ishai, Kilian, Nissim, Petrank. Extending Oblivious Transfers Efficiently. CRYPTO 2003.
 * [Ber08]  Bernstein. ChaCha, a variant of Salsa20. 2008.
 * [Aum19]  Aumasson. Too Much Crypto. RWC 2020 / ePrint 2019/1492.
 */
import { chacha12 } from '@noble/ciphers/chacha.js';
import { blake3 } from '@noble/hashes/blake3.js';
import { MpcError } from '../errors.ts';
import { columnsToRows } from './bit-transpose.ts';
import { keyWords } from './cr-hash.ts';

export const KAPPA = 128;

export interface IknpSender {
  /** Δ as 4 little-endian words (bit i = base-OT choice i). */
  readonly delta: Uint32Array;
  /** k_i^{Δ_i}, 32 bytes each. */
  readonly keys: readonly Uint8Array[];
  /** Extension calls so far (PRG nonce and hash key of the next call). */
  calls: number;
}

export interface IknpReceiver {
  readonly keys0: readonly Uint8Array[];
  readonly keys1: readonly Uint8Array[];
  calls: number;
}

/**
 * One extension call as receiver: the message u for the sender, our rows t_j (4 words
 * each) and the same matrix column-major (128 columns of m/32 words: the consistency
 * check of kos-check.ts works on columns).
 */
export interface ExtensionReceived {
  readonly u: Uint8Array;
  readonly t: Uint32Array;
  readonly tCols: Uint32Array;
  readonly call: number;
}

/** One extension call as sender: rows q_j = t_j ⊕ r_j·Δ, and column-major. */
export interface ExtensionSent {
  readonly q: Uint32Array;
  readonly qCols: Uint32Array;
  readonly call: number;
}

/** Number of OTs actually extended for a request of m: a multiple of 32 (word aligned). */
export const roundUpOts = (m: number): number => Math.ceil(m / 32) * 32;

function nonce(call: number): Uint8Array {
  // Nonces with a first word ≥ 0xffff_fff0 are reserved for other uses of the keys.
  if (call >= 0xffff_fff0) throw new MpcError('INVALID_ARGUMENT', 'OT extension: too many extension calls for one setup');
  const n = new Uint8Array(12);
  new DataView(n.buffer).setUint32(0, call);
  return n;
}

/** Column i of `cols` (m/8 bytes each) := G(key). */
function expand(key: Uint8Array, call: number, cols: Uint8Array, i: number, colBytes: number): void {
  const col = cols.subarray(i * colBytes, (i + 1) * colBytes);
  chacha12(key, nonce(call), col, col);
}

/**
 * Receiver side. `choice` holds m bits (m/32 words; m a multiple of 32). Returns the
 * message u (128·m/8 bytes, column-major) and the rows t_j (4 words each).
 */
export function iknpReceive(st: IknpReceiver, choice: Uint32Array, m: number): ExtensionReceived {
  if (m % 32 !== 0 || choice.length < m / 32) throw new MpcError('INVALID_ARGUMENT', `IKNP: m must be a multiple of 32 with m/32 choice words, got m=${m}`);
  const call = st.calls++;
  const colBytes = m / 8, w = m / 32;
  const tCols = new Uint8Array(KAPPA * colBytes);
  const u = new Uint8Array(KAPPA * colBytes);
  const t32 = new Uint32Array(tCols.buffer), u32 = new Uint32Array(u.buffer);
  for (let i = 0; i < KAPPA; i++) {
    expand(st.keys0[i], call, tCols, i, colBytes);
    expand(st.keys1[i], call, u, i, colBytes);
    const o = i * w;
    for (let k = 0; k < w; k++) u32[o + k] ^= t32[o + k] ^ choice[k];
  }
  return { u, t: columnsToRows(t32, m), tCols: t32, call };
}

/** Sender side: the rows q_j = t_j ⊕ r_j·Δ from the receiver's message u. */
export function iknpSend(st: IknpSender, u: Uint8Array, m: number, receiver: number): ExtensionSent {
  if (m % 32 !== 0) throw new MpcError('INVALID_ARGUMENT', `IKNP: m must be a multiple of 32, got ${m}`);
  if (u.length !== (KAPPA * m) / 8) throw new MpcError('MALFORMED_MESSAGE', `IKNP: expected ${(KAPPA * m) / 8} bytes of columns, got ${u.length}`, receiver);
  const call = st.calls++;
  const colBytes = m / 8, w = m / 32;
  const qCols = new Uint8Array(KAPPA * colBytes);
  const q32 = new Uint32Array(qCols.buffer);
  // u may be an unaligned view into a frame: copy once into aligned words.
  const u32 = new Uint32Array(KAPPA * w);
  new Uint8Array(u32.buffer).set(u);
  for (let i = 0; i < KAPPA; i++) {
    expand(st.keys[i], call, qCols, i, colBytes);
    // Masked, not branched: the work must not depend on the secret Δ.
    const mask = -((st.delta[i >>> 5] >>> (i & 31)) & 1);
    const o = i * w;
    for (let k = 0; k < w; k++) q32[o + k] ^= u32[o + k] & mask;
  }
  return { q: columnsToRows(q32, m), qCols: q32, call };
}

const HASH_LABEL = new TextEncoder().encode('parley/iknp/hash-key/v1');

/**
 * Public key of the correlation-robust hash for one extension call of one ordered pair:
 * separates pairs, directions and calls (so tweaks j never repeat under one key).
 */
export function iknpHashKey(sender: number, receiver: number, call: number, purpose: number): Uint32Array {
  const msg = new Uint8Array(HASH_LABEL.length + 16);
  msg.set(HASH_LABEL);
  const v = new DataView(msg.buffer, HASH_LABEL.length);
  v.setUint32(0, sender);
  v.setUint32(4, receiver);
  v.setUint32(8, call);
  v.setUint32(12, purpose);
  return keyWords(blake3(msg));
}
