/**
 * Bit-matrix transposition for IKNP: 128 columns of m bits (what the PRG produces and the
 * network carries) ↔ m rows of 128 bits (what the hash consumes). Bits are little-endian
 * within 32-bit words: bit j of a column is word j>>5, bit j&31.
 *
 * Method: 32×32 block transposes by recursive block swaps (Hacker's Delight §7-3), five
 * masked swap stages per block — no per-bit work. columnsToRows (the hot path: both OT
 * extension parties run it on every batch) keeps the block in 32 locals, fully unrolled:
 * 2.5× faster than the looped transpose32 on a scratch array in V8 (Node 20).
 */

const MASKS = [0x0000ffff, 0x00ff00ff, 0x0f0f0f0f, 0x33333333, 0x55555555];

/** In-place transpose of a 32×32 bit matrix: a[r] bit c ↔ a[c] bit r. */
export function transpose32(a: Uint32Array): void {
  for (let s = 0, j = 16; s < 5; s++, j >>>= 1) {
    const m = MASKS[s];
    for (let k = 0; k < 32; k = (k + j + 1) & ~j) {
      const t = ((a[k] >>> j) ^ a[k + j]) & m;
      a[k] ^= t << j;
      a[k + j] ^= t;
    }
  }
}

/**
 * cols: 128 columns of `m` bits, column i in words [i·m/32, (i+1)·m/32).
 * Returns rows: m rows of 4 words, row j in words [4j, 4j+4). m must be a multiple of 32.
 */
