/**
 * A participant's table (CSV rows, header first) read against the room's schema, locally in
 * the participant's tab (in a worker for big files): columns mapped by header name, every
 * cell read exactly or counted with the reason it was not, and a read-back per column
 * ("86 of 90 rows used: 4 blank"). Nothing is guessed silently:
 * - missing: blank, NA, N/A, NaN, null, none, "-", "." and "?" (any case);
 * - numbers: 1234, -12.5, 1,234.5 and 1.234,5 (grouped), 12,5 (decimal comma), 79 500,
 *   1.5e3 (exact). A cell like "1,234" or "1.234" (a thousand, or one point two?) follows the
 *   decimal mark the column's other cells show; with no such evidence it is read only when
 *   exactly one reading fits the declared bounds, and refused as ambiguous otherwise. More
 *   decimals than declared are rounded half away from zero and counted; a value outside the
 *   bounds is refused, never clamped;
 * - categories: the declared spelling, any case, surrounding spaces ignored;
 * - yes/no: yes/no, true/false, y/n, 1/0.
 * A row is used by a computation when every column that computation needs is valid (a
 * missing diagnosis does not drop the row from a correlation of age and bp). A column
 * declared `missing stop` refuses the whole table at its first bad cell, naming the row.
 *
 * Row numbers in messages are 1-based lines of the file (the header is line 1).
 * Security: local only; nothing here leaves the tab. Which rows are used is private: the
 * computation layer pads to the declared maximum with secretly-invalid rows.
 */
import { type ColumnSchema, type TableSchema } from './schema.ts';

export type CellProblem = 'blank' | 'missing' | 'unreadable' | 'ambiguous' | 'out of range' | 'unknown value';

export interface ColumnReadBack {
  column: string;
  /** Index of the file column it was read from. */
  source: number;
  header: string;
  valid: number;
  /** Cells rounded to the declared decimals (numbers only; kept, not skipped). */
  rounded: number;
  /** Cells like 1,234 read by the column's own convention or because one reading alone fits the bounds. */
  resolved: number;
  problems: Partial<Record<CellProblem, { count: number; firstRows: number[] }>>;
}

/** Typed cells of one column: scaled integers (numbers), value index (categories), 0/1 (yes/no). Invalid cells hold 0. */
export interface ReadColumn {
  schema: ColumnSchema;
  values: Float64Array;
  valid: Uint8Array;
}

export type TableRead =
  | { ok: true; rows: number; columns: Map<string, ReadColumn>; readBack: ColumnReadBack[]; mapping: Record<string, number> }
  | { ok: false; error: string; unmapped?: string[]; headers?: string[] };

const MISSING = new Set(['', 'na', 'n/a', 'nan', 'null', 'none', '-', '.', '?', '#n/a']);
const YES = new Set(['yes', 'true', 'y', '1']);
const NO = new Set(['no', 'false', 'n', '0']);
const FIRST_ROWS = 5;

/** Header normal form for matching: case, spaces, _ - . and brackets do not matter. */
export const headerKey = (h: string): string => h.trim().toLowerCase().replace(/\(.*?\)|\[.*?\]/g, '').replace(/[\s_.-]+/g, '');

/**
 * Maps schema columns to file columns: an explicit choice wins, else the one header whose
 * normal form equals the column's. Unmatched columns are returned for the picker; a header
 * matched twice is not guessed between.
 */
export function mapColumns(schema: TableSchema, headers: readonly string[], chosen: Readonly<Record<string, number>> = {}): { mapping: Record<string, number>; unmapped: string[] } {
  const mapping: Record<string, number> = {};
  const unmapped: string[] = [];
  for (const col of schema.columns) {
    const pick = chosen[col.name];
    if (pick !== undefined && Number.isInteger(pick) && pick >= 0 && pick < headers.length) {
      mapping[col.name] = pick;
      continue;
    }
    const hits = headers.flatMap((h, i) => (headerKey(h) === headerKey(col.name) ? [i] : []));
    if (hits.length === 1) mapping[col.name] = hits[0];
    else unmapped.push(col.name);
  }
  return { mapping, unmapped };
}

