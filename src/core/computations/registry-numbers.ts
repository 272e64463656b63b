/**
 * Registry entries of the computations on one list of numbers per participant (spec.ts,
 * run.ts): sum, averages, counts, statistics, order statistics, rank, histogram, threshold.
 * Their run code stays in aggregates.ts, order-stats.ts, … ; this file only declares them.
 */
import { MpcError } from '../errors.ts';
import type { ComputationOutput } from './context.ts';
import { describeOutput } from './describe.ts';
import { parseInputs } from './inputs.ts';
import type { BaseSpec, ComputationDefinition, CostEstimate, SpecField } from './registry-types.ts';
import { DEFAULT_ROUND_TIMEOUT_MS, defineComputation } from './registry-types.ts';
import { type ComputationInput, runComputation } from './run.ts';
import { DEFAULT_RADIX_BITS, bitLength } from './search.ts';
import { type ComputationKind, type ComputationSpec, MAX_VALUES_PER_PARTY, parseComputationSpec, scaleSpec } from './spec.ts';

/** Bounds a new room starts with: wide, so nothing is refused by surprise (the editor then guides the host to tight ones). */
export const DEFAULT_BOUNDS = { lower: '-1000000000', upper: '1000000000' } as const;
/** Values per party for the order statistics and friends (their cost grows with the count). */
const DEFAULT_MAX_VALUES = 10_000;

/** The input rules of a previous numeric spec, kept when the host switches computation. */
interface NumberRules {
  decimals: number;
  lower: string;
  upper: string;
  minParties?: number;
  protection?: ComputationSpec['protection'];
  column?: string;
}

function rulesOf(previous: BaseSpec | undefined): Partial<NumberRules> {
  if (!previous) return {};
  const p = previous as Partial<NumberRules> & BaseSpec;
  const out: Partial<NumberRules> = {};
  if (p.minParties !== undefined) out.minParties = p.minParties;
  if (p.protection !== undefined) out.protection = p.protection;
  if (typeof p.decimals === 'number') out.decimals = p.decimals;
  if (typeof p.lower === 'string' && typeof p.upper === 'string') {
    out.lower = p.lower;
    out.upper = p.upper;
  }
  if (typeof p.column === 'string') out.column = p.column;
  return out;
}

/** A few round cut points inside the bounds (the host will usually set their own). */
export function defaultEdges(lower: string, upper: string): string[] {
  const lo = Number(lower);
  const hi = Number(upper);
  const inside = [0, 10, 100, 1000, 10000, 100000].filter((e) => e > lo && e <= hi);
  return (inside.length ? inside : [hi]).map(String);
}

/** The numeric spec for `kind`, keeping the rules of `previous` that still give a valid spec. */
export function defaultNumberSpec(kind: ComputationKind, previous?: BaseSpec): ComputationSpec {
  const prev = rulesOf(previous);
  const keep = { ...(prev.minParties !== undefined ? { minParties: prev.minParties } : {}), ...(prev.protection ? { protection: prev.protection } : {}), ...(prev.column ? { column: prev.column } : {}) };
  if (kind === 'stats') {
    // Exact variance needs count × (half-range)² < 2^64 (scaled): whole numbers up to a
    // million cover most uses; the host can trade range for decimals.
    const fresh: ComputationSpec = { kind, decimals: 0, lower: '-1000000', upper: '1000000', length: DEFAULT_MAX_VALUES, ...keep };
    const kept: ComputationSpec = { ...fresh, ...(prev.decimals !== undefined ? { decimals: prev.decimals } : {}), ...(prev.lower ? { lower: prev.lower, upper: prev.upper } : {}) };
    return parseComputationSpec(kept).ok && fitsStats(kept) ? kept : fresh;
  }
  const base = { decimals: prev.decimals ?? 2, lower: prev.lower ?? DEFAULT_BOUNDS.lower, upper: prev.upper ?? DEFAULT_BOUNDS.upper, ...keep };
  const length = kind === 'sum' || kind === 'mean' || kind === 'rank' ? 1 : Math.min(DEFAULT_MAX_VALUES, MAX_VALUES_PER_PARTY);
  const extra =
    kind === 'percentile' ? { p: '90' } : kind === 'histogram' ? { edges: defaultEdges(base.lower, base.upper) } : kind === 'threshold' ? { threshold: '1000000' } : kind === 'weighted-mean' ? { maxWeight: '1000000' } : {};
  const spec: ComputationSpec = { kind, ...base, length, ...extra };
  // Kept rules that no longer fit (e.g. a threshold outside tiny bounds): start fresh.
  return parseComputationSpec(spec).ok ? spec : { ...spec, decimals: 2, lower: DEFAULT_BOUNDS.lower, upper: DEFAULT_BOUNDS.upper, ...(kind === 'histogram' ? { edges: defaultEdges(DEFAULT_BOUNDS.lower, DEFAULT_BOUNDS.upper) } : {}) };
}

