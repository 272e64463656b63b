/**
 * Randomness for the engine.
 * - `randomBytes` / `randomU64`: the platform CSPRNG (crypto.getRandomValues, in Node 20
 *   and browsers), called in 64 KiB chunks because that is its per-call limit.
 * - `prg` / `Prg`: a seeded pseudo-random generator = the ChaCha20 keystream (RFC 8439)
 *   under a 32-byte seed and 12-byte nonce, from @noble/ciphers. Used to expand seeds
 *   (pairwise masks, share compression, OT extension) and for reproducible test inputs.
 *
 * Security assumption: ChaCha20 is a PRF; a (seed, nonce) pair must never be reused for
 * two different purposes, so callers derive the nonce from a unique round id (see
 * `nonceFor`). Outputs up to 2^32 blocks (256 GiB) per (seed, nonce).
 */
import { chacha20 } from '@noble/ciphers/chacha.js';
import { MpcError } from './errors.ts';

const CHUNK = 65536;
export const SEED_BYTES = 32;
export const NONCE_BYTES = 12;

export function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let off = 0; off < n; off += CHUNK) {
    globalThis.crypto.getRandomValues(out.subarray(off, Math.min(n, off + CHUNK)));
  }
  return out;
}

/** n uniformly random ring elements from the CSPRNG. */
export function randomU64(n: number): BigUint64Array {
  return new BigUint64Array(randomBytes(n * 8).buffer);
}

function checkSeed(seed: Uint8Array, nonce: Uint8Array): void {
  if (seed.length !== SEED_BYTES) throw new MpcError('INVALID_ARGUMENT', `PRG seed must be ${SEED_BYTES} bytes, got ${seed.length}`);
  if (nonce.length !== NONCE_BYTES) throw new MpcError('INVALID_ARGUMENT', `PRG nonce must be ${NONCE_BYTES} bytes, got ${nonce.length}`);
}

const ZERO_NONCE = new Uint8Array(NONCE_BYTES);

/** 12-byte nonce from up to three 32-bit numbers (e.g. protocol tag, instance, purpose). */
export function nonceFor(a: number, b = 0, c = 0): Uint8Array {
  const n = new Uint8Array(NONCE_BYTES);
  const v = new DataView(n.buffer);
  v.setUint32(0, a >>> 0);
  v.setUint32(4, b >>> 0);
  v.setUint32(8, c >>> 0);
  return n;
}

/** First nBytes of the ChaCha20 keystream under (seed, nonce). */
export function prg(seed: Uint8Array, nBytes: number, nonce: Uint8Array = ZERO_NONCE): Uint8Array {
  checkSeed(seed, nonce);
  const out = new Uint8Array(nBytes);
  return chacha20(seed, nonce, out, out);
}

/** n ring elements of keystream. */
export function prgU64(seed: Uint8Array, n: number, nonce: Uint8Array = ZERO_NONCE): BigUint64Array {
  return new BigUint64Array(prg(seed, n * 8, nonce).buffer);
}

/** A keystream read in consecutive pieces (e.g. per OT-extension batch). */
export class Prg {
  private pos = 0; // bytes consumed
  constructor(
    private readonly seed: Uint8Array,
    private readonly nonce: Uint8Array = ZERO_NONCE,
  ) {
    checkSeed(seed, nonce);
  }

  bytes(n: number): Uint8Array {
    const block = Math.floor(this.pos / 64);
    const skip = this.pos - block * 64;
    const buf = new Uint8Array(skip + n);
    chacha20(this.seed, this.nonce, buf, buf, block);
    this.pos += n;
    return skip === 0 ? buf : buf.slice(skip);
  }

  u64(n: number): BigUint64Array {
    return new BigUint64Array(this.bytes(n * 8).buffer);
  }
}
