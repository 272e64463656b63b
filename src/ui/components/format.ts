/**
 * Number, size and time formatting for the views. Decimal strings stay strings: the digits
 * shown are exactly the digits computed (no float rounding of money).
 */

/**
 * Group the integer part with commas for reading and pad the fraction to at least
 * `minDecimals` ("1194.5", 2 -> "1,194.50"); a true minus sign for negatives.
 */
export function formatDecimal(v: string, minDecimals = 0): string {
  const [int, frac = ''] = v.split('.');
  const negative = int.startsWith('-');
  const digits = int.replace('-', '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const f = frac.padEnd(minDecimals, '0');
  return `${negative ? '−' : ''}${digits}${f ? `.${f}` : ''}`;
}

/**
 * A float result (survey totals, means, variances) for reading: integers as they are, others to
 * at most 3 decimals without trailing zeros, grouped like formatDecimal; null as "—".
 */
export function formatFloat(x: number | null): string {
  if (x === null) return '—';
  return formatDecimal(Number.isInteger(x) ? String(x) : x.toFixed(3).replace(/\.?0+$/, ''));
}

/** The same value padded like formatDecimal but without grouping (for CSV/clipboard). */
export function plainDecimal(v: string, minDecimals = 0): string {
  const [int, frac = ''] = v.split('.');
  const f = frac.padEnd(minDecimals, '0');
  return `${int}${f ? `.${f}` : ''}`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GiB`;
}

/** "45 s", "3 min 20 s", "1 h 5 min" — for elapsed time and estimates. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min${s % 60 ? ` ${s % 60} s` : ''}`;
  return `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''}`;
}

/** "1st", "2nd", "3rd", "11th", "22nd". */
export function ordinal(n: number): string {
  const mod100 = n % 100;
  if (mod100 >= 11 && mod100 <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

/**
 * Time left from the fraction done so far (linear extrapolation), once it means something:
 * not before 2 s or 2 % of the run, since the first steps (connecting) are not typical.
 */
export function estimateLeft(fraction: number | undefined, elapsedMs: number): number | undefined {
  if (fraction === undefined || !Number.isFinite(fraction) || fraction <= 0.02 || fraction >= 1 || elapsedMs < 2000) return undefined;
  return (elapsedMs * (1 - fraction)) / fraction;
}

/**
 * Round an exact decimal string to `decimals` digits, half away from zero, as a string
 * ("52150.3333", 2 -> "52150.33"; "-0.005", 2 -> "-0.01"). Shorter values are unchanged.
 */
export function roundDecimal(v: string, decimals: number): string {
  const negative = v.startsWith('-');
  const [int, frac = ''] = v.replace('-', '').split('.');
  if (frac.length <= decimals) return v;
  const scaled = BigInt(int + frac.slice(0, decimals)) + (frac.charCodeAt(decimals) >= 53 ? 1n : 0n);
  const digits = scaled.toString().padStart(decimals + 1, '0');
  const head = digits.slice(0, digits.length - decimals);
  const tail = decimals ? digits.slice(-decimals).replace(/0+$/, '') : '';
  const out = tail ? `${head}.${tail}` : head;
  return negative && /[1-9]/.test(out) ? `-${out}` : out;
}