function fitsStats(spec: ComputationSpec): boolean {
  const s = scaleSpec(spec);
  const half = (s.upper - s.lower) / 2n + 1n;
  return BigInt(spec.length) * half * half < 1n << 64n;
}

const parseKind =
  (kind: ComputationKind) =>
  (raw: unknown): { ok: true; spec: ComputationSpec } | { ok: false; error: string } => {
    const r = parseComputationSpec(raw);
    if (r.ok && r.spec.kind !== kind) return { ok: false, error: `expected a ${kind} spec, got ${r.spec.kind}` };
    return r;
  };

/** About log₂N + 6 rounds per comparison layer (DESIGN §3 cost model). */
const comparisonRounds = (parties: number): number => Math.ceil(Math.log2(Math.max(2, parties))) + 6;

function searchCost(spec: ComputationSpec, parties: number): CostEstimate {
  const s = scaleSpec(spec);
  const steps = Math.ceil(bitLength(s.upper - s.lower) / DEFAULT_RADIX_BITS);
  const rounds = steps * (comparisonRounds(parties) + 1);
  return { rounds, summary: `About ${rounds} rounds: a search over the ${bitLength(s.upper - s.lower)}-bit range of the bounds, ${steps} steps of one comparison each (tighter bounds: fewer steps).` };
}

const oneOpening: CostEstimate = { rounds: 2, summary: 'About 2 rounds: the inputs are shared, then only the total is opened.' };

/** The input rules every numeric kind shares (the editor shows them first). */
export const RULE_FIELDS: readonly SpecField[] = [
  { key: 'decimals', label: 'Decimals', hint: 'Digits after the decimal point (2 for money).', type: 'integer', summary: 'decimals' },
  { key: 'lower', label: 'Lowest allowed value', type: 'decimal', summary: 'values from' },
  { key: 'upper', label: 'Highest allowed value', type: 'decimal', summary: 'up to' },
];
const LENGTH_FIELD: SpecField = { key: 'length', label: 'Most values per participant', type: 'integer', summary: 'values per participant at most' };
const COLUMN_FIELD: SpecField = { key: 'column', label: 'CSV column to use', hint: 'Optional: the header of the column participants load from a file (e.g. systolic_bp).', type: 'text', optional: true, summary: 'CSV column' };

interface NumberEntry {
  kind: ComputationKind;
  title: string;
  description: string;
  pairs?: boolean;
  sameCount?: boolean;
  /** Kind-specific editor fields (after the input rules). */
  own?: readonly SpecField[];
  /** The count per participant is fixed (rank: 1; element-wise: the common count). */
  fixedLength?: boolean;
  cost(spec: ComputationSpec, parties: number): CostEstimate;
}

