/**
 * SoftSpokenOT [Roy22], semi-honest, with the repetition code: OT extension whose receiver
 * sends 128/k bits per OT instead of IKNP's 128, from the same 128 base OTs per ordered
 * pair, at the price of 2^k/k PRG evaluations per OT and column. k = 1 is IKNP. The output
 * correlation is IKNP's — rows q_j = t_j ⊕ r_j·Δ — so hashing and everything above
 * (ot-setup.ts, triples) is unchanged.
 *
 * Per block b of k bits of Δ (128/k blocks), with x* = Δ_b:
 * 1. Setup, punctured PRF by a GGM tree [BGI14]: the receiver R grows 2^k leaf seeds s_x
 *    from a random root; for each level ℓ it sends the XOR of all left children padded
 *    with base-OT key k1 and of all right children padded with k0 (base OT b·k+ℓ, where
 *    the sender S chose Δ's bit). S learns every leaf except s_{x*}.
 * 2. Extension (m OTs): R expands r_x = G(s_x) ∈ F_2^m and sets
 *      U_b = Σ_x r_x,  t-column (b,i) = V_{b,i} = Σ_{x: x_i=1} r_x,
 *    and sends c_b = U_b ⊕ choices. S computes without r_{x*}
 *      W_{b,i} = Σ_x (x ⊕ x*)_i·r_x = V_{b,i} ⊕ x*_i·U_b,
 *    and q-column (b,i) = W_{b,i} ⊕ Δ_{b,i}·c_b = V_{b,i} ⊕ Δ_{b,i}·choices.
 *
 * PRG: ChaCha12 (see iknp.ts), GGM nodes under a nonce of their own, leaves under the call
 * number. Security: semi-honest [Roy22] (small-field VOLE from the PPRF, repetition
 * code), under the base OTs, the PRG, and the hash being correlation robust (cr-hash.ts).
 * Against a malicious receiver (inconsistent corrections c_b, or GGM messages that give
 * the sender leaves depending on Δ_b) strict mode runs the check of [Roy22] on the
 * resulting rows (kos-check.ts via checked-extension.ts).
 *
 * [Roy22] Roy. SoftSpokenOT: Quieter OT Extension from Small-Field Silent VOLE in the
 *         Minicrypt Model. CRYPTO 2022.
 * [BGI14] Boyle, Gilboa, Ishai. Function Secret Sharing / puncturable PRFs from GGM. 2014/2015.
 */
import { chacha12 } from '@noble/ciphers/chacha.js';
import { MpcError } from '../errors.ts';
import { randomBytes } from '../random.ts';
import { columnsToRows } from './bit-transpose.ts';
import { chacha12Words, leWords } from './chacha-words.ts';
import { KAPPA, type ExtensionReceived, type ExtensionSent } from './iknp.ts';

const SEED = 32;
const GGM_NONCE = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x67, 0x67, 0x6d, 0, 0, 0, 0, 0]);
const PAD_NONCE = new Uint8Array([0xff, 0xff, 0xff, 0xfe, 0x70, 0x61, 0x64, 0, 0, 0, 0, 0]);
const ZERO64 = new Uint8Array(64);

export type SoftSpokenK = 1 | 2 | 4 | 8;

export interface SoftSpokenReceiver {
  readonly k: SoftSpokenK;
  /** leaves[b][x] = s_x of block b. */
  readonly leaves: readonly (readonly Uint8Array[])[];
  calls: number;
}

export interface SoftSpokenSender {
  readonly k: SoftSpokenK;
  readonly delta: Uint32Array;
  /** leaves[b][x], with leaves[b][x*] unknown (empty). */
  readonly leaves: readonly (readonly Uint8Array[])[];
  calls: number;
}

function checkK(k: number): asserts k is SoftSpokenK {
  if (k !== 1 && k !== 2 && k !== 4 && k !== 8) throw new MpcError('INVALID_ARGUMENT', `SoftSpokenOT: k must be 1, 2, 4 or 8, got ${k}`);
}

const deltaBit = (delta: Uint32Array, i: number): number => (delta[i >>> 5] >>> (i & 31)) & 1;

/** GGM step: a node's two children. */
function children(node: Uint8Array): [Uint8Array, Uint8Array] {
  const out = chacha12(node, GGM_NONCE, ZERO64);
  return [out.subarray(0, SEED), out.subarray(SEED)];
}

