/**
 * Oblivious key-value store (OKVS) over GF(2): the random band construction of [BPSY23]
 * ("RB-OKVS"). Encoding n (key, value) pairs gives a table of m ≈ (1+ε)·n words such that
 * decode(table, key) = value for every encoded key: decoding is the XOR of the table cells
 * selected by the key's band, a w-bit random row starting at a random column.
 *
 * Why it is here (mp-psi.ts): a party programs "bin b of my items ↦ my random value for bin b",
 * masked by an OPRF output only the querier can compute for its own (item, bin), and sends
 * the table. Obliviousness: when the encoded values are uniform (they are: random values
 * under a PRF mask), the table is uniform and independent of the keys, because every free
 * column is filled with fresh randomness and the pivots are a bijection of the values.
 * Decoding a key that was not encoded gives a value the decoder cannot tell from a decoded one.
 *
 * Encoding: sort rows by start column and run Gaussian elimination restricted to the band
 * (each row's support stays inside [its pivot, its start + w), so one row spans
 * w/32 + 1 words aligned to absolute columns), then back-substitute. Cost O(n·w·w/32).
 * Parameters: w = 128, m = ⌈1.2·n⌉ + w, more margin than the ε ≈ 0.1 [BPSY23] analyse
 * for λ = 40 (okvs.test.ts: no failure in 300 encodings from 1 to 5,000 keys). A failure is
 * reported (`null`) and the caller re-derives its keys under the next attempt number.
 *
 * Keys are 32-byte digests that are already random-oracle outputs (the caller hashes);
 * bytes 0..5 give the start, bytes 16..31 the band.
 *
 * [BPSY23] Bienstock, Patel, Seo, Yeo. Near-Optimal Oblivious Key-Value Stores for Efficient
 *          PSI, PSU and Volume-Hiding Multi-Maps. USENIX Security 2023.
 */
import { MpcError } from '../errors.ts';
import { randomBytes } from '../random.ts';

export const OKVS_KEY_BYTES = 32;
export const BAND_BITS = 128;
const BAND_WORDS = BAND_BITS / 32;
/** Words a row spans when aligned to absolute columns. */
const ROW_WORDS = BAND_WORDS + 1;
const EXPANSION = 1.2;

/** Columns of the table for n keys. */
export const okvsColumns = (n: number): number => Math.ceil(EXPANSION * n) + BAND_BITS;

function startOf(keys: Uint8Array, i: number, span: number): number {
  const o = i * OKVS_KEY_BYTES;
  // 48 uniform bits reduced mod span (≤ 2^32): bias below 2^-16 per position, irrelevant for
  // correctness and not secret (positions are public functions of the keys).
  const hi = keys[o] | (keys[o + 1] << 8) | (keys[o + 2] << 16);
  const lo = keys[o + 3] | (keys[o + 4] << 8) | (keys[o + 5] << 16);
  return ((hi % span) * 16777216 + lo) % span;
}

function bandWord(keys: Uint8Array, i: number, k: number): number {
  const o = i * OKVS_KEY_BYTES + 16 + 4 * k;
  return (keys[o] | (keys[o + 1] << 8) | (keys[o + 2] << 16) | (keys[o + 3] << 24)) >>> 0;
}

/** XOR into `out` (vw words) the cells of `table` selected by key i's band. */
function decodeOne(table: Uint32Array, vw: number, keys: Uint8Array, i: number, span: number, out: Uint32Array, outOff: number): void {
  const start = startOf(keys, i, span);
  for (let k = 0; k < BAND_WORDS; k++) {
    let bits = bandWord(keys, i, k);
    while (bits !== 0) {
      const t = 31 - Math.clz32(bits & -bits);
      bits &= bits - 1;
      const cell = (start + 32 * k + t) * vw;
      for (let v = 0; v < vw; v++) out[outOff + v] ^= table[cell + v];
    }
  }
}

/**
 * Encode `n` keys (n·32 bytes) with values (n·vw words) into a table of okvsColumns(n)·vw
 * words. Returns null when the band system is singular (probability < 2^-40; retry with
 * keys derived under a fresh seed).
 */
