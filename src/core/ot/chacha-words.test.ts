import { chacha12 } from '@noble/ciphers/chacha.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chacha12Words, leWords } from './chacha-words.ts';

describe('chacha12Words', () => {
  it('equals @noble/ciphers chacha12 on zeros, read little-endian (any key, nonce and length)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 12, maxLength: 12 }), fc.integer({ min: 1, max: 40 }), (key, nonce, blocks) => {
        const ref = new Uint32Array(chacha12(key, nonce, new Uint8Array(64 * blocks)).buffer);
        const n = leWords(nonce);
        const out = new Uint32Array(16 * blocks);
        chacha12Words(leWords(key), n[0], n[1], n[2], out, 16 * blocks);
        expect(out).toEqual(ref);
      }),
      { numRuns: 50 },
    );
  });

  it('refuses a length that is not whole blocks', () => {
    expect(() => chacha12Words(new Uint32Array(8), 0, 0, 0, new Uint32Array(16), 8)).toThrow(/multiple of 16/);
  });
});
