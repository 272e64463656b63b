/**
 * Model computations of a room (issue 13): what the host declares on top of the table
 * schema (src/core/table/schema.ts). Public, validated in one place (`parseModelSpec`),
 * part of the agreed digest. Same frame as a table spec (schema, where, maxRows), so the
 * table input path (CSV, column mapping, read-back) serves both.
 *
 * - evaluate: joint evaluation of one model (or two on the same rows: "model A vs model B")
 *   from each party's table of model scores and true labels. Classification when the target
 *   is yes/no, a two-value category (`positive` names the positive class, default the second)
 *   or a 0..1 whole-number column; regression otherwise. `metrics` lists what is opened (only
 *   those); `groupBy` repeats every metric per value of one category / yes-no column.
 * - logistic: logistic regression of a yes/no target on 1..20 number features (logistic.ts).
 * Security: none (public data).
 */
import { MpcError } from '../errors.ts';
import { PROTECTION_LEVELS, type ProtectionLevel } from '../backend/types.ts';
import { parseDecimal } from '../fixed-point.ts';
import { type RowFilter, filterColumns, parseRowFilter } from '../table/filter.ts';
import { type ColumnSchema, type TableSchema, parseTableSchema, schemaColumn } from '../table/schema.ts';
import { MAX_TABLE_ROWS } from '../table/table-spec.ts';