export function columnsToRows(cols: Uint32Array, m: number, rows = new Uint32Array(4 * m)): Uint32Array {
  if (m % 32 !== 0 || cols.length < 4 * m || rows.length < 4 * m) throw new RangeError('columnsToRows: m must be a multiple of 32 and buffers sized 4·m words');
  const w = m >>> 5;
  for (let g = 0; g < 4; g++) {
    for (let k = 0; k < w; k++) {
      const base = 32 * g * w + k;
      const out = 128 * k + g;
      // 32 loads (column words), 80 masked swaps (transpose32 unrolled), 32 stores (row words).
      let a0 = cols[base + 0 * w], a1 = cols[base + 1 * w], a2 = cols[base + 2 * w], a3 = cols[base + 3 * w];
      let a4 = cols[base + 4 * w], a5 = cols[base + 5 * w], a6 = cols[base + 6 * w], a7 = cols[base + 7 * w];
      let a8 = cols[base + 8 * w], a9 = cols[base + 9 * w], a10 = cols[base + 10 * w], a11 = cols[base + 11 * w];
      let a12 = cols[base + 12 * w], a13 = cols[base + 13 * w], a14 = cols[base + 14 * w], a15 = cols[base + 15 * w];
      let a16 = cols[base + 16 * w], a17 = cols[base + 17 * w], a18 = cols[base + 18 * w], a19 = cols[base + 19 * w];
      let a20 = cols[base + 20 * w], a21 = cols[base + 21 * w], a22 = cols[base + 22 * w], a23 = cols[base + 23 * w];
      let a24 = cols[base + 24 * w], a25 = cols[base + 25 * w], a26 = cols[base + 26 * w], a27 = cols[base + 27 * w];
      let a28 = cols[base + 28 * w], a29 = cols[base + 29 * w], a30 = cols[base + 30 * w], a31 = cols[base + 31 * w];
      let t: number;
      t = ((a0 >>> 16) ^ a16) & 0x0000ffff; a0 ^= t << 16; a16 ^= t; t = ((a1 >>> 16) ^ a17) & 0x0000ffff; a1 ^= t << 16; a17 ^= t;
      t = ((a2 >>> 16) ^ a18) & 0x0000ffff; a2 ^= t << 16; a18 ^= t; t = ((a3 >>> 16) ^ a19) & 0x0000ffff; a3 ^= t << 16; a19 ^= t;
      t = ((a4 >>> 16) ^ a20) & 0x0000ffff; a4 ^= t << 16; a20 ^= t; t = ((a5 >>> 16) ^ a21) & 0x0000ffff; a5 ^= t << 16; a21 ^= t;
      t = ((a6 >>> 16) ^ a22) & 0x0000ffff; a6 ^= t << 16; a22 ^= t; t = ((a7 >>> 16) ^ a23) & 0x0000ffff; a7 ^= t << 16; a23 ^= t;
      t = ((a8 >>> 16) ^ a24) & 0x0000ffff; a8 ^= t << 16; a24 ^= t; t = ((a9 >>> 16) ^ a25) & 0x0000ffff; a9 ^= t << 16; a25 ^= t;
      t = ((a10 >>> 16) ^ a26) & 0x0000ffff; a10 ^= t << 16; a26 ^= t; t = ((a11 >>> 16) ^ a27) & 0x0000ffff; a11 ^= t << 16; a27 ^= t;
      t = ((a12 >>> 16) ^ a28) & 0x0000ffff; a12 ^= t << 16; a28 ^= t; t = ((a13 >>> 16) ^ a29) & 0x0000ffff; a13 ^= t << 16; a29 ^= t;
      t = ((a14 >>> 16) ^ a30) & 0x0000ffff; a14 ^= t << 16; a30 ^= t; t = ((a15 >>> 16) ^ a31) & 0x0000ffff; a15 ^= t << 16; a31 ^= t;
      t = ((a0 >>> 8) ^ a8) & 0x00ff00ff; a0 ^= t << 8; a8 ^= t; t = ((a1 >>> 8) ^ a9) & 0x00ff00ff; a1 ^= t << 8; a9 ^= t;
      t = ((a2 >>> 8) ^ a10) & 0x00ff00ff; a2 ^= t << 8; a10 ^= t; t = ((a3 >>> 8) ^ a11) & 0x00ff00ff; a3 ^= t << 8; a11 ^= t;
      t = ((a4 >>> 8) ^ a12) & 0x00ff00ff; a4 ^= t << 8; a12 ^= t; t = ((a5 >>> 8) ^ a13) & 0x00ff00ff; a5 ^= t << 8; a13 ^= t;
      t = ((a6 >>> 8) ^ a14) & 0x00ff00ff; a6 ^= t << 8; a14 ^= t; t = ((a7 >>> 8) ^ a15) & 0x00ff00ff; a7 ^= t << 8; a15 ^= t;
      t = ((a16 >>> 8) ^ a24) & 0x00ff00ff; a16 ^= t << 8; a24 ^= t; t = ((a17 >>> 8) ^ a25) & 0x00ff00ff; a17 ^= t << 8; a25 ^= t;
      t = ((a18 >>> 8) ^ a26) & 0x00ff00ff; a18 ^= t << 8; a26 ^= t; t = ((a19 >>> 8) ^ a27) & 0x00ff00ff; a19 ^= t << 8; a27 ^= t;
      t = ((a20 >>> 8) ^ a28) & 0x00ff00ff; a20 ^= t << 8; a28 ^= t; t = ((a21 >>> 8) ^ a29) & 0x00ff00ff; a21 ^= t << 8; a29 ^= t;
      t = ((a22 >>> 8) ^ a30) & 0x00ff00ff; a22 ^= t << 8; a30 ^= t; t = ((a23 >>> 8) ^ a31) & 0x00ff00ff; a23 ^= t << 8; a31 ^= t;
      t = ((a0 >>> 4) ^ a4) & 0x0f0f0f0f; a0 ^= t << 4; a4 ^= t; t = ((a1 >>> 4) ^ a5) & 0x0f0f0f0f; a1 ^= t << 4; a5 ^= t;
      t = ((a2 >>> 4) ^ a6) & 0x0f0f0f0f; a2 ^= t << 4; a6 ^= t; t = ((a3 >>> 4) ^ a7) & 0x0f0f0f0f; a3 ^= t << 4; a7 ^= t;
      t = ((a8 >>> 4) ^ a12) & 0x0f0f0f0f; a8 ^= t << 4; a12 ^= t; t = ((a9 >>> 4) ^ a13) & 0x0f0f0f0f; a9 ^= t << 4; a13 ^= t;
      t = ((a10 >>> 4) ^ a14) & 0x0f0f0f0f; a10 ^= t << 4; a14 ^= t; t = ((a11 >>> 4) ^ a15) & 0x0f0f0f0f; a11 ^= t << 4; a15 ^= t;
      t = ((a16 >>> 4) ^ a20) & 0x0f0f0f0f; a16 ^= t << 4; a20 ^= t; t = ((a17 >>> 4) ^ a21) & 0x0f0f0f0f; a17 ^= t << 4; a21 ^= t;
      t = ((a18 >>> 4) ^ a22) & 0x0f0f0f0f; a18 ^= t << 4; a22 ^= t; t = ((a19 >>> 4) ^ a23) & 0x0f0f0f0f; a19 ^= t << 4; a23 ^= t;
      t = ((a24 >>> 4) ^ a28) & 0x0f0f0f0f; a24 ^= t << 4; a28 ^= t; t = ((a25 >>> 4) ^ a29) & 0x0f0f0f0f; a25 ^= t << 4; a29 ^= t;
      t = ((a26 >>> 4) ^ a30) & 0x0f0f0f0f; a26 ^= t << 4; a30 ^= t; t = ((a27 >>> 4) ^ a31) & 0x0f0f0f0f; a27 ^= t << 4; a31 ^= t;
      t = ((a0 >>> 2) ^ a2) & 0x33333333; a0 ^= t << 2; a2 ^= t; t = ((a1 >>> 2) ^ a3) & 0x33333333; a1 ^= t << 2; a3 ^= t;
      t = ((a4 >>> 2) ^ a6) & 0x33333333; a4 ^= t << 2; a6 ^= t; t = ((a5 >>> 2) ^ a7) & 0x33333333; a5 ^= t << 2; a7 ^= t;
      t = ((a8 >>> 2) ^ a10) & 0x33333333; a8 ^= t << 2; a10 ^= t; t = ((a9 >>> 2) ^ a11) & 0x33333333; a9 ^= t << 2; a11 ^= t;
      t = ((a12 >>> 2) ^ a14) & 0x33333333; a12 ^= t << 2; a14 ^= t; t = ((a13 >>> 2) ^ a15) & 0x33333333; a13 ^= t << 2; a15 ^= t;
      t = ((a16 >>> 2) ^ a18) & 0x33333333; a16 ^= t << 2; a18 ^= t; t = ((a17 >>> 2) ^ a19) & 0x33333333; a17 ^= t << 2; a19 ^= t;
      t = ((a20 >>> 2) ^ a22) & 0x33333333; a20 ^= t << 2; a22 ^= t; t = ((a21 >>> 2) ^ a23) & 0x33333333; a21 ^= t << 2; a23 ^= t;
      t = ((a24 >>> 2) ^ a26) & 0x33333333; a24 ^= t << 2; a26 ^= t; t = ((a25 >>> 2) ^ a27) & 0x33333333; a25 ^= t << 2; a27 ^= t;
      t = ((a28 >>> 2) ^ a30) & 0x33333333; a28 ^= t << 2; a30 ^= t; t = ((a29 >>> 2) ^ a31) & 0x33333333; a29 ^= t << 2; a31 ^= t;
      t = ((a0 >>> 1) ^ a1) & 0x55555555; a0 ^= t << 1; a1 ^= t; t = ((a2 >>> 1) ^ a3) & 0x55555555; a2 ^= t << 1; a3 ^= t;
      t = ((a4 >>> 1) ^ a5) & 0x55555555; a4 ^= t << 1; a5 ^= t; t = ((a6 >>> 1) ^ a7) & 0x55555555; a6 ^= t << 1; a7 ^= t;
      t = ((a8 >>> 1) ^ a9) & 0x55555555; a8 ^= t << 1; a9 ^= t; t = ((a10 >>> 1) ^ a11) & 0x55555555; a10 ^= t << 1; a11 ^= t;
      t = ((a12 >>> 1) ^ a13) & 0x55555555; a12 ^= t << 1; a13 ^= t; t = ((a14 >>> 1) ^ a15) & 0x55555555; a14 ^= t << 1; a15 ^= t;
      t = ((a16 >>> 1) ^ a17) & 0x55555555; a16 ^= t << 1; a17 ^= t; t = ((a18 >>> 1) ^ a19) & 0x55555555; a18 ^= t << 1; a19 ^= t;
      t = ((a20 >>> 1) ^ a21) & 0x55555555; a20 ^= t << 1; a21 ^= t; t = ((a22 >>> 1) ^ a23) & 0x55555555; a22 ^= t << 1; a23 ^= t;
      t = ((a24 >>> 1) ^ a25) & 0x55555555; a24 ^= t << 1; a25 ^= t; t = ((a26 >>> 1) ^ a27) & 0x55555555; a26 ^= t << 1; a27 ^= t;
      t = ((a28 >>> 1) ^ a29) & 0x55555555; a28 ^= t << 1; a29 ^= t; t = ((a30 >>> 1) ^ a31) & 0x55555555; a30 ^= t << 1; a31 ^= t;
      rows[out + 0] = a0; rows[out + 4] = a1; rows[out + 8] = a2; rows[out + 12] = a3;
      rows[out + 16] = a4; rows[out + 20] = a5; rows[out + 24] = a6; rows[out + 28] = a7;
      rows[out + 32] = a8; rows[out + 36] = a9; rows[out + 40] = a10; rows[out + 44] = a11;
      rows[out + 48] = a12; rows[out + 52] = a13; rows[out + 56] = a14; rows[out + 60] = a15;
      rows[out + 64] = a16; rows[out + 68] = a17; rows[out + 72] = a18; rows[out + 76] = a19;
      rows[out + 80] = a20; rows[out + 84] = a21; rows[out + 88] = a22; rows[out + 92] = a23;
      rows[out + 96] = a24; rows[out + 100] = a25; rows[out + 104] = a26; rows[out + 108] = a27;
      rows[out + 112] = a28; rows[out + 116] = a29; rows[out + 120] = a30; rows[out + 124] = a31;
    }
  }
  return rows;
}

/** Inverse of columnsToRows (used by tests and by senders that build columns from rows). */
export function rowsToColumns(rows: Uint32Array, m: number, cols = new Uint32Array(4 * m)): Uint32Array {
  if (m % 32 !== 0 || rows.length < 4 * m || cols.length < 4 * m) throw new RangeError('rowsToColumns: m must be a multiple of 32 and buffers sized 4·m words');
  const w = m >>> 5;
  const blk = new Uint32Array(32);
  for (let g = 0; g < 4; g++) {
    for (let k = 0; k < w; k++) {
      const src = 128 * k + g;
      for (let r = 0; r < 32; r++) blk[r] = rows[src + 4 * r];
      transpose32(blk);
      const base = 32 * g * w + k;
      for (let b = 0; b < 32; b++) cols[base + b * w] = blk[b];
    }
  }
  return cols;
}
