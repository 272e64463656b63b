/**
 * Table computations of a room (issue 12): what the host declares on top of the table
 * schema. Public, validated in one place (`parseTableSpec`), part of the agreed digest.
 *
 * - crosstab: count (and, with `value`, the sum and mean of a number column) per
 *   combination of the values of one or two category / yes-no columns (`groupBy`);
 * - correlation: the Pearson correlation matrix of 2..10 number columns (`columns`);
 * - regression: linear (or ridge, `ridge` = λ > 0) regression of `target` on 1..20 `features`.
 * All take an optional row filter (`where`) on the schema's columns. `maxRows` is the most
 * rows one participant may contribute; how many rows each actually uses is private (it
 * enters the MPC as a secret count, bounded by maxRows).
 * crosstab also takes the differential-privacy fields of dp/params.ts (issue 14): ε (noisy
 * counts per cell, and noisy sums with a value column: run-table.ts guardedCrosstab) and a
 * minimum group size k (cells below k hidden).
 * Security: none (public data).
 */
import { MpcError } from '../errors.ts';
import { parseDecimal } from '../fixed-point.ts';
import { PROTECTION_LEVELS, type ProtectionLevel } from '../backend/types.ts';
import { DP_FIELDS, checkDpFields } from '../dp/params.ts';
import { type RowFilter, filterColumns, parseRowFilter } from './filter.ts';
import { type ColumnSchema, type TableSchema, parseTableSchema, schemaColumn } from './schema.ts';

export const TABLE_KINDS = ['crosstab', 'correlation', 'regression'] as const;
export type TableKind = (typeof TABLE_KINDS)[number];
export const MAX_TABLE_ROWS = 1_000_000;
export const MAX_CORRELATION_COLUMNS = 10;
/** Features of a regression (the issue: "one number column on up to 20 others"). */
export const MAX_REGRESSION_FEATURES = 20;
/** Ridge penalty λ on the standardised scale (0 = ordinary least squares), at most 6 decimals. */
export const MAX_RIDGE = '100';
/** Cells of a cross-tab (product of the group columns' value counts). */
export const MAX_CROSSTAB_CELLS = 1024;

export interface TableSpec {
  kind: TableKind;
  schema: TableSchema;
  where: RowFilter;
  /** Most rows one participant may contribute (1..10^6). */
  maxRows: number;
  /** crosstab: 1 or 2 category / yes-no columns. */
  groupBy?: string[];
  /** crosstab: a number column summarised per group (absent: counts only). */
  value?: string;
  /** correlation: 2..10 number columns. */
  columns?: string[];
  /** regression: the outcome (a number column). */
  target?: string;
  /** regression: 1..20 number columns the outcome is regressed on. */
  features?: string[];
  /** regression: ridge penalty λ ≥ 0 on the standardised scale (decimal string; absent = 0, least squares). */
  ridge?: string;
  /** Start stays disabled below this many participants (2..32). */
  minParties?: number;
  /** Protection level (issue 11), part of the agreed spec; absent = strict (see protectionOf). */
  protection?: ProtectionLevel;
  /** crosstab, differential privacy (dp/params.ts): ε, δ and the room's budget (decimal strings). */
  epsilon?: string;
  delta?: string;
  budget?: string;
  /** crosstab: cells with fewer than this many rows are hidden (decided inside the MPC). */
  minGroup?: number;
}

export const isTableKind = (kind: unknown): kind is TableKind => (TABLE_KINDS as readonly unknown[]).includes(kind);

const fail = (message: string): never => {
  throw new MpcError('INVALID_ARGUMENT', message);
};

const levels = (c: ColumnSchema): string[] => (c.type === 'category' ? c.values : c.type === 'boolean' ? ['no', 'yes'] : fail(`${c.name} is a number column; group by a category or yes/no column`));

/** The values of each group column, and the group cells in row-major order. */
export function crosstabCells(spec: TableSpec): { columns: ColumnSchema[]; cells: string[][] } {
  const columns = (spec.groupBy ?? []).map((g) => schemaColumn(spec.schema, g));
  let cells: string[][] = [[]];
  for (const c of columns) cells = cells.flatMap((prefix) => levels(c).map((v) => [...prefix, v]));
  return { columns, cells };
}

function numberColumn(schema: TableSchema, name: unknown, what: string): string {
  if (typeof name !== 'string') fail(`${what} must be a column name`);
  const c = schemaColumn(schema, name as string);
  if (c.type !== 'number') fail(`${what}: ${c.name} is not a number column`);
  return c.name;
}

/** What every table-shaped spec carries (tables here, the models of src/core/model): validated once, here. */
export interface TableFrame {
  schema: TableSchema;
  where: RowFilter;
  /** Most rows one participant may contribute (1..10^6). */
  maxRows: number;
  minParties?: number;
  protection?: ProtectionLevel;
}

