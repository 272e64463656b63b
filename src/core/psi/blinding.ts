/**
 * Group side of DH-PSI (dh-psi.ts): hash items into ristretto255, raise encoded points to a
 * secret exponent, shuffle blocks of encoded points, and key them for set lookups. Pure
 * functions over flat byte arrays (n·32 bytes), so a whole hop is one buffer on the wire.
 *
 * - Hash-to-group: RFC 9380 hash_to_ristretto255 (expand_message_xmd with SHA-512, then the
 *   RFC 9496 one-way map), via @noble/curves `ristretto255_hasher.hashToCurve`. The DST
 *   carries a digest of the session context, so the same item hashes to unrelated points in
 *   different sessions. Modelled as a random oracle.
 * - Exponentiation: noble's constant-time `multiply` (the exponent is secret; the
 *   non-constant-time `multiplyUnsafe` measured only ~10 % faster here).
 * - Decoding a peer's point uses the canonical RFC 9496 decoder, which rejects non-canonical
 *   and off-group encodings; the identity is rejected too (H(x)^k is never the identity
 *   except with negligible probability).
 * - Shuffles: Fisher–Yates [Knuth, TAOCP vol. 2, Algorithm P] driven by the platform CSPRNG
 *   with rejection sampling, so every permutation is equally likely.
 *
 * Security assumption: DDH in ristretto255 (prime order ℓ ≈ 2^252) and the random-oracle
 * model for hash-to-curve.
 *
 * [RFC9380] Faz-Hernandez et al. Hashing to Elliptic Curves. 2023.
 * [RFC9496] de Valence et al. The ristretto255 and decaf448 Groups. 2023.
 */
import { ristretto255, ristretto255_hasher } from '@noble/curves/ed25519.js';
import { bytesToNumberLE } from '@noble/curves/utils.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { MpcError } from '../errors.ts';
import { utf8Encode } from '../codec.ts';
import { randomBytes } from '../random.ts';

const Point = ristretto255.Point;
type RistrettoPoint = InstanceType<typeof Point>;

export const POINT_BYTES = 32;
const DST_PREFIX = 'parley-psi-v1-ristretto255_XMD:SHA-512_R255MAP_RO_';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** One 32-byte block as a 32-character string: the key under which blinded values are compared. */
export function blockKey(buf: Uint8Array, index: number): string {
  const off = index * POINT_BYTES;
  return String.fromCharCode(...buf.subarray(off, off + POINT_BYTES));
}

/** RFC 9380 domain separation tag bound to this session's context (a 32-byte digest). */
export function psiDst(context: Uint8Array): Uint8Array {
  const digest = sha256(context);
  let hex = '';
  for (const b of digest) hex += HEX[b];
  return utf8Encode(DST_PREFIX + hex);
}

/** Uniform exponent in [1, ℓ): 512 random bits reduced mod ℓ (bias 2^-260). */
export function randomExponent(): bigint {
  for (;;) {
    const k = Point.Fn.create(bytesToNumberLE(randomBytes(64)));
    if (k !== 0n) return k;
  }
}

/** out[i] = encode(H(items[i])^k) for i in [from, to). */
export function hashAndBlind(items: readonly string[], k: bigint, dst: Uint8Array, out: Uint8Array, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const p = ristretto255_hasher.hashToCurve(utf8Encode(items[i]), { DST: dst }) as RistrettoPoint;
    out.set(p.multiply(k).toBytes(), i * POINT_BYTES);
  }
}

/** Decode block i of a peer's buffer; an invalid encoding or the identity blames `party`. */
export function decodeBlock(buf: Uint8Array, i: number, party: number): RistrettoPoint {
  let p: RistrettoPoint;
  try {
    p = Point.fromBytes(buf.subarray(i * POINT_BYTES, (i + 1) * POINT_BYTES));
  } catch {
    throw new MpcError('MALFORMED_MESSAGE', `PSI: party ${party} sent an invalid ristretto255 encoding at position ${i}`, party);
  }
  if (p.is0()) throw new MpcError('MALFORMED_MESSAGE', `PSI: party ${party} sent the identity point at position ${i}`, party);
  return p;
}

/** out[i] = encode(decode(input[i])^k) for i in [from, to); input comes from `party`. */
export function blindReceived(input: Uint8Array, k: bigint, out: Uint8Array, from: number, to: number, party: number): void {
  for (let i = from; i < to; i++) out.set(decodeBlock(input, i, party).multiply(k).toBytes(), i * POINT_BYTES);
}

/** Check that blocks [from, to) of a peer's buffer are valid non-identity points. */
export function validateBlocks(input: Uint8Array, from: number, to: number, party: number): void {
  for (let i = from; i < to; i++) decodeBlock(input, i, party);
}

/** Uniform random integers below `bound` (≤ 2^32) from the CSPRNG, by rejection sampling. */
class RandomIndex {
  private pool: Uint32Array = new Uint32Array(0);
  private pos = 0;
  below(bound: number): number {
    const limit = Math.floor(0x1_0000_0000 / bound) * bound;
    for (;;) {
      if (this.pos >= this.pool.length) {
        this.pool = new Uint32Array(randomBytes(4096 * 4).buffer);
        this.pos = 0;
      }
      const r = this.pool[this.pos++];
      if (r < limit) return r % bound;
    }
  }
}

/** Fisher–Yates shuffle of an array in place, uniformly over all permutations. */
export function shuffleInPlace<T>(xs: T[]): void {
  const rnd = new RandomIndex();
  for (let i = xs.length - 1; i > 0; i--) {
    const j = rnd.below(i + 1);
    const t = xs[i];
    xs[i] = xs[j];
    xs[j] = t;
  }
}

/** Fisher–Yates shuffle of the 32-byte blocks of `buf` in place. */
export function shuffleBlocks(buf: Uint8Array): void {
  if (buf.length % POINT_BYTES !== 0) throw new MpcError('INVALID_ARGUMENT', `buffer of ${buf.length} bytes is not a whole number of points`);
  const rnd = new RandomIndex();
  const tmp = new Uint8Array(POINT_BYTES);
  for (let i = buf.length / POINT_BYTES - 1; i > 0; i--) {
    const j = rnd.below(i + 1);
    if (j === i) continue;
    const a = i * POINT_BYTES;
    const b = j * POINT_BYTES;
    tmp.set(buf.subarray(a, a + POINT_BYTES));
    buf.copyWithin(a, b, b + POINT_BYTES);
    buf.set(tmp, b);
  }
}
