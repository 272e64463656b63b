/**
 * Several statistics in one run, with one consent (issue 18): e.g. the average of all
 * values, the median and a histogram of the same salaries. The spec carries the shared
 * input rules (decimals, bounds, most values per participant) and the list of statistics;
 * every party commits its values ONCE (run.ts commitInputs, with the in-MPC range check),
 * then each statistic runs in turn on those same committed shares (computeCommitted).
 *
 * Output: `{ kind: 'several', results: [one ComputationOutput per statistic, in order] }`.
 * The room shows one result card per statistic, each with its own DESIGN §6 data-result.
 *
 * Security: that of each statistic; together they reveal what each reveals, and their
 * combination can say more than any one alone (the reveal notes say so).
 */
import { MpcError } from '../errors.ts';
import type { ComputationOutput } from './context.ts';
import { describeOutput } from './describe.ts';
import { parseInputs } from './inputs.ts';
import { RULE_FIELDS, defaultEdges, defaultNumberSpec } from './registry-numbers.ts';
import { type ComputationDefinition, DEFAULT_ROUND_TIMEOUT_MS, type SpecParse, defineComputation } from './registry-types.ts';
import { type ComputationInput, checkPublic, commitInputs, computeCommitted } from './run.ts';
import { type ComputationSpec, parseComputationSpec } from './spec.ts';

/** Statistics that take the same list of values per participant (not element-wise, rank or pairs). */
export const SEVERAL_KINDS = ['pooled-mean', 'count', 'stats', 'min', 'max', 'median', 'percentile', 'histogram', 'threshold'] as const;
export type SeveralKind = (typeof SEVERAL_KINDS)[number];
export const MAX_STATISTICS = 6;

export interface SeveralSpec {
  kind: 'several';
  decimals: number;
  lower: string;
  upper: string;
  length: number;
  /** 1..6 distinct statistics, run in this order. */
  statistics: SeveralKind[];
  /** percentile: its p; histogram: its edges; threshold: its X (present exactly when that statistic is listed). */
  p?: string;
  edges?: string[];
  threshold?: string;
  minParties?: number;
  protection?: ComputationSpec['protection'];
  column?: string;
}

export interface SeveralOutput {
  kind: 'several';
  results: ComputationOutput[];
}

const OWN: Partial<Record<SeveralKind, 'p' | 'edges' | 'threshold'>> = { percentile: 'p', histogram: 'edges', threshold: 'threshold' };
const SHARED = ['decimals', 'lower', 'upper', 'length', 'minParties', 'protection', 'column'] as const;

/** The one-statistic spec of `kind` inside `spec` (same input rules). */
export function partSpec(spec: SeveralSpec, kind: SeveralKind): ComputationSpec {
  const own = OWN[kind];
  const out: Record<string, unknown> = { kind };
  for (const k of SHARED) if (spec[k] !== undefined) out[k] = spec[k];
  if (own) out[own] = spec[own];
  return out as unknown as ComputationSpec;
}

export function parseSeveralSpec(raw: unknown): SpecParse<SeveralSpec> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, error: 'spec must be an object' };
  const o = raw as Record<string, unknown>;
  if (o.kind !== 'several') return { ok: false, error: 'expected a several spec' };
  const list = o.statistics;
  if (!Array.isArray(list) || list.length < 1 || list.length > MAX_STATISTICS) return { ok: false, error: `statistics must list 1 to ${MAX_STATISTICS} of ${SEVERAL_KINDS.join(', ')}` };
  const bad = list.find((k) => !(SEVERAL_KINDS as readonly unknown[]).includes(k));
  if (bad !== undefined) return { ok: false, error: `${JSON.stringify(bad)} cannot be one of several statistics; choose from ${SEVERAL_KINDS.join(', ')}` };
  if (new Set(list).size !== list.length) return { ok: false, error: 'each statistic may be listed once' };
  const stats = list as SeveralKind[];
  const allowed = new Set<string>(['kind', 'statistics', ...SHARED, ...stats.flatMap((k) => (OWN[k] ? [OWN[k]] : []))]);
  const extra = Object.keys(o).find((k) => !allowed.has(k));
  if (extra) return { ok: false, error: `unexpected field ${JSON.stringify(extra)} for these statistics` };
  const spec = { ...(o as object), statistics: [...stats] } as SeveralSpec;
  // Each statistic's own spec must be valid on its own (bounds, p, edges, threshold).
  for (const k of stats) {
    const r = parseComputationSpec(partSpec(spec, k));
    if (!r.ok) return { ok: false, error: `${k}: ${r.error}` };
  }
  const first = parseComputationSpec(partSpec(spec, stats[0]));
  if (!first.ok) return first;
  const clean: SeveralSpec = { kind: 'several', decimals: first.spec.decimals, lower: first.spec.lower, upper: first.spec.upper, length: first.spec.length, statistics: [...stats] };
  for (const k of ['minParties', 'protection', 'column', 'p', 'edges', 'threshold'] as const) if (o[k] !== undefined) (clean as unknown as Record<string, unknown>)[k] = k === 'edges' ? [...(o[k] as string[])] : o[k];
  return { ok: true, spec: clean };
}

