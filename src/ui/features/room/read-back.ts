/**
 * How the input card says back what it read: each value with the sign or % that was typed
 * with it, and no other ("€72\n70000" reads back as "€72 · 70,000", not "€72 · €70,000").
 */
import { formatDecimal } from '../../components/format';

/** One value as read back: grouped, `decimals` shown, and its own unit (a minus before a currency sign: "−€5"). */
export function readBackValue(value: string, unit: string | undefined, decimals: number): string {
  const shown = formatDecimal(value, decimals);
  if (!unit) return shown;
  if (unit === '%') return `${shown}%`;
  return shown.startsWith('−') ? `−${unit}${shown.slice(1)}` : `${unit}${shown}`;
}

/** The first `max` values of a read, each with the unit typed with it. */
export function readBackValues(read: { values: readonly string[]; units?: readonly string[] }, decimals: number, max: number): string[] {
  return read.values.slice(0, max).map((v, i) => readBackValue(v, read.units?.[i], decimals));
}
