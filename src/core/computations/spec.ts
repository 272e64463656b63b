/**
 * The computation spec: what the creator of a room declares (function, input schema,
 * bounds, decimals, parameters), sent between browsers as JSON and hashed by every party
 * before any input is used (DESIGN §1.4). `parseComputationSpec` is the single place where
 * an untrusted spec (from a peer, a link or the UI) is validated; everything downstream
 * may rely on a `ComputationSpec` being well formed, and on `scaleSpec` for its numbers.
 *
 * Numbers are decimal strings, never floats: "1250.50" with decimals = 2 is exactly
 * 125050 (fixed-point.ts). Bounds are capped below ±2^62 scaled so that any difference of two
 * valid inputs fits a signed 64-bit ring element (comparisons rely on it).
 *
 * Security: none (public data); strictness here prevents two browsers from reading the
 * same JSON differently (unknown or irrelevant fields are rejected, not ignored).
 */
import { MpcError } from '../errors.ts';
import { parseDecimal } from '../fixed-point.ts';
import { PROTECTION_LEVELS, type ProtectionLevel } from '../backend/types.ts';
import { DP_FIELDS, checkDpFields } from '../dp/params.ts';

export const COMPUTATION_KINDS = [
  'sum', 'mean', 'pooled-mean', 'count', 'stats', 'weighted-mean', 'min', 'max', 'median', 'percentile', 'rank', 'histogram', 'threshold',
] as const;
export type ComputationKind = (typeof COMPUTATION_KINDS)[number];

/** Kinds whose parties all input a vector of exactly `length` values (elementwise results). */
export const VECTOR_KINDS: ReadonlySet<ComputationKind> = new Set(['sum', 'mean']);

export const SPEC_MAX_DECIMALS = 6;
export const MAX_VALUES_PER_PARTY = 100_000;
export const MAX_EDGES = 64;
export const MIN_PARTIES = 2;
export const MAX_PARTIES = 32;
/** |scaled bound| < 2^62: the difference of two valid inputs then fits in 63 bits. */
export const BOUND_LIMIT = 1n << 62n;

export interface ComputationSpec {
  kind: ComputationKind;
  /** Decimal places of every input (0..6); inputs are scaled by 10^decimals. */
  decimals: number;
  /** Every input must satisfy lower ≤ x ≤ upper (decimal strings). */
  lower: string;
  upper: string;
  /**
   * sum/mean: the vector length every party inputs (exactly). Other kinds (count too): the
   * most values one party may contribute; each party declares its own count publicly.
   * rank: must be 1 (each party ranks its one value).
   */
  length: number;
  /** percentile only: 0 < p < 100 (decimal string, up to 6 decimals). */
  p?: string;
  /** histogram only: 1..64 strictly increasing cut points with lower < edge ≤ upper. */
  edges?: string[];
  /** threshold only: X in "is the total of all values above X?". */
  threshold?: string;
  /** weighted-mean only: the largest weight; weights satisfy 10^−decimals ≤ w ≤ maxWeight. */
  maxWeight?: string;
  /** Optional: Start stays disabled below this many participants (2..32). */
  minParties?: number;
  /**
   * Protection level (issue 11), part of the agreed spec: 'strict' = security with abort
   * against malicious participants (backend/strict), 'fast' = semi-honest. See
   * `protectionOf` for the default when absent.
   */
  protection?: ProtectionLevel;
  /**
   * Differential privacy (issue 14, src/core/dp/params.ts): ε of this run (decimal string;
   * absent = no noise), δ (default dp/params DEFAULT_DELTA), the room's total budget the
   * tabs' ledgers enforce, and the histogram's minimum group size k.
   */
  epsilon?: string;
  delta?: string;
  budget?: string;
  minGroup?: number;
  /**
   * Optional: the name of the CSV column participants should use (e.g. "systolic_bp"); a
   * file's header is matched to it. 1..64 printable characters. Part of the digest.
   */
  column?: string;
}

/** The spec's numbers, scaled by 10^decimals (p by 10^6). */
export interface ScaledSpec {
  lower: bigint;
  upper: bigint;
  edges: bigint[];
  threshold: bigint;
  maxWeight: bigint;
  /** Percentile ×10^6 (50% for median, 0 for min… only meaningful for percentile/median). */
  pMicro: bigint;
}

export type SpecResult = { ok: true; spec: ComputationSpec } | { ok: false; error: string };

const FIELDS_BY_KIND: Partial<Record<ComputationKind, string>> = {
  percentile: 'p',
  histogram: 'edges',
  threshold: 'threshold',
  'weighted-mean': 'maxWeight',
};
const COMMON_FIELDS = new Set(['kind', 'decimals', 'lower', 'upper', 'length', 'minParties', 'protection', 'column', ...DP_FIELDS]);
export const MAX_COLUMN_NAME = 64;

class SpecError extends Error {}

