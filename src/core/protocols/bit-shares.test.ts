import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { notBits, plane, selectBits, sliceBits, sliceU64, transpose32, unsliceBits, unsliceU64, wordsFor, xorBits } from './bit-shares.ts';

describe('bit-shares', () => {
  it('transpose32 is the bit-matrix transpose (bit c of row r ↔ bit r of row c)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 32, maxLength: 32 }), (rows) => {
        const a = Uint32Array.from(rows);
        transpose32(a);
        for (let r = 0; r < 32; r++) for (let c = 0; c < 32; c++) expect((a[r] >>> c) & 1).toBe((rows[c] >>> r) & 1);
      }),
      { numRuns: 30 },
    );
  });

  it('sliceU64 puts bit k of element j in plane k, word j/32, bit j%32; unsliceU64 inverts it', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), { maxLength: 100 }), (vals) => {
        const v = BigUint64Array.from(vals);
        const s = sliceU64(v);
        expect(s.words.length).toBe(64 * wordsFor(v.length));
        for (let j = 0; j < v.length; j++) {
          for (const k of [0, 1, 31, 32, 33, 62, 63]) {
            expect((plane(s, k)[j >>> 5] >>> (j & 31)) & 1).toBe(Number((v[j] >> BigInt(k)) & 1n));
          }
        }
        expect(Array.from(unsliceU64(s))).toEqual(vals);
      }),
      { numRuns: 50 },
    );
  });

  it('slices one-plane bits, XOR and NOT (party 0 flips)', () => {
    const a = sliceBits([1, 0, 1, 1, 0]);
    const b = sliceBits([1, 1, 0, 1, 0]);
    expect(Array.from(unsliceBits(xorBits(a, b)))).toEqual([0, 1, 1, 0, 0]);
    expect(Array.from(unsliceBits(notBits(0, a)))).toEqual([0, 1, 0, 0, 1]);
    expect(Array.from(unsliceBits(notBits(1, a)))).toEqual([1, 0, 1, 1, 0]);
    expect(() => xorBits(a, sliceBits([1]))).toThrow(/shapes differ/);
    expect(Array.from(unsliceBits(selectBits(a, [4, 0, 0, 3, 1])))).toEqual([0, 1, 1, 1, 0]);
    const v = sliceU64(BigUint64Array.from([5n, 6n, 7n]));
    expect(Array.from(unsliceU64(selectBits(v, [2, 0])))).toEqual([7n, 5n]);
    expect(() => selectBits(a, [5])).toThrow(/outside/);
  });
});