/** The frame fields of a raw spec (the caller rejects fields it does not know). */
export function parseTableFrame(o: Record<string, unknown>): TableFrame {
  const schema = parseTableSchema(o.schema);
  const where = parseRowFilter(o.where ?? [], schema);
  if (typeof o.maxRows !== 'number' || !Number.isInteger(o.maxRows) || o.maxRows < 1 || o.maxRows > MAX_TABLE_ROWS) fail(`maxRows must be a whole number 1..${MAX_TABLE_ROWS}`);
  const frame: TableFrame = { schema, where, maxRows: o.maxRows as number };
  if (o.minParties !== undefined) {
    if (typeof o.minParties !== 'number' || !Number.isInteger(o.minParties) || o.minParties < 2 || o.minParties > 32) fail('minParties must be a whole number 2..32');
    frame.minParties = o.minParties as number;
  }
  if (o.protection !== undefined) {
    if (!(PROTECTION_LEVELS as readonly unknown[]).includes(o.protection)) fail(`protection must be one of ${PROTECTION_LEVELS.join(', ')}`);
    frame.protection = o.protection as ProtectionLevel;
  }
  return frame;
}

export const hasTableFrame = (spec: unknown): spec is TableFrame =>
  typeof spec === 'object' && spec !== null && typeof (spec as { schema?: unknown }).schema === 'object' && Array.isArray((spec as { where?: unknown }).where) && typeof (spec as { maxRows?: unknown }).maxRows === 'number';

/** Validates a table spec from a peer, the link or the UI. */
export function parseTableSpec(raw: unknown): TableSpec {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('a table spec must be an object');
  const o = raw as Record<string, unknown>;
  if (!TABLE_KINDS.includes(o.kind as TableKind)) fail(`table computation must be one of ${TABLE_KINDS.join(', ')}`);
  const kind = o.kind as TableKind;
  const own = kind === 'crosstab' ? ['groupBy', 'value', ...DP_FIELDS] : kind === 'correlation' ? ['columns'] : ['target', 'features', 'ridge'];
  const allowed = ['kind', 'schema', 'where', 'maxRows', 'minParties', 'protection', ...own];
  if (Object.keys(o).some((k) => !allowed.includes(k))) fail(`unknown or irrelevant fields in a ${kind} spec`);
  const spec: TableSpec = { kind, ...parseTableFrame(o) };
  const schema = spec.schema;
  if (kind === 'crosstab') {
    if (!Array.isArray(o.groupBy) || o.groupBy.length > 2) fail('a cross-tab groups by no, one or two columns (none: the totals over all rows)');
    spec.groupBy = (o.groupBy as unknown[]).map((g) => (typeof g === 'string' ? schemaColumn(schema, g).name : fail('group-by entries are column names')));
    if (new Set(spec.groupBy).size !== spec.groupBy.length) fail('group by two different columns');
    for (const g of spec.groupBy) levels(schemaColumn(schema, g));
    if (o.value !== undefined) spec.value = numberColumn(schema, o.value, 'the summarised value');
    const { cells } = crosstabCells(spec);
    if (cells.length > MAX_CROSSTAB_CELLS) fail(`a cross-tab of ${cells.length} cells is too large (at most ${MAX_CROSSTAB_CELLS})`);
    const dpError = checkDpFields(o, kind);
    if (dpError) fail(dpError);
    for (const f of DP_FIELDS) if (o[f] !== undefined) Object.assign(spec, { [f]: o[f] });
  } else if (kind === 'correlation') {
    if (!Array.isArray(o.columns) || o.columns.length < 2 || o.columns.length > MAX_CORRELATION_COLUMNS) fail(`a correlation takes 2..${MAX_CORRELATION_COLUMNS} number columns`);
    spec.columns = (o.columns as unknown[]).map((c) => numberColumn(schema, c, 'a correlation column'));
    if (new Set(spec.columns).size !== spec.columns.length) fail('a correlation lists each column once');
  } else {
    spec.target = numberColumn(schema, o.target, 'the outcome of a regression');
    if (!Array.isArray(o.features) || o.features.length < 1 || o.features.length > MAX_REGRESSION_FEATURES) fail(`a regression takes 1..${MAX_REGRESSION_FEATURES} number columns as features`);
    spec.features = (o.features as unknown[]).map((c) => numberColumn(schema, c, 'a regression feature'));
    if (new Set(spec.features).size !== spec.features.length) fail('a regression lists each feature once');
    if (spec.features.includes(spec.target)) fail(`${spec.target} is the outcome; it cannot also be a feature`);
    if (o.ridge !== undefined) {
      if (typeof o.ridge !== 'string') fail('the ridge penalty is a decimal string');
      let lambda = 0n;
      try {
        lambda = parseDecimal(o.ridge as string, 6);
      } catch {
        fail(`the ridge penalty must be a number with at most 6 decimals, got "${String(o.ridge)}"`);
      }
      if (lambda < 0n || lambda > parseDecimal(MAX_RIDGE, 6)) fail(`the ridge penalty must be between 0 and ${MAX_RIDGE}`);
      if (lambda > 0n) spec.ridge = o.ridge as string;
    }
  }
  return spec;
}

/** Columns whose cells must be valid for a row to count. */
export function neededColumns(spec: TableSpec): string[] {
  const own =
    spec.kind === 'crosstab' ? [...(spec.groupBy ?? []), ...(spec.value ? [spec.value] : [])] : spec.kind === 'correlation' ? (spec.columns ?? []) : [spec.target ?? '', ...(spec.features ?? [])];
  return [...new Set([...own, ...filterColumns(spec.where)])];
}
