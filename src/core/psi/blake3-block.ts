/**
 * One BLAKE3 compression [BLAKE3] with the whole 64-byte output: the hash behind the OT-based
 * OPRF of kkrt.ts, where every input is one 64-byte block (a 512-bit row of the OT matrix) or
 * a short item (≤ 64 bytes, zero-padded, its length in `blockLen`).
 *
 * For a key k, a message x of at most 64 bytes and an output block index c, the result is
 * bytes [64c, 64c + 64) of `blake3(x, { key: k, dkLen: 64(c + 1) })`: a single-block keyed
 * hash has flags CHUNK_START | CHUNK_END | ROOT | KEYED_HASH, and the XOF's block c is the
 * same compression with counter c (blake3-block.test.ts checks this against @noble/hashes).
 * The OPRF uses the counter as its tweak (the bin index): distinct (tweak, row) pairs are
 * distinct random-oracle queries.
 *
 * Why a hand-unrolled compression: the OPRF hashes 4 blocks per item; @noble/hashes'
 * general blake3 (any length, tree mode, allocation per call) measured ~55 k calls/s here
 * under load against several million for this function. The unrolled schedule below is
 * the reference message permutation applied seven times (generated, then checked by the test).
 *
 * [BLAKE3] O'Connor, Aumasson, Neves, Wilcox-O'Hearn. The BLAKE3 hashing function, 2020.
 */

const IV0 = 0x6a09e667, IV1 = 0xbb67ae85, IV2 = 0x3c6ef372, IV3 = 0xa54ff53a;
/** CHUNK_START | CHUNK_END | ROOT | KEYED_HASH. */
export const KEYED_ROOT_FLAGS = 1 | 2 | 8 | 16;

const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n));

/**
 * out[outOff .. outOff+16) = BLAKE3 compression of the 16 message words msg[mOff ..] under the
 * 8 key words `key`, with the given counter (< 2^32), block length (bytes) and flags.
 */
