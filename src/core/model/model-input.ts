/**
 * A participant's CSV text read for a model computation (issue 13): CSV → rows → typed
 * columns against the room's schema with the per-column read-back (table/read-table.ts) →
 * the rows this computation uses (valid in every needed column, passing the filter, at most
 * maxRows). The tab (read-back before Ready) and the MPC worker (which trusts nothing the
 * page parsed and reads the same text again) both call this.
 * Security: local only; how many rows a participant uses stays in the tab.
 */
import { detectDelimiter, parseCsv } from '../psi/csv.ts';
import { readBackLines, readTable } from '../table/read-table.ts';
import type { ReadTable } from '../table/run-table.ts';
import { MAX_TABLE_ROWS } from '../table/table-spec.ts';
import { rowsOf } from './evaluate.ts';
import { type ModelSpec, modelColumns } from './model-spec.ts';

export type ModelInputRead =
  | { ok: true; table: ReadTable; headers: string[]; used: number; lines: string[] }
  | { ok: false; error: string; unmapped?: string[]; headers?: string[] };

export function readModelTable(text: string, spec: ModelSpec, chosen: Readonly<Record<string, number>> = {}): ModelInputRead {
  if (!text.trim()) return { ok: false, error: 'Load a CSV file or paste a table with a header row.' };
  const rows = parseCsv(text, detectDelimiter(text));
  if (rows.length < 2) return { ok: false, error: 'The table needs a header row and at least one row of data.' };
  if (rows.length - 1 > MAX_TABLE_ROWS) return { ok: false, error: `At most ${MAX_TABLE_ROWS.toLocaleString('en')} rows; this table has ${(rows.length - 1).toLocaleString('en')}.` };
  const read = readTable(rows, spec.schema, chosen);
  if (!read.ok) return read;
  const headers = rows[0].map((h) => h.trim());
  try {
    let used = 0;
    for (const x of rowsOf(spec, modelColumns(spec), read)) used += x;
    if (used === 0) return { ok: false, error: 'No row of this table can be used: every row has a missing or unreadable cell in a needed column, or fails the filter.', headers };
    return { ok: true, table: read, headers, used, lines: readBackLines(read) };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e), headers };
  }
}
