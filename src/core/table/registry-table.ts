/**
 * The registry entries (computations/registry-types.ts) of the table computations of issue
 * 12: crosstab, correlation, regression (table-spec.ts, run-table.ts, regression.ts) and
 * table-stat (a numeric statistic of one column, table-stat.ts). All take a table: inputShape
 * 'own-card' (the room's table card, src/ui/features/table, reads the CSV in a worker and
 * shows the read-back through `readTable`), payload `data: { csv, chosen }` read again by
 * `parseInput` in the MPC worker. The host's fields are texts (`draft`): the schema one
 * column per line (`spec-columns`), the filter (`spec-where`), the columns by name.
 *
 * `tableDraft` and `tableReadSummary` are exported for the other table-shaped kinds (the
 * models of src/core/model): the frame fields (columns, where, max-rows, minParties) and the
 * read-back are the same for every kind that carries a schema.
 * Security: parseSpec and parseInput are the trust boundary (nothing the page parsed is used).
 */
import { MpcError } from '../errors.ts';
import { describeOutput } from '../computations/describe.ts';
import { type ComputationDefinition, DEFAULT_ROUND_TIMEOUT_MS, type SpecDraft, type SpecField, type SpecParse, type TableReadSummary, defineComputation } from '../computations/registry-types.ts';
import type { ComputationOutput } from '../computations/context.ts';
import { runComputation } from '../computations/run.ts';
import type { ComputationInput } from '../computations/run.ts';
import { TABLE_LABELS, defaultFrame, defaultTableSpec, tableRevealNotes } from './describe-table.ts';
import { formatWhere, parseWhere } from './filter.ts';
import { DP_FIELDS } from '../dp/params.ts';
import { type ReadTable, type TableOutput, runTableComputation, selectedRows } from './run-table.ts';
import { formatSchemaText, parseSchemaText } from './schema.ts';
import { type ColumnChoice, type TableInputRead, readCsvFor } from './table-input.ts';
import { type TableFrame, type TableKind, type TableSpec, parseTableSpec } from './table-spec.ts';
import { TABLE_STATISTICS, type TableStatSpec, numberSpecOf, parseTableStatSpec, tableStatInput, tableStatValues } from './table-stat.ts';

