// Every computation in the in-memory N-party simulation on OT-generated triples (no
// dealer), against the plaintext oracle: random inputs (fast-check) and edge cases (ties,
// negatives, decimals, bounds, a party with no values). Each N runs all its cases in one
// session so the base OTs run once per N.
import { createFastBackend } from '../backend/fast.ts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDecimal } from '../fixed-point.ts';
import { runParties } from '../session/simulate.ts';
import { createTripleSource } from '../triples/triple-source.ts';
import type { ComputationOutput } from './context.ts';
import { type Case, oracle, partyValues, boundedValue } from './oracle.test-helpers.ts';
import { runComputation } from './run.ts';
import type { SearchOptions } from './search.ts';
import type { ComputationSpec } from './spec.ts';

const BASE = { decimals: 2, lower: '-50.5', upper: '49.99' } as const;
const LO = -5050n;
const HI = 4999n;
const MAX = 3;

type TestCase = Case & { search?: SearchOptions };

/** All computations over one input set: values (≤ MAX per party), weights, rank values, 2-vectors. */
function casesFrom(values: bigint[][], weights: bigint[][], vectors: bigint[][]): TestCase[] {
  const spec = (extra: Partial<ComputationSpec> & Pick<ComputationSpec, 'kind'>): ComputationSpec => ({ ...BASE, length: MAX, ...extra });
  const total = values.flat().reduce((a, b) => a + b, 0n);
  const ranked = values.map((v) => [v[0] ?? 0n]);
  return [
    { spec: spec({ kind: 'sum', length: 2 }), values: vectors },
    { spec: spec({ kind: 'mean', length: 2 }), values: vectors },
    { spec: spec({ kind: 'mean', length: 1 }), values: vectors.map((v) => v.slice(0, 1)) },
    { spec: spec({ kind: 'pooled-mean' }), values },
    { spec: spec({ kind: 'count' }), values },
    { spec: spec({ kind: 'stats' }), values },
    { spec: spec({ kind: 'histogram', edges: ['-10', '0', '0.01', '49.99'] }), values },
    { spec: spec({ kind: 'min' }), values },
    { spec: spec({ kind: 'max' }), values },
    { spec: spec({ kind: 'median' }), values },
    // radix 2 (7 steps instead of 3) checks the digit search at another width; small N only
    { spec: spec({ kind: 'percentile', p: '12.5' }), values, search: values.length <= 3 ? { radixBits: 2 } : undefined },
    { spec: spec({ kind: 'percentile', p: '90' }), values },
    { spec: spec({ kind: 'weighted-mean', maxWeight: '10' }), values, weights },
    { spec: spec({ kind: 'threshold', threshold: formatDecimal(total, 2) }), values },
    { spec: spec({ kind: 'threshold', threshold: formatDecimal(total - 1n, 2) }), values },
    { spec: spec({ kind: 'threshold', threshold: '-999999.99' }), values },
    { spec: spec({ kind: 'threshold', threshold: '999999' }), values },
    { spec: spec({ kind: 'rank', length: 1 }), values: ranked },
  ];
}

const weightsFor = (values: bigint[][]): bigint[][] => values.map((v) => v.map((x, i) => 1n + ((x < 0n ? -x : x) * 7n + BigInt(i)) % 1000n));

const inputSet = (n: number): fc.Arbitrary<TestCase[]> =>
  fc
    .tuple(partyValues(n, MAX, LO, HI), fc.array(fc.array(boundedValue(LO, HI), { minLength: 2, maxLength: 2 }), { minLength: n, maxLength: n }))
    .map(([values, vectors]) => casesFrom(values, weightsFor(values), vectors));

/** Ties, both bounds, negatives, a party without values. */
function edgeSet(n: number): TestCase[] {
  const pool: bigint[][] = [[LO, HI, 0n], [LO, LO, 7n], [], [HI, 1n, -1n], [-1n]]; // even totals: lower median
  const values = pool.slice(0, n);
  const vectors = values.map((_, i) => (i % 2 ? [LO, HI] : [HI, LO]));
  return casesFrom(values, weightsFor(values), vectors);
}

async function runCases(n: number, cases: readonly TestCase[]): Promise<ComputationOutput[][]> {
  return runParties(
    n,
    async (s, i) => {
      const t = createTripleSource(s);
      const out: ComputationOutput[] = [];
      for (const c of cases) {
        const counts = c.values.map((v) => v.length);
        out.push(await runComputation(createFastBackend(s, t), c.spec, { values: c.values[i], weights: c.weights?.[i] }, counts, { search: c.search }));
      }
      return out;
    },
    { timeoutMs: 240_000 },
  );
}

describe('computations match the plaintext oracle (OT triples)', () => {
  // ≈ 1 / 2 / 6 s on an idle 2-core machine (N=5: mostly base OTs); the timeout is for a loaded one.
  for (const [n, randomSets] of [[2, 2], [3, 1], [5, 0]] as const) {
    it(`all kinds, N=${n}`, { timeout: 300_000 }, async () => {
      const sets = [edgeSet(n), ...fc.sample(inputSet(n), { numRuns: randomSets, seed: 4200 + n })];
      const cases = sets.flat();
      const out = await runCases(n, cases);
      for (let p = 0; p < n; p++) {
        cases.forEach((c, j) => {
          if (c.spec.kind === 'rank' && c.values[p].length === 0) return;
          expect(out[p][j], `${c.spec.kind} party ${p} ${JSON.stringify(c.values, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`).toEqual(oracle(c, p));
        });
      }
    });
  }
});
