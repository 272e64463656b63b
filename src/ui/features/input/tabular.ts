/**
 * Tables from a CSV file or a pasted spreadsheet range, reduced to columns of numbers the
 * participant can pick from. Pure functions (no DOM), so they are unit-tested in Node.
 *
 * Security assumption: runs in the participant's own tab on their own data; nothing here
 * sends anything. A column is "numeric" when its cells, one per line, pass parseValues
 * (the same rules as typed input), so a picked column always reads exactly as shown.
 * Missing values (blank, NA, N/A, NaN, null, "-", ".") are left out of a column and counted
 * per column, so "86 of 90 rows used: 4 blank" is said, not hidden; a column with missing
 * cells is never replaced by another one, and with several candidate columns the person
 * chooses (pickColumn) unless a header matches the column asked for.
 * References: RFC 4180 (CSV); papaparse does the CSV tokenising in table-file.ts.
 */
import Papa from 'papaparse';
import { parseValues } from '../room/parse-values';
import { normaliseItem, type ItemKind } from '../../../core/psi/normalise';

export interface TableColumn {
  /** Header text, or "Column A" when the table has no header row. */
  name: string;
  /** Cells below the header that hold a value, as typed (missing ones left out). */
  cells: string[];
  /** True when every such cell reads as a number (so the column can be used as input). */
  numeric: boolean;
  /** Missing cells by how they were written ('' for blank), in order of first appearance. */
  missing: Map<string, number>;
  /** The first cell that is not a number, for saying why a column cannot be used. */
  firstBad?: { cell: string; row: number };
}

export interface Table {
  /** Where it came from, for the "we used column X of Y" line. */
  source: string;
  rows: number;
  hasHeader: boolean;
  columns: TableColumn[];
}

const LENIENT = { decimals: 12, maxAbs: Number.POSITIVE_INFINITY, maxLength: Number.POSITIVE_INFINITY };
/** How spreadsheets and statistics packages write a missing value (R, pandas, Excel, SPSS). */
const MISSING = /^(?:|na|n\/a|#n\/a|nan|null|none|-|\.)$/i;

export const isMissing = (cell: string): boolean => MISSING.test(cell.trim());

function readsAsColumn(cells: string[]): boolean {
  if (cells.length === 0) return false;
  // A header word on top is not part of a column here: each cell must be a number.
  if (cells.some((c) => /\p{L}/u.test(c.replace(/^[A-Z]{3}\s?|[€$£¥₹%]/g, '')))) return false;
  const r = parseValues(cells.join('\n'), LENIENT);
  return r.ok && r.values.length === cells.length;
}

const readsAsNumber = (cell: string) => readsAsColumn([cell]);

function letters(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

export interface TableOptions {
  /** Item lists (set intersection): a header is a first row whose cell is not such an item. */
  itemKind?: ItemKind;
}

/**
 * Build columns from rows of cells. The first row is a header when, in some column, it is
 * not a number (or not an item of `itemKind`) while most cells below are (missing ones
 * aside) — a column of NA under its header still has a header.
 */
export function tableFromRows(rows: string[][], source: string, options: TableOptions = {}): Table {
  const width = rows.reduce((w, r) => Math.max(w, r.length), 0);
  const below = (j: number, from: number) => rows.slice(from).map((r) => (r[j] ?? '').trim());
  let hasHeader = false;
  for (let j = 0; j < width && rows.length > 1 && !hasHeader; j++) {
    const first = (rows[0][j] ?? '').trim();
    if (!first || isMissing(first)) continue;
    const present = below(j, 1).filter((c) => !isMissing(c));
    const kind = options.itemKind;
    if (kind && kind !== 'id' && kind !== 'text') {
      const valid = present.filter((c) => normaliseItem(c, kind) !== undefined).length;
      if (normaliseItem(first, kind) === undefined && valid > 0 && valid * 2 >= present.length) hasHeader = true;
    }
    if (readsAsNumber(first)) continue;
    const numbers = readsAsColumn(present) ? present.length : present.filter(readsAsNumber).length;
    if ((numbers > 0 || present.length < rows.length - 1) && numbers * 2 >= present.length) hasHeader = true;
  }
  const columns: TableColumn[] = [];
  for (let j = 0; j < width; j++) {
    const from = hasHeader ? 1 : 0;
    const cells: string[] = [];
    const missing = new Map<string, number>();
    const rowOf: number[] = [];
    below(j, from).forEach((c, i) => {
      if (isMissing(c)) missing.set(c, (missing.get(c) ?? 0) + 1);
      else {
        cells.push(c);
        rowOf.push(from + i + 1);
      }
    });
    const numeric = readsAsColumn(cells);
    // Why not: the first cell that is no number on its own (else the first: styles clash).
    const bad = numeric || cells.length === 0 ? -1 : Math.max(0, cells.findIndex((c) => !readsAsNumber(c)));
    const header = hasHeader ? (rows[0][j] ?? '').trim() : '';
    columns.push({ name: header || `Column ${letters(j)}`, cells, numeric, missing, ...(bad >= 0 ? { firstBad: { cell: cells[bad], row: rowOf[bad] } } : {}) });
  }
  return { source, rows: rows.length - (hasHeader ? 1 : 0), hasHeader, columns };
}

/** Parse CSV/TSV text (delimiter detected: comma, semicolon, tab, pipe). */
export function tableFromText(text: string, source: string, options: TableOptions = {}): Table {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: 'greedy', delimitersToGuess: [',', ';', '\t', '|'] });
  return tableFromRows(parsed.data, source, options);
}

