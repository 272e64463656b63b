// Spec validation (untrusted JSON), plain-words descriptions, local input parsing, and the
// exact rounding helpers against brute force.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeOutput } from './describe.ts';
import { parseInputs } from './inputs.ts';
import { nearestRank } from './order-stats.ts';
import { floorDiv, isqrt, roundDiv, sqrtRound } from './rounding.ts';
import { type ComputationSpec, parseComputationSpec, scaleSpec } from './spec.ts';

const OK: ComputationSpec = { kind: 'median', decimals: 2, lower: '-10', upper: '1250.50', length: 5 };

describe('parseComputationSpec', () => {
  it('accepts well-formed specs of every kind', () => {
    const specs: unknown[] = [
      OK,
      { ...OK, kind: 'sum', minParties: 3 },
      { ...OK, kind: 'percentile', p: '99.5' },
      { ...OK, kind: 'histogram', edges: ['0', '100', '1250.5'] },
      { ...OK, kind: 'threshold', threshold: '-3.25' },
      { ...OK, kind: 'weighted-mean', maxWeight: '100' },
      { ...OK, kind: 'rank', length: 1 },
      { ...OK, decimals: 0, lower: '5', upper: '5' },
    ];
    for (const s of specs) expect(parseComputationSpec(s)).toEqual({ ok: true, spec: s });
  });

  it('rejects malformed specs with a reason', () => {
    const bad: [unknown, RegExp][] = [
      [null, /object/],
      [[], /object/],
      [{ ...OK, kind: 'psi' }, /kind/],
      [{ ...OK, decimals: 7 }, /decimals/],
      [{ ...OK, decimals: 1.5 }, /decimals/],
      [{ ...OK, lower: 3 }, /lower/],
      [{ ...OK, lower: '1.234' }, /lower/],
      [{ ...OK, lower: '1e3' }, /lower/],
      [{ ...OK, lower: '20', upper: '10' }, /exceed/],
      [{ ...OK, upper: '99999999999999999' }, /too large/],
      [{ ...OK, length: 0 }, /length/],
      [{ ...OK, length: 100_001 }, /length/],
      [{ ...OK, kind: 'rank', length: 2 }, /rank/],
      [{ ...OK, kind: 'percentile' }, /p must/],
      [{ ...OK, kind: 'percentile', p: '100' }, /between/],
      [{ ...OK, kind: 'percentile', p: '0' }, /between/],
      [{ ...OK, p: '50' }, /unexpected field/],
      [{ ...OK, extra: 1 }, /unexpected field/],
      [{ ...OK, kind: 'histogram', edges: [] }, /edges/],
      [{ ...OK, kind: 'histogram', edges: ['1', '1'] }, /increase/],
      [{ ...OK, kind: 'histogram', edges: ['-10'] }, /increase/],
      [{ ...OK, kind: 'histogram', edges: ['2000'] }, /upper/],
      [{ ...OK, kind: 'histogram', edges: Array.from({ length: 65 }, (_, i) => String(i)) }, /edges/],
      [{ ...OK, kind: 'histogram', edges: [5] }, /edge 1/],
      [{ ...OK, kind: 'threshold', threshold: 'x' }, /threshold/],
      [{ ...OK, kind: 'weighted-mean', maxWeight: '0' }, /positive/],
      [{ ...OK, minParties: 1 }, /minParties/],
    ];
    for (const [s, why] of bad) {
      const r = parseComputationSpec(s);
      expect(r.ok, JSON.stringify(s)).toBe(false);
      if (!r.ok) expect(r.error).toMatch(why);
    }
  });

  it('never throws on arbitrary JSON', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => typeof parseComputationSpec(v).ok === 'boolean'), { numRuns: 200 });
  });

  it('scales exactly', () => {
    const sc = scaleSpec({ ...OK, kind: 'histogram', edges: ['0.1', '2'] });
    expect(sc).toMatchObject({ lower: -1000n, upper: 125050n, edges: [10n, 200n] });
    expect(scaleSpec(OK).pMicro).toBe(50_000_000n);
  });
});