const ENTRIES: readonly NumberEntry[] = [
  { kind: 'sum', title: 'Sum', description: 'The total of everyone’s values (position by position for lists).', sameCount: true, cost: () => oneOpening },
  {
    kind: 'mean',
    title: 'Average per position (element-wise)',
    description: 'Everyone enters a list of the same length; position 1 of all lists is averaged, then position 2, … (federated averaging of model weights). For one average over everybody’s values, choose “Average of all values (pooled)”.',
    sameCount: true,
    cost: () => oneOpening,
  },
  {
    kind: 'pooled-mean',
    title: 'Average of all values (pooled)',
    description: 'One average over every value of every participant together, whatever the list lengths (e.g. hospitals with 116 and 86 patients: the average across all 202 patients).',
    cost: () => oneOpening,
  },
  { kind: 'count', title: 'Count', description: 'How many values were entered in all.', cost: () => ({ rounds: 0, summary: 'No rounds beyond agreeing: the counts are public.' }) },
  {
    kind: 'stats',
    title: 'Statistics',
    description: 'Count, mean, variance and standard deviation of all values together.',
    cost: () => ({ rounds: 3, summary: 'About 3 rounds: the inputs are shared, squared together, then the two totals are opened.' }),
  },
  {
    kind: 'weighted-mean',
    title: 'Weighted average',
    description: 'Each participant enters value–weight pairs (one pair per line); everyone learns the weighted average.',
    pairs: true,
    own: [{ key: 'maxWeight', label: 'Largest weight', type: 'decimal', summary: 'weights up to' }],
    cost: searchCost,
  },
  { kind: 'min', title: 'Minimum', description: 'The smallest of all values.', cost: searchCost },
  { kind: 'max', title: 'Maximum', description: 'The largest of all values.', cost: searchCost },
  { kind: 'median', title: 'Median', description: 'The middle of all values of all participants.', cost: searchCost },
  {
    kind: 'percentile',
    title: 'Percentile',
    description: 'A chosen percentile (e.g. the 90th) of all values of all participants.',
    own: [{ key: 'p', label: 'Percentile (0–100)', hint: 'e.g. 90 for the 90th percentile.', type: 'decimal', summary: 'percentile' }],
    cost: searchCost,
  },
  {
    kind: 'rank',
    title: 'Private benchmark (rank)',
    description: 'Each participant learns only where their own value ranks among everyone’s.',
    fixedLength: true,
    cost: (_s, n) => ({ rounds: comparisonRounds(n) + 2, summary: `About ${comparisonRounds(n) + 2} rounds: one layer of comparisons between every pair of values.` }),
  },
  {
    kind: 'histogram',
    title: 'Histogram',
    description: 'How many values fall in each bucket; only the counts are revealed.',
    own: [{ key: 'edges', label: 'Bucket edges', hint: 'Increasing numbers separated by spaces or semicolons, e.g. 0; 1000; 5000.', type: 'decimal-list', summary: 'bucket edges' }],
    cost: (_s, n) => ({ rounds: comparisonRounds(n) + 2, summary: `About ${comparisonRounds(n) + 2} rounds: one layer of comparisons of every value with every bucket edge.` }),
  },
  {
    kind: 'threshold',
    title: 'Threshold test',
    description: 'Is the total of all values above a chosen amount? One yes/no answer.',
    own: [{ key: 'threshold', label: 'Is the total above…', type: 'decimal', summary: 'threshold' }],
    cost: (_s, n) => ({ rounds: comparisonRounds(n) + 2, summary: `About ${comparisonRounds(n) + 2} rounds: one comparison of the hidden total with the threshold.` }),
  },
];

function entryToDefinition(e: NumberEntry): ComputationDefinition<ComputationSpec, ComputationInput, ComputationOutput> {
  return defineComputation<ComputationSpec, ComputationInput, ComputationOutput>({
    kind: e.kind,
    title: e.title,
    description: e.description,
    inputShape: e.pairs ? 'pairs' : 'numbers',
    fields: [...RULE_FIELDS, ...(e.sameCount || e.fixedLength ? [] : [LENGTH_FIELD]), ...(e.own ?? []), COLUMN_FIELD],
    fieldsOpen: (e.own?.length ?? 0) > 0 && !e.pairs,
    sameCount: e.sameCount ?? false,
    parseSpec: parseKind(e.kind),
    defaultSpec: (previous) => defaultNumberSpec(e.kind, previous),
    specForRun: e.sameCount ? (spec, counts) => ({ ...spec, length: counts[0] ?? spec.length }) : undefined,
    parseInput(payload, spec, declared) {
      // Validate and encode again here: the engine trusts nothing the caller parsed.
      const input = parseInputs(spec, payload.values ?? [], payload.weights);
      if (input.values.length !== declared) throw new MpcError('INVALID_ARGUMENT', `this party declared ${declared} values but supplied ${input.values.length}`);
      return input;
    },
    async run(ctx, spec, input, counts) {
      // No fraction here: the numeric protocols do not report their own progress yet, and a
      // made-up percentage would mislead; callers show the phase only.
      ctx.progress({ phase: 'preparing' });
      ctx.progress({ phase: 'computing' });
      const output = await runComputation(ctx.backend(), spec, input, counts);
      ctx.progress({ phase: 'revealing' });
      return output;
    },
    reveals: (spec, parties, counts) => describeOutput(spec, parties, counts),
    cost: (spec, parties) => e.cost(spec, parties),
    timeoutMs: () => DEFAULT_ROUND_TIMEOUT_MS,
  });
}

export const NUMBER_COMPUTATIONS: readonly ComputationDefinition<ComputationSpec, ComputationInput, ComputationOutput>[] = ENTRIES.map(entryToDefinition);
