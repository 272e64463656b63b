import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseValues, type ValueSchema } from './parse-values';

const schema: ValueSchema = { decimals: 2, maxAbs: 1e12, maxLength: 100_000 };

describe('parseValues', () => {
  it('reads one number, lists with mixed separators, and keeps exact decimals', () => {
    expect(parseValues('42', schema)).toEqual({ ok: true, values: ['42'] });
    expect(parseValues(' 1, 2;3\n-4\t5.50 ', schema)).toEqual({ ok: true, values: ['1', '2', '3', '-4', '5.5'] });
    expect(parseValues('-0.00', schema)).toEqual({ ok: true, values: ['0'] });
    expect(parseValues('007.10', schema)).toEqual({ ok: true, values: ['7.1'] });
  });

  it('rejects empty input, words, too many decimals, out of range and wrong length with a message', () => {
    const cases: [string, Partial<ValueSchema>, RegExp][] = [
      ['', {}, /at least one number/],
      ['12 abc', {}, /"abc" is not a number \(value 2\)/],
      ['1.234', {}, /too many decimals/],
      ['1.5', { decimals: 0 }, /whole numbers only/],
      ['2000000000000', {}, /out of range/],
      ['1 2 3', { length: 2 }, /The others entered 2 values; you entered 3/],
      ['1 2 3', { maxLength: 2 }, /At most 2 values/],
      ['1e5', {}, /not a number/],
      ['NaN', {}, /not a number/],
    ];
    for (const [text, extra, message] of cases) {
      const r = parseValues(text, { ...schema, ...extra });
      expect(r.ok, text).toBe(false);
      if (!r.ok) expect(r.error).toMatch(message);
    }
  });

  it('round-trips any list of in-range integers', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1e9, max: 1e9 }), { minLength: 1, maxLength: 50 }), fc.constantFrom(',', ' ', '\n', '; '), (xs, sep) => {
        const r = parseValues(xs.join(sep), schema);
        expect(r).toEqual({ ok: true, values: xs.map((x) => String(x)) });
      }),
    );
  });
});
