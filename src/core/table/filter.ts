/**
 * Row filters of table computations (`spec-where`, DESIGN §6), e.g.
 * `diagnosis = diabetes and sex = F`, `smoker = yes`, `sex != M`, `age >= 65`:
 * a conjunction of comparisons of one column with one constant. Category and yes/no columns
 * take `=` and `!=`; number columns also `<`, `<=`, `>`, `>=` with a constant in the column's
 * decimals. The filter is public and part of the agreed spec; whether a row passes is
 * private (it is applied inside the MPC as a 0/1 factor, or locally to a row whose
 * validity is then secret — never revealed per row).
 * Security: none (public data).
 */
import { MpcError } from '../errors.ts';
import { parseDecimal } from '../fixed-point.ts';
import { type ColumnSchema, type TableSchema, schemaColumn } from './schema.ts';

export type FilterOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

export interface FilterTerm {
  column: string;
  op: FilterOp;
  /** Category: the declared value's spelling; yes/no: "yes" or "no"; number: a decimal string. */
  value: string;
}

export type RowFilter = FilterTerm[];

const TERM = /^\s*(.+?)\s*(!=|<=|>=|=|<|>)\s*(.+?)\s*$/;
const YES = new Set(['yes', 'true', 'y', '1']);
const NO = new Set(['no', 'false', 'n', '0']);

const fail = (message: string): never => {
  throw new MpcError('INVALID_ARGUMENT', message);
};

function checkTerm(schema: TableSchema, term: FilterTerm): FilterTerm {
  const col: ColumnSchema = schemaColumn(schema, term.column);
  if (col.type === 'number') {
    try {
      parseDecimal(term.value, col.decimals);
    } catch {
      fail(`filter on ${col.name}: "${term.value}" is not a number with at most ${col.decimals} decimals`);
    }
    return { column: col.name, op: term.op, value: term.value.trim() };
  }
  if (term.op !== '=' && term.op !== '!=') fail(`filter on ${col.name}: a ${col.type === 'boolean' ? 'yes/no' : 'category'} column takes = or !=, not ${term.op}`);
  if (col.type === 'boolean') {
    const v = term.value.trim().toLowerCase();
    if (!YES.has(v) && !NO.has(v)) fail(`filter on ${col.name}: expected yes or no, got "${term.value}"`);
    return { column: col.name, op: term.op, value: YES.has(v) ? 'yes' : 'no' };
  }
  const match = col.values.find((v) => v.toLowerCase() === term.value.trim().toLowerCase());
  if (match === undefined) fail(`filter on ${col.name}: "${term.value}" is not one of ${col.values.join(', ')}`);
  return { column: col.name, op: term.op, value: match as string };
}

/** `a = x and b != y` → terms; empty text → no filter. Errors name the term and the choices. */
export function parseWhere(text: string, schema: TableSchema): RowFilter {
  const t = text.trim();
  if (t === '') return [];
  return t.split(/\s+and\s+/i).map((part) => {
    const m = TERM.exec(part);
    if (!m) fail(`expected "column = value" (joined with "and"), got "${part.trim()}"`);
    const [, column, op, value] = m as RegExpExecArray;
    return checkTerm(schema, { column, op: op as FilterOp, value });
  });
}

/** Validates a filter that arrived as JSON. */
export function parseRowFilter(raw: unknown, schema: TableSchema): RowFilter {
  if (!Array.isArray(raw) || raw.length > 16) fail('a filter is a list of at most 16 terms');
  return (raw as unknown[]).map((r) => {
    if (typeof r !== 'object' || r === null) fail('a filter term is an object');
    const o = r as Record<string, unknown>;
    if (Object.keys(o).some((k) => !['column', 'op', 'value'].includes(k))) fail('a filter term has unknown fields');
    if (typeof o.column !== 'string' || typeof o.value !== 'string' || !['=', '!=', '<', '<=', '>', '>='].includes(String(o.op))) fail('a filter term is {column, op, value}');
    return checkTerm(schema, { column: o.column as string, op: o.op as FilterOp, value: o.value as string });
  });
}

export function formatWhere(filter: RowFilter): string {
  return filter.map((t) => `${t.column} ${t.op} ${t.value}`).join(' and ');
}

/** Columns a filter reads (their cells must be valid for a row to count). */
export const filterColumns = (filter: RowFilter): string[] => [...new Set(filter.map((t) => t.column))];
