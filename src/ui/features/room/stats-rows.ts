/**
 * The statistics table, as text (issue 18 presentation). The protocol reveals the mean and
 * the population standard deviation at decimals + 2 and the population variance at
 * 2·decimals + 2 (aggregates.ts); the sample variance is that variance · n / (n − 1), a
 * function of what is revealed, so showing it reveals nothing more.
 *
 * Every number is shown with the digits the inputs justify, the same way in every row: the
 * room's decimals for the mean and the standard deviations (an average of 2-decimal
 * salaries shows 2 decimals), twice that for the variances (squared units); "all digits"
 * shows what was revealed. The old table mixed "70,950.00", "23,560,000.00", "29,450,000"
 * and "5,426.7854" for inputs typed without decimals.
 */
import { formatDecimal, roundDecimal } from '../../components/format';

export interface StatsRow {
  label: string;
  value: string;
}

/** Digits the protocol adds beyond the room's decimals (aggregates.ts EXTRA_DECIMALS). */
const EXTRA = 2;

export function statsRows(st: { count: number; mean: string; variance: string; stddev: string }, decimals: number, allDigits = false): StatsRow[] {
  const sample = sampleVarianceExact(st.variance, st.count, 2 * decimals + EXTRA);
  const sampleSd = sample === undefined ? undefined : Math.sqrt(Number(sample)).toFixed(decimals + EXTRA);
  const show = (v: string | undefined, d: number) => (v === undefined ? 'needs 2 or more values' : allDigits ? formatDecimal(v, d + EXTRA) : formatDecimal(roundDecimal(v, d), d));
  return [
    { label: 'Count', value: st.count.toLocaleString('en') },
    { label: 'Mean', value: show(st.mean, decimals) },
    { label: 'Variance, population (÷ n)', value: show(st.variance, 2 * decimals) },
    { label: 'Variance, sample (÷ (n − 1))', value: show(sample, 2 * decimals) },
    { label: 'Standard deviation, population', value: show(st.stddev, decimals) },
    { label: 'Standard deviation, sample', value: show(sampleSd, decimals) },
  ];
}

/** variance · n / (n − 1) as an exact decimal string at `digits` decimals (half away from zero); undefined for n < 2. */
export function sampleVarianceExact(variance: string, n: number, digits: number): string | undefined {
  if (n < 2 || !/^-?\d+(\.\d+)?$/.test(variance)) return undefined;
  const [int, frac = ''] = variance.replace('-', '').split('.');
  const scaled = BigInt(int + frac.padEnd(digits, '0').slice(0, digits)) * BigInt(n);
  const q = (2n * scaled + BigInt(n - 1)) / (2n * BigInt(n - 1));
  const s = q.toString().padStart(digits + 1, '0');
  return digits ? `${s.slice(0, -digits)}.${s.slice(-digits)}` : s;
}
