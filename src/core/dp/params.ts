/**
 * The differential-privacy fields of a computation spec (inside the agreed digest, like
 * every spec field): ε and δ of this run, the room's total budget ε_total, and the
 * small-group guard k. Validated here once; `dpOf` reads them for the computations.
 *
 * Security: none (public data). Strict validation so that every browser reads the same
 * JSON the same way: decimal strings, never floats, so "0.1" is one agreed value.
 */
import { parseDecimal } from '../fixed-point.ts';

/** Kinds whose output can carry noise today (the others refuse ε with a reason). */
export const DP_KINDS: ReadonlySet<string> = new Set(['sum', 'mean', 'histogram', 'crosstab']);
/** Kinds with a small-group guard. */
export const MIN_GROUP_KINDS: ReadonlySet<string> = new Set(['histogram', 'crosstab']);
export const DP_FIELDS = ['epsilon', 'delta', 'budget', 'minGroup'] as const;
export const MAX_EPSILON = 10;
export const DEFAULT_DELTA = '0.000001';
const EPS_DECIMALS = 6;
const DELTA_DECIMALS = 12;
export const MAX_MIN_GROUP = 1000;

export interface DpParams {
  epsilon: number;
  delta: number;
}

/** Why the DP fields of a raw spec object are invalid, or undefined when they are fine. */
export function checkDpFields(o: Record<string, unknown>, kind: string): string | undefined {
  const eps = o.epsilon;
  if (eps !== undefined) {
    if (!DP_KINDS.has(kind)) {
      return kind === 'count'
        ? 'ε cannot protect a count here: every participant declares publicly how many values they bring, so the count is known to all without any computation'
        : `differential privacy is available for ${[...DP_KINDS].join(', ')}; not for ${kind} yet`;
    }
    const e = decimalIn(eps, 'epsilon', EPS_DECIMALS);
    if (typeof e === 'string') return e;
    if (e <= 0n || e > BigInt(MAX_EPSILON) * 10n ** BigInt(EPS_DECIMALS)) return `epsilon must be above 0 and at most ${MAX_EPSILON}`;
  }
  if (o.delta !== undefined) {
    if (eps === undefined) return 'delta needs epsilon';
    const d = decimalIn(o.delta, 'delta', DELTA_DECIMALS);
    if (typeof d === 'string') return d;
    if (d <= 0n || d > 10n ** BigInt(DELTA_DECIMALS - 3)) return 'delta must be above 0 and at most 0.001';
  }
  if (o.budget !== undefined) {
    if (eps === undefined) return 'budget needs epsilon';
    const t = decimalIn(o.budget, 'budget', EPS_DECIMALS);
    if (typeof t === 'string') return t;
    if (t <= 0n || t > 1000n * 10n ** BigInt(EPS_DECIMALS)) return 'budget must be above 0 and at most 1000';
  }
  if (o.minGroup !== undefined) {
    if (!MIN_GROUP_KINDS.has(kind)) return `a minimum group size applies to ${[...MIN_GROUP_KINDS].join(', ')}; not to ${kind}`;
    const k = o.minGroup;
    if (typeof k !== 'number' || !Number.isInteger(k) || k < 2 || k > MAX_MIN_GROUP) return `minGroup must be an integer in [2, ${MAX_MIN_GROUP}], got ${JSON.stringify(k)}`;
  }
  return undefined;
}

function decimalIn(v: unknown, label: string, places: number): bigint | string {
  if (typeof v !== 'string') return `${label} must be a decimal string, got ${typeof v}`;
  try {
    return parseDecimal(v, places);
  } catch (e) {
    return `${label}: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** ε and δ of a validated spec, or undefined when the run adds no noise. */
export function dpOf(spec: { epsilon?: string; delta?: string }): DpParams | undefined {
  if (spec.epsilon === undefined) return undefined;
  return { epsilon: Number(spec.epsilon), delta: Number(spec.delta ?? DEFAULT_DELTA) };
}