export function compressBlock(key: Uint32Array, msg: Uint32Array, mOff: number, counter: number, blockLen: number, flags: number, out: Uint32Array, outOff: number): void {
  const m0 = msg[mOff] | 0, m1 = msg[mOff + 1] | 0, m2 = msg[mOff + 2] | 0, m3 = msg[mOff + 3] | 0;
  const m4 = msg[mOff + 4] | 0, m5 = msg[mOff + 5] | 0, m6 = msg[mOff + 6] | 0, m7 = msg[mOff + 7] | 0;
  const m8 = msg[mOff + 8] | 0, m9 = msg[mOff + 9] | 0, m10 = msg[mOff + 10] | 0, m11 = msg[mOff + 11] | 0;
  const m12 = msg[mOff + 12] | 0, m13 = msg[mOff + 13] | 0, m14 = msg[mOff + 14] | 0, m15 = msg[mOff + 15] | 0;
  const k0 = key[0] | 0, k1 = key[1] | 0, k2 = key[2] | 0, k3 = key[3] | 0, k4 = key[4] | 0, k5 = key[5] | 0, k6 = key[6] | 0, k7 = key[7] | 0;
  let v0 = k0, v1 = k1, v2 = k2, v3 = k3, v4 = k4, v5 = k5, v6 = k6, v7 = k7;
  let v8 = IV0 | 0, v9 = IV1 | 0, v10 = IV2 | 0, v11 = IV3 | 0, v12 = counter | 0, v13 = 0, v14 = blockLen | 0, v15 = flags | 0;
  // round 1
  v0 = (v0 + v4 + m0) | 0; v12 = rotr(v12 ^ v0, 16); v8 = (v8 + v12) | 0; v4 = rotr(v4 ^ v8, 12);
  v0 = (v0 + v4 + m1) | 0; v12 = rotr(v12 ^ v0, 8); v8 = (v8 + v12) | 0; v4 = rotr(v4 ^ v8, 7);
  v1 = (v1 + v5 + m2) | 0; v13 = rotr(v13 ^ v1, 16); v9 = (v9 + v13) | 0; v5 = rotr(v5 ^ v9, 12);
  v1 = (v1 + v5 + m3) | 0; v13 = rotr(v13 ^ v1, 8); v9 = (v9 + v13) | 0; v5 = rotr(v5 ^ v9, 7);
  v2 = (v2 + v6 + m4) | 0; v14 = rotr(v14 ^ v2, 16); v10 = (v10 + v14) | 0; v6 = rotr(v6 ^ v10, 12);
  v2 = (v2 + v6 + m5) | 0; v14 = rotr(v14 ^ v2, 8); v10 = (v10 + v14) | 0; v6 = rotr(v6 ^ v10, 7);
  v3 = (v3 + v7 + m6) | 0; v15 = rotr(v15 ^ v3, 16); v11 = (v11 + v15) | 0; v7 = rotr(v7 ^ v11, 12);
  v3 = (v3 + v7 + m7) | 0; v15 = rotr(v15 ^ v3, 8); v11 = (v11 + v15) | 0; v7 = rotr(v7 ^ v11, 7);
  v0 = (v0 + v5 + m8) | 0; v15 = rotr(v15 ^ v0, 16); v10 = (v10 + v15) | 0; v5 = rotr(v5 ^ v10, 12);
  v0 = (v0 + v5 + m9) | 0; v15 = rotr(v15 ^ v0, 8); v10 = (v10 + v15) | 0; v5 = rotr(v5 ^ v10, 7);
  v1 = (v1 + v6 + m10) | 0; v12 = rotr(v12 ^ v1, 16); v11 = (v11 + v12) | 0; v6 = rotr(v6 ^ v11, 12);
  v1 = (v1 + v6 + m11) | 0; v12 = rotr(v12 ^ v1, 8); v11 = (v11 + v12) | 0; v6 = rotr(v6 ^ v11, 7);
  v2 = (v2 + v7 + m12) | 0; v13 = rotr(v13 ^ v2, 16); v8 = (v8 + v13) | 0; v7 = rotr(v7 ^ v8, 12);
  v2 = (v2 + v7 + m13) | 0; v13 = rotr(v13 ^ v2, 8); v8 = (v8 + v13) | 0; v7 = rotr(v7 ^ v8, 7);
  v3 = (v3 + v4 + m14) | 0; v14 = rotr(v14 ^ v3, 16); v9 = (v9 + v14) | 0; v4 = rotr(v4 ^ v9, 12);
  v3 = (v3 + v4 + m15) | 0; v14 = rotr(v14 ^ v3, 8); v9 = (v9 + v14) | 0; v4 = rotr(v4 ^ v9, 7);
  // round 2
  v0 = (v0 + v4 + m2) | 0; v12 = rotr(v12 ^ v0, 16); v8 = (v8 + v12) | 0; v4 = rotr(v4 ^ v8, 12);
  v0 = (v0 + v4 + m6) | 0; v12 = rotr(v12 ^ v0, 8); v8 = (v8 + v12) | 0; v4 = rotr(v4 ^ v8, 7);
  v1 = (v1 + v5 + m3) | 0; v13 = rotr(v13 ^ v1, 16); v9 = (v9 + v13) | 0; v5 = rotr(v5 ^ v9, 12);
  v1 = (v1 + v5 + m10) | 0; v13 = rotr(v13 ^ v1, 8); v9 = (v9 + v13) | 0; v5 = rotr(v5 ^ v9, 7);
  v2 = (v2 + v6 + m7) | 0; v14 = rotr(v14 ^ v2, 16); v10 = (v10 + v14) | 0; v6 = rotr(v6 ^ v10, 12);
  v2 = (v2 + v6 + m0) | 0; v14 = rotr(v14 ^ v2, 8); v10 = (v10 + v14) | 0; v6 = rotr(v6 ^ v10, 7);
  v3 = (v3 + v7 + m4) | 0; v15 = rotr(v15 ^ v3, 16); v11 = (v11 + v15) | 0; v7 = rotr(v7 ^ v11, 12);
  v3 = (v3 + v7 + m13) | 0; v15 = rotr(v15 ^ v3, 8); v11 = (v11 + v15) | 0; v7 = rotr(v7 ^ v11, 7);
  v0 = (v0 + v5 + m1) | 0; v15 = rotr(v15 ^ v0, 16); v10 = (v10 + v15) | 0; v5 = rotr(v5 ^ v10, 12);
  v0 = (v0 + v5 + m11) | 0; v15 = rotr(v15 ^ v0, 8); v10 = (v10 + v15) | 0; v5 = rotr(v5 ^ v10, 7);
  v1 = (v1 + v6 + m12) | 0; v12 = rotr(v12 ^ v1, 16); v11 = (v11 + v12) | 0; v6 = rotr(v6 ^ v11, 12);
  v1 = (v1 + v6 + m5) | 0; v12 = rotr(v12 ^ v1, 8); v11 = (v11 + v12) | 0; v6 = rotr(v6 ^ v11, 7);
  v2 = (v2 + v7 + m9) | 0; v13 = rotr(v13 ^ v2, 16); v8 = (v8 + v13) | 0; v7 = rotr(v7 ^ v8, 12);
  v2 = (v2 + v7 + m14) | 0; v13 = rotr(v13 ^ v2, 8); v8 = (v8 + v13) | 0; v7 = rotr(v7 ^ v8, 7);
  v3 = (v3 + v4 + m15) | 0; v14 = rotr(v14 ^ v3, 16); v9 = (v9 + v14) | 0; v4 = rotr(v4 ^ v9, 12);
  v3 = (v3 + v4 + m8) | 0; v14 = rotr(v14 ^ v3, 8); v9 = (v9 + v14) | 0; v4 = rotr(v4 ^ v9, 7);
  // round 3
  v0 = (v0 + v4 + m3) | 0; v12 = rotr(v12 ^ v0, 16); v8 = (v8 + v12) | 0; v4 = rotr(v4 ^ v8, 12);
  v0 = (v0 + v4 + m4) | 0; v12 = rotr(v12 ^ v0, 8); v8 = (v8 + v12) | 0; v4 = rotr(v4 ^ v8, 7);
  v1 = (v1 + v5 + m10) | 0; v13 = rotr(v13 ^ v1, 16); v9 = (v9 + v13) | 0; v5 = rotr(v5 ^ v9, 12);
  v1 = (v1 + v5 + m12) | 0; v13 = rotr(v13 ^ v1, 8); v9 = (v9 + v13) | 0; v5 = rotr(v5 ^ v9, 7);
  v2 = (v2 + v6 + m13) | 0; v14 = rotr(v14 ^ v2, 16); v10 = (v10 + v14) | 0; v6 = rotr(v6 ^ v10, 12);
  v2 = (v2 + v6 + m2) | 0; v14 = rotr(v14 ^ v2, 8); v10 = (v10 + v14) | 0; v6 = rotr(v6 ^ v10, 7);
  v3 = (v3 + v7 + m7) | 0; v15 = rotr(v15 ^ v3, 16); v11 = (v11 + v15) | 0; v7 = rotr(v7 ^ v11, 12);
  v3 = (v3 + v7 + m14) | 0; v15 = rotr(v15 ^ v3, 8); v11 = (v11 + v15) | 0; v7 = rotr(v7 ^ v11, 7);
  v0 = (v0 + v5 + m6) | 0; v15 = rotr(v15 ^ v0, 16); v10 = (v10 + v15) | 0; v5 = rotr(v5 ^ v10, 12);
  v0 = (v0 + v5 + m5) | 0; v15 = rotr(v15 ^ v0, 8); v10 = (v10 + v15) | 0; v5 = rotr(v5 ^ v10, 7);
  v1 = (v1 + v6 + m9) | 0; v12 = rotr(v12 ^ v1, 16); v11 = (v11 + v12) | 0; v6 = rotr(v6 ^ v11, 12);
  v1 = (v1 + v6 + m0) | 0; v12 = rotr(v12 ^ v1, 8); v11 = (v11 + v12) | 0; v6 = rotr(v6 ^ v11, 7);
  v2 = (v2 + v7 + m11) | 0; v13 = rotr(v13 ^ v2, 16); v8 = (v8 + v13) | 0; v7 = rotr(v7 ^ v8, 12);
  v2 = (v2 + v7 + m15) | 0; v13 = rotr(v13 ^ v2, 8); v8 = (v8 + v13) | 0; v7 = rotr(v7 ^ v8, 7);
  v3 = (v3 + v4 + m8) | 0; v14 = rotr(v14 ^ v3, 16); v9 = (v9 + v14) | 0; v4 = rotr(v4 ^ v9, 12);
  v3 = (v3 + v4 + m1) | 0; v14 = rotr(v14 ^ v3, 8); v9 = (v9 + v14) | 0; v4 = rotr(v4 ^ v9, 7);
  // round 4
  v0 = (v0 + v4 + m10) | 0; v12 = rotr(v12 ^ v0, 16); v8 = (v8 + v12) | 0; v4 = rotr(v4 ^ v8, 12);
  v0 = (v0 + v4 + m7) | 0; v12 = rotr(v12 ^ v0, 8); v8 = (v8 + v12) | 0; v4 = rotr(v4 ^ v8, 7);
  v1 = (v1 + v5 + m12) | 0; v13 = rotr(v13 ^ v1, 16); v9 = (v9 + v13) | 0; v5 = rotr(v5 ^ v9, 12);
  v1 = (v1 + v5 + m9) | 0; v13 = rotr(v13 ^ v1, 8); v9 = (v9 + v13) | 0; v5 = rotr(v5 ^ v9, 7);
  v2 = (v2 + v6 + m14) | 0; v14 = rotr(v14 ^ v2, 16); v10 = (v10 + v14) | 0; v6 = rotr(v6 ^ v10, 12);
  v2 = (v2 + v6 + m3) | 0; v14 = rotr(v14 ^ v2, 8); v10 = (v10 + v14) | 0; v6 = rotr(v6 ^ v10, 7);
  v3 = (v3 + v7 + m13) | 0; v15 = rotr(v15 ^ v3, 16); v11 = (v11 + v15) | 0; v7 = rotr(v7 ^ v11, 12);
  v3 = (v3 + v7 + m15) | 0; v15 = rotr(v15 ^ v3, 8); v11 = (v11 + v15) | 0; v7 = rotr(v7 ^ v11, 7);
  v0 = (v0 + v5 + m4) | 0; v15 = rotr(v15 ^ v0, 16); v10 = (v10 + v15) | 0; v5 = rotr(v5 ^ v10, 12);
  v0 = (v0 + v5 + m0) | 0; v15 = rotr(v15 ^ v0, 8); v10 = (v10 + v15) | 0; v5 = rotr(v5 ^ v10, 7);
  v1 = (v1 + v6 + m11) | 0; v12 = rotr(v12 ^ v1, 16); v11 = (v11 + v12) | 0; v6 = rotr(v6 ^ v11, 12);
  v1 = (v1 + v6 + m2) | 0; v12 = rotr(v12 ^ v1, 8); v11 = (v11 + v12) | 0; v6 = rotr(v6 ^ v11, 7);
  v2 = (v2 + v7 + m5) | 0; v13 = rotr(v13 ^ v2, 16); v8 = (v8 + v13) | 0; v7 = rotr(v7 ^ v8, 12);
  v2 = (v2 + v7 + m8) | 0; v13 = rotr(v13 ^ v2, 8); v8 = (v8 + v13) | 0; v7 = rotr(v7 ^ v8, 7);
  v3 = (v3 + v4 + m1) | 0; v14 = rotr(v14 ^ v3, 16); v9 = (v9 + v14) | 0; v4 = rotr(v4 ^ v9, 12);
  v3 = (v3 + v4 + m6) | 0; v14 = rotr(v14 ^ v3, 8); v9 = (v9 + v14) | 0; v4 = rotr(v4 ^ v9, 7);
  // round 5
  v0 = (v0 + v4 + m12) | 0; v12 = rotr(v12 ^ v0, 16); v8 = (v8 + v12) | 0; v4 = rotr(v4 ^ v8, 12);
  v0 = (v0 + v4 + m13) | 0; v12 = rotr(v12 ^ v0, 8); v8 = (v8 + v12) | 0; v4 = rotr(v4 ^ v8, 7);
  v1 = (v1 + v5 + m9) | 0; v13 = rotr(v13 ^ v1, 16); v9 = (v9 + v13) | 0; v5 = rotr(v5 ^ v9, 12);
  v1 = (v1 + v5 + m11) | 0; v13 = rotr(v13 ^ v1, 8); v9 = (v9 + v13) | 0; v5 = rotr(v5 ^ v9, 7);
  v2 = (v2 + v6 + m15) | 0; v14 = rotr(v14 ^ v2, 16); v10 = (v10 + v14) | 0; v6 = rotr(v6 ^ v10, 12);
  v2 = (v2 + v6 + m10) | 0; v14 = rotr(v14 ^ v2, 8); v10 = (v10 + v14) | 0; v6 = rotr(v6 ^ v10, 7);
  v3 = (v3 + v7 + m14) | 0; v15 = rotr(v15 ^ v3, 16); v11 = (v11 + v15) | 0; v7 = rotr(v7 ^ v11, 12);
  v3 = (v3 + v7 + m8) | 0; v15 = rotr(v15 ^ v3, 8); v11 = (v11 + v15) | 0; v7 = rotr(v7 ^ v11, 7);
  v0 = (v0 + v5 + m7) | 0; v15 = rotr(v15 ^ v0, 16); v10 = (v10 + v15) | 0; v5 = rotr(v5 ^ v10, 12);
  v0 = (v0 + v5 + m2) | 0; v15 = rotr(v15 ^ v0, 8); v10 = (v10 + v15) | 0; v5 = rotr(v5 ^ v10, 7);
  v1 = (v1 + v6 + m5) | 0; v12 = rotr(v12 ^ v1, 16); v11 = (v11 + v12) | 0; v6 = rotr(v6 ^ v11, 12);
  v1 = (v1 + v6 + m3) | 0; v12 = rotr(v12 ^ v1, 8); v11 = (v11 + v12) | 0; v6 = rotr(v6 ^ v11, 7);
  v2 = (v2 + v7 + m0) | 0; v13 = rotr(v13 ^ v2, 16); v8 = (v8 + v13) | 0; v7 = rotr(v7 ^ v8, 12);
  v2 = (v2 + v7 + m1) | 0; v13 = rotr(v13 ^ v2, 8); v8 = (v8 + v13) | 0; v7 = rotr(v7 ^ v8, 7);
  v3 = (v3 + v4 + m6) | 0; v14 = rotr(v14 ^ v3, 16); v9 = (v9 + v14) | 0; v4 = rotr(v4 ^ v9, 12);
  v3 = (v3 + v4 + m4) | 0; v14 = rotr(v14 ^ v3, 8); v9 = (v9 + v14) | 0; v4 = rotr(v4 ^ v9, 7);
  // round 6
  v0 = (v0 + v4 + m9) | 0; v12 = rotr(v12 ^ v0, 16); v8 = (v8 + v12) | 0; v4 = rotr(v4 ^ v8, 12);
  v0 = (v0 + v4 + m14) | 0; v12 = rotr(v12 ^ v0, 8); v8 = (v8 + v12) | 0; v4 = rotr(v4 ^ v8, 7);
  v1 = (v1 + v5 + m11) | 0; v13 = rotr(v13 ^ v1, 16); v9 = (v9 + v13) | 0; v5 = rotr(v5 ^ v9, 12);
  v1 = (v1 + v5 + m5) | 0; v13 = rotr(v13 ^ v1, 8); v9 = (v9 + v13) | 0; v5 = rotr(v5 ^ v9, 7);
  v2 = (v2 + v6 + m8) | 0; v14 = rotr(v14 ^ v2, 16); v10 = (v10 + v14) | 0; v6 = rotr(v6 ^ v10, 12);
  v2 = (v2 + v6 + m12) | 0; v14 = rotr(v14 ^ v2, 8); v10 = (v10 + v14) | 0; v6 = rotr(v6 ^ v10, 7);
  v3 = (v3 + v7 + m15) | 0; v15 = rotr(v15 ^ v3, 16); v11 = (v11 + v15) | 0; v7 = rotr(v7 ^ v11, 12);
  v3 = (v3 + v7 + m1) | 0; v15 = rotr(v15 ^ v3, 8); v11 = (v11 + v15) | 0; v7 = rotr(v7 ^ v11, 7);
  v0 = (v0 + v5 + m13) | 0; v15 = rotr(v15 ^ v0, 16); v10 = (v10 + v15) | 0; v5 = rotr(v5 ^ v10, 12);
  v0 = (v0 + v5 + m3) | 0; v15 = rotr(v15 ^ v0, 8); v10 = (v10 + v15) | 0; v5 = rotr(v5 ^ v10, 7);
  v1 = (v1 + v6 + m0) | 0; v12 = rotr(v12 ^ v1, 16); v11 = (v11 + v12) | 0; v6 = rotr(v6 ^ v11, 12);
  v1 = (v1 + v6 + m10) | 0; v12 = rotr(v12 ^ v1, 8); v11 = (v11 + v12) | 0; v6 = rotr(v6 ^ v11, 7);
  v2 = (v2 + v7 + m2) | 0; v13 = rotr(v13 ^ v2, 16); v8 = (v8 + v13) | 0; v7 = rotr(v7 ^ v8, 12);
  v2 = (v2 + v7 + m6) | 0; v13 = rotr(v13 ^ v2, 8); v8 = (v8 + v13) | 0; v7 = rotr(v7 ^ v8, 7);
  v3 = (v3 + v4 + m4) | 0; v14 = rotr(v14 ^ v3, 16); v9 = (v9 + v14) | 0; v4 = rotr(v4 ^ v9, 12);
  v3 = (v3 + v4 + m7) | 0; v14 = rotr(v14 ^ v3, 8); v9 = (v9 + v14) | 0; v4 = rotr(v4 ^ v9, 7);
  // round 7
  v0 = (v0 + v4 + m11) | 0; v12 = rotr(v12 ^ v0, 16); v8 = (v8 + v12) | 0; v4 = rotr(v4 ^ v8, 12);
  v0 = (v0 + v4 + m15) | 0; v12 = rotr(v12 ^ v0, 8); v8 = (v8 + v12) | 0; v4 = rotr(v4 ^ v8, 7);
  v1 = (v1 + v5 + m5) | 0; v13 = rotr(v13 ^ v1, 16); v9 = (v9 + v13) | 0; v5 = rotr(v5 ^ v9, 12);
  v1 = (v1 + v5 + m0) | 0; v13 = rotr(v13 ^ v1, 8); v9 = (v9 + v13) | 0; v5 = rotr(v5 ^ v9, 7);
  v2 = (v2 + v6 + m1) | 0; v14 = rotr(v14 ^ v2, 16); v10 = (v10 + v14) | 0; v6 = rotr(v6 ^ v10, 12);
  v2 = (v2 + v6 + m9) | 0; v14 = rotr(v14 ^ v2, 8); v10 = (v10 + v14) | 0; v6 = rotr(v6 ^ v10, 7);
  v3 = (v3 + v7 + m8) | 0; v15 = rotr(v15 ^ v3, 16); v11 = (v11 + v15) | 0; v7 = rotr(v7 ^ v11, 12);
  v3 = (v3 + v7 + m6) | 0; v15 = rotr(v15 ^ v3, 8); v11 = (v11 + v15) | 0; v7 = rotr(v7 ^ v11, 7);
  v0 = (v0 + v5 + m14) | 0; v15 = rotr(v15 ^ v0, 16); v10 = (v10 + v15) | 0; v5 = rotr(v5 ^ v10, 12);
  v0 = (v0 + v5 + m10) | 0; v15 = rotr(v15 ^ v0, 8); v10 = (v10 + v15) | 0; v5 = rotr(v5 ^ v10, 7);
  v1 = (v1 + v6 + m2) | 0; v12 = rotr(v12 ^ v1, 16); v11 = (v11 + v12) | 0; v6 = rotr(v6 ^ v11, 12);
  v1 = (v1 + v6 + m12) | 0; v12 = rotr(v12 ^ v1, 8); v11 = (v11 + v12) | 0; v6 = rotr(v6 ^ v11, 7);
  v2 = (v2 + v7 + m3) | 0; v13 = rotr(v13 ^ v2, 16); v8 = (v8 + v13) | 0; v7 = rotr(v7 ^ v8, 12);
  v2 = (v2 + v7 + m4) | 0; v13 = rotr(v13 ^ v2, 8); v8 = (v8 + v13) | 0; v7 = rotr(v7 ^ v8, 7);
  v3 = (v3 + v4 + m7) | 0; v14 = rotr(v14 ^ v3, 16); v9 = (v9 + v14) | 0; v4 = rotr(v4 ^ v9, 12);
  v3 = (v3 + v4 + m13) | 0; v14 = rotr(v14 ^ v3, 8); v9 = (v9 + v14) | 0; v4 = rotr(v4 ^ v9, 7);
  out[outOff] = v0 ^ v8; out[outOff + 1] = v1 ^ v9; out[outOff + 2] = v2 ^ v10; out[outOff + 3] = v3 ^ v11;
  out[outOff + 4] = v4 ^ v12; out[outOff + 5] = v5 ^ v13; out[outOff + 6] = v6 ^ v14; out[outOff + 7] = v7 ^ v15;
  out[outOff + 8] = v8 ^ k0; out[outOff + 9] = v9 ^ k1; out[outOff + 10] = v10 ^ k2; out[outOff + 11] = v11 ^ k3;
  out[outOff + 12] = v12 ^ k4; out[outOff + 13] = v13 ^ k5; out[outOff + 14] = v14 ^ k6; out[outOff + 15] = v15 ^ k7;
}

/** 32 key bytes as 8 little-endian words. */
export function keyWordsLE(key: Uint8Array): Uint32Array {
  const w = new Uint32Array(8);
  const v = new DataView(key.buffer, key.byteOffset, key.byteLength);
  for (let i = 0; i < 8; i++) w[i] = v.getUint32(4 * i, true);
  return w;
}
