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
import type { TripleWish } from '../core/ot/prepared-ot.ts';
import { runParties } from '../core/session/simulate.ts';

export const PLANNABLE_KINDS: ReadonlySet<ComputationKind> = new Set(['min', 'max', 'median', 'percentile', 'rank', 'threshold', 'weighted-mean']);

/** Plans are pure functions of (spec, counts); a room reruns the same few. */
const cache = new Map<string, Promise<TriplePlan | undefined>>();
const CACHE_MAX = 16;

/**
 * Above this many values in all, no dry run: it costs N parties' online CPU in every tab,
 * while a large run's time is CPU, not the ~2 rounds per circuit a plan saves.
 */
export const MAX_PLANNED_VALUES = 4000;

export function planTriples(spec: ComputationSpec, counts: readonly number[]): Promise<TriplePlan | undefined> {
  if (!PLANNABLE_KINDS.has(spec.kind) || counts.length < 2 || counts.reduce((a, c) => a + c, 0) > MAX_PLANNED_VALUES) return Promise.resolve(undefined);
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

/**
 * AND-triple words prepared before Start: 3 × 64 KiB per party held until the run, ~0.5 M
 * triples per peer (a median of 5 × 100 needs 6,831 words). A run needing more takes these
 * first and fetches the rest (pooledTripleSource).
 */
export const PREP_WORDS = 1 << 14;
/** The prep plans the spec for at most this many values per party (the spec's own limit is often 10,000). */
const PREP_VALUES_PER_PARTY = 100;

/**
 * What to prepare while people type (prepared-ot.ts): the AND triples of `spec` run by `n`
 * parties with min(its limit, 100) values each, at most PREP_WORDS. Arithmetic triples are
 * not prepared (the plannable kinds use few).
 */
export async function prepWish(spec: ComputationSpec, n: number): Promise<TripleWish | undefined> {
  const plan = await planTriples(spec, new Array<number>(n).fill(Math.min(spec.length, PREP_VALUES_PER_PARTY)));
  if (!plan) return undefined;
  const bits = Math.min(PREP_WORDS, plan.bits.reduce((a, x) => a + x, 0));
  return bits > 0 ? { bits, arith: 0 } : undefined;
}