export function okvsEncode(keys: Uint8Array, values: Uint32Array, vw: number): Uint32Array | null {
  const n = keys.length / OKVS_KEY_BYTES;
  if (!Number.isInteger(n) || values.length !== n * vw) throw new MpcError('INVALID_ARGUMENT', `OKVS: ${keys.length} key bytes and ${values.length} value words (width ${vw}) do not match`);
  const m = okvsColumns(n);
  const span = m - BAND_BITS + 1;
  const starts = new Uint32Array(n);
  for (let i = 0; i < n; i++) starts[i] = startOf(keys, i, span);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => starts[a] - starts[b]);
  // rows in sorted order: ROW_WORDS words aligned at word base(start), plus their values
  const rows = new Uint32Array(n * ROW_WORDS);
  const vals = new Uint32Array(n * vw);
  const base = new Uint32Array(n);
  for (let r = 0; r < n; r++) {
    const i = order[r];
    const st = starts[i];
    base[r] = st >>> 5;
    const shift = st & 31;
    for (let k = 0; k < BAND_WORDS; k++) {
      const word = bandWord(keys, i, k);
      rows[r * ROW_WORDS + k] ^= shift === 0 ? word : (word << shift) >>> 0;
      if (shift !== 0) rows[r * ROW_WORDS + k + 1] ^= word >>> (32 - shift);
    }
    vals.set(values.subarray(i * vw, (i + 1) * vw), r * vw);
  }
  // forward elimination inside the band
  const pivot = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    let p = -1;
    for (let k = 0; k < ROW_WORDS; k++) {
      const word = rows[r * ROW_WORDS + k];
      if (word !== 0) {
        p = 32 * (base[r] + k) + (31 - Math.clz32(word & -word));
        break;
      }
    }
    if (p < 0) return null; // a row became zero: the system is singular for these keys
    pivot[r] = p;
    const pw = p >>> 5;
    const pbit = 1 << (p & 31);
    for (let j = r + 1; j < n && starts[order[j]] <= p; j++) {
      const kj = pw - base[j];
      if ((rows[j * ROW_WORDS + kj] & pbit) === 0) continue;
      const off = base[j] - base[r];
      for (let k = 0; k + off < ROW_WORDS; k++) rows[j * ROW_WORDS + k] ^= rows[r * ROW_WORDS + k + off];
      for (let v = 0; v < vw; v++) vals[j * vw + v] ^= vals[r * vw + v];
    }
  }
  // free columns are uniform; pivots are solved from the last row back
  const table = new Uint32Array(randomBytes(m * vw * 4).buffer);
  const acc = new Uint32Array(vw);
  for (let r = n - 1; r >= 0; r--) {
    acc.set(vals.subarray(r * vw, (r + 1) * vw));
    const p = pivot[r];
    for (let k = 0; k < ROW_WORDS; k++) {
      let bits = rows[r * ROW_WORDS + k];
      while (bits !== 0) {
        const t = 31 - Math.clz32(bits & -bits);
        bits &= bits - 1;
        const col = 32 * (base[r] + k) + t;
        if (col === p) continue;
        for (let v = 0; v < vw; v++) acc[v] ^= table[col * vw + v];
      }
    }
    table.set(acc, p * vw);
  }
  return table;
}

/** Decode `count` keys against a table encoded for `n` keys: count·vw words. */
export function okvsDecode(table: Uint32Array, n: number, vw: number, keys: Uint8Array): Uint32Array {
  const m = okvsColumns(n);
  if (table.length !== m * vw) throw new MpcError('INVALID_ARGUMENT', `OKVS: table of ${table.length} words, expected ${m * vw}`);
  const count = keys.length / OKVS_KEY_BYTES;
  const out = new Uint32Array(count * vw);
  for (let i = 0; i < count; i++) decodeOne(table, vw, keys, i, m - BAND_BITS + 1, out, i * vw);
  return out;
}
