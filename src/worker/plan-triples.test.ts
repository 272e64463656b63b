import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFastBackend } from '../core/backend/fast.ts';
import { runComputation } from '../core/computations/run.ts';
import type { ComputationSpec } from '../core/computations/spec.ts';
import { oracle, partyValues } from '../core/computations/oracle.test-helpers.ts';
import { dealerSources } from '../core/protocols/dealer.test-helpers.ts';
import { plannedTripleSource, type TriplePlan } from '../core/protocols/planned-triples.ts';
import type { MemoryNetwork } from '../core/session/memory-network.ts';
import { runParties } from '../core/session/simulate.ts';
import { createTripleSource } from '../core/triples/triple-source.ts';
import type { TripleSource } from '../core/triples/types.ts';
import { PLANNABLE_KINDS, planTriples } from './plan-triples.ts';

const base = { decimals: 1, lower: '-50', upper: '50', length: 4 };
const SPECS: ComputationSpec[] = [
  { ...base, kind: 'min' },
  { ...base, kind: 'max' },
  { ...base, kind: 'median' },
  { ...base, kind: 'percentile', p: '90' },
  { ...base, kind: 'rank', length: 1 },
  { ...base, kind: 'threshold', threshold: '3' },
  { ...base, kind: 'weighted-mean', maxWeight: '10' },
];

/** Wraps a source so that its requests are recorded in the order made. */
function recorded(t: TripleSource, plan: TriplePlan): TripleSource {
  return { bits: (w) => (plan.bits.push(w), t.bits(w)), arith: (c) => (plan.arith.push(c), t.arith(c)) };
}

describe('planTriples', () => {
  it('covers every kind it claims', () => {
    expect(new Set(SPECS.map((s) => s.kind))).toEqual(PLANNABLE_KINDS);
  });

  // The plan comes from dummy inputs; a real run on any inputs must ask for exactly the same.
  it.each(SPECS)('$kind: a real run on random inputs asks for exactly the planned triples', async (spec) => {
    const n = 3;
    await fc.assert(
      fc.asyncProperty(partyValues(n, spec.length, -500n, 500n), fc.array(fc.bigInt({ min: 10n, max: 100n }), { minLength: 4, maxLength: 4 }), async (vals, w) => {
        const values = spec.kind === 'rank' ? vals.map((v) => [v[0] ?? 0n]) : vals;
        const counts = values.map((v) => v.length);
        const plan = await planTriples(spec, counts);
        expect(plan).toBeDefined();
        const asked = Array.from({ length: n }, (): TriplePlan => ({ bits: [], arith: [] }));
        const { sources } = dealerSources(n);
        await runParties(n, (s, i) => runComputation(createFastBackend(s, recorded(sources[i], asked[i])), spec, { values: values[i], weights: values[i].map((_, k) => w[k]) }, counts));
        for (const a of asked) expect(a).toEqual(plan);
      }),
      { numRuns: 4, seed: 19 },
    );
  });

  it('the plan follows the public counts (the comparison above can fail)', async () => {
    const a = await planTriples(SPECS[2], [4, 4, 4]);
    const b = await planTriples(SPECS[2], [4, 4, 1]);
    expect(a).toBeDefined();
    expect(a).not.toEqual(b);
  });

  it('no plan for kinds it does not cover or a dry run that fails', async () => {
    expect(await planTriples({ ...base, kind: 'sum' }, [4, 4])).toBeUndefined();
    expect(await planTriples({ ...base, kind: 'median', lower: '10', upper: '5' }, [4, 4])).toBeUndefined();
  });

  it('median N=3 on OT triples: the plaintext answer in fewer rounds, one triple batch', async () => {
    const spec = SPECS[2];
    const values = [[-1n, 30n, 499n, 7n], [100n, -500n, 12n, 12n], [3n, 4n, 5n, 6n]];
    const counts = values.map((v) => v.length);
    const plan = await planTriples(spec, counts);
    const run = async (planned: boolean) => {
      let net: MemoryNetwork | undefined;
      const asked = Array.from({ length: 3 }, (): TriplePlan => ({ bits: [], arith: [] }));
      const d: number[] = [];
      const out = await runParties(
        3,
        async (s, i) => {
          const t = createTripleSource(s);
          await t.setup();
          const d0 = net?.depth[i] ?? 0;
          const inner = recorded(t, asked[i]);
          const r = await runComputation(createFastBackend(s, planned && plan ? plannedTripleSource(inner, plan) : inner), spec, { values: values[i] }, counts);
          d[i] = (net?.depth[i] ?? 0) - d0;
          return r;
        },
        { onNetwork: (nw) => (net = nw) },
      );
      out.forEach((o, i) => expect(o).toEqual(oracle({ spec, values }, i)));
      return { rounds: Math.max(...d), calls: asked[0].bits.length + asked[0].arith.length };
    };
    const before = await run(false);
    const after = await run(true);
    expect(after.calls).toBe(1);
    expect(before.calls).toBe(plan!.bits.length + plan!.arith.length);
    // each unplanned fetch costs at least 2 rounds before its circuit; planned, all but one are gone
    expect(after.rounds).toBeLessThanOrEqual(before.rounds - 2 * (before.calls - 1));
  }, 60_000);
});