const pad = (key: Uint8Array): Uint8Array => chacha12(key, PAD_NONCE, ZERO64.subarray(0, SEED));

function xorInto(acc: Uint8Array, x: Uint8Array): void {
  for (let i = 0; i < acc.length; i++) acc[i] ^= x[i];
}

/**
 * Receiver setup from its base-OT key pairs (it was the base-OT sender): the leaf seeds
 * and the GGM message for the sender (128 levels × 2 × 32 bytes).
 */
export function softSpokenReceiverSetup(k: number, keys0: readonly Uint8Array[], keys1: readonly Uint8Array[]): { state: SoftSpokenReceiver; message: Uint8Array } {
  checkK(k);
  const blocks = KAPPA / k;
  const message = new Uint8Array(KAPPA * 2 * SEED);
  const leaves: Uint8Array[][] = [];
  for (let b = 0; b < blocks; b++) {
    // Level d holds 2^d nodes, node p = the d low bits of the leaf index.
    let level: Uint8Array[] = [randomBytes(SEED)];
    for (let d = 0; d < k; d++) {
      const next = new Array<Uint8Array>(2 << d);
      const sums = [new Uint8Array(SEED), new Uint8Array(SEED)];
      for (let p = 0; p < level.length; p++) {
        const [c0, c1] = children(level[p]);
        next[p] = c0;
        next[p | (1 << d)] = c1;
        xorInto(sums[0], c0);
        xorInto(sums[1], c1);
      }
      const i = b * k + d;
      // The sender holds k_β for β = Δ_i and must learn the side off its path, 1 − β.
      xorInto(sums[0], pad(keys1[i]));
      xorInto(sums[1], pad(keys0[i]));
      message.set(sums[0], (2 * i) * SEED);
      message.set(sums[1], (2 * i + 1) * SEED);
      level = next;
    }
    leaves.push(level);
  }
  return { state: { k, leaves, calls: 0 }, message };
}

/** Sender setup: its chosen base-OT keys (choice bits = Δ) and the receiver's GGM message. */
export function softSpokenSenderSetup(k: number, delta: Uint32Array, keys: readonly Uint8Array[], message: Uint8Array, receiver: number): SoftSpokenSender {
  checkK(k);
  if (message.length !== KAPPA * 2 * SEED) throw new MpcError('MALFORMED_MESSAGE', `SoftSpokenOT: expected ${KAPPA * 2 * SEED} setup bytes, got ${message.length}`, receiver);
  const blocks = KAPPA / k;
  const leaves: Uint8Array[][] = [];
  for (let b = 0; b < blocks; b++) {
    let level: Uint8Array[] = [new Uint8Array(0)]; // the root is on the path: unknown
    let path = 0; // low d bits of x*
    for (let d = 0; d < k; d++) {
      const i = b * k + d;
      const beta = deltaBit(delta, i);
      const off = 1 - beta;
      const next = new Array<Uint8Array>(2 << d).fill(new Uint8Array(0));
      const known = message.slice((2 * i + off) * SEED, (2 * i + off + 1) * SEED);
      xorInto(known, pad(keys[i]));
      for (let p = 0; p < level.length; p++) {
        if (p === path) continue;
        const [c0, c1] = children(level[p]);
        next[p] = c0;
        next[p | (1 << d)] = c1;
        xorInto(known, off ? c1 : c0);
      }
      // `known` is now the off-path child of the path node.
      next[path | (off << d)] = known;
      path |= beta << d;
      level = next;
    }
    leaves.push(level);
  }
  return { k, delta, leaves, calls: 0 };
}

/** Leaf seeds as ChaCha key words, converted once per leaf (leaves live as long as the setup). */
const seedWords = new WeakMap<Uint8Array, Uint32Array>();
function keyOf(seed: Uint8Array): Uint32Array {
  let w = seedWords.get(seed);
  if (!w) seedWords.set(seed, (w = leWords(seed)));
  return w;
}

/** G(seed) for extension call `call`: ChaCha12 under nonce(call) (first nonce word = call, big endian). */
function expandInto(seed: Uint8Array, call: number, out: Uint32Array, words: number): void {
  const n0 = ((call & 0xff) << 24) | ((call & 0xff00) << 8) | ((call >>> 8) & 0xff00) | (call >>> 24);
  chacha12Words(keyOf(seed), n0, 0, 0, out, words);
}

