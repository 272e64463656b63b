import { blake3 } from '@noble/hashes/blake3.js';
import { describe, expect, it } from 'vitest';
import { KEYED_ROOT_FLAGS, compressBlock, keyWordsLE } from './blake3-block.ts';

// Deterministic inputs (a fixed byte pattern), so the test has no randomness to fail on.
const bytes = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 131 + seed * 17 + 7) & 0xff);

describe('compressBlock', () => {
  it('equals output block c of @noble/hashes keyed blake3 for every message length 0..64', () => {
    const key = bytes(32, 1);
    const kw = keyWordsLE(key);
    for (let len = 0; len <= 64; len++) {
      const x = bytes(len, len);
      const block = new Uint32Array(16);
      new Uint8Array(block.buffer).set(x);
      const ref = blake3(x, { key, dkLen: 64 * 6 });
      for (const c of [0, 1, 5]) {
        const out = new Uint32Array(16);
        compressBlock(kw, block, 0, c, len, KEYED_ROOT_FLAGS, out, 0);
        expect(new Uint8Array(out.buffer)).toEqual(ref.subarray(64 * c, 64 * c + 64));
      }
    }
  });

  it('reads and writes at offsets without touching neighbours', () => {
    const key = bytes(32, 2);
    const msg = new Uint32Array(48);
    new Uint8Array(msg.buffer, 64, 64).set(bytes(64, 3));
    const out = new Uint32Array(40).fill(0xdeadbeef);
    compressBlock(keyWordsLE(key), msg, 16, 0, 64, KEYED_ROOT_FLAGS, out, 8);
    expect(new Uint8Array(out.buffer, 32, 64)).toEqual(blake3(bytes(64, 3), { key, dkLen: 64 }));
    expect([...out.subarray(0, 8), ...out.subarray(24)].every((w) => w === 0xdeadbeef)).toBe(true);
  });
});
