/**
 * Validation of what a participant pastes as private input, on the main thread, before
 * anything is handed to the worker. It only checks and normalises; the values themselves
 * go to the MPC worker and nowhere else.
 *
 * Accepts one number or a list separated by commas, semicolons, spaces, tabs or newlines.
 * Numbers are plain decimals ("-12", "3.50"); the exact decimal strings are kept (no
 * float rounding), so sums of money stay exact.
 */
export interface ValueSchema {
  /** Digits after the decimal point the computation keeps (fixed point 10^decimals). */
  decimals: number;
  /** Largest absolute value accepted. */
  maxAbs: number;
  /** Required number of values, when the room has fixed it (everyone's vectors match). */
  length?: number;
  /** Upper bound on the number of values. */
  maxLength: number;
}

export type ParseResult = { ok: true; values: string[] } | { ok: false; error: string };

const NUMBER = /^[+-]?(\d+)(?:\.(\d+))?$/;

export function parseValues(text: string, schema: ValueSchema): ParseResult {
  const tokens = text.split(/[\s,;]+/).filter((t) => t.length > 0);
  if (tokens.length === 0) return { ok: false, error: 'Enter at least one number.' };
  if (tokens.length > schema.maxLength) {
    return { ok: false, error: `At most ${schema.maxLength.toLocaleString('en')} values; you entered ${tokens.length.toLocaleString('en')}.` };
  }
  const values: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const m = NUMBER.exec(token);
    const where = tokens.length > 1 ? ` (value ${i + 1})` : '';
    if (!m) return { ok: false, error: `"${truncate(token)}" is not a number${where}. Use digits, an optional minus sign and a decimal point.` };
    const fraction = m[2] ?? '';
    if (fraction.replace(/0+$/, '').length > schema.decimals) {
      const allowed = schema.decimals === 0 ? 'whole numbers only' : `at most ${schema.decimals} decimal${schema.decimals === 1 ? '' : 's'}`;
      return { ok: false, error: `"${truncate(token)}" has too many decimals${where}: this room uses ${allowed}.` };
    }
    if (Math.abs(Number(token)) > schema.maxAbs) {
      return { ok: false, error: `"${truncate(token)}" is out of range${where}: values must be between −${schema.maxAbs.toLocaleString('en')} and ${schema.maxAbs.toLocaleString('en')}.` };
    }
    values.push(normalise(token));
  }
  if (schema.length !== undefined && values.length !== schema.length) {
    return { ok: false, error: `The others entered ${schema.length} value${schema.length === 1 ? '' : 's'}; you entered ${values.length}. Everyone needs the same number of values.` };
  }
  return { ok: true, values };
}

function normalise(token: string): string {
  const negative = token.startsWith('-');
  const body = token.replace(/^[+-]/, '');
  const [int, frac = ''] = body.split('.');
  const i = int.replace(/^0+(?=\d)/, '');
  const f = frac.replace(/0+$/, '');
  const out = f ? `${i}.${f}` : i;
  return negative && /[1-9]/.test(out) ? `-${out}` : out;
}

function truncate(s: string): string {
  return s.length > 24 ? `${s.slice(0, 21)}…` : s;
}