/** "86 of 90 rows used: 4 blank", "2 of 5 rows used: 3 missing (NA, n/a, .)", or "90 rows used". */
export function describeColumnUse(t: Table, j: number): string {
  const c = t.columns[j];
  if (!c) return '';
  const blank = c.missing.get('') ?? 0;
  const written = [...c.missing].filter(([k]) => k !== '');
  const other = written.reduce((a, [, n]) => a + n, 0);
  const total = c.cells.length + blank + other;
  if (blank + other === 0) return `${total.toLocaleString('en')} row${total === 1 ? '' : 's'} used`;
  const parts = [...(blank ? [`${blank.toLocaleString('en')} blank`] : []), ...(other ? [`${other.toLocaleString('en')} missing (${written.map(([k]) => k).join(', ')})`] : [])];
  return `${c.cells.length.toLocaleString('en')} of ${total.toLocaleString('en')} rows used: ${parts.join(', ')}`;
}

/**
 * The column to use without asking: the one whose header is `preferred` (the column the
 * room or the person asked for), else the only candidate — numeric columns, or for item
 * lists the columns whose cells are mostly valid items. Several candidates: undefined, so
 * the person chooses; a column is never swapped for another behind their back.
 */
export function pickColumn(t: Table, preferred?: string, itemKind?: ItemKind): number | undefined {
  const want = preferred?.trim().toLowerCase();
  const named = want ? t.columns.findIndex((c) => c.name.trim().toLowerCase() === want) : -1;
  if (named >= 0) return named;
  const candidates = t.columns
    .map((c, i) => ({ c, i, score: itemKind ? itemScore(c, itemKind) : c.numeric ? 1 : 0 }))
    .filter((x) => x.score > 0.5);
  if (itemKind && itemKind !== 'id' && itemKind !== 'text') {
    const best = candidates.sort((a, b) => b.score - a.score);
    return best.length === 1 || (best.length > 1 && best[0].score > best[1].score) ? best[0].i : undefined;
  }
  return candidates.length === 1 ? candidates[0].i : t.columns.length === 1 ? 0 : undefined;
}

function itemScore(c: TableColumn, kind: ItemKind): number {
  if (c.cells.length === 0) return 0;
  return c.cells.filter((x) => normaliseItem(x, kind) !== undefined).length / c.cells.length;
}

/**
 * The room declared which column it uses (spec.column): the file's column with that header
 * (case and surrounding spaces ignored), or a note saying it has none — never another column.
 */
export function declaredColumn(t: Table, declared: string): { index: number } | { note: string } {
  const want = declared.trim().toLowerCase();
  const index = t.columns.findIndex((c) => c.name.trim().toLowerCase() === want);
  if (index >= 0) return { index };
  return { note: `This room uses the column “${declared}”, and ${t.source} has no column of that name: choose the column that holds it.` };
}

/** Why no column of `t` can be used as numbers, in words (for "x.csv has no column of numbers: …"). */
export function noNumbersReason(t: Table): string {
  const reasons = t.columns.map((c) => {
    if (c.cells.length === 0 && c.missing.size > 0) return `every cell of “${c.name}” is missing (${[...c.missing.keys()].map((k) => k || 'blank').join(', ')})`;
    if (c.firstBad) return `“${c.firstBad.cell.slice(0, 24)}” in “${c.name}” (row ${c.firstBad.row}) is not a number`;
    return `“${c.name}” could not be read as numbers`;
  });
  return reasons.slice(0, 4).join('; ') + (reasons.length > 4 ? '; …' : '');
}

/**
 * A pasted spreadsheet range with two or more columns (tab-separated), or undefined for
 * ordinary text (which the textarea takes as it is).
 */
export function pastedTable(text: string): Table | undefined {
  if (!text.includes('\t')) return undefined;
  const rows = text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((l) => l.split('\t'));
  const multi = rows.filter((r) => r.filter((c) => c.trim()).length > 1).length;
  if (rows.length === 0 || multi === 0) return undefined;
  return tableFromRows(rows, 'the pasted range');
}

/**
 * Pasted CSV text with a header row ("name,salary\nAlice,52000"), which would otherwise
 * fail as numbers: offered as a table. Header-less comma rows stay ordinary text (the
 * separator rules of parse-values apply to them).
 */
export function pastedCsv(text: string): Table | undefined {
  if (text.includes('\t') || text.trim().split(/\r?\n/).length < 2) return undefined;
  // One value per line under a header ("Salary\n68,250.75") is a column, not CSV: splitting
  // it at commas would cut numbers at their thousands separators.
  const lines = text.split(/\r\n|\n|\r/).filter((l) => l.trim()).length;
  const asColumn = parseValues(text, LENIENT);
  if (asColumn.ok && asColumn.values.length >= lines - 1) return undefined;
  const t = tableFromText(text, 'the pasted text');
  return t.hasHeader && t.columns.length > 1 && t.columns.some((c) => c.numeric) ? t : undefined;
}

/** The text the input box gets for a column: one value per line. */
export function columnText(c: TableColumn): string {
  return c.cells.join('\n');
}

/** Every cell of a table, row by row (for an all-numeric range used as a whole). */
export function allCellsText(t: Table): string {
  const rows = Math.max(...t.columns.map((c) => c.cells.length));
  const out: string[] = [];
  for (let i = 0; i < rows; i++) for (const c of t.columns) if (c.cells[i] !== undefined) out.push(c.cells[i]);
  return out.join('\n');
}
