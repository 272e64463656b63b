/**
 * A participant's CSV text read for a model computation (issue 13): the table reader every
 * table-shaped kind shares (table/table-input.ts `readCsvFor`: one delimiter rule, one row
 * limit, the per-column read-back) with the rows this computation uses (valid in every needed
 * column, passing the filter, at most maxRows). The tab (read-back before Ready) and the MPC
 * worker (which trusts nothing the page parsed and reads the same text again) both call this.
 * Security: local only; how many rows a participant uses stays in the tab.
 */
import { MpcError } from '../errors.ts';
import type { ReadTable } from '../table/run-table.ts';
import { type TableInputRead, readCsvFor } from '../table/table-input.ts';
import { rowsOf } from './evaluate.ts';
import { type ModelSpec, modelColumns } from './model-spec.ts';

export type ModelInputRead = TableInputRead;

/** The rows of `table` a model computation uses; refuses a table with none. */
export function modelRows(spec: ModelSpec, table: ReadTable): Uint8Array {
  const rows = rowsOf(spec, modelColumns(spec), table);
  if (!rows.some((x) => x === 1)) throw new MpcError('INVALID_ARGUMENT', 'No row of this table can be used: every row has a missing or unreadable cell in a needed column, or fails the filter.');
  return rows;
}

export function readModelTable(text: string, spec: ModelSpec, chosen: Readonly<Record<string, number>> = {}): ModelInputRead {
  return readCsvFor(text, spec.schema, chosen, (t) => modelRows(spec, t));
}
