import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { INT64_MAX, INT64_MIN, add, addConst, decodeSigned, encodeSigned, mul, mulPublic, neg, sub, sum, sumVectors } from './ring.ts';

const M = 1n << 64n;
const mod = (x: bigint): bigint => ((x % M) + M) % M;
const u64 = fc.bigInt({ min: 0n, max: M - 1n });
const pairs = fc.array(fc.tuple(u64, u64), { maxLength: 50 });

describe('ring Z_2^64', () => {
  it('matches a bigint oracle elementwise', () => {
    fc.assert(
      fc.property(pairs, u64, (ps, k) => {
        const a = BigUint64Array.from(ps.map((p) => p[0]));
        const b = BigUint64Array.from(ps.map((p) => p[1]));
        expect(Array.from(add(a, b))).toEqual(ps.map(([x, y]) => mod(x + y)));
        expect(Array.from(sub(a, b))).toEqual(ps.map(([x, y]) => mod(x - y)));
        expect(Array.from(mul(a, b))).toEqual(ps.map(([x, y]) => mod(x * y)));
        expect(Array.from(neg(a))).toEqual(ps.map(([x]) => mod(-x)));
        expect(Array.from(mulPublic(a, k))).toEqual(ps.map(([x]) => mod(x * k)));
        expect(Array.from(addConst(a, k))).toEqual(ps.map(([x]) => mod(x + k)));
        expect(sum(a)).toBe(mod(ps.reduce((s, [x]) => s + x, 0n)));
        expect(Array.from(sumVectors([a, b, a]))).toEqual(ps.map(([x, y]) => mod(2n * x + y)));
      }),
    );
  });

  it('encodes signed values in two\'s complement, with range errors', () => {
    expect(encodeSigned(-1n)).toBe(M - 1n);
    expect(encodeSigned(INT64_MIN)).toBe(1n << 63n);
    expect(decodeSigned(encodeSigned(INT64_MAX))).toBe(INT64_MAX);
    expect(() => encodeSigned(INT64_MAX + 1n)).toThrow(/signed 64-bit/);
    fc.assert(fc.property(fc.bigInt({ min: INT64_MIN, max: INT64_MAX }), (v) => decodeSigned(encodeSigned(v)) === v));
  });

  it('rejects vectors of different lengths', () => {
    expect(() => add(new BigUint64Array(2), new BigUint64Array(3))).toThrow(/lengths differ/);
  });
});
