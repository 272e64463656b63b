// Every computation in strict mode (SPDZ2k backend, checked OT, no dealer) against the
// plaintext oracle for N = 2, 3, 5. Inputs are small (few values, narrow bounds) because
// the strict backend is slow today (see the issue-11 note); the fast backend's wider
// property tests are in computations.test.ts.
import { describe, expect, it } from 'vitest';
import { createStrictBackend } from '../backend/strict/strict.ts';
import { runParties } from '../session/simulate.ts';
import type { ComputationOutput } from './context.ts';
import { type Case, oracle } from './oracle.test-helpers.ts';
import { runComputation } from './run.ts';
import type { ComputationSpec } from './spec.ts';

const BASE = { decimals: 1, lower: '-0.8', upper: '0.7', length: 2, protection: 'strict' } as const; // scaled −8..7: 4-bit domain

function cases(n: number): Case[] {
  const values = Array.from({ length: n }, (_, i) => [BigInt(((i * 5 + 3) % 16) - 8), BigInt(((i * 11 + 1) % 16) - 8)].slice(0, i === 1 ? 1 : 2));
  const spec = (extra: Partial<ComputationSpec> & Pick<ComputationSpec, 'kind'>): ComputationSpec => ({ ...BASE, ...extra });
  const all: Case[] = [
    { spec: spec({ kind: 'sum', length: 2 }), values: values.map((_, i) => [BigInt(i) - 2n, 7n - BigInt(i)]) },
    { spec: spec({ kind: 'mean', length: 1 }), values: values.map((v) => v.slice(0, 1)) },
    { spec: spec({ kind: 'stats' }), values },
    { spec: spec({ kind: 'median' }), values },
    { spec: spec({ kind: 'rank', length: 1 }), values: values.map((v) => v.slice(0, 1)) },
    { spec: spec({ kind: 'threshold', threshold: '0' }), values },
    { spec: spec({ kind: 'histogram', edges: ['0'] }), values },
    { spec: spec({ kind: 'max' }), values },
    { spec: spec({ kind: 'weighted-mean', maxWeight: '0.3' }), values, weights: values.map((v) => v.map((_, j) => BigInt(1 + j))) },
  ];
  // Every kind at N = 2; at N = 3 and 5 the kinds that exercise each strict building block
  // (arithmetic + range check, the digit search, pairwise comparisons) — the strict backend
  // is slow today (see the issue-11 note) and npm test has a shared time budget.
  if (n === 3) return all.filter((c) => ['sum', 'median', 'rank'].includes(c.spec.kind));
  if (n === 5) return all.filter((c) => c.spec.kind === 'stats'); // input, range check, mul, open at N = 5
  return all;
}

describe('computations in strict mode match the plaintext oracle (SPDZ2k, checked OT)', () => {
  for (const n of [2, 3, 5]) {
    it(`N=${n}`, { timeout: 900_000 }, async () => {
      const cs = cases(n);
      const out = await runParties(
        n,
        async (s, i) => {
          const b = createStrictBackend(s);
          const res: ComputationOutput[] = [];
          for (const c of cs) res.push(await runComputation(b, c.spec, { values: c.values[i], weights: c.weights?.[i] }, c.values.map((v) => v.length)));
          return res;
        },
        { timeoutMs: 900_000 },
      );
      for (let p = 0; p < n; p++) cs.forEach((c, j) => expect(out[p][j], `${c.spec.kind} party ${p}`).toEqual(oracle(c, p)));
    });
  }
});
