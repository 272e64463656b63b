/**
 * The batched OPRF of [KKRT16] for mp-psi.ts: one OPRF instance per bin, the leader L
 * (receiver) learning F_{j,b}(y_b) for the one item y_b it placed in bin b, the other party
 * P_j (sender) able to evaluate F_{j,b} on any input. Symmetric-key work only, on the OT
 * extension the session already has (src/core/ot); it replaces the Diffie–Hellman OPRF,
 * whose ristretto255 exponentiations were ~75 % of the PSI's time (cpu profile of
 * `psi-size N=2`).
 *
 * Construction (semi-honest, [KKRT16] §3–4, width w = 512):
 *   0. Seeds. P_j picks s ∈ {0,1}^w and, as OT-extension receiver toward L with choices s,
 *      gets w random OTs: L holds both seeds (k_i^0, k_i^1), P_j holds k_i^{s_i}. The seeds
 *      are H(i, q_i) and H(i, q_i ⊕ Δ) of the extension rows (random OT from correlated OT,
 *      [IKNP03]); H is keyed BLAKE3 with the direction and call in its key.
 *   1. Columns. For bins in chunks of CHUNK_BINS, L expands t^i = G(k_i^0), sends
 *      u^i = t^i ⊕ G(k_i^1) ⊕ c^i, where c^i is column i of the matrix whose row b is the
 *      code C(y_b) of L's item in bin b (zero for an empty bin). G is ChaCha12 with the chunk
 *      number as nonce, as the OT extension's own PRG.
 *   2. Rows. P_j computes q^i = G(k_i^{s_i}) ⊕ s_i·u^i = t^i ⊕ s_i·c^i, i.e. row-wise
 *      q_b = t_b ⊕ (s ∧ C(y_b)). F_{j,b}(x) = H_j(b, q_b ⊕ (s ∧ C(x))); L's output is
 *      H_j(b, t_b), which equals F_{j,b}(y_b).
 *   C(x) is a random oracle with w-bit output (keyed BLAKE3 of the item; the same call gives
 *   the three candidate bins), H_j(b, ·) is keyed BLAKE3 of the 64-byte row with the bin as
 *   its tweak (blake3-block.ts). For x ≠ y_b, C(x) ⊕ C(y_b) has weight ≥ 128 except with
 *   probability far below 2^-80 (Binomial(512, ½)), so F_{j,b}(x) involves ≥ 128 bits of s
 *   that L does not know: pseudorandom to L [KKRT16, Thm. 2]. P_j's view is the u^i,
 *   uniform because G(k_i^{1−s_i}) is unknown to it (PRG security).
 * What this gives mp-psi.ts is exactly what its proof sketch uses: L learns F_{j,b} at one
 * point per bin, its own y_b (the bin is part of the key, as the DH-OPRF input carried it),
 * and P_j learns nothing.
 *
 * Cost per bin and peer: 64 bytes from L, 2·512 PRG bits at L, 512 at P_j, transposes, one
 * BLAKE3 block at L; per item of P_j: one code, three BLAKE3 blocks.
 *
 * [KKRT16] Kolesnikov, Kumaresan, Rosulek, Trieu. Efficient Batched Oblivious PRF with
 *          Applications to Private Set Intersection. CCS 2016.
 * [IKNP03] Ishai, Kilian, Nissim, Petrank. Extending Oblivious Transfers Efficiently. CRYPTO 2003.
 */
import { chacha12 } from '@noble/ciphers/chacha.js';
import { blake3 } from '@noble/hashes/blake3.js';
import { concatBytes, utf8Encode } from '../codec.ts';
import { MpcError } from '../errors.ts';
import { transpose32 } from '../ot/bit-transpose.ts';
import type { PeerOt } from '../ot/ot-setup.ts';
import { nonceFor, randomBytes } from '../random.ts';
import { KEYED_ROOT_FLAGS, compressBlock, keyWordsLE } from './blake3-block.ts';
import { HASHES } from './cuckoo.ts';

/** Code width w in bits, and in 32-bit words (one BLAKE3 block). */
export const CODE_BITS = 512;
export const CODE_WORDS = CODE_BITS / 32;
/** Bins per column message: 16,384 bins are 1 MiB per peer (a multiple of 32). */
export const CHUNK_BINS = 1 << 14;
/** Words per OPRF output (one compression: 32 bytes of OKVS key, then the pads). */
export const OUT_WORDS = 16;

const CODE_DOMAIN = 'parley/psi/kkrt-code/v1';
const OUT_DOMAIN = 'parley/psi/kkrt-out/v1';
const SEED_DOMAIN = 'parley/psi/kkrt-seed/v1';
const encoder = new TextEncoder();

function u32(x: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, x);
  return b;
}

