/**
 * One entry point for the worker: run the computation a spec declares, on this party's
 * private values, and return only this party's view of the declared output.
 *
 * Order of events (identical on every party, so the round ids line up):
 * 1. Public checks that need no communication (spec, counts, lengths); every party fails
 *    the same way on the same public data. A local input of the wrong length is a caller
 *    bug (INVALID_ARGUMENT), not a range violation.
 * 2. Commit: every party's values (and weights) enter once through `Backend.input` with
 *    the declared bounds. The range check is part of the commit; if it fails, every party
 *    throws INPUT_OUT_OF_RANGE "some input was out of range" and nothing else is opened.
 * 3. The computation's own protocol, on the committed shares only.
 *
 * Security: that of the backend (backend/types.ts): strict = security with abort against
 * any coalition of up to N−1 malicious parties, fast = semi-honest. See each computation
 * module for what its output reveals (describe.ts says it in plain words).
 */
import { MpcError } from '../errors.ts';
import { assertSumFits } from '../fixed-point.ts';
import type { Backend } from '../backend/types.ts';
import { computeCount, computeHistogram, computeStats, computeSumOrMean, computeThreshold } from './aggregates.ts';
import type { ComputationContext, ComputationOutput } from './context.ts';
import { kthSmallest, orderRank } from './order-stats.ts';
import { computeRank } from './rank.ts';
import { decimalString } from './rounding.ts';
import type { SearchOptions } from './search.ts';
import { type ComputationSpec, MAX_PARTIES, VECTOR_KINDS, scaleSpec } from './spec.ts';
import { computeWeightedMean } from './weighted-mean.ts';
import { computePooledMean } from './pooled-mean.ts';

export interface ComputationInput {
  /** This party's values, scaled by 10^decimals (fixed-point.ts parseDecimal). */
  values: readonly bigint[];
  /** weighted-mean only: one weight per value, scaled the same way. */
  weights?: readonly bigint[];
}

/**
 * Strict mode searches 2 bits per step: an AND there costs an authenticated triple (~9 KB
 * per peer), and a 2-bit digit needs 3 ANDs per value against 31 for fast mode's
 * 5 bits (21-bit domain: 33 instead of 125 per value; measured 87 vs 259 MB per party for
 * a median of 3 × 10 values), for 11 steps instead of 5.
 */
const STRICT_SEARCH: SearchOptions = { radixBits: 2 };

export interface RunOptions {
  /** Tuning of the oblivious search (min, max, median, percentile, weighted-mean). */
  search?: SearchOptions;
}

function checkCounts(s: Backend, spec: ComputationSpec, counts: readonly number[]): void {
  if (s.n < 2 || s.n > MAX_PARTIES) throw new MpcError('INVALID_ARGUMENT', `computations need 2..${MAX_PARTIES} parties, got ${s.n}`);
  if (spec.minParties !== undefined && s.n < spec.minParties) {
    throw new MpcError('INVALID_ARGUMENT', `this computation needs at least ${spec.minParties} participants, got ${s.n}`);
  }
  if (counts.length !== s.n) throw new MpcError('INVALID_ARGUMENT', `expected one public count per party (${s.n}), got ${counts.length}`);
  counts.forEach((c, i) => {
    if (!Number.isInteger(c) || c < 0 || c > spec.length) throw new MpcError('INVALID_ARGUMENT', `party ${i} declared ${c} values; allowed 0..${spec.length}`, i);
    if (VECTOR_KINDS.has(spec.kind) && c !== spec.length) throw new MpcError('INVALID_ARGUMENT', `party ${i} declared ${c} values; ${spec.kind} needs exactly ${spec.length}`, i);
  });
}

/**
 * Public checks of one spec against the public counts, identical on every party (step 1).
 * Throws INVALID_ARGUMENT; nothing has been sent yet.
 */
