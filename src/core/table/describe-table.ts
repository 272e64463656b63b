/**
 * Plain words for table computations (issue 12): titles, descriptions and what a run reveals,
 * and the starting spec a host gets when choosing one (the hospital example of the README).
 * DOM-free: the room and the Node party show the same words (through the registry).
 * Security: none (public text).
 */
import type { BaseSpec } from '../computations/registry-types.ts';
import { formatWhere } from './filter.ts';
import { parseSchemaText } from './schema.ts';
import { type TableFrame, type TableKind, type TableSpec, hasTableFrame } from './table-spec.ts';

export const TABLE_LABELS: Record<TableKind, { title: string; description: string }> = {
  crosstab: {
    title: 'Cross-tab (counts, means)',
    description: 'Each participant loads a table (CSV with a header row). Everyone learns, for each group of one or two category columns (or over all rows), how many rows fall in it and, with a value column, their sum and mean. How many rows each participant has stays secret.',
  },
  regression: {
    title: 'Linear regression',
    description: 'Each participant loads a table (CSV with a header row). Everyone learns the coefficients, intercept and R² of a least-squares (or ridge) fit of one number column on others, over all rows together, and the number of rows used.',
  },
  correlation: {
    title: 'Correlation matrix',
    description: 'Each participant loads a table (CSV with a header row). Everyone learns the Pearson correlation between every two of the chosen number columns over all rows together, and the number of rows used.',
  },
};

export const DEFAULT_SCHEMA_TEXT = `age: number 0..120
sex: category F, M
systolic_bp: number 60..260 decimals 1
bmi: number 10..60 decimals 1
diagnosis: category diabetes, asthma, none`;

export const DEFAULT_MAX_ROWS = 10_000;

/** The starting frame: the previous spec's schema, filter and row limit when it had them (any table-shaped kind). */
export function defaultFrame(previous?: BaseSpec): TableFrame {
  const parsed = parseSchemaText(DEFAULT_SCHEMA_TEXT);
  if (!parsed.ok) throw new Error('the default table schema does not parse');
  const p = hasTableFrame(previous) ? previous : undefined;
  return {
    schema: p ? p.schema : parsed.schema,
    where: p ? p.where : [],
    maxRows: p ? p.maxRows : DEFAULT_MAX_ROWS,
    ...(previous?.minParties !== undefined ? { minParties: previous.minParties } : {}),
    ...(previous?.protection !== undefined ? { protection: previous.protection } : {}),
  };
}

/** A starting spec for `kind`, keeping the schema, filter and row limit of a previous table-shaped spec. */
export function defaultTableSpec(kind: TableKind, previous?: BaseSpec): TableSpec {
  const frame = defaultFrame(previous);
  const schema = frame.schema;
  const numbers = schema.columns.filter((c) => c.type === 'number').map((c) => c.name);
  const groups = schema.columns.filter((c) => c.type !== 'number').map((c) => c.name);
  const base: TableSpec = { kind, ...frame };
  if (kind === 'crosstab') return { ...base, groupBy: groups.slice(0, 1).length ? groups.slice(0, 1) : [], ...(numbers.includes('systolic_bp') ? { value: 'systolic_bp' } : numbers[0] ? { value: numbers[0] } : {}) };
  if (kind === 'regression') {
    const target = numbers.includes('systolic_bp') ? 'systolic_bp' : numbers[numbers.length - 1];
    return { ...base, target, features: numbers.filter((c) => c !== target).slice(0, 2) };
  }
  return { ...base, columns: numbers.slice(0, Math.min(3, numbers.length)) };
}

export function tableRevealNotes(spec: TableSpec, parties: number): { reveals: string[]; warnings: string[] } {
  const where = spec.where.length ? ` among the rows where ${formatWhere(spec.where)}` : '';
  const reveals = ['Your table never leaves this tab: only random-looking shares of sums over your rows are sent.'];
  const warnings: string[] = [];
  if (spec.kind === 'crosstab') {
    reveals.push(
      `Everyone learns, ${spec.groupBy?.length ? `for each combination of ${spec.groupBy.join(' and ')}` : 'over all rows'}, the number of rows${spec.value ? ` and the sum and mean of ${spec.value}` : ''} over all participants together${where}.`,
    );
    reveals.push('Not how many rows each participant has, nor any participant’s own counts.');
    if (parties === 2) warnings.push('With 2 participants, each of you can subtract your own counts from the result and learn the other’s counts per group.');
    warnings.push('A group with very few rows can say a lot about those rows (a mean over one row is that row’s value).');
  } else if (spec.kind === 'regression') {
    reveals.push(
      `Everyone learns the intercept and the coefficients of ${(spec.features ?? []).join(', ')} in a ${spec.ridge ? `ridge (λ = ${spec.ridge})` : 'least-squares'} fit of ${spec.target}, its R², and how many rows were used (n), over all rows together${where}.`,
    );
    reveals.push('Not the means, variances or cross products it is built from, and not how many rows each participant has.');
    if (parties === 2) warnings.push('With 2 participants, whoever knows their own rows learns how the other’s rows move the fit.');
  } else {
    reveals.push(`Everyone learns the correlation between every two of ${(spec.columns ?? []).join(', ')} over all rows together${where}, and how many rows were used (n).`);
    reveals.push('Not the means, variances or sums it is built from, and not how many rows each participant has.');
    if (parties === 2) warnings.push('With 2 participants, whoever knows their own rows learns how the other’s rows shift the correlation.');
  }
  reveals.push(`Each participant contributes at most ${spec.maxRows.toLocaleString('en')} rows; how many each uses stays secret.`);
  return { reveals, warnings };
}