/** 8 key words of keyed BLAKE3 for one purpose of this run. */
const runKey = (domain: string, context: Uint8Array, party = 0): Uint32Array => keyWordsLE(blake3(concatBytes(utf8Encode(domain), u32(party), context)));

/** Number of chunks for `bins` bins. */
export const chunkCount = (bins: number): number => Math.ceil(bins / CHUNK_BINS);
/** Bins in chunk c, rounded up to a multiple of 32 (rows of the last chunk past `bins` are padding). */
export const chunkRows = (bins: number, c: number): number => Math.ceil(Math.min(CHUNK_BINS, bins - c * CHUNK_BINS) / 32) * 32;

/**
 * Codes C(x) (16 words per item) and the three candidate bins of every item (bins[3i + h];
 * repeats among the three are possible), from one keyed BLAKE3 hash of the item with 128
 * bytes of output: bytes 0..63 the code, 64..87 the bins (48 bits each reduced mod `bins`:
 * bias below 2^-26, public, it only shapes the load of the bins).
 */
export function hashItems(items: readonly string[], context: Uint8Array, bins: number): { codes: Uint32Array; cand: Uint32Array } {
  const key = runKey(CODE_DOMAIN, context);
  const keyBytes = new Uint8Array(key.buffer);
  const m = items.length;
  const codes = new Uint32Array(m * CODE_WORDS);
  const cand = new Uint32Array(m * HASHES);
  const block = new Uint32Array(CODE_WORDS);
  const blockBytes = new Uint8Array(block.buffer);
  const tail = new Uint32Array(16);
  for (let i = 0; i < m; i++) {
    block.fill(0);
    const { read, written } = encoder.encodeInto(items[i], blockBytes);
    if (read === items[i].length) {
      compressBlock(key, block, 0, 0, written, KEYED_ROOT_FLAGS, codes, i * CODE_WORDS);
      compressBlock(key, block, 0, 1, written, KEYED_ROOT_FLAGS, tail, 0);
    } else {
      // longer than one block: the general hash, same output by definition
      const h = blake3(utf8Encode(items[i]), { key: keyBytes, dkLen: 128 });
      const w = new Uint32Array(h.buffer);
      codes.set(w.subarray(0, 16), i * CODE_WORDS);
      tail.set(w.subarray(16, 32));
    }
    for (let h = 0; h < HASHES; h++) {
      const hi = tail[2 * h] & 0xffffff, lo = tail[2 * h + 1] & 0xffffff;
      cand[HASHES * i + h] = ((hi % bins) * 16777216 + lo) % bins;
    }
  }
  return { codes, cand };
}

function seedKey(extSender: number, extReceiver: number, call: number): Uint8Array {
  return blake3(concatBytes(utf8Encode(SEED_DOMAIN), u32(extSender), u32(extReceiver), u32(call)));
}

/** seeds[i] = H(i, row_i ⊕ mask) for the CODE_BITS extension rows (4 words each). */
function hashSeeds(key: Uint8Array, rows: Uint32Array, mask: Uint32Array | null): Uint8Array[] {
  const seeds: Uint8Array[] = [];
  const buf = new Uint32Array(5);
  const bytes = new Uint8Array(buf.buffer);
  for (let i = 0; i < CODE_BITS; i++) {
    buf[0] = i;
    for (let k = 0; k < 4; k++) buf[1 + k] = rows[4 * i + k] ^ (mask ? mask[k] : 0);
    seeds.push(blake3(bytes, { key }));
  }
  return seeds;
}

/** Sender side of step 0 (P_j toward the leader): its choice s, its seeds k_i^{s_i}, the message for L. */
export interface OprfSender {
  readonly s: Uint32Array;
  readonly seeds: readonly Uint8Array[];
  readonly message: Uint8Array;
}

export function senderSeeds(toLeader: PeerOt, self: number): OprfSender {
  const s = new Uint32Array(randomBytes(CODE_BITS / 8).buffer);
  const r = toLeader.recv.receive(s, CODE_BITS);
  return { s, seeds: hashSeeds(seedKey(toLeader.peer, self, r.call), r.t, null), message: r.u };
}

/** Receiver side of step 0 (the leader, from P_j's message): both seeds of every OT. */
export function receiverSeeds(toPeer: PeerOt, self: number, message: Uint8Array): { seeds0: Uint8Array[]; seeds1: Uint8Array[] } {
  const { q, call } = toPeer.send.send(message, CODE_BITS, toPeer.peer);
  const key = seedKey(self, toPeer.peer, call);
  return { seeds0: hashSeeds(key, q, null), seeds1: hashSeeds(key, q, toPeer.send.delta) };
}

/** Bytes L sends P_j for chunk c. */
export const columnBytes = (bins: number, c: number): number => (CODE_BITS * chunkRows(bins, c)) / 8;

