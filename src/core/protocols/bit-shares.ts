/**
 * Boolean (XOR) shares of vectors of 64-bit values, bit-sliced so that one machine word
 * operation evaluates a gate for 32 elements at once (as in ABY's SIMD gates [DSZ15]).
 *
 * Layout (plane-major): a `BitShares` with `count` elements and `bits` planes holds
 * `bits · W` words, W = ⌈count/32⌉. Plane k (bit k of every element, k = 0 is the least
 * significant bit) is the word range [k·W, (k+1)·W); element j is bit (j mod 32) of word
 * ⌊j/32⌋ of each plane. Plane-major keeps a whole bit position of all elements contiguous,
 * so an adder layer is a handful of long XOR/AND loops and "planes 0..62" is one subarray.
 * Bits of the last word beyond `count` are padding: they carry no meaning and are masked
 * whenever values leave the bit-sliced form.
 *
 * Security: local operations only (XOR is free on XOR shares; NOT flips party 0's share).
 *
 * [DSZ15] Demmler, Schneider, Zohner. ABY – A Framework for Efficient Mixed-Protocol
 *         Secure Two-Party Computation. NDSS 2015.
 * [War03] Warren. Hacker's Delight, §7-3 (transposing a bit matrix).
 */
import { MpcError } from '../errors.ts';

export interface BitShares {
  /** Number of elements (lanes). */
  readonly count: number;
  /** Number of bit planes (64 for a ring element, 1 for a comparison result). */
  readonly bits: number;
  /** `bits · wordsFor(count)` words, plane-major (see the module comment). */
  readonly words: Uint32Array;
}

export const wordsFor = (count: number): number => (count + 31) >>> 5;

export function makeBitShares(count: number, bits: number, words?: Uint32Array): BitShares {
  const need = bits * wordsFor(count);
  if (words && words.length !== need) {
    throw new MpcError('INVALID_ARGUMENT', `bit shares of ${count} elements × ${bits} planes need ${need} words, got ${words.length}`);
  }
  return { count, bits, words: words ?? new Uint32Array(need) };
}

/** View of plane k (no copy). */
export function plane(x: BitShares, k: number): Uint32Array {
  const w = wordsFor(x.count);
  return x.words.subarray(k * w, (k + 1) * w);
}

/**
 * In-place transpose of the 32×32 bit matrix a[off..off+32) where entry (row r, column c)
 * is bit c of a[off + r]: afterwards bit c of a[off + r] is the old bit r of a[off + c].
 * Five rounds of block swaps [War03], with least-significant-bit-first columns.
 */
export function transpose32(a: Uint32Array, off = 0): void {
  let m = 0x0000ffff;
  for (let j = 16; j !== 0; j >>>= 1, m = (m ^ (m << j)) >>> 0) {
    for (let k = 0; k < 32; k = (k + j + 1) & ~j) {
      const t = ((a[off + k] >>> j) ^ a[off + k + j]) & m;
      a[off + k] ^= t << j;
      a[off + k + j] ^= t;
    }
  }
}

/** Bit-slice u64 values into 64 planes (plane-major). Used on a party's own share. */
export function sliceU64(values: BigUint64Array): BitShares {
  const count = values.length;
  const w = wordsFor(count);
  const out = new Uint32Array(64 * w);
  // Little-endian halves: u32[2j] = low 32 bits of element j, u32[2j + 1] = high 32 bits.
  const u32 = new Uint32Array(values.buffer, values.byteOffset, 2 * count);
  const lo = new Uint32Array(32);
  const hi = new Uint32Array(32);
  for (let b = 0; b < w; b++) {
    const base = b * 32;
    const rows = Math.min(32, count - base);
    for (let r = 0; r < 32; r++) {
      lo[r] = r < rows ? u32[2 * (base + r)] : 0;
      hi[r] = r < rows ? u32[2 * (base + r) + 1] : 0;
    }
    transpose32(lo);
    transpose32(hi);
    for (let k = 0; k < 32; k++) {
      out[k * w + b] = lo[k];
      out[(k + 32) * w + b] = hi[k];
    }
  }
  return { count, bits: 64, words: out };
}