export const MODEL_KINDS = ['evaluate', 'logistic'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

export const CLASSIFICATION_METRICS = ['n', 'confusion', 'accuracy', 'precision', 'recall', 'f1', 'auc', 'prAuc', 'logLoss', 'brier', 'calibration'] as const;
export const REGRESSION_METRICS = ['n', 'mse', 'rmse', 'mae', 'r2'] as const;
export type ClassificationMetric = (typeof CLASSIFICATION_METRICS)[number];
export type RegressionMetric = (typeof REGRESSION_METRICS)[number];
export type Metric = ClassificationMetric | RegressionMetric;

/** Distinct score values (bins of the exact ROC/PR curves): (upper − lower)·10^decimals + 1. */
export const MAX_SCORE_BINS = 10_001;
export const MAX_GROUPS = 16;
export const MAX_FEATURES = 20;
export const MAX_ITERATIONS = 500;

export type NumberColumn = Extract<ColumnSchema, { type: 'number' }>;

export interface EvaluateSpec extends RoomFields {
  kind: 'evaluate';
  schema: TableSchema;
  where: RowFilter;
  maxRows: number;
  /** The true label (classification) or the true value (regression). */
  target: string;
  /** One score / prediction column, or two (model A vs model B on the same rows). */
  score: string[];
  /** Optional category or yes/no column: every metric also per value (fairness slices). */
  groupBy?: string;
  /** Classification: predicted positive iff score ≥ threshold (decimal string in the score's decimals). */
  threshold?: string;
  /** Two-value category target: the positive class. */
  positive?: string;
  /** The metrics opened (only these). */
  metrics: Metric[];
  /** Calibration table: equal-width score bins (2..20). */
  calibrationBins?: number;
}

export interface LogisticSpec extends RoomFields {
  kind: 'logistic';
  schema: TableSchema;
  where: RowFilter;
  maxRows: number;
  /** Yes/no, two-value category or 0..1 whole-number column. */
  target: string;
  positive?: string;
  /** 1..20 number columns. */
  features: string[];
  /** Most iterations (public, 1..500; default 300); the run stops earlier once an opened step is below 10^-5. */
  iterations?: number;
  /** L2 penalty λ on the weights of the bound-scaled features (decimal string 0.0001..10; default 0.001). */
  ridge?: string;
}

export type ModelSpec = EvaluateSpec | LogisticSpec;

const fail = (message: string): never => {
  throw new MpcError('INVALID_ARGUMENT', message);
};

/** How a target column reads as 0/1, or null for a regression target. */
export function binaryLabel(col: ColumnSchema, positive?: string): { positive: string; of: (v: number) => number } | null {
  if (col.type === 'boolean') return { positive: 'yes', of: (v) => v };
  if (col.type === 'category') {
    if (col.values.length !== 2) fail(`${col.name} has ${col.values.length} categories; a label column has exactly two (or is yes/no)`);
    const p = positive === undefined ? col.values[1] : col.values.find((v) => v.toLowerCase() === positive.trim().toLowerCase());
    if (p === undefined) fail(`the positive class "${positive}" is not one of ${col.values.join(', ')}`);
    const idx = col.values.indexOf(p as string);
    return { positive: p as string, of: (v) => (v === idx ? 1 : 0) };
  }
  if (col.decimals === 0 && Number(col.lower) >= 0 && Number(col.upper) <= 1) return { positive: '1', of: (v) => v };
  return null;
}

export const isClassification = (spec: EvaluateSpec): boolean => binaryLabel(schemaColumn(spec.schema, spec.target), spec.positive) !== null;

export function numberColumn(schema: TableSchema, name: unknown, what: string): NumberColumn {
  if (typeof name !== 'string') fail(`${what} must be a column name`);
  const c = schemaColumn(schema, name as string);
  if (c.type !== 'number') fail(`${what}: ${c.name} is not a number column`);
  return c as NumberColumn;
}

/** Scaled integer bounds of a number column. */
export const scaledBounds = (c: NumberColumn): { lo: bigint; hi: bigint } => ({ lo: parseDecimal(c.lower, c.decimals), hi: parseDecimal(c.upper, c.decimals) });

/** Room-level fields every room spec may carry (as table specs do). */
interface RoomFields {
  /** Start stays disabled below this many participants (2..32). */
  minParties?: number;
  /** Protection level (issue 11), part of the agreed spec; absent = strict (see protectionOf). */
  protection?: ProtectionLevel;
}

export function checkFrame(o: Record<string, unknown>, allowed: string[]): { schema: TableSchema; where: RowFilter; maxRows: number } & RoomFields {
  if (Object.keys(o).some((k) => ![...allowed, 'minParties', 'protection'].includes(k))) fail(`unknown or irrelevant fields in a ${String(o.kind)} spec`);
  const schema = parseTableSchema(o.schema);
  const where = parseRowFilter(o.where ?? [], schema);
  if (typeof o.maxRows !== 'number' || !Number.isInteger(o.maxRows) || o.maxRows < 1 || o.maxRows > MAX_TABLE_ROWS) fail(`maxRows must be a whole number 1..${MAX_TABLE_ROWS}`);
  const frame: { schema: TableSchema; where: RowFilter; maxRows: number } & RoomFields = { schema, where, maxRows: o.maxRows as number };
  if (o.minParties !== undefined) {
    if (typeof o.minParties !== 'number' || !Number.isInteger(o.minParties) || o.minParties < 2 || o.minParties > 32) fail('the minimum number of participants is a whole number 2..32');
    frame.minParties = o.minParties as number;
  }
  if (o.protection !== undefined) {
    if (!PROTECTION_LEVELS.includes(o.protection as ProtectionLevel)) fail(`protection must be one of ${PROTECTION_LEVELS.join(', ')}`);
    frame.protection = o.protection as ProtectionLevel;
  }
  return frame;
}

function parseEvaluate(o: Record<string, unknown>): EvaluateSpec {
  const frame = checkFrame(o, ['kind', 'schema', 'where', 'maxRows', 'target', 'score', 'groupBy', 'threshold', 'positive', 'metrics', 'calibrationBins']);
  const { schema } = frame;
  if (typeof o.target !== 'string') fail('name the label / target column');
  const targetCol = schemaColumn(schema, o.target as string);
  if (o.positive !== undefined && typeof o.positive !== 'string') fail('the positive class is a category value');
  const label = binaryLabel(targetCol, o.positive as string | undefined);
  if (label === null && targetCol.type !== 'number') fail(`${targetCol.name} cannot be a target`);
  if (!Array.isArray(o.score) || o.score.length < 1 || o.score.length > 2) fail('name one score column, or two to compare model A and model B');
  const scores = (o.score as unknown[]).map((s) => numberColumn(schema, s, 'a score column'));
  if (new Set(scores.map((s) => s.name)).size !== scores.length) fail('model A and model B need two different score columns');
  if (scores.some((s) => s.name === targetCol.name)) fail('the score column cannot be the target');
  const spec: EvaluateSpec = { kind: 'evaluate', ...frame, target: targetCol.name, score: scores.map((s) => s.name), metrics: [] };
  if (label && targetCol.type === 'category') spec.positive = label.positive;
  if (o.groupBy !== undefined) {
    if (typeof o.groupBy !== 'string') fail('group by one column name');
    const g = schemaColumn(schema, o.groupBy as string);
    if (g.type === 'number') fail(`${g.name} is a number column; group by a category or yes/no column`);
    if (g.type === 'category' && g.values.length > MAX_GROUPS) fail(`${g.name} has ${g.values.length} values; per-group results take at most ${MAX_GROUPS}`);
    if ([targetCol.name, ...spec.score].includes(g.name)) fail('the group column must differ from the target and the scores');
    spec.groupBy = g.name;
  }
  const allowedMetrics: readonly string[] = label ? CLASSIFICATION_METRICS : REGRESSION_METRICS;
  const metrics = o.metrics === undefined ? [...allowedMetrics] : o.metrics;
  if (!Array.isArray(metrics) || metrics.length === 0) fail('pick at least one metric');
  for (const m of metrics as unknown[]) {
    if (typeof m !== 'string' || !allowedMetrics.includes(m)) fail(`${JSON.stringify(m)} is not a ${label ? 'classification' : 'regression'} metric (choose from ${allowedMetrics.join(', ')})`);
  }
  if (new Set(metrics as string[]).size !== (metrics as string[]).length) fail('a metric is listed twice');
  spec.metrics = allowedMetrics.filter((m) => (metrics as string[]).includes(m)) as Metric[];
  if (label) {
    const [a, b2] = scores;
    if (b2 && (a.lower !== b2.lower || a.upper !== b2.upper || a.decimals !== b2.decimals)) fail(`to compare two models, ${a.name} and ${b2.name} need the same bounds and decimals`);
    const { lo, hi } = scaledBounds(a);
    if (hi - lo + 1n > BigInt(MAX_SCORE_BINS)) fail(`${a.name} has ${hi - lo + 1n} possible values; the exact ROC/PR curves take at most ${MAX_SCORE_BINS} (fewer decimals or tighter bounds)`);
    if ((spec.metrics.includes('logLoss') || spec.metrics.includes('brier')) && (lo < 0n || Number(a.upper) > 1)) fail(`log-loss and Brier score need probabilities: ${a.name} must lie in 0..1`);
    const thresholdNeeded = spec.metrics.some((m) => ['confusion', 'accuracy', 'precision', 'recall', 'f1'].includes(m));
    const t = o.threshold ?? (thresholdNeeded ? (lo <= parseDecimal('0.5', a.decimals) && parseDecimal('0.5', a.decimals) <= hi && a.decimals > 0 ? '0.5' : undefined) : undefined);
    if (thresholdNeeded && t === undefined) fail(`declare the threshold: predicted positive when ${a.name} ≥ threshold`);
    if (t !== undefined) {
      if (typeof t !== 'string') fail('the threshold is a decimal number');
      let v = 0n;
      try {
        v = parseDecimal(t as string, a.decimals);
      } catch {
        fail(`the threshold "${String(t)}" must be a number with at most ${a.decimals} decimals`);
      }
      if (v < lo || v > hi) fail(`the threshold ${String(t)} must lie within ${a.name}'s bounds ${a.lower}..${a.upper}`);
      spec.threshold = (t as string).trim();
    }
    if (spec.metrics.includes('calibration')) {
      const c = o.calibrationBins ?? 10;
      if (typeof c !== 'number' || !Number.isInteger(c) || c < 2 || c > 20) fail('calibration bins must be a whole number 2..20');
      if (BigInt(c as number) > hi - lo) fail(`${a.name} has too few values for ${String(c)} calibration bins`);
      spec.calibrationBins = c as number;
    }
  } else {
    if (o.threshold !== undefined || o.calibrationBins !== undefined) fail('threshold and calibration apply to classification (a yes/no or two-class target)');
  }
  return spec;
}

function parseLogistic(o: Record<string, unknown>): LogisticSpec {
  const frame = checkFrame(o, ['kind', 'schema', 'where', 'maxRows', 'target', 'positive', 'features', 'iterations', 'ridge']);
  const { schema } = frame;
  if (typeof o.target !== 'string') fail('name the label column (yes/no or two classes)');
  const t = schemaColumn(schema, o.target as string);
  if (o.positive !== undefined && typeof o.positive !== 'string') fail('the positive class is a category value');
  const label = binaryLabel(t, o.positive as string | undefined);
  if (!label) fail(`logistic regression needs a yes/no or two-class label; ${t.name} is a number column with bounds ${t.type === 'number' ? `${t.lower}..${t.upper}` : ''}`);
  if (!Array.isArray(o.features) || o.features.length < 1 || o.features.length > MAX_FEATURES) fail(`logistic regression takes 1..${MAX_FEATURES} number features`);
  const features = (o.features as unknown[]).map((f) => numberColumn(schema, f, 'a feature').name);
  if (new Set(features).size !== features.length) fail('a feature is listed twice');
  if (features.includes(t.name)) fail('the label cannot be a feature');
  const spec: LogisticSpec = { kind: 'logistic', ...frame, target: t.name, features };
  if (t.type === 'category') spec.positive = label!.positive;
  if (o.iterations !== undefined) {
    if (typeof o.iterations !== 'number' || !Number.isInteger(o.iterations) || o.iterations < 1 || o.iterations > MAX_ITERATIONS) fail(`iterations must be a whole number 1..${MAX_ITERATIONS}`);
    spec.iterations = o.iterations as number;
  }
  if (o.ridge !== undefined) {
    if (typeof o.ridge !== 'string' || !/^\d+(\.\d{1,6})?$/.test(o.ridge.trim()) || Number(o.ridge) > 10 || Number(o.ridge) < 0.0001) fail('ridge λ is a decimal number 0.0001..10 with at most 6 decimals');
    spec.ridge = (o.ridge as string).trim();
  }
  return spec;
}

/** Validates a model spec from a peer, the link or the UI. */
export function parseModelSpec(raw: unknown): ModelSpec {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('a model spec must be an object');
  const o = raw as Record<string, unknown>;
  if (o.kind === 'evaluate') return parseEvaluate(o);
  if (o.kind === 'logistic') return parseLogistic(o);
  return fail(`model computation must be one of ${MODEL_KINDS.join(', ')}`);
}

/** Columns whose cells must be valid for a row to count (the same rows for every metric and model). */
export function modelColumns(spec: ModelSpec): string[] {
  const own = spec.kind === 'evaluate' ? [spec.target, ...spec.score, ...(spec.groupBy ? [spec.groupBy] : [])] : [spec.target, ...spec.features];
  return [...new Set([...own, ...filterColumns(spec.where)])];
}
