/**
 * Sensible starting specs for each computation, so a host can pick one and go: bounds wide
 * enough for salaries or amounts in cents, 2 decimals, and the usual parameters. The host
 * edits them in the computation card; every field is validated by the core spec parser.
 */
import { MAX_VALUES_PER_PARTY, VECTOR_KINDS } from '../../../core/computations/spec';
import type { ComputationKind } from '../../../core/computations/spec';
import { isPsi, type Computation, type RoomSpec } from './room-protocol';

export const DEFAULT_BOUNDS = { lower: '-1000000000', upper: '1000000000' };
/** Values per party for the order statistics and friends (their cost grows with the count). */
const DEFAULT_MAX_VALUES = 10_000;

export function defaultSpec(kind: Computation, previous?: RoomSpec): RoomSpec {
  if (kind === 'psi' || kind === 'psi-size' || kind === 'psi-sum') {
    return { kind, itemKind: previous && isPsi(previous) ? previous.itemKind : 'email', ...minPartiesOf(previous), ...(kind === 'psi-sum' ? { decimals: 2 } : {}) };
  }
  const prev = previous && !isPsi(previous) ? previous : undefined;
  if (kind === 'stats') {
    // Exact variance needs count × (half-range)² < 2^64 (scaled): whole numbers up to a
    // million cover most uses; the host can trade range for decimals.
    return { kind, decimals: 0, lower: '-1000000', upper: '1000000', length: DEFAULT_MAX_VALUES, ...minPartiesOf(previous) };
  }
  const decimals = prev?.decimals ?? 2;
  const wide = prev?.kind === 'stats';
  const base = { decimals, lower: !wide && prev ? prev.lower : DEFAULT_BOUNDS.lower, upper: !wide && prev ? prev.upper : DEFAULT_BOUNDS.upper, ...minPartiesOf(previous) };
  const k = kind as ComputationKind;
  const length = VECTOR_KINDS.has(k) ? 1 : k === 'rank' ? 1 : Math.min(DEFAULT_MAX_VALUES, MAX_VALUES_PER_PARTY);
  switch (k) {
    case 'percentile':
      return { kind: k, ...base, length, p: '90' };
    case 'histogram':
      return { kind: k, ...base, length, edges: defaultEdges(base.lower, base.upper) };
    case 'threshold':
      return { kind: k, ...base, length, threshold: '1000000' };
    case 'weighted-mean':
      return { kind: k, ...base, length, maxWeight: '1000000' };
    default:
      return { kind: k, ...base, length };
  }
}

function minPartiesOf(spec: RoomSpec | undefined): { minParties?: number } {
  return spec?.minParties !== undefined ? { minParties: spec.minParties } : {};
}

/** A few round cut points inside the bounds (the host will usually set their own). */
function defaultEdges(lower: string, upper: string): string[] {
  const lo = Number(lower);
  const hi = Number(upper);
  const candidates = [0, 10, 100, 1000, 10000, 100000];
  const inside = candidates.filter((e) => e > lo && e <= hi);
  return (inside.length ? inside : [hi]).map(String);
}