function nonce(call: number): Uint8Array {
  // Nonces with a first word ≥ 0xffff_fff0 are reserved for other uses of the keys.
  if (call >= 0xffff_fff0) throw new MpcError('INVALID_ARGUMENT', 'OT extension: too many extension calls for one setup');
  const n = new Uint8Array(12);
  new DataView(n.buffer).setUint32(0, call);
  return n;
}

/** Bytes of the receiver's extension message for m OTs. */
export const softSpokenMessageBytes = (k: SoftSpokenK, m: number): number => ((KAPPA / k) * m) / 8;

/** Receiver: choices (m bits) → corrections c_b (128/k columns) and rows t_j. */
export function softSpokenReceive(st: SoftSpokenReceiver, choice: Uint32Array, m: number): ExtensionReceived {
  if (m % 32 !== 0 || choice.length < m / 32) throw new MpcError('INVALID_ARGUMENT', `SoftSpokenOT: m must be a multiple of 32 with m/32 choice words, got m=${m}`);
  const call = st.calls++;
  const { k } = st;
  const w = m / 32;
  nonce(call); // range check
  const r32 = new Uint32Array(Math.ceil(w / 16) * 16);
  const tCols = new Uint32Array(KAPPA * w);
  const u = new Uint8Array(softSpokenMessageBytes(k, m)), u32 = new Uint32Array(u.buffer);
  for (let b = 0; b < KAPPA / k; b++) {
    const ub = b * w;
    for (let k2 = 0; k2 < w; k2++) u32[ub + k2] = choice[k2];
    const seeds = st.leaves[b];
    for (let x = 0; x < seeds.length; x++) {
      expandInto(seeds[x], call, r32, r32.length);
      for (let k2 = 0; k2 < w; k2++) u32[ub + k2] ^= r32[k2];
      for (let i = 0; i < k; i++) {
        if (!((x >>> i) & 1)) continue;
        const o = (b * k + i) * w;
        for (let k2 = 0; k2 < w; k2++) tCols[o + k2] ^= r32[k2];
      }
    }
  }
  return { u, t: columnsToRows(tCols, m), tCols, call };
}

/** Sender: the receiver's corrections → rows q_j = t_j ⊕ r_j·Δ. */
export function softSpokenSend(st: SoftSpokenSender, u: Uint8Array, m: number, receiver: number): ExtensionSent {
  const { k } = st;
  if (m % 32 !== 0) throw new MpcError('INVALID_ARGUMENT', `SoftSpokenOT: m must be a multiple of 32, got ${m}`);
  if (u.length !== softSpokenMessageBytes(k, m)) throw new MpcError('MALFORMED_MESSAGE', `SoftSpokenOT: expected ${softSpokenMessageBytes(k, m)} bytes of corrections, got ${u.length}`, receiver);
  const call = st.calls++;
  const w = m / 32;
  nonce(call); // range check
  const u32 = new Uint32Array(u.length / 4);
  new Uint8Array(u32.buffer).set(u);
  const r32 = new Uint32Array(Math.ceil(w / 16) * 16);
  const qCols = new Uint32Array(KAPPA * w);
  for (let b = 0; b < KAPPA / k; b++) {
    let xs = 0;
    for (let i = 0; i < k; i++) xs |= deltaBit(st.delta, b * k + i) << i;
    const seeds = st.leaves[b];
    for (let x = 0; x < seeds.length; x++) {
      if (x === xs) continue;
      expandInto(seeds[x], call, r32, r32.length);
      const y = x ^ xs;
      for (let i = 0; i < k; i++) {
        if (!((y >>> i) & 1)) continue;
        const o = (b * k + i) * w;
        for (let k2 = 0; k2 < w; k2++) qCols[o + k2] ^= r32[k2];
      }
    }
    // Masked, not branched: the work must not depend on the secret Δ (the loop above does
    // the same work for every x*: Σ_{x≠x*} popcount(x ⊕ x*) is independent of x*).
    for (let i = 0; i < k; i++) {
      const mask = -((xs >>> i) & 1);
      const o = (b * k + i) * w, ub = b * w;
      for (let k2 = 0; k2 < w; k2++) qCols[o + k2] ^= u32[ub + k2] & mask;
    }
  }
  return { q: columnsToRows(qCols, m), qCols, call };
}
