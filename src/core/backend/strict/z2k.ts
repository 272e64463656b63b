/**
 * Z_2^(k+s) with k = 64, s = 64 (SPDZ2k [CDE+18]): a value of Z_2^64 is carried as an
 * element of Z_2^128 whose low 64 bits are the value; the high 64 bits are slack that
 * makes MAC forgeries on the low bits fail except with probability ≈ 2^−(s − log s).
 * Vectors are plain `bigint[]` reduced mod 2^128; on the wire 16 bytes per element
 * (two little-endian u64, low word first).
 *
 * [CDE+18] Cramer, Damgård, Escudero, Scholl, Xing. SPDZ2k: Efficient MPC mod 2^k with
 *          Dishonest Majority. CRYPTO 2018.
 */
import { MpcError } from '../../errors.ts';
import { prg } from '../../random.ts';

export const K = 64;
export const S = 64;
export const RING_BITS = K + S;
export const ELEMENT_BYTES = 16;

export const mod = (v: bigint): bigint => BigInt.asUintN(RING_BITS, v);

export function toBytes(v: readonly bigint[]): Uint8Array {
  const out = new BigUint64Array(2 * v.length);
  for (let i = 0; i < v.length; i++) {
    out[2 * i] = v[i];
    out[2 * i + 1] = v[i] >> 64n;
  }
  return new Uint8Array(out.buffer);
}

export function fromBytes(bytes: Uint8Array, count: number, party?: number): bigint[] {
  if (bytes.length !== count * ELEMENT_BYTES) {
    throw new MpcError('MALFORMED_MESSAGE', `expected ${count} ring elements (${count * ELEMENT_BYTES} bytes), got ${bytes.length}`, party);
  }
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  const w = new BigUint64Array(copy.buffer);
  const out = new Array<bigint>(count);
  for (let i = 0; i < count; i++) out[i] = w[2 * i] | (w[2 * i + 1] << 64n);
  return out;
}

/** `count` pseudo-random ring elements from a 32-byte seed and a 12-byte nonce (ChaCha20). */
export function prgRing(seed: Uint8Array, count: number, nonce: Uint8Array): bigint[] {
  return fromBytes(prg(seed, count * ELEMENT_BYTES, nonce), count);
}

/** Uniform ring elements from the CSPRNG. */
export function randomRing(count: number, seed: Uint8Array, nonce: Uint8Array): bigint[] {
  return prgRing(seed, count, nonce);
}