export function checkPublic(b: Backend, spec: ComputationSpec, counts: readonly number[]): void {
  const scaled = scaleSpec(spec);
  checkCounts(b, spec, counts);
  const total = counts.reduce((acc, c) => acc + c, 0);
  if (total === 0 && spec.kind !== 'count' && spec.kind !== 'histogram') throw new MpcError('INVALID_ARGUMENT', 'no participant declared any value');
  // Sums must not wrap mod 2^64 (public bounds × public counts); a spec problem, not an input one.
  if (spec.kind === 'sum' || spec.kind === 'mean' || spec.kind === 'threshold' || spec.kind === 'pooled-mean') {
    const terms = spec.kind === 'sum' || spec.kind === 'mean' ? b.n : Math.max(1, total);
    try {
      assertSumFits({ min: scaled.lower, max: scaled.upper }, terms, spec.decimals);
    } catch (e) {
      throw new MpcError('INVALID_ARGUMENT', e instanceof Error ? e.message : String(e));
    }
  }
}

/**
 * Step 2: commit every party's values (and weights) with the spec's bounds, once. The
 * returned context can serve several computations that share these input rules
 * (`computeCommitted` with another spec of the same decimals, bounds and length).
 */
export async function commitInputs(b: Backend, spec: ComputationSpec, input: ComputationInput, counts: readonly number[], opts: RunOptions = {}): Promise<ComputationContext> {
  const scaled = scaleSpec(spec);
  checkCounts(b, spec, counts);
  const { values } = input;
  if (values.length !== counts[b.self]) throw new MpcError('INVALID_ARGUMENT', `this party declared ${counts[b.self]} values but supplied ${values.length}`);
  const weighted = spec.kind === 'weighted-mean';
  const weights = weighted ? (input.weights ?? []) : [];
  if (weighted && weights.length !== values.length) throw new MpcError('INVALID_ARGUMENT', `expected one weight per value (${values.length}), got ${weights.length}`);
  const total = counts.reduce((acc, c) => acc + c, 0);
  const inputs = await b.input(counts, values, { lower: scaled.lower, upper: scaled.upper });
  const committedWeights = weighted ? await b.input(counts, weights, { lower: 1n, upper: scaled.maxWeight }) : [];
  return { b, spec, scaled, inputs, weights: committedWeights, counts, total, search: opts.search ?? (b.level === 'strict' ? STRICT_SEARCH : {}) };
}

/** Step 3: the computation `spec` declares, on inputs already committed under the same input rules. */
export async function computeCommitted(committed: ComputationContext, spec: ComputationSpec): Promise<ComputationOutput> {
  const ctx: ComputationContext = spec === committed.spec ? committed : { ...committed, spec, scaled: scaleSpec(spec) };
  switch (spec.kind) {
    case 'sum':
    case 'mean':
      return computeSumOrMean(ctx);
    case 'pooled-mean':
      return computePooledMean(ctx);
    case 'count':
      return computeCount(ctx);
    case 'stats':
      return computeStats(ctx);
    case 'weighted-mean':
      return computeWeightedMean(ctx);
    case 'min':
    case 'max':
    case 'median':
    case 'percentile':
      return { kind: spec.kind, value: decimalString(await kthSmallest(ctx, orderRank(ctx)), spec.decimals) };
    case 'rank': {
      const rank = await computeRank(ctx);
      if (!rank) throw new MpcError('ABORTED', 'rank was not opened to this party');
      return { kind: 'rank', rank };
    }
    case 'histogram':
      return computeHistogram(ctx);
    case 'threshold':
      return computeThreshold(ctx);
  }
}

/** Run `spec` on this party's input; resolves with this party's view of the output. */
export async function runComputation(
  b: Backend,
  spec: ComputationSpec,
  input: ComputationInput,
  counts: readonly number[],
  opts: RunOptions = {},
): Promise<ComputationOutput> {
  checkPublic(b, spec, counts);
  return computeCommitted(await commitInputs(b, spec, input, counts, opts), spec);
}