describe('describeOutput', () => {
  it('says what is revealed, to whom, with warnings', () => {
    const sum2 = describeOutput({ ...OK, kind: 'sum', length: 1 }, 2);
    expect(sum2.warnings.join(' ')).toMatch(/2 participants, the sum reveals the other's value/);
    expect(describeOutput({ ...OK, kind: 'max' }, 4).warnings.join(' ')).toMatch(/one participant's exact value/);
    expect(describeOutput({ ...OK, kind: 'rank', length: 1 }, 4).reveals.join(' ')).toMatch(/only its own rank/);
    expect(describeOutput({ ...OK, kind: 'histogram', edges: ['1'] }, 3).warnings.join(' ')).toMatch(/single value/);
    expect(describeOutput({ ...OK, kind: 'threshold', threshold: '7' }, 3).reveals.join(' ')).toMatch(/single yes\/no/);
    expect(describeOutput(OK, 3, [2, 2, 2]).warnings.join(' ')).toMatch(/3rd smallest/);
    expect(describeOutput({ ...OK, minParties: 4 }, 3).warnings.join(' ')).toMatch(/at least 4/);
    for (const d of [describeOutput(OK, 3), describeOutput({ ...OK, kind: 'stats' }, 2)]) {
      expect(d.reveals.join(' ')).toMatch(/some input was out of range/);
    }
  });

  it('describes an invalid spec as invalid', () => {
    expect(describeOutput({ ...OK, decimals: 9 }, 3).reveals[0]).toMatch(/not valid/);
  });
});

describe('parseInputs', () => {
  it('parses exact decimals within the bounds', () => {
    expect(parseInputs(OK, ['1250.50', '-10', '0.01'])).toEqual({ values: [125050n, -1000n, 1n] });
    expect(parseInputs({ ...OK, kind: 'weighted-mean', maxWeight: '2' }, ['1'], ['0.5'])).toEqual({ values: [100n], weights: [50n] });
  });
  it('names the offending value', () => {
    expect(() => parseInputs(OK, ['1', '1250.51'])).toThrow(/value 2.*between -10 and 1250.5/);
    expect(() => parseInputs(OK, ['1.001'])).toThrow(/at most 2 decimal places/);
    expect(() => parseInputs(OK, ['1', '2', '3', '4', '5', '6'])).toThrow(/1 to 5 values/);
    expect(() => parseInputs({ ...OK, kind: 'sum', length: 2 }, ['1'])).toThrow(/exactly 2 values/);
    expect(() => parseInputs({ ...OK, kind: 'weighted-mean', maxWeight: '2' }, ['1'], ['0'])).toThrow(/weight/);
  });
});

describe('exact rounding', () => {
  const big = fc.bigInt({ min: -(1n << 80n), max: 1n << 80n });
  const pos = fc.bigInt({ min: 1n, max: 1n << 40n });
  it('floorDiv and roundDiv (half up)', () => {
    fc.assert(
      fc.property(big, pos, (a, b) => {
        const q = floorDiv(a, b);
        expect(q * b <= a && a < (q + 1n) * b).toBe(true);
        const r = roundDiv(a, b); // r − ½ ≤ a/b < r + ½
        expect((2n * r - 1n) * b <= 2n * a && 2n * a < (2n * r + 1n) * b).toBe(true);
      }),
    );
    expect([roundDiv(5n, 2n), roundDiv(-5n, 2n), roundDiv(1n, 3n), roundDiv(2n, 3n)]).toEqual([3n, -2n, 0n, 1n]);
  });
  it('isqrt and sqrtRound', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 1n << 130n }), pos, (a, b) => {
        const s = isqrt(a);
        expect(s * s <= a && a < (s + 1n) * (s + 1n)).toBe(true);
        const r = sqrtRound(a, b); // (r − ½)² ≤ a/b < (r + ½)²
        expect((2n * r - 1n) ** 2n * b <= 4n * a || r === 0n).toBe(true);
        expect(4n * a < (2n * r + 1n) ** 2n * b).toBe(true);
      }),
    );
  });
  it('nearest rank', () => {
    expect([nearestRank(50_000_000n, 4), nearestRank(50_000_000n, 5), nearestRank(1n, 10), nearestRank(99_999_999n, 10)]).toEqual([2, 3, 1, 10]);
  });
});
