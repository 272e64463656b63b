import { describe, expect, it } from 'vitest';
import { sampleVarianceExact, statsRows } from './stats-rows';

/** The statistics of a list of whole numbers as the protocol reveals them (decimals 0: mean and sd at 2, variance at 2). */
function revealed(xs: number[]) {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
  return { count: n, mean: mean.toFixed(2), variance: variance.toFixed(2), stddev: Math.sqrt(variance).toFixed(2) };
}

describe('statistics table (issue 18: round to what the inputs justify, the same in every row)', () => {
  const salaries = [68250, 72000, 79500, 70000, 65000];
  const rows = Object.fromEntries(statsRows(revealed(salaries), 0).map((r) => [r.label, r.value]));

  it('shows whole-number inputs as whole numbers in every row, thousands grouped (was 70,950.00 beside 29,450,000 and 5,426.7854)', () => {
    const n = salaries.length;
    const mean = salaries.reduce((a, b) => a + b, 0) / n;
    const pop = salaries.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
    const sample = (pop * n) / (n - 1);
    const en = (x: number) => Math.round(x).toLocaleString('en');
    expect(rows).toEqual({
      Count: '5',
      Mean: en(mean),
      'Variance, population (÷ n)': en(pop),
      'Variance, sample (÷ (n − 1))': en(sample),
      'Standard deviation, population': en(Math.sqrt(pop)),
      'Standard deviation, sample': en(Math.sqrt(sample)),
    });
  });

  it('pads every row to the room decimals, and "all digits" shows what was revealed', () => {
    const st = { count: 3, mean: '1.5000', variance: '0.250000', stddev: '0.5000' };
    expect(statsRows(st, 2).map((r) => r.value)).toEqual(['3', '1.50', '0.2500', '0.3750', '0.50', '0.61']);
    expect(statsRows(st, 2, true).map((r) => r.value)).toEqual(['3', '1.5000', '0.250000', '0.375000', '0.5000', '0.6124']);
    expect(statsRows({ ...st, count: 1 }, 2)[3].value).toBe('needs 2 or more values');
  });

  it('derives the sample variance exactly (no float rounding of large variances)', () => {
    // 10^24 / 3 · 4: beyond a double's 15–16 digits
    expect(sampleVarianceExact('1000000000000000000000000.00', 4, 2)).toBe('1333333333333333333333333.33');
    expect(sampleVarianceExact('2', 4, 0)).toBe('3');
    expect(sampleVarianceExact('2', 1, 0)).toBeUndefined();
  });
});
