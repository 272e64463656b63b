import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MpcError } from './errors.ts';
import { INT64_MAX, INT64_MIN } from './ring.ts';
import { assertSumFits, decodeFixed, encodeFixed, fixedToNumber, formatDecimal, formatDecimalTrimmed, parseDecimal } from './fixed-point.ts';

const rangeError = (re: RegExp) => expect.objectContaining({ code: 'INPUT_OUT_OF_RANGE', message: expect.stringMatching(re) });

describe('fixed point', () => {
  it('parses decimal strings exactly (no float rounding)', () => {
    expect(parseDecimal('1250.50', 2)).toBe(125050n);
    expect(parseDecimal('  -0.07 ', 2)).toBe(-7n);
    expect(parseDecimal('+3', 2)).toBe(300n);
    expect(parseDecimal('.5', 1)).toBe(5n);
    expect(parseDecimal('0.1', 18)).toBe(10n ** 17n);
    expect(parseDecimal('1.500', 2)).toBe(150n);
    expect(parseDecimal('9223372036854775807', 0)).toBe(INT64_MAX);
    expect(parseDecimal('0.30000000000000004', 17)).toBe(30000000000000004n);
  });

  it('rejects malformed input and extra precision with what was expected and what arrived', () => {
    for (const bad of ['', '.', '-', '1e3', '1,5', '0x10', 'NaN', '1.2.3', '١٢']) {
      expect(() => parseDecimal(bad, 2)).toThrow(rangeError(/expected a decimal number/));
    }
    expect(() => parseDecimal('1.234', 2)).toThrow(rangeError(/at most 2 decimal places, got "1.234"/));
    expect(() => parseDecimal('1.5', 0)).toThrow(rangeError(/at most 0 decimal places/));
    expect(() => parseDecimal('1'.repeat(65), 0)).toThrow(rangeError(/at most 64 characters, got 65/));
    expect(() => parseDecimal('1', 19)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('format is the inverse of parse', () => {
    expect(formatDecimal(125050n, 2)).toBe('1250.50');
    expect(formatDecimal(-7n, 2)).toBe('-0.07');
    expect(formatDecimal(5n, 0)).toBe('5');
    expect(formatDecimalTrimmed(125050n, 2)).toBe('1250.5');
    expect(formatDecimalTrimmed(300n, 2)).toBe('3');
    expect(fixedToNumber(-125050n, 2)).toBe(-1250.5);
    fc.assert(
      fc.property(fc.bigInt({ min: INT64_MIN, max: INT64_MAX }), fc.integer({ min: 0, max: 18 }), (v, d) => {
        expect(parseDecimal(formatDecimal(v, d), d)).toBe(v);
      }),
    );
  });

  it('encodes into the ring with range checks naming the item', () => {
    const v = encodeFixed(['1.5', '-2.25', '0'], 2, { min: -1000n, max: 1000n });
    expect(Array.from(v)).toEqual([150n, BigInt.asUintN(64, -225n), 0n]);
    expect(decodeFixed(v, 2)).toEqual(['1.50', '-2.25', '0.00']);
    expect(() => encodeFixed(['1', '20.01'], 2, { min: 0n, max: 2000n })).toThrow(rangeError(/value 2 between 0 and 20, got 20.01/));
    expect(() => encodeFixed(['abc'], 2)).toThrow(rangeError(/got "abc"/));
    expect(() => encodeFixed(['1', 'x'], 2)).toThrow(rangeError(/^value 2: expected a decimal number/));
    expect(() => encodeFixed(['92233720368547758.08'], 2)).toThrow(MpcError);
  });

  it('checks that a sum of N bounded values cannot wrap', () => {
    expect(() => assertSumFits({ min: -(10n ** 15n), max: 10n ** 15n }, 16, 2)).not.toThrow();
    expect(() => assertSumFits({ min: 0n, max: INT64_MAX / 2n }, 3, 0)).toThrow(rangeError(/within ±3074457345618258602 so that 3 values/));
  });
});
