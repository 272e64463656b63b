/**
 * A participant's CSV text read for a table computation: CSV → rows (csv.ts) → typed
 * columns with the per-column read-back (read-table.ts) → the rows this computation uses
 * (valid in every needed column, passing the filter; at most maxRows). The tab's reader
 * worker (for the read-back shown before Ready) and the MPC worker (which trusts nothing the
 * page parsed and reads the same text again) both call this one function.
 *
 * `readCsvTable` is the prologue every table-shaped kind shares (tables here, the model
 * computations of src/core/model): one delimiter rule, one row limit, one set of messages.
 * Security: local only; how many rows a participant uses stays in the tab (the computation
 * commits it as a secret count).
 */
import { parseCsv } from './csv.ts';
import { readBackLines, readTable } from './read-table.ts';
import { type ReadTable, selectedRows } from './run-table.ts';
import type { TableSchema } from './schema.ts';
import { MAX_TABLE_ROWS, type TableSpec } from './table-spec.ts';

/** Schema column name → index of the file column the person picked for it. */
export type ColumnChoice = Readonly<Record<string, number>>;

export type CsvTableRead = { ok: true; table: ReadTable; headers: string[] } | { ok: false; error: string; unmapped?: string[]; headers?: string[] };

/** CSV text (header row first) → the typed columns of `schema`, mapped by header name or by `chosen`. */
export function readCsvTable(text: string, schema: TableSchema, chosen: ColumnChoice = {}): CsvTableRead {
  if (!text.trim()) return { ok: false, error: 'Load a CSV file or paste a table with a header row.' };
  const rows = parseCsv(text);
  if (rows.length < 2) return { ok: false, error: 'The table needs a header row and at least one row of data.' };
  if (rows.length - 1 > MAX_TABLE_ROWS) return { ok: false, error: `At most ${MAX_TABLE_ROWS.toLocaleString('en')} rows; this table has ${(rows.length - 1).toLocaleString('en')}.` };
  const read = readTable(rows, schema, chosen);
  if (!read.ok) return read;
  return { ok: true, table: read, headers: rows[0].map((h) => h.trim()) };
}

export type TableInputRead =
  | { ok: true; table: ReadTable; headers: string[]; used: number; lines: string[] }
  | { ok: false; error: string; unmapped?: string[]; headers?: string[] };

/** The read and the number of rows `rowsOf` selects (which may refuse, e.g. over maxRows). */
export function readCsvFor(text: string, schema: TableSchema, chosen: ColumnChoice, rowsOf: (table: ReadTable) => Uint8Array): TableInputRead {
  const read = readCsvTable(text, schema, chosen);
  if (!read.ok) return read;
  try {
    let used = 0;
    for (const x of rowsOf(read.table)) used += x;
    return { ok: true, table: read.table, headers: read.headers, used, lines: readBackLines(read.table) };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e), headers: read.headers };
  }
}

export function readTableText(text: string, spec: TableSpec, chosen: ColumnChoice = {}): TableInputRead {
  return readCsvFor(text, spec.schema, chosen, (table) => selectedRows(spec, table));
}