function decimalValue(v: unknown, label: string, decimals: number): bigint {
  if (typeof v !== 'string') throw new SpecError(`${label} must be a decimal string, got ${typeof v}`);
  try {
    return parseDecimal(v, decimals);
  } catch (e) {
    throw new SpecError(`${label}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

const decimalField = (o: Record<string, unknown>, key: string, decimals: number): bigint => decimalValue(o[key], key, decimals);

function withinLimit(v: bigint, what: string): void {
  if (v >= BOUND_LIMIT || v <= -BOUND_LIMIT) throw new SpecError(`${what} is too large for the chosen number of decimals`);
}

function intField(o: Record<string, unknown>, key: string, min: number, max: number): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new SpecError(`${key} must be an integer in [${min}, ${max}], got ${JSON.stringify(v)}`);
  }
  return v;
}

function check(raw: unknown): ComputationSpec {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new SpecError('spec must be an object');
  const o = raw as Record<string, unknown>;
  const kind = o.kind;
  if (typeof kind !== 'string' || !(COMPUTATION_KINDS as readonly string[]).includes(kind)) {
    throw new SpecError(`kind must be one of ${COMPUTATION_KINDS.join(', ')}, got ${JSON.stringify(kind)}`);
  }
  const k = kind as ComputationKind;
  const own = FIELDS_BY_KIND[k];
  for (const key of Object.keys(o)) {
    if (!COMMON_FIELDS.has(key) && key !== own) throw new SpecError(`unexpected field ${JSON.stringify(key)} for ${k}`);
  }
  const decimals = intField(o, 'decimals', 0, SPEC_MAX_DECIMALS);
  const lower = decimalField(o, 'lower', decimals);
  const upper = decimalField(o, 'upper', decimals);
  withinLimit(lower, 'lower');
  withinLimit(upper, 'upper');
  if (lower > upper) throw new SpecError('lower must not exceed upper');
  const length = intField(o, 'length', 1, MAX_VALUES_PER_PARTY);
  if (k === 'rank' && length !== 1) throw new SpecError('rank needs length 1 (each participant ranks one value)');
  const spec: ComputationSpec = { kind: k, decimals, lower: o.lower as string, upper: o.upper as string, length };
  if (o.minParties !== undefined) spec.minParties = intField(o, 'minParties', MIN_PARTIES, MAX_PARTIES);
  if (o.protection !== undefined) {
    if (!(PROTECTION_LEVELS as readonly unknown[]).includes(o.protection)) throw new SpecError(`protection must be one of ${PROTECTION_LEVELS.join(', ')}, got ${JSON.stringify(o.protection)}`);
    spec.protection = o.protection as ProtectionLevel;
  }
  const dpError = checkDpFields(o, k);
  if (dpError) throw new SpecError(dpError);
  if (o.epsilon !== undefined) spec.epsilon = o.epsilon as string;
  if (o.delta !== undefined) spec.delta = o.delta as string;
  if (o.budget !== undefined) spec.budget = o.budget as string;
  if (o.minGroup !== undefined) spec.minGroup = o.minGroup as number;
  if (o.column !== undefined) {
    const c = o.column;
    if (typeof c !== 'string' || c.trim() !== c || c.length < 1 || c.length > MAX_COLUMN_NAME || /\p{Cc}/u.test(c)) {
      throw new SpecError(`column must be a column name of 1 to ${MAX_COLUMN_NAME} printable characters without surrounding spaces, got ${JSON.stringify(c)}`);
    }
    spec.column = c;
  }
  if (k === 'percentile') {
    const p = decimalField(o, 'p', 6);
    if (p <= 0n || p >= 100_000_000n) throw new SpecError('p must be strictly between 0 and 100');
    spec.p = o.p as string;
  }
  if (k === 'threshold') {
    withinLimit(decimalField(o, 'threshold', decimals), 'threshold');
    spec.threshold = o.threshold as string;
  }
  if (k === 'weighted-mean') {
    const w = decimalField(o, 'maxWeight', decimals);
    if (w < 1n) throw new SpecError('maxWeight must be positive');
    withinLimit(w, 'maxWeight');
    spec.maxWeight = o.maxWeight as string;
  }
  if (k === 'histogram') {
    const edges = o.edges;
    if (!Array.isArray(edges) || edges.length < 1 || edges.length > MAX_EDGES) throw new SpecError(`edges must be a list of 1 to ${MAX_EDGES} decimal strings`);
    let prev = lower;
    edges.forEach((_: unknown, i: number) => {
      const e = decimalValue(edges[i], `edge ${i + 1}`, decimals);
      if (e <= prev) throw new SpecError(`edges must increase strictly and lie above lower (edge ${i + 1})`);
      if (e > upper) throw new SpecError(`edges must not exceed upper (edge ${i + 1})`);
      prev = e;
    });
    spec.edges = [...(edges as string[])];
  }
  return spec;
}

/** Validate an untrusted spec (e.g. JSON from a peer). Never throws. */
export function parseComputationSpec(raw: unknown): SpecResult {
  try {
    return { ok: true, spec: check(raw) };
  } catch (e) {
    if (e instanceof SpecError) return { ok: false, error: e.message };
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/** The spec's numbers as scaled integers. Throws INVALID_ARGUMENT on an invalid spec. */
export function scaleSpec(spec: ComputationSpec): ScaledSpec {
  const r = parseComputationSpec(spec);
  if (!r.ok) throw new MpcError('INVALID_ARGUMENT', `invalid computation spec: ${r.error}`);
  const d = spec.decimals;
  return {
    lower: parseDecimal(spec.lower, d),
    upper: parseDecimal(spec.upper, d),
    edges: (spec.edges ?? []).map((e) => parseDecimal(e, d)),
    threshold: spec.threshold === undefined ? 0n : parseDecimal(spec.threshold, d),
    maxWeight: spec.maxWeight === undefined ? 0n : parseDecimal(spec.maxWeight, d),
    pMicro: spec.kind === 'median' ? 50_000_000n : spec.p === undefined ? 0n : parseDecimal(spec.p, 6),
  };
}

/**
 * The protection level a spec asks for. Absent means 'strict' (issue 11: security with abort
 * against malicious participants is the default for every computation); 'fast' (semi-honest)
 * only when the host chose it, and then everyone sees "a participant running modified code
 * could learn more than the result" before Ready. The resolved level is bound into the
 * agreed digest (src/worker/run-job.ts), so parties that would resolve it differently abort.
 */
export const protectionOf = (spec: Pick<ComputationSpec, 'protection'>): ProtectionLevel => spec.protection ?? 'strict';
