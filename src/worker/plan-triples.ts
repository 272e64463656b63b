/**
 * The triple plan of one numeric run (protocols/planned-triples.ts), learned by a dry run:
 * every party of the roster runs `runComputation` here, in this tab, on dummy inputs (the
 * lowest allowed value, weight 1, as many as each party declared) over an in-memory network
 * with all-zero triples, and the requests party 0 made are the plan. That costs the online
 * CPU of all N parties once (no OT, no network), against ~2 rounds per circuit saved.
 *
 * Only the kinds below, whose circuit sizes depend on the spec, N and the declared counts
 * alone (no loop whose length depends on an opened value); plan-triples.test.ts checks the
 * plan against the requests of real runs on random inputs. Any failure of the dry run (an
 * input rule the dummies break, say) means no plan: the run then fetches as before.
 */
import { createFastBackend } from '../core/backend/fast.ts';
import { runComputation } from '../core/computations/run.ts';
import { type ComputationKind, type ComputationSpec, scaleSpec } from '../core/computations/spec.ts';
import { type TriplePlan, recordingTripleSource } from '../core/protocols/planned-triples.ts';
import { runParties } from '../core/session/simulate.ts';

export const PLANNABLE_KINDS: ReadonlySet<ComputationKind> = new Set(['min', 'max', 'median', 'percentile', 'rank', 'threshold', 'weighted-mean']);

/** Plans are pure functions of (spec, counts); a room reruns the same few. */
const cache = new Map<string, Promise<TriplePlan | undefined>>();
const CACHE_MAX = 16;

export function planTriples(spec: ComputationSpec, counts: readonly number[]): Promise<TriplePlan | undefined> {
  if (!PLANNABLE_KINDS.has(spec.kind) || counts.length < 2) return Promise.resolve(undefined);
  const key = JSON.stringify([spec, counts]);
  let p = cache.get(key);
  if (!p) {
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
    p = dryRun(spec, counts);
    cache.set(key, p);
  }
  return p;
}

async function dryRun(spec: ComputationSpec, counts: readonly number[]): Promise<TriplePlan | undefined> {
  try {
    const scaled = scaleSpec(spec);
    const one = 10n ** BigInt(spec.decimals);
    const recorders = counts.map(() => recordingTripleSource());
    await runParties(counts.length, (s, i) =>
      runComputation(createFastBackend(s, recorders[i].source), spec, { values: new Array<bigint>(counts[i]).fill(scaled.lower), weights: new Array<bigint>(counts[i]).fill(one) }, counts),
    );
    const plans = recorders.map((r) => JSON.stringify(r.plan));
    // every party of the dry run asked the same: otherwise the shapes are not public-only here
    return plans.every((x) => x === plans[0]) ? recorders[0].plan : undefined;
  } catch {
    return undefined;
  }
}
