/**
 * Every numeric computation of the room (computations/registry-numbers.ts) on one number
 * column of everyone's tables, with an optional filter (issue 12: "every existing numeric
 * computation on any number column, with an optional filter on category columns"): kind
 * `table-stat`. Each participant's used rows (valid in the column and the filter's columns,
 * passing the filter) become that participant's list of values, with the column's decimals
 * and bounds as the input rules, and the chosen statistic runs on them unchanged.
 *
 * Why a kind of its own rather than a table input for every numeric kind: the numeric
 * protocols take each participant's count as public (order statistics search over the
 * committed values; the count is part of their output). With a filter such as
 * diagnosis = diabetes that count is sensitive, so it is declared, not implied: this kind
 * says before Ready that everyone sees how many rows each participant uses. The private
 * route for counts, sums and means is the cross-tab (groupBy may be empty: totals over all
 * rows), which commits the count as a secret.
 * Security: that of the numeric computation; the spec is public.
 */
import { MpcError } from '../errors.ts';
import { formatDecimal } from '../fixed-point.ts';
import type { ComputationInput } from '../computations/run.ts';
import { parseInputs } from '../computations/inputs.ts';
import { type ComputationKind, type ComputationSpec, parseComputationSpec } from '../computations/spec.ts';
import { filterColumns } from './filter.ts';
import { usableRows } from './read-table.ts';
import { type ReadTable, termPasses } from './run-table.ts';
import { type ColumnSchema, schemaColumn } from './schema.ts';
import { type TableFrame, parseTableFrame } from './table-spec.ts';

/** The statistics a table column can feed (element-wise kinds and rank need lists of one shape per participant). */
export const TABLE_STATISTICS = ['pooled-mean', 'count', 'stats', 'min', 'max', 'median', 'percentile', 'histogram', 'threshold'] as const satisfies readonly ComputationKind[];
export type TableStatistic = (typeof TABLE_STATISTICS)[number];

export interface TableStatSpec extends TableFrame {
  kind: 'table-stat';
  /** The number column the statistic is computed on. */
  column: string;
  statistic: TableStatistic;
  /** percentile: 0 < p < 100. */
  p?: string;
  /** histogram: increasing bucket edges inside the column's bounds. */
  edges?: string[];
  /** threshold: "is the total above X?". */
  threshold?: string;
}

const fail = (message: string): never => {
  throw new MpcError('INVALID_ARGUMENT', message);
};

/** The numeric spec the statistic runs with: the column's decimals and bounds, at most maxRows values each. */
export function numberSpecOf(spec: TableStatSpec): ComputationSpec {
  const c = schemaColumn(spec.schema, spec.column) as Extract<ColumnSchema, { type: 'number' }>;
  return {
    kind: spec.statistic,
    decimals: c.decimals,
    lower: c.lower,
    upper: c.upper,
    length: Math.min(spec.maxRows, 100_000),
    ...(spec.p !== undefined ? { p: spec.p } : {}),
    ...(spec.edges !== undefined ? { edges: spec.edges } : {}),
    ...(spec.threshold !== undefined ? { threshold: spec.threshold } : {}),
    ...(spec.minParties !== undefined ? { minParties: spec.minParties } : {}),
    ...(spec.protection !== undefined ? { protection: spec.protection } : {}),
  };
}

export function parseTableStatSpec(raw: unknown): TableStatSpec {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('a table spec must be an object');
  const o = raw as Record<string, unknown>;
  if (o.kind !== 'table-stat') fail('expected a table-stat spec');
  const allowed = ['kind', 'schema', 'where', 'maxRows', 'minParties', 'protection', 'column', 'statistic', 'p', 'edges', 'threshold'];
  if (Object.keys(o).some((k) => !allowed.includes(k))) fail('unknown fields in a table-stat spec');
  const frame = parseTableFrame(o);
  if (typeof o.column !== 'string') fail('name the number column the statistic is computed on');
  const col = schemaColumn(frame.schema, o.column as string);
  if (col.type !== 'number') fail(`${col.name} is not a number column`);
  if (!(TABLE_STATISTICS as readonly unknown[]).includes(o.statistic)) fail(`the statistic must be one of ${TABLE_STATISTICS.join(', ')}`);
  if (frame.maxRows > 100_000) fail('a statistic of a column takes at most 100,000 rows per participant');
  const statistic = o.statistic as TableStatistic;
  const spec: TableStatSpec = { kind: 'table-stat', ...frame, column: col.name, statistic };
  // Parameters of other statistics are dropped rather than refused: the editor keeps them as typed.
  if (statistic === 'percentile') spec.p = typeof o.p === 'string' ? o.p : fail('a percentile needs p (0 < p < 100)');
  if (statistic === 'histogram') spec.edges = Array.isArray(o.edges) && o.edges.every((e) => typeof e === 'string') ? (o.edges as string[]) : fail('a histogram needs its bucket edges');
  if (statistic === 'threshold') spec.threshold = typeof o.threshold === 'string' ? o.threshold : fail('a threshold test needs its threshold');
  const number = parseComputationSpec(numberSpecOf(spec));
  if (!number.ok) fail(number.error);
  return spec;
}

/** This participant's used rows of the column as the statistic's input (exact decimal strings). */
export function tableStatValues(spec: TableStatSpec, table: ReadTable): string[] {
  const col = schemaColumn(spec.schema, spec.column) as Extract<ColumnSchema, { type: 'number' }>;
  const rows = usableRows(table, [...new Set([col.name, ...filterColumns(spec.where)])]);
  const values = table.columns.get(col.name)!.values;
  const out: string[] = [];
  for (let r = 0; r < rows.length; r++) if (rows[r] && spec.where.every((t) => termPasses(spec.schema, table, t, r))) out.push(formatDecimal(BigInt(values[r]), col.decimals));
  if (out.length > spec.maxRows) fail(`this table has ${out.length} rows for this computation; the room allows at most ${spec.maxRows} per participant`);
  return out;
}

export const tableStatRows = (spec: TableStatSpec, table: ReadTable): Uint8Array => {
  const n = tableStatValues(spec, table).length;
  return Uint8Array.from({ length: n }, () => 1);
};

export function tableStatInput(spec: TableStatSpec, table: ReadTable, declared: number): ComputationInput {
  const values = tableStatValues(spec, table);
  if (values.length !== declared) fail(`this party declared ${declared} rows but its table has ${values.length}`);
  return parseInputs(numberSpecOf(spec), values);
}