type Cell = { ok: true; value: number; rounded?: boolean; resolved?: boolean } | { ok: false; problem: CellProblem };

/** Which mark is the decimal point in a column: learnt from its unambiguous cells. */
type Convention = 'dot' | 'comma' | 'unknown' | 'mixed';

const GROUPED_DOT = /^[+-]?[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?$/; // 1,234,567.5
const GROUPED_COMMA = /^[+-]?[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?$/; // 1.234.567,5
const PLAIN = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?$/;
const DECIMAL_COMMA = /^[+-]?\d+,\d+$/;
/** One mark followed by exactly three digits: 1,234 or 1.234 (a thousand, or one point two?). */
const AMBIGUOUS = /^[+-]?[1-9]\d{0,2}[.,]\d{3}$/;

const SPACES = /[\s\u00a0\u202f']/g;
const squeeze = (cell: string): string => (/[\s\u00a0\u202f']/.test(cell) ? cell.replace(SPACES, '') : cell);
/** The common case, read with plain number arithmetic (exact below 2^53). */
const FAST = /^(-?)(\d{1,15})(?:\.(\d{1,6}))?$/;
const POW10 = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000];

/** What an unambiguous cell says about the column's decimal mark. */
function evidence(t: string): Convention {
  const f = FAST.exec(t);
  if (f) return f[3] === undefined ? 'unknown' : f[3].length === 3 && f[2][0] !== '0' && f[2].length <= 3 ? 'unknown' : 'dot';
  if (AMBIGUOUS.test(t)) return 'unknown';
  if (GROUPED_DOT.test(t) && t.includes('.')) return 'dot';
  if (GROUPED_COMMA.test(t) && t.includes(',')) return 'comma';
  if (GROUPED_DOT.test(t)) return 'dot'; // 1,234,567: only a comma grouping reads this way
  if (GROUPED_COMMA.test(t)) return 'comma';
  if (DECIMAL_COMMA.test(t)) return 'comma';
  if (/\.\d/.test(t) && PLAIN.test(t)) return 'dot';
  return 'unknown';
}

function learnConvention(cells: Iterable<string>): Convention {
  let dot = false;
  let comma = false;
  for (const c of cells) {
    const e = evidence(squeeze(c));
    if (e === 'dot') dot = true;
    else if (e === 'comma') comma = true;
  }
  return dot && comma ? 'mixed' : dot ? 'dot' : comma ? 'comma' : 'unknown';
}

/** Exact decimal text → integer scaled by 10^decimals (half away from zero), via strings. */
function scaleDecimal(text: string, decimals: number): { value: bigint; rounded: boolean } {
  let t = text;
  let exp = 0;
  const e = /[eE]/.exec(t);
  if (e) {
    exp = Number(t.slice(e.index + 1));
    t = t.slice(0, e.index);
  }
  const neg = t.startsWith('-');
  t = t.replace(/^[+-]/, '');
  const [int = '', frac = ''] = t.split('.');
  let digits = (int || '0') + frac;
  let point = (int || '0').length + exp + decimals; // digits before the point after scaling
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  const whole = digits.slice(0, point).padEnd(point, '0') || '0';
  const rest = digits.slice(point);
  let value = BigInt(whole);
  const rounded = /[^0]/.test(rest);
  if (rest.length > 0 && rest[0] >= '5') value += 1n;
  return { value: neg ? -value : value, rounded };
}

/**
 * One number cell. An ambiguous cell (1,234 / 1.234) follows the column's convention when its
 * other cells show one; otherwise the declared bounds decide when exactly one reading fits;
 * otherwise it is refused as ambiguous.
 */
function readNumber(cell: string, col: Extract<ColumnSchema, { type: 'number' }>, lo: bigint, hi: bigint, convention: Convention): Cell {
  const loN = Number(lo);
  const hiN = Number(hi);
  let t = squeeze(cell);
  const f = FAST.exec(t);
  const ambiguous = f !== null && f[3]?.length === 3 && f[2][0] !== '0' && f[2].length <= 3; // 1.234
  if (f && (!ambiguous || convention === 'dot')) {
    const [, sign, int, frac = ''] = f;
    if (frac.length <= col.decimals && int.length + col.decimals <= 15) {
      const v = (Number(int) * POW10[col.decimals] + (frac ? Number(frac) * POW10[col.decimals - frac.length] : 0)) * (sign ? -1 : 1);
      return v >= loN && v <= hiN ? { ok: true, value: v === 0 ? 0 : v } : { ok: false, problem: 'out of range' };
    }
  }
  const inRange = (text: string) => {
    const { value, rounded } = scaleDecimal(text, col.decimals);
    return value >= lo && value <= hi ? { value, rounded } : undefined;
  };
  if (AMBIGUOUS.test(t)) {
    const asGroup = t.replace(/[.,]/, '');
    const asDecimal = t.replace(',', '.');
    const mark = t.includes(',') ? ',' : '.';
    const pick = convention === 'dot' ? (mark === '.' ? asDecimal : asGroup) : convention === 'comma' ? (mark === ',' ? asDecimal : asGroup) : undefined;
    if (pick !== undefined) {
      const r = inRange(pick);
      return r ? { ok: true, value: Number(r.value), rounded: r.rounded, resolved: true } : { ok: false, problem: 'out of range' };
    }
    const g = inRange(asGroup);
    const d = inRange(asDecimal);
    if (g && d) return { ok: false, problem: 'ambiguous' };
    if (!g && !d) return { ok: false, problem: 'out of range' };
    const r = (g ?? d)!;
    return { ok: true, value: Number(r.value), rounded: r.rounded, resolved: true };
  }
  if (GROUPED_DOT.test(t) && convention !== 'comma') t = t.replace(/,/g, '');
  else if (GROUPED_COMMA.test(t) && convention !== 'dot') t = t.replace(/\./g, '').replace(',', '.');
  else if (DECIMAL_COMMA.test(t) && convention !== 'dot') t = t.replace(',', '.');
  if (!PLAIN.test(t)) return { ok: false, problem: 'unreadable' };
  const r = inRange(t);
  return r ? { ok: true, value: Number(r.value), rounded: r.rounded } : { ok: false, problem: 'out of range' };
}

function cellReader(col: ColumnSchema, cells: () => Iterable<string>): (cell: string) => Cell {
  if (col.type === 'number') {
    const lo = scaleDecimal(col.lower, col.decimals).value;
    const hi = scaleDecimal(col.upper, col.decimals).value;
    const convention = learnConvention(cells());
    return (cell) => readNumber(cell, col, lo, hi, convention);
  }
  if (col.type === 'category') {
    const index = new Map(col.values.map((v, i) => [v.toLowerCase(), i]));
    return (cell) => {
      const i = index.get(cell.trim().toLowerCase());
      return i === undefined ? { ok: false, problem: 'unknown value' } : { ok: true, value: i };
    };
  }
  return (cell) => {
    const v = cell.trim().toLowerCase();
    return YES.has(v) ? { ok: true, value: 1 } : NO.has(v) ? { ok: true, value: 0 } : { ok: false, problem: 'unknown value' };
  };
}

const describe = (p: CellProblem): string =>
  ({ blank: 'is blank', missing: 'is marked missing', unreadable: 'is not a number', ambiguous: 'is ambiguous (a thousands separator or a decimal mark?)', 'out of range': 'is outside the declared bounds', 'unknown value': 'is not one of the declared values' })[p];

/**
 * Reads `rows` (the header first) against `schema`. `chosen` maps schema columns to file
 * column indexes where the person picked them. Refuses (ok: false) when a column cannot be
 * mapped, or a `missing stop` column has a bad cell (naming its row and what was wrong).
 */
export function readTable(rows: readonly (readonly string[])[], schema: TableSchema, chosen: Readonly<Record<string, number>> = {}): TableRead {
  if (rows.length === 0) return { ok: false, error: 'the file is empty' };
  const headers = rows[0].map((h) => h.trim());
  const { mapping, unmapped } = mapColumns(schema, headers, chosen);
  if (unmapped.length > 0) {
    return { ok: false, error: `no column of the file matches ${unmapped.map((c) => `"${c}"`).join(', ')}: pick which column holds ${unmapped.length > 1 ? 'them' : 'it'}`, unmapped, headers };
  }
  const n = rows.length - 1;
  const columns = new Map<string, ReadColumn>();
  const readBack: ColumnReadBack[] = [];
  for (const col of schema.columns) {
    const j = mapping[col.name];
    const read = cellReader(col, function* () {
      for (let r = 1; r < rows.length; r++) yield rows[r][j] ?? '';
    });
    const values = new Float64Array(n);
    const valid = new Uint8Array(n);
    const back: ColumnReadBack = { column: col.name, source: j, header: headers[j], valid: 0, rounded: 0, resolved: 0, problems: {} };
    for (let r = 0; r < n; r++) {
      const raw = rows[r + 1][j] ?? '';
      const t = raw.trim();
      // A declared value wins over a missing marker ("none" can be a diagnosis).
      let cell: Cell = t === '' ? { ok: false, problem: 'blank' } : read(t);
      if (!cell.ok && t !== '' && MISSING.has(t.toLowerCase())) cell = { ok: false, problem: 'missing' };
      if (cell.ok) {
        values[r] = cell.value;
        valid[r] = 1;
        back.valid++;
        if (cell.rounded) back.rounded++;
        if (cell.resolved) back.resolved++;
        continue;
      }
      if (col.missing === 'stop') {
        return { ok: false, error: `row ${r + 2}: ${col.name} ${t === '' ? 'is blank' : `"${t.length > 24 ? `${t.slice(0, 24)}…` : t}" ${describe(cell.problem)}`}, and this column is declared "missing stop"` };
      }
      const p = (back.problems[cell.problem] ??= { count: 0, firstRows: [] });
      p.count++;
      if (p.firstRows.length < FIRST_ROWS) p.firstRows.push(r + 2);
    }
    columns.set(col.name, { schema: col, values, valid });
    readBack.push(back);
  }
  return { ok: true, rows: n, columns, readBack, mapping };
}

/** Rows where every named column is valid (1) or not (0). */
export function usableRows(table: Extract<TableRead, { ok: true }>, needed: readonly string[]): Uint8Array {
  const out = new Uint8Array(table.rows).fill(1);
  for (const name of needed) {
    const c = table.columns.get(name);
    if (!c) throw new Error(`column ${name} was not read`);
    for (let r = 0; r < table.rows; r++) out[r] &= c.valid[r];
  }
  return out;
}

/** One line per column, as shown under the file: "systolic_bp (from "SBP"): 86 of 90 rows used; 4 blank (rows 3, 7, 9, 12)". */
export function readBackLines(table: Extract<TableRead, { ok: true }>): string[] {
  return table.readBack.map((b) => {
    const from = b.header && b.header.toLowerCase() !== b.column.toLowerCase() ? ` (from "${b.header}")` : '';
    const problems = (Object.entries(b.problems) as [CellProblem, { count: number; firstRows: number[] }][]).map(
      ([p, { count, firstRows }]) => `${count} ${p} (row${count > 1 ? 's' : ''} ${firstRows.join(', ')}${count > firstRows.length ? ', …' : ''})`,
    );
    const rounded = b.rounded ? `; ${b.rounded} rounded to the declared decimals` : '';
    const resolved = b.resolved ? `; ${b.resolved} like "1,234" read by the column's decimal mark or its bounds` : '';
    return `${b.column}${from}: ${b.valid} of ${table.rows} rows readable${problems.length ? `; ${problems.join('; ')}` : ''}${rounded}${resolved}`;
  });
}
