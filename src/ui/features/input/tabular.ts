/**
 * Tables from a CSV file or a pasted spreadsheet range, reduced to columns of numbers the
 * participant can pick from. Pure functions (no DOM), so they are unit-tested in Node.
 *
 * Security assumption: runs in the participant's own tab on their own data; nothing here
 * sends anything. A column is "numeric" when its cells, one per line, pass parseValues
 * (the same rules as typed input), so a picked column always reads exactly as shown.
 * References: RFC 4180 (CSV); papaparse does the CSV tokenising in table-file.ts.
 */
import Papa from 'papaparse';
import { parseValues } from '../room/parse-values';

export interface TableColumn {
  /** Header text, or "Column A" when the table has no header row. */
  name: string;
  /** Non-empty cells below the header, as typed. */
  cells: string[];
  /** True when every cell reads as a number (so the column can be used as input). */
  numeric: boolean;
}

export interface Table {
  /** Where it came from, for the "we used column X of Y" line. */
  source: string;
  rows: number;
  hasHeader: boolean;
  columns: TableColumn[];
}

const LENIENT = { decimals: 12, maxAbs: Number.POSITIVE_INFINITY, maxLength: Number.POSITIVE_INFINITY };

function readsAsColumn(cells: string[]): boolean {
  if (cells.length === 0) return false;
  const r = parseValues(cells.join('\n'), LENIENT);
  return r.ok && r.values.length === cells.length;
}

function letters(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** Build columns from rows of cells; the first row is a header when it names numeric columns. */
export function tableFromRows(rows: string[][], source: string): Table {
  const width = rows.reduce((w, r) => Math.max(w, r.length), 0);
  const column = (j: number, from: number) => rows.slice(from).map((r) => (r[j] ?? '').trim()).filter((c) => c.length > 0);
  // A header row: some column is numeric below row 1 but not with it.
  let hasHeader = false;
  for (let j = 0; j < width && rows.length > 1; j++) {
    const first = (rows[0][j] ?? '').trim();
    if (first && !readsAsColumn([first]) && readsAsColumn(column(j, 1))) hasHeader = true;
  }
  const columns: TableColumn[] = [];
  for (let j = 0; j < width; j++) {
    const cells = column(j, hasHeader ? 1 : 0);
    const header = hasHeader ? (rows[0][j] ?? '').trim() : '';
    columns.push({ name: header || `Column ${letters(j)}`, cells, numeric: readsAsColumn(cells) });
  }
  return { source, rows: rows.length - (hasHeader ? 1 : 0), hasHeader, columns };
}

/** Parse CSV/TSV text (delimiter detected: comma, semicolon, tab, pipe). */
export function tableFromText(text: string, source: string): Table {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: 'greedy', delimitersToGuess: [',', ';', '\t', '|'] });
  return tableFromRows(parsed.data, source);
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
