/**
 * fast-field.ts against the library: every overridden method of the faster Field128 returns
 * exactly what the library's Field128 returns, on random elements, on unreduced operands the
 * library's circuits pass (negative, ≥ p, products) and on the edges 0, 1, p − 1.
 * Deterministic: fast-check with a fixed seed (equalities, no statistics).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Prio3Count, Prio3Sum } from '@divviup/prio3';
import { fastField128, isField128 } from './fast-field';
import { accelerate } from './fast-prio3';

const lib = new Prio3Sum({ shares: 2, bits: 8 }).flp.field;
const fast = fastField128(lib);
const P = lib.modulus;
const params = { seed: 20261202, numRuns: 300 };

const element = fc.oneof(fc.bigInt({ min: 0n, max: P - 1n }), fc.constantFrom(0n, 1n, 2n, P - 1n, P - 2n));
/** What circuits hand the field besides elements: small negatives (PolyEval's −1), values just past p, wide products. */
const operand = fc.oneof(element, fc.bigInt({ min: -P, max: -1n }), fc.bigInt({ min: P, max: 2n * P }), fc.bigInt({ min: -(P * P), max: P * P }));

describe('FastField128 = library Field128', () => {
  it('is the library class underneath', () => {
    expect(fast).toBeInstanceOf(lib.constructor);
    expect([fast.modulus, fast.encodedSize, fast.generator, fast.genOrder]).toEqual([lib.modulus, lib.encodedSize, lib.generator, lib.genOrder]);
    expect(isField128(new Prio3Count({ shares: 2 }).flp.field)).toBe(false);
    expect(() => fastField128(new Prio3Count({ shares: 2 }).flp.field)).toThrow(/Field128/);
  });

  it('add, sub, mul on elements and unreduced operands', () => {
    fc.assert(
      fc.property(operand, operand, (a, b) => {
        expect(fast.add(a, b)).toBe(lib.add(a, b));
        expect(fast.sub(a, b)).toBe(lib.sub(a, b));
        expect(fast.mul(a, b)).toBe(lib.mul(a, b));
      }),
      params,
    );
  });

  it('exp: small, large, negative exponents (inverses), repeated (remembered) calls', () => {
    const exponent = fc.oneof(fc.bigInt({ min: 0n, max: 64n }), fc.bigInt({ min: 65n, max: P }), fc.constantFrom(-1n, -2n, P - 2n, 2n ** 66n / 16n));
    fc.assert(
      fc.property(operand, exponent, (b, e) => {
        if (lib.exp(b, 1n) === 0n && e <= 0n) return; // the library refuses 0^0 and inverts 0 to 0: see the next test
        expect(fast.exp(b, e)).toBe(lib.exp(b, e));
        expect(fast.exp(b, e)).toBe(lib.exp(b, e));
      }),
      params,
    );
  });

  it('exp edge cases as the library: 0^0 throws, 0^k = 0, inverse of 0 is 0', () => {
    expect(() => fast.exp(0n, 0n)).toThrow();
    expect(() => lib.exp(0n, 0n)).toThrow();
    expect(fast.exp(0n, 5n)).toBe(lib.exp(0n, 5n));
    expect(fast.exp(P, 100n)).toBe(lib.exp(P, 100n));
    expect(fast.exp(7n, 0n)).toBe(1n);
  });

  it('evalPoly (Horner) and mulPolys', () => {
    const poly = fc.array(operand, { minLength: 0, maxLength: 40 });
    fc.assert(
      fc.property(poly, operand, (p, x) => {
        expect(fast.evalPoly(p, x)).toBe(lib.evalPoly(p, x));
      }),
      params,
    );
    fc.assert(
      fc.property(fc.array(element, { minLength: 1, maxLength: 20 }), fc.array(element, { minLength: 1, maxLength: 20 }), (a, b) => {
        expect(fast.mulPolys(a, b)).toEqual(lib.mulPolys(a, b));
      }),
      params,
    );
  });

  it('interpolate over the roots of unity of every size a circuit uses (4 … 256), twice each', () => {
    for (const n of [2, 4, 8, 16, 32, 64, 128, 256]) {
      const alpha = lib.exp(lib.generator, lib.genOrder / BigInt(n));
      const roots = Array.from({ length: n }, (_, k) => lib.exp(alpha, BigInt(k)));
      fc.assert(
        fc.property(fc.array(element, { minLength: n, maxLength: n }), (ys) => {
          expect(fast.interpolate(roots, ys)).toEqual(lib.interpolate(roots, ys));
        }),
        { ...params, numRuns: n > 32 ? 10 : 50 },
      );
    }
  });

  it('vecAdd, vecSub, sum, encode', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(element, element), { maxLength: 30 }), (pairs) => {
        const a = pairs.map((x) => x[0]);
        const b = pairs.map((x) => x[1]);
        expect(fast.vecAdd(a, b)).toEqual(lib.vecAdd(a, b));
        expect(fast.vecSub(a, b)).toEqual(lib.vecSub(a, b));
        expect(fast.sum(a, (v, i) => v * BigInt(i + 1))).toBe(lib.sum(a, (v, i) => v * BigInt(i + 1)));
        expect(Array.from(fast.encode(a))).toEqual(Array.from(lib.encode(a)));
      }),
      params,
    );
    expect(() => fast.encode([2n ** 128n])).toThrow();
  });

  it('accelerate swaps the field and the XOF of a Prio3 instance once, and only Field128', () => {
    const v = accelerate(new Prio3Sum({ shares: 2, bits: 8 }));
    expect(v.flp.field).not.toBe(lib);
    expect(v.flp.field).toBeInstanceOf(lib.constructor);
    const field = v.flp.field;
    expect(accelerate(v).flp.field).toBe(field);
    const c = accelerate(new Prio3Count({ shares: 2 }));
    expect(isField128(c.flp.field)).toBe(false);
  });
});
