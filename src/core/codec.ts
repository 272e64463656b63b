/**
 * Byte helpers shared by every protocol: u64 vectors <-> bytes, concatenation, and small
 * big-endian integer fields. Wire vectors are little endian, which is also the memory order
 * of BigUint64Array on every platform we run on; we assert that once at load time instead
 * of paying for a DataView on every element.
 *
 * Security: none by itself; decoding functions check lengths so that a peer's malformed
 * payload becomes a typed MALFORMED_MESSAGE error rather than a silent truncation.
 */
import { MpcError } from './errors.ts';

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
if (!littleEndian) throw new MpcError('ABORTED', 'Parley requires a little-endian platform');

/** Copy of the vector's bytes (little endian, 8 bytes per element). */
export function u64ToBytes(vec: BigUint64Array): Uint8Array {
  return new Uint8Array(vec.buffer, vec.byteOffset, vec.byteLength).slice();
}

/** View of the vector's bytes without copying; do not send it if the vector is reused. */
export function u64AsBytes(vec: BigUint64Array): Uint8Array {
  return new Uint8Array(vec.buffer, vec.byteOffset, vec.byteLength);
}

/**
 * Decode a u64 vector. Copies (the input may be an unaligned view of a frame).
 * `expected` (element count), when given, must match exactly.
 */
export function bytesToU64(bytes: Uint8Array, expected?: number, party?: number): BigUint64Array {
  if (bytes.length % 8 !== 0 || (expected !== undefined && bytes.length !== expected * 8)) {
    const want = expected === undefined ? 'a multiple of 8' : `${expected * 8}`;
    throw new MpcError('MALFORMED_MESSAGE', `expected ${want} bytes of u64 vector, got ${bytes.length}`, party);
  }
  const out = new BigUint64Array(bytes.length / 8);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/**
 * As bytesToU64, but returns a view without copying when the bytes are 8-byte aligned
 * (payloads of Session frames are: the header is 8 bytes). Only for read-once use of a
 * received payload, which nobody else holds.
 */
export function u64View(bytes: Uint8Array, expected?: number, party?: number): BigUint64Array {
  if (bytes.byteOffset % 8 !== 0) return bytesToU64(bytes, expected, party);
  if (bytes.length % 8 !== 0 || (expected !== undefined && bytes.length !== expected * 8)) return bytesToU64(bytes, expected, party);
  return new BigUint64Array(bytes.buffer, bytes.byteOffset, bytes.length / 8);
}

type Flat = Uint8Array | Uint32Array | BigUint64Array;

/** Concatenate typed arrays of one kind into a new one made by `make(total)`. */
function concatWith<T extends Flat>(parts: readonly T[], make: (length: number) => T): T {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = make(total);
  let off = 0;
  for (const p of parts) {
    (out as Flat).set(p as never, off);
    off += p.length;
  }
  return out;
}

/** Concatenate byte arrays into one new array. */
export const concatBytes = (...parts: readonly Uint8Array[]): Uint8Array => concatWith(parts, (n) => new Uint8Array(n));

/** Concatenate u64 vectors (e.g. to open several vectors in one round). */
export const concatU64 = (...parts: readonly BigUint64Array[]): BigUint64Array => concatWith(parts, (n) => new BigUint64Array(n));

/** Concatenate bit-sliced word vectors (e.g. to AND several gate layers in one round). */
export const concatWords = (parts: readonly Uint32Array[]): Uint32Array => concatWith(parts, (n) => new Uint32Array(n));

/** Split a vector into consecutive views of the given lengths (inverse of concatU64). */
export function splitU64(vec: BigUint64Array, lengths: readonly number[]): BigUint64Array[] {
  const out: BigUint64Array[] = [];
  let off = 0;
  for (const len of lengths) {
    out.push(vec.subarray(off, off + len));
    off += len;
  }
  if (off !== vec.length) throw new MpcError('INVALID_ARGUMENT', `split lengths sum to ${off}, vector has ${vec.length}`);
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });
export const utf8Encode = (s: string): Uint8Array => encoder.encode(s);
/** Strict UTF-8 decode; invalid input throws MALFORMED_MESSAGE. */
export function utf8Decode(b: Uint8Array, party?: number): string {
  try {
    return decoder.decode(b);
  } catch {
    throw new MpcError('MALFORMED_MESSAGE', 'invalid UTF-8 text', party);
  }
}

/** u32 big-endian length ‖ bytes (strings as UTF-8): an unambiguous concatenation for hashing. */
export function lengthPrefixed(field: Uint8Array | string): Uint8Array {
  const b = typeof field === 'string' ? utf8Encode(field) : field;
  const out = new Uint8Array(4 + b.length);
  new DataView(out.buffer).setUint32(0, b.length);
  out.set(b, 4);
  return out;
}