export const SEVERAL: ComputationDefinition<SeveralSpec, ComputationInput, SeveralOutput> = defineComputation<SeveralSpec, ComputationInput, SeveralOutput>({
  kind: 'several',
  title: 'Several statistics in one run',
  description: 'Several statistics of the same values with one Ready, e.g. the average of all values, the median and a histogram. Everyone commits their values once; every statistic is computed from them.',
  inputShape: 'numbers',
  sameCount: false,
  fields: [
    { key: 'statistics', label: 'Statistics', hint: `Separated by commas, from: ${SEVERAL_KINDS.join(', ')}.`, type: 'list', summary: 'statistics:' },
    ...RULE_FIELDS,
    { key: 'length', label: 'Most values per participant', type: 'integer', summary: 'values per participant at most' },
    { key: 'p', label: 'Percentile (0–100)', hint: 'Only with percentile.', type: 'decimal', optional: true, summary: 'percentile' },
    { key: 'edges', label: 'Histogram bucket edges', hint: 'Only with histogram: increasing numbers separated by spaces or semicolons.', type: 'decimal-list', optional: true, summary: 'bucket edges' },
    { key: 'threshold', label: 'Is the total above…', hint: 'Only with threshold.', type: 'decimal', optional: true, summary: 'threshold' },
  ],
  fieldsOpen: true,
  parseSpec: parseSeveralSpec,
  defaultSpec(previous) {
    const base = defaultNumberSpec('median', previous);
    return {
      kind: 'several',
      decimals: base.decimals,
      lower: base.lower,
      upper: base.upper,
      length: base.length,
      statistics: ['pooled-mean', 'median', 'histogram'],
      edges: defaultEdges(base.lower, base.upper),
      ...(base.minParties !== undefined ? { minParties: base.minParties } : {}),
      ...(base.protection !== undefined ? { protection: base.protection } : {}),
      ...(base.column !== undefined ? { column: base.column } : {}),
    };
  },
  parseInput(payload, spec, declared) {
    const input = parseInputs(partSpec(spec, spec.statistics[0]), payload.values ?? []);
    if (input.values.length !== declared) throw new MpcError('INVALID_ARGUMENT', `this party declared ${declared} values but supplied ${input.values.length}`);
    return input;
  },
  async run(ctx, spec, input, counts) {
    const b = ctx.backend();
    const parts = spec.statistics.map((k) => partSpec(spec, k));
    // Every public check first, so every party fails the same way before anything is sent.
    for (const p of parts) checkPublic(b, p, counts);
    ctx.progress({ phase: 'preparing' });
    const committed = await commitInputs(b, parts[0], input, counts);
    const results: ComputationOutput[] = [];
    for (const [i, p] of parts.entries()) {
      ctx.progress({ phase: 'computing', fraction: i / parts.length });
      results.push(await computeCommitted(committed, p));
    }
    ctx.progress({ phase: 'revealing' });
    return { kind: 'several', results };
  },
  reveals(spec, parties, counts) {
    const reveals: string[] = [`One run computes ${spec.statistics.length} statistics of the same values, and everyone learns all of them. Together they can say more than each alone (with few values, an average and a median can pin down individual values).`];
    const warnings: string[] = [];
    for (const k of spec.statistics) {
      const d = describeOutput(partSpec(spec, k), parties, counts);
      for (const line of d.reveals) if (!reveals.includes(line)) reveals.push(line);
      for (const line of d.warnings) if (!warnings.includes(line)) warnings.push(line);
    }
    return { reveals, warnings };
  },
  cost(spec, parties) {
    const rounds = spec.statistics.length * 8 + Math.ceil(Math.log2(Math.max(2, parties)));
    return { rounds, summary: `Roughly the sum of the ${spec.statistics.length} statistics' rounds; the inputs are shared once.` };
  },
  timeoutMs: () => DEFAULT_ROUND_TIMEOUT_MS,
});

export const SEVERAL_COMPUTATIONS: readonly ComputationDefinition<SeveralSpec, ComputationInput, SeveralOutput>[] = [SEVERAL];