/** A table payload: the CSV text and the person's column picks (schema column → file column index). */
export interface TableData {
  csv: string;
  chosen: ColumnChoice;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const list = (text: string): string[] => text.split(',').map((t) => t.trim()).filter(Boolean);

/** The frame's editor fields (every table-shaped kind shows them). */
export const FRAME_FIELDS: readonly SpecField[] = [
  {
    key: 'columns',
    label: 'Table columns (one per line)',
    hint: '“name: number 0..300 decimals 1”, “name: category A, B, C” or “name: yes/no”; add “missing stop” to refuse a file with a blank or unreadable cell in that column (default: such rows are skipped and counted).',
    type: 'lines',
    summary: 'table columns:',
  },
];
export const WHERE_FIELD: SpecField = { key: 'where', label: 'Only rows where (optional)', hint: 'e.g. “diagnosis = diabetes and sex = F” or “age >= 65”.', type: 'text', optional: true, summary: 'only rows where' };
export const MAX_ROWS_FIELD: SpecField = { key: 'max-rows', label: 'Most rows per participant', hint: 'How many rows each participant uses stays secret; this is the most anyone may contribute.', type: 'integer', summary: 'rows per participant at most' };

/** Frame → texts (plus minParties, the card's own field). */
export function frameDraft(spec: TableFrame): Record<string, string> {
  return { columns: formatSchemaText(spec.schema), where: formatWhere(spec.where), 'max-rows': String(spec.maxRows), minParties: spec.minParties !== undefined ? String(spec.minParties) : '' };
}

/**
 * Texts → the raw frame fields, or a message naming the schema line. The caller adds its own
 * fields and parses the whole.
 */
export function frameFromDraft(base: { protection?: string; kind?: string }, d: Readonly<Record<string, string>>): { ok: true; raw: Record<string, unknown> } | { ok: false; error: string } {
  const schema = parseSchemaText(d.columns ?? '');
  if (!schema.ok) return { ok: false, error: schema.errors.map((e) => `line ${e.line} of the columns: ${e.message}`).join('; ') };
  try {
    const raw: Record<string, unknown> = { schema: schema.schema, where: parseWhere(d.where ?? '', schema.schema), maxRows: Number((d['max-rows'] ?? '').replace(/[,_\s]/g, '') || Number.NaN) };
    if ((d.minParties ?? '').trim() !== '') raw.minParties = Number(d.minParties);
    if (base.protection !== undefined) raw.protection = base.protection;
    // ε, δ, budget and k are set by the privacy editor (ui/features/dp): kept across these edits.
    if (base.kind === 'crosstab') for (const f of DP_FIELDS) if ((base as Record<string, unknown>)[f] !== undefined) raw[f] = (base as Record<string, unknown>)[f];
    return { ok: true, raw };
  } catch (e) {
    return { ok: false, error: message(e) };
  }
}

/** A draft codec for a table-shaped kind: the frame fields plus the kind's own (`own` ⇄ `build`). */
export function tableDraft<S extends TableFrame & { kind: string }>(
  own: (spec: S) => Record<string, string>,
  build: (d: Readonly<Record<string, string>>) => Record<string, unknown>,
  parse: (raw: unknown) => SpecParse<S>,
): SpecDraft<S> {
  return {
    toDraft: (spec) => ({ ...frameDraft(spec), ...own(spec) }),
    fromDraft(base, d) {
      const frame = frameFromDraft(base, d);
      if (!frame.ok) return frame;
      return parse({ kind: base.kind, ...frame.raw, ...build(d) });
    },
  };
}

/** The read-back summary of a read (what the table card shows; `count` is announced in Ready). */
export function tableReadSummary(r: TableInputRead, count: (used: number) => number): TableReadSummary {
  if (!r.ok) return { ok: false, error: r.error, ...(r.unmapped ? { unmapped: r.unmapped } : {}), ...(r.headers ? { headers: r.headers } : {}) };
  return { ok: true, rows: r.table.rows, used: r.used, count: count(r.used), headers: r.headers, lines: r.lines, mapping: r.table.mapping };
}

/** The payload's table read again in the worker (throws MpcError with the reader's message). */
export function tableOfPayload<S extends TableFrame>(payload: { data?: unknown }, spec: S, rowsOf: (table: ReadTable) => Uint8Array): ReadTable {
  const d = payload.data as Partial<TableData> | undefined;
  if (!d || typeof d.csv !== 'string' || typeof d.chosen !== 'object' || d.chosen === null) throw new MpcError('INVALID_ARGUMENT', 'a table computation needs this participant’s table (CSV text and column picks)');
  const read = readCsvFor(d.csv, spec.schema, d.chosen, rowsOf);
  if (!read.ok) throw new MpcError('INVALID_ARGUMENT', read.error);
  return read.table;
}

function parseAs<S>(kind: string, raw: unknown, parse: (raw: unknown) => S): SpecParse<S> {
  if (typeof raw !== 'object' || raw === null || (raw as { kind?: unknown }).kind !== kind) return { ok: false, error: `kind must be ${kind}` };
  try {
    return { ok: true, spec: parse(raw) };
  } catch (e) {
    return { ok: false, error: message(e) };
  }
}

/** One round may wait for a peer's local pass over up to maxRows rows. */
const timeoutMs = (spec: TableFrame): number => DEFAULT_ROUND_TIMEOUT_MS + spec.maxRows / 50;

const OWN_FIELDS: Record<TableKind, readonly SpecField[]> = {
  crosstab: [
    { key: 'group-by', label: 'Group by', hint: 'One or two category or yes/no columns, separated by a comma (empty: totals over all rows).', type: 'text', optional: true, summary: 'grouped by' },
    { key: 'value', label: 'Value summarised per group', hint: 'A number column (sum and mean per group); empty for counts only.', type: 'text', optional: true, summary: 'value' },
  ],
  correlation: [{ key: 'features', label: 'Number columns', hint: 'Two to ten number columns, separated by commas.', type: 'text', summary: 'columns' }],
  regression: [
    { key: 'target', label: 'Outcome', hint: 'The number column to predict.', type: 'text', summary: 'outcome' },
    { key: 'features', label: 'Predictors', hint: 'Up to 20 number columns, separated by commas.', type: 'text', summary: 'predictors' },
    { key: 'ridge', label: 'Ridge penalty λ (optional)', hint: 'Empty or 0 for least squares; e.g. 0.1 shrinks the coefficients (on the standardised scale).', type: 'decimal', optional: true, summary: 'ridge λ' },
  ],
};

function ownDraft(spec: TableSpec): Record<string, string> {
  if (spec.kind === 'crosstab') return { 'group-by': (spec.groupBy ?? []).join(', '), value: spec.value ?? '' };
  if (spec.kind === 'correlation') return { features: (spec.columns ?? []).join(', ') };
  return { target: spec.target ?? '', features: (spec.features ?? []).join(', '), ridge: spec.ridge ?? '' };
}

const ownBuild = (kind: TableKind) => (d: Readonly<Record<string, string>>): Record<string, unknown> => {
  if (kind === 'crosstab') return { groupBy: list(d['group-by'] ?? ''), ...((d.value ?? '').trim() ? { value: d.value.trim() } : {}) };
  if (kind === 'correlation') return { columns: list(d.features ?? '') };
  return { target: (d.target ?? '').trim(), features: list(d.features ?? ''), ...((d.ridge ?? '').trim() ? { ridge: d.ridge.trim() } : {}) };
};

const COSTS: Record<TableKind, string> = {
  crosstab: 'About 2 rounds: each participant’s counts and sums per group are shared once, then only the pooled ones are opened.',
  correlation: 'A few hundred rounds: the pooled sums are shared once, then one square root and one division per pair inside the MPC.',
  regression: 'Several hundred rounds: the pooled sums are shared once, then the standardised system is solved inside the MPC (one reciprocal per predictor).',
};

function tableEntry(kind: TableKind): ComputationDefinition<TableSpec, ReadTable, TableOutput> {
  const parse = (raw: unknown) => parseAs<TableSpec>(kind, raw, parseTableSpec);
  return defineComputation<TableSpec, ReadTable, TableOutput>({
    kind,
    ...TABLE_LABELS[kind],
    inputShape: 'own-card',
    fields: [...FRAME_FIELDS, ...OWN_FIELDS[kind], WHERE_FIELD, MAX_ROWS_FIELD],
    fieldsOpen: true,
    draft: tableDraft<TableSpec>(ownDraft, ownBuild(kind), parse),
    sameCount: false,
    parseSpec: parse,
    defaultSpec(previous) {
      const kept = defaultTableSpec(kind, previous);
      return parse(kept).ok ? kept : defaultTableSpec(kind);
    },
    // Row counts are private: a participant announces 0 and commits its count as a secret.
    readTable: (text, spec, chosen) => tableReadSummary(readCsvFor(text, spec.schema, chosen, (t) => selectedRows(spec, t)), () => 0),
    parseInput: (payload, spec) => tableOfPayload(payload, spec, (t) => selectedRows(spec, t)),
    run(ctx, spec, table) {
      ctx.progress({ phase: 'computing' });
      return runTableComputation(ctx.backend(), spec, table);
    },
    reveals: (spec, parties) => tableRevealNotes(spec, parties),
    cost: () => ({ summary: COSTS[kind] }),
    timeoutMs,
  });
}

const STAT_FIELDS: readonly SpecField[] = [
  { key: 'column', label: 'Number column', hint: 'The column the statistic is computed on.', type: 'text', summary: 'column' },
  {
    key: 'statistic',
    label: 'Statistic',
    type: 'choice',
    choices: TABLE_STATISTICS.map((s) => ({ value: s, label: s === 'pooled-mean' ? 'average' : s === 'stats' ? 'count, mean and variance' : s })),
    summary: 'statistic',
  },
  { key: 'p', label: 'Percentile (0–100)', hint: 'Percentile only, e.g. 90.', type: 'decimal', optional: true, summary: 'percentile' },
  { key: 'edges', label: 'Bucket edges', hint: 'Histogram only: increasing numbers separated by spaces or semicolons.', type: 'decimal-list', optional: true, summary: 'bucket edges' },
  { key: 'threshold', label: 'Is the total above…', hint: 'Threshold test only.', type: 'decimal', optional: true, summary: 'threshold' },
];

const parseStat = (raw: unknown) => parseAs<TableStatSpec>('table-stat', raw, parseTableStatSpec);

function defaultStat(previous?: Parameters<typeof defaultFrame>[0]): TableStatSpec {
  const frame = defaultFrame(previous);
  const column = frame.schema.columns.find((c) => c.name === 'systolic_bp' && c.type === 'number') ?? frame.schema.columns.find((c) => c.type === 'number');
  return { kind: 'table-stat', ...frame, maxRows: Math.min(frame.maxRows, 100_000), column: column?.name ?? '', statistic: 'median' };
}

const TABLE_STAT = defineComputation<TableStatSpec, ComputationInput, ComputationOutput>({
  kind: 'table-stat',
  title: 'Statistic of a table column',
  description:
    'Each participant loads a table (CSV with a header row). Everyone learns one statistic (average, median, percentile, histogram, …) of one number column over all rows together, optionally only rows passing a filter. Everyone also sees how many rows each participant uses.',
  inputShape: 'own-card',
  fields: [...FRAME_FIELDS, ...STAT_FIELDS, WHERE_FIELD, MAX_ROWS_FIELD],
  fieldsOpen: true,
  draft: tableDraft<TableStatSpec>(
    (s) => ({ column: s.column, statistic: s.statistic, p: s.p ?? '', edges: (s.edges ?? []).join('; '), threshold: s.threshold ?? '' }),
    (d) => ({
      column: (d.column ?? '').trim(),
      statistic: d.statistic,
      ...((d.p ?? '').trim() ? { p: d.p.trim() } : {}),
      ...((d.edges ?? '').trim() ? { edges: d.edges.split(/[\s;]+/).filter(Boolean) } : {}),
      ...((d.threshold ?? '').trim() ? { threshold: d.threshold.trim() } : {}),
    }),
    parseStat,
  ),
  sameCount: false,
  parseSpec: parseStat,
  defaultSpec(previous) {
    const kept = defaultStat(previous);
    return parseStat(kept).ok ? kept : defaultStat();
  },
  // The statistic needs every participant's count: it is public, and announced in Ready.
  readTable: (text, spec, chosen) => tableReadSummary(readCsvFor(text, spec.schema, chosen, (t) => Uint8Array.from(tableStatValues(spec, t), () => 1)), (used) => used),
  parseInput(payload, spec, declared) {
    const table = tableOfPayload(payload, spec, (t) => Uint8Array.from(tableStatValues(spec, t), () => 1));
    return tableStatInput(spec, table, declared);
  },
  async run(ctx, spec, input, counts) {
    ctx.progress({ phase: 'computing' });
    return runComputation(ctx.backend(), numberSpecOf(spec), input, counts);
  },
  reveals(spec, parties, counts) {
    const d = describeOutput(numberSpecOf(spec), parties, counts);
    const where = spec.where.length ? ` (rows where ${formatWhere(spec.where)})` : '';
    return {
      reveals: ['Your table never leaves this tab: only random-looking shares of the used values of ' + spec.column + ' are sent.', ...d.reveals],
      warnings: [`Everyone sees how many rows each participant uses${where}: this statistic needs it. For counts, sums and means that keep each participant’s count secret, use the cross-tab.`, ...d.warnings],
    };
  },
  cost: () => ({ summary: 'As the statistic on a list of numbers: a search over the column’s bounds for order statistics, one opening for averages.' }),
  timeoutMs,
});

export const TABLE_COMPUTATIONS = [tableEntry('crosstab'), tableEntry('correlation'), tableEntry('regression'), TABLE_STAT] as const;
