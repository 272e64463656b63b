/**
 * What every computation receives after `runComputation` has validated the public
 * parameters and committed every party's inputs (with the in-MPC range check), and the
 * JSON-friendly output type.
 */
import type { Backend, Shared } from '../backend/types.ts';
import type { ComputationKind, ComputationSpec, ScaledSpec } from './spec.ts';
import type { SearchOptions } from './search.ts';

export interface ComputationContext {
  /** The protocol backend (strict or fast); every step below runs on it. */
  readonly b: Backend;
  readonly spec: ComputationSpec;
  readonly scaled: ScaledSpec;
  /**
   * Every party's committed values (one `Shared` per party, in party order), scaled by
   * 10^decimals; `input` enforced lower ≤ x ≤ upper. Computations use only these, never
   * a party's plaintext (issue 11: committed inputs).
   */
  readonly inputs: readonly Shared[];
  /** weighted-mean only: the committed weights, within [1, maxWeight]; else empty. */
  readonly weights: readonly Shared[];
  /** Public number of values per party; `total` is their sum. */
  readonly counts: readonly number[];
  readonly total: number;
  readonly search: SearchOptions;
}

/**
 * Result as shown to one party. Numbers that may be fractional are exact decimal strings.
 * - sum: `value` (input decimals); mean: `value` (decimals + 2, rounded half up);
 *   a string for length 1, a list for vectors. count: `value` = total number of values.
 * - stats: `stats` (population variance; mean, stddev at decimals + 2, variance at
 *   2·decimals + 2 places). weighted-mean: `value` (decimals + 2).
 * - min, max, median, percentile: `value`, one of the inputs (input decimals).
 * - pooled-mean: `value` (decimals + 2) and `count`, the total number of values it averages.
 * - rank: `rank` (this party's own rank only). histogram: `buckets`. threshold: `above`.
 */
export interface ComputationOutput {
  kind: ComputationKind;
  value?: string | string[];
  /** pooled-mean: how many values the average is over (public: the sum of the counts). */
  count?: number;
  stats?: { count: number; mean: string; variance: string; stddev: string };
  rank?: { rank: number; of: number; percentile: number };
  /** histogram: with a minimum group size, `suppressed[j]` says bucket j had fewer than k (its count is then 0, not opened). */
  buckets?: { edges: string[]; counts: number[]; suppressed?: boolean[] };
  above?: boolean;
  /** With ε: the release's privacy and its 95 % interval (value ± halfWidth, output units). */
  dp?: { epsilon: string; delta: string; halfWidth: string };
}
