/**
 * The ChaCha12 keystream (RFC 8439 layout: 32-bit block counter from 0, 96-bit nonce) as
 * 32-bit words, for the OT extension's PRG (softspoken.ts, iknp.ts). Output is exactly
 * @noble/ciphers' `chacha12(key, nonce, zeros)` read little-endian (ot-primitives.test.ts
 * checks it); this version only skips what a PRG does not need: XOR with an all-zero
 * input, byte conversions and a fresh buffer per call. Measured (Node 20, this machine):
 * noble 0.19 GB/s on 16 KiB outputs, this 0.3 GB/s.
 *
 * Security: ChaCha12 as a PRG keyed by a 256-bit seed, as before (iknp.ts).
 */

const C0 = 0x61707865, C1 = 0x3320646e, C2 = 0x79622d32, C3 = 0x6b206574;

const rotl = (x: number, n: number): number => (x << n) | (x >>> (32 - n));

/** Write `words` (a multiple of 16) keystream words of ChaCha12(key, nonce) to out[0..words). */
export function chacha12Words(key: Uint32Array, n0: number, n1: number, n2: number, out: Uint32Array, words: number): void {
  if (key.length !== 8 || words % 16 !== 0 || out.length < words) throw new RangeError('chacha12Words: 8-word key, a multiple of 16 words, out long enough');
  const k0 = key[0], k1 = key[1], k2 = key[2], k3 = key[3], k4 = key[4], k5 = key[5], k6 = key[6], k7 = key[7];
  for (let blk = 0, o = 0; o < words; blk++, o += 16) {
    let x0 = C0, x1 = C1, x2 = C2, x3 = C3, x4 = k0, x5 = k1, x6 = k2, x7 = k3;
    let x8 = k4, x9 = k5, x10 = k6, x11 = k7, x12 = blk, x13 = n0, x14 = n1, x15 = n2;
    for (let r = 0; r < 12; r += 2) {
      x0 = (x0 + x4) | 0; x12 = rotl(x12 ^ x0, 16); x8 = (x8 + x12) | 0; x4 = rotl(x4 ^ x8, 12);
      x0 = (x0 + x4) | 0; x12 = rotl(x12 ^ x0, 8); x8 = (x8 + x12) | 0; x4 = rotl(x4 ^ x8, 7);
      x1 = (x1 + x5) | 0; x13 = rotl(x13 ^ x1, 16); x9 = (x9 + x13) | 0; x5 = rotl(x5 ^ x9, 12);
      x1 = (x1 + x5) | 0; x13 = rotl(x13 ^ x1, 8); x9 = (x9 + x13) | 0; x5 = rotl(x5 ^ x9, 7);
      x2 = (x2 + x6) | 0; x14 = rotl(x14 ^ x2, 16); x10 = (x10 + x14) | 0; x6 = rotl(x6 ^ x10, 12);
      x2 = (x2 + x6) | 0; x14 = rotl(x14 ^ x2, 8); x10 = (x10 + x14) | 0; x6 = rotl(x6 ^ x10, 7);
      x3 = (x3 + x7) | 0; x15 = rotl(x15 ^ x3, 16); x11 = (x11 + x15) | 0; x7 = rotl(x7 ^ x11, 12);
      x3 = (x3 + x7) | 0; x15 = rotl(x15 ^ x3, 8); x11 = (x11 + x15) | 0; x7 = rotl(x7 ^ x11, 7);
      x0 = (x0 + x5) | 0; x15 = rotl(x15 ^ x0, 16); x10 = (x10 + x15) | 0; x5 = rotl(x5 ^ x10, 12);
      x0 = (x0 + x5) | 0; x15 = rotl(x15 ^ x0, 8); x10 = (x10 + x15) | 0; x5 = rotl(x5 ^ x10, 7);
      x1 = (x1 + x6) | 0; x12 = rotl(x12 ^ x1, 16); x11 = (x11 + x12) | 0; x6 = rotl(x6 ^ x11, 12);
      x1 = (x1 + x6) | 0; x12 = rotl(x12 ^ x1, 8); x11 = (x11 + x12) | 0; x6 = rotl(x6 ^ x11, 7);
      x2 = (x2 + x7) | 0; x13 = rotl(x13 ^ x2, 16); x8 = (x8 + x13) | 0; x7 = rotl(x7 ^ x8, 12);
      x2 = (x2 + x7) | 0; x13 = rotl(x13 ^ x2, 8); x8 = (x8 + x13) | 0; x7 = rotl(x7 ^ x8, 7);
      x3 = (x3 + x4) | 0; x14 = rotl(x14 ^ x3, 16); x9 = (x9 + x14) | 0; x4 = rotl(x4 ^ x9, 12);
      x3 = (x3 + x4) | 0; x14 = rotl(x14 ^ x3, 8); x9 = (x9 + x14) | 0; x4 = rotl(x4 ^ x9, 7);
    }
    out[o] = (x0 + C0) | 0; out[o + 1] = (x1 + C1) | 0; out[o + 2] = (x2 + C2) | 0; out[o + 3] = (x3 + C3) | 0;
    out[o + 4] = (x4 + k0) | 0; out[o + 5] = (x5 + k1) | 0; out[o + 6] = (x6 + k2) | 0; out[o + 7] = (x7 + k3) | 0;
    out[o + 8] = (x8 + k4) | 0; out[o + 9] = (x9 + k5) | 0; out[o + 10] = (x10 + k6) | 0; out[o + 11] = (x11 + k7) | 0;
    out[o + 12] = (x12 + blk) | 0; out[o + 13] = (x13 + n0) | 0; out[o + 14] = (x14 + n1) | 0; out[o + 15] = (x15 + n2) | 0;
  }
}

/** A 32-byte key (or a 12-byte nonce) as little-endian words. */
export function leWords(bytes: Uint8Array): Uint32Array {
  if (bytes.length % 4 !== 0) throw new RangeError('leWords: length must be a multiple of 4');
  const w = new Uint32Array(bytes.length / 4);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < w.length; i++) w[i] = dv.getUint32(4 * i, true);
  return w;
}