/** Inverse of sliceU64 for (opened or local) 64-plane bit vectors. */
export function unsliceU64(x: BitShares): BigUint64Array {
  if (x.bits !== 64) throw new MpcError('INVALID_ARGUMENT', `unsliceU64 needs 64 planes, got ${x.bits}`);
  const count = x.count;
  const w = wordsFor(count);
  const out = new BigUint64Array(count);
  const u32 = new Uint32Array(out.buffer);
  const lo = new Uint32Array(32);
  const hi = new Uint32Array(32);
  for (let b = 0; b < w; b++) {
    for (let k = 0; k < 32; k++) {
      lo[k] = x.words[k * w + b];
      hi[k] = x.words[(k + 32) * w + b];
    }
    transpose32(lo);
    transpose32(hi);
    const base = b * 32;
    const rows = Math.min(32, count - base);
    for (let r = 0; r < rows; r++) {
      u32[2 * (base + r)] = lo[r];
      u32[2 * (base + r) + 1] = hi[r];
    }
  }
  return out;
}

/** Bits of a one-plane vector as 0/1 bytes (padding dropped). */
export function unsliceBits(x: BitShares): Uint8Array {
  if (x.bits !== 1) throw new MpcError('INVALID_ARGUMENT', `unsliceBits needs 1 plane, got ${x.bits}`);
  const out = new Uint8Array(x.count);
  for (let j = 0; j < x.count; j++) out[j] = (x.words[j >>> 5] >>> (j & 31)) & 1;
  return out;
}

/** One-plane vector from 0/1 values (a public vector, or one party's input). */
export function sliceBits(bits: ArrayLike<number>): BitShares {
  const x = makeBitShares(bits.length, 1);
  for (let j = 0; j < bits.length; j++) if (bits[j] & 1) x.words[j >>> 5] |= 1 << (j & 31);
  return x;
}

/** Gather elements: element j of the result is element idx[j] of x (every plane). Local. */
export function selectBits(x: BitShares, idx: ArrayLike<number>): BitShares {
  const win = wordsFor(x.count);
  const out = makeBitShares(idx.length, x.bits);
  const wout = wordsFor(idx.length);
  for (let j = 0; j < idx.length; j++) {
    const i = idx[j];
    if (!Number.isInteger(i) || i < 0 || i >= x.count) throw new MpcError('INVALID_ARGUMENT', `selectBits: index ${i} outside [0, ${x.count})`);
    for (let k = 0; k < x.bits; k++) {
      const bit = (x.words[k * win + (i >>> 5)] >>> (i & 31)) & 1;
      out.words[k * wout + (j >>> 5)] |= bit << (j & 31);
    }
  }
  return out;
}

function sameShape(a: BitShares, b: BitShares): void {
  if (a.count !== b.count || a.bits !== b.bits) {
    throw new MpcError('INVALID_ARGUMENT', `bit share shapes differ: ${a.count}×${a.bits} vs ${b.count}×${b.bits}`);
  }
}

/** XOR of two shared vectors: local. */
export function xorBits(a: BitShares, b: BitShares): BitShares {
  sameShape(a, b);
  const out = new Uint32Array(a.words.length);
  for (let i = 0; i < out.length; i++) out[i] = a.words[i] ^ b.words[i];
  return { count: a.count, bits: a.bits, words: out };
}

/** NOT of a shared vector: party 0 flips its share, the others keep theirs. */
export function notBits(self: number, a: BitShares): BitShares {
  const out = a.words.slice();
  if (self === 0) for (let i = 0; i < out.length; i++) out[i] = ~out[i];
  return { count: a.count, bits: a.bits, words: out };
}

/** The words as bytes, without copying (little endian, like every platform we run on). */
export const wordsAsBytes = (w: Uint32Array): Uint8Array => new Uint8Array(w.buffer, w.byteOffset, w.byteLength);

/** Words from a received payload; copies only when the view is not 4-byte aligned. */
export function bytesToWords(bytes: Uint8Array): Uint32Array {
  if (bytes.byteOffset % 4 === 0 && bytes.length % 4 === 0) return new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  const out = new Uint32Array(Math.ceil(bytes.length / 4));
  new Uint8Array(out.buffer).set(bytes);
  return out;
}
