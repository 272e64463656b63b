import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bytesToU64, concatBytes, concatU64, splitU64, u64ToBytes, u64View } from './codec.ts';

describe('codec', () => {
  it('u64 vectors round-trip through little-endian bytes, also from unaligned views', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), { maxLength: 20 }), (xs) => {
        const v = BigUint64Array.from(xs);
        const b = u64ToBytes(v);
        const shifted = concatBytes(new Uint8Array(3), b).subarray(3);
        expect(Array.from(bytesToU64(shifted, xs.length))).toEqual(xs);
      }),
    );
    expect(Array.from(u64ToBytes(new BigUint64Array([0x0102n])))).toEqual([2, 1, 0, 0, 0, 0, 0, 0]);
  });

  it('u64View avoids the copy only when aligned, and checks lengths the same way', () => {
    const frame = u64ToBytes(new BigUint64Array([0n, 5n, 6n]));
    const aligned = u64View(frame.subarray(8), 2);
    expect(aligned.buffer).toBe(frame.buffer);
    expect(Array.from(aligned)).toEqual([5n, 6n]);
    const odd = concatBytes(new Uint8Array(1), frame).subarray(9);
    expect(Array.from(u64View(odd, 2))).toEqual([5n, 6n]);
    expect(() => u64View(frame.subarray(8), 3, 2)).toThrow(expect.objectContaining({ code: 'MALFORMED_MESSAGE', party: 2 }));
  });

  it('rejects wrong lengths with MALFORMED_MESSAGE', () => {
    expect(() => bytesToU64(new Uint8Array(7))).toThrow(expect.objectContaining({ code: 'MALFORMED_MESSAGE' }));
    expect(() => bytesToU64(new Uint8Array(16), 3, 1)).toThrow(expect.objectContaining({ code: 'MALFORMED_MESSAGE', party: 1 }));
  });

  it('concatenates and splits vectors', () => {
    const v = concatU64(new BigUint64Array([1n, 2n]), new BigUint64Array([3n]));
    expect(splitU64(v, [2, 1]).map((x) => Array.from(x))).toEqual([[1n, 2n], [3n]]);
    expect(() => splitU64(v, [1])).toThrow(/sum to 1/);
  });
});
