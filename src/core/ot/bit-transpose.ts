/**
 * Bit-matrix transposition for IKNP: 128 columns of m bits (what the PRG produces and the
 * network carries) ↔ m rows of 128 bits (what the hash consumes). Bits are little-endian
 * within 32-bit words: bit j of a column is word j>>5, bit j&31.
 *
 * Method: 32×32 block transposes by recursive block swaps (Hacker's Delight §7-3), five
 * masked swap stages per block, on a reused scratch array — no per-bit work.
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
  const blk = new Uint32Array(32);
  for (let g = 0; g < 4; g++) {
    for (let k = 0; k < w; k++) {
      const base = 32 * g * w + k;
      for (let b = 0; b < 32; b++) blk[b] = cols[base + b * w];
      transpose32(blk);
      const out = 128 * k + g;
      for (let r = 0; r < 32; r++) rows[out + 4 * r] = blk[r];
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