function expand(seed: Uint8Array, chunk: number, out: Uint32Array): void {
  out.fill(0);
  const bytes = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  chacha12(seed, nonceFor(chunk), bytes, bytes);
}

/** rows (n rows of 16 words) → 512 columns of n bits (n a multiple of 32). */
export function rowsToColumns(rows: Uint32Array, n: number, cols = new Uint32Array(n * CODE_WORDS)): Uint32Array {
  const w = n >>> 5;
  const a = new Uint32Array(32);
  for (let r = 0; r < w; r++) {
    for (let k = 0; k < CODE_WORDS; k++) {
      for (let i = 0; i < 32; i++) a[i] = rows[(32 * r + i) * CODE_WORDS + k];
      transpose32(a);
      for (let c = 0; c < 32; c++) cols[(32 * k + c) * w + r] = a[c];
    }
  }
  return cols;
}

/** 512 columns of n bits → n rows of 16 words. */
export function columnsToRows(cols: Uint32Array, n: number, rows = new Uint32Array(n * CODE_WORDS)): Uint32Array {
  const w = n >>> 5;
  const a = new Uint32Array(32);
  for (let r = 0; r < w; r++) {
    for (let k = 0; k < CODE_WORDS; k++) {
      for (let c = 0; c < 32; c++) a[c] = cols[(32 * k + c) * w + r];
      transpose32(a);
      for (let i = 0; i < 32; i++) rows[(32 * r + i) * CODE_WORDS + k] = a[i];
    }
  }
  return rows;
}

/**
 * Leader, chunk c toward one peer: the message u (512 columns) and the rows t_b of the
 * chunk. `codeCols` are the columns of the leader's codes for the chunk's bins.
 */
export function leaderChunk(seeds0: readonly Uint8Array[], seeds1: readonly Uint8Array[], codeCols: Uint32Array, n: number, c: number): { u: Uint8Array; t: Uint32Array } {
  const w = n >>> 5;
  const tCols = new Uint32Array(n * CODE_WORDS);
  const u = new Uint32Array(n * CODE_WORDS);
  const col = new Uint32Array(w);
  for (let i = 0; i < CODE_BITS; i++) {
    const t = tCols.subarray(i * w, (i + 1) * w);
    expand(seeds0[i], c, t);
    expand(seeds1[i], c, col);
    const o = i * w;
    for (let k = 0; k < w; k++) u[o + k] = t[k] ^ col[k] ^ codeCols[o + k];
  }
  return { u: new Uint8Array(u.buffer), t: columnsToRows(tCols, n) };
}

/** P_j, chunk c: the rows q_b = t_b ⊕ (s ∧ C(y_b)) from L's message. */
export function senderChunk(sender: OprfSender, message: Uint8Array, n: number, c: number, leader: number): Uint32Array {
  if (message.length !== (CODE_BITS * n) / 8) throw new MpcError('MALFORMED_MESSAGE', `PSI: party ${leader} sent ${message.length} bytes of OPRF columns for chunk ${c}, expected ${(CODE_BITS * n) / 8}`, leader);
  const w = n >>> 5;
  const u = new Uint32Array(n * CODE_WORDS);
  new Uint8Array(u.buffer).set(message);
  const qCols = new Uint32Array(n * CODE_WORDS);
  for (let i = 0; i < CODE_BITS; i++) {
    const q = qCols.subarray(i * w, (i + 1) * w);
    expand(sender.seeds[i], c, q);
    // masked, not branched: the work must not depend on the secret s
    const mask = -((sender.s[i >>> 5] >>> (i & 31)) & 1);
    const o = i * w;
    for (let k = 0; k < w; k++) q[k] ^= u[o + k] & mask;
  }
  return columnsToRows(qCols, n);
}

/** Output key H_j of the OPRF with sender j in this run. */
export const outputKey = (context: Uint8Array, sender: number): Uint32Array => runKey(OUT_DOMAIN, context, sender);

/** Leader: out[o..o+16) = H_j(bin, t_bin) for a row of the chunk. */
export function leaderOutput(key: Uint32Array, t: Uint32Array, row: number, bin: number, out: Uint32Array, o: number): void {
  compressBlock(key, t, row * CODE_WORDS, bin, 64, KEYED_ROOT_FLAGS, out, o);
}

/** P_j: out[o..o+16) = H_j(bin, q_bin ⊕ (s ∧ C(x))) with sc = s ∧ C(x) at scOff. */
export function senderOutput(key: Uint32Array, q: Uint32Array, row: number, sc: Uint32Array, scOff: number, bin: number, scratch: Uint32Array, out: Uint32Array, o: number): void {
  const r = row * CODE_WORDS;
  for (let k = 0; k < CODE_WORDS; k++) scratch[k] = q[r + k] ^ sc[scOff + k];
  compressBlock(key, scratch, 0, bin, 64, KEYED_ROOT_FLAGS, out, o);
}
