// Sum, mean and histogram with ε and/or a minimum group size, through runComputation in the
// N-party simulation on OT triples, against a plaintext oracle:
// - small-group suppression (no noise) equals the oracle exactly: buckets with fewer than k
//   values are flagged and their count is not opened;
// - with noise, every party gets the same release, and it lies within the noise's support
//   (|noisy − exact| ≤ μ·2^f + 2^f, a certainty, not a probability) — no flaky tolerance;
// - specs: ε is refused where it cannot protect (count) or is not available.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFastBackend } from '../backend/fast.ts';
import { runParties } from '../session/simulate.ts';
import { createTripleSource } from '../triples/triple-source.ts';
import { parseComputationSpec, type ComputationSpec } from '../computations/spec.ts';
import { runComputation } from '../computations/run.ts';
import type { ComputationOutput } from '../computations/context.ts';
import { oracle, partyValues } from '../computations/oracle.test-helpers.ts';
import { parseDecimal } from '../fixed-point.ts';
import { noiseCentre } from './accounting.ts';
import { dpOf } from './params.ts';
import { planRelease } from './release.ts';

async function runAll(n: number, cases: { spec: ComputationSpec; values: bigint[][] }[]): Promise<ComputationOutput[][]> {
  return runParties(
    n,
    async (s, i) => {
      const t = createTripleSource(s);
      const out: ComputationOutput[] = [];
      for (const c of cases) out.push(await runComputation(createFastBackend(s, t), c.spec, { values: c.values[i] }, c.values.map((v) => v.length)));
      return out;
    },
    { timeoutMs: 240_000 },
  );
}

const HIST: ComputationSpec = { kind: 'histogram', decimals: 0, lower: '0', upper: '99', length: 6, edges: ['10', '20', '50', '90'] };

describe('small-group guard', () => {
  for (const n of [2, 3]) {
    it(`N=${n}: suppression equals the plaintext oracle`, { timeout: 300_000 }, async () => {
      const sets = fc.sample(partyValues(n, 6, 0n, 99n), { numRuns: 2, seed: 1400 + n });
      sets.push(Array.from({ length: n }, (_, p) => (p === 0 ? [5n, 5n, 15n, 95n, 60n, 61n] : [62n, 63n, 15n])));
      const cases = sets.flatMap((values) => [2, 3].map((k) => ({ spec: { ...HIST, minGroup: k }, values })));
      const out = await runAll(n, cases);
      cases.forEach((c, j) => {
        const want = oracle({ spec: { ...HIST }, values: c.values }, 0).buckets!.counts;
        const k = c.spec.minGroup!;
        const expected = { edges: ['0', '10', '20', '50', '90', '99'], counts: want.map((v) => (v < k ? 0 : v)), suppressed: want.map((v) => v < k) };
        for (let p = 0; p < n; p++) expect(out[p][j], JSON.stringify(c.values, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v))).toEqual({ kind: 'histogram', buckets: expected });
      });
    });
  }
});

describe('noisy releases', () => {
  it('N=3: sum, mean, histogram (with and without k) agree across parties and stay within the noise support', { timeout: 300_000 }, async () => {
    const values = [[1250n], [-300n], [99_999n]];
    const hv = [[1n, 2n, 3n, 40n], [41n, 42n, 95n], [96n, 97n, 98n, 99n, 50n]];
    const sum = { kind: 'sum', decimals: 2, lower: '-1000', upper: '1000', length: 1, epsilon: '1', delta: '0.000001' } as ComputationSpec;
    const mean = { ...sum, kind: 'mean' } as ComputationSpec;
    const hist = { ...HIST, epsilon: '1' };
    const histK = { ...hist, minGroup: 3 };
    const cases = [{ spec: sum, values }, { spec: mean, values }, { spec: hist, values: hv }, { spec: histK, values: hv }];
    const out = await runAll(3, cases);
    for (let p = 1; p < 3; p++) expect(out[p]).toEqual(out[0]);
    const [s, m, h, hk] = out[0];
    // sum: sensitivity = upper − lower = 200000 (scaled), coarsened by 2^f
    const plan = planRelease({ ...dpOf(sum)!, sensitivity: 200_000n, coordinates: 1, bound: 300_000n }, 1);
    const step = 1n << BigInt(plan.f);
    const maxErr = BigInt(noiseCentre(plan.shape)) * step + step;
    const exact = 1250n - 300n + 99_999n;
    const got = parseDecimal(s.value as string, 2);
    expect(got - exact <= maxErr && exact - got <= maxErr).toBe(true);
    expect(s.dp).toEqual({ epsilon: '1', delta: '0.000001', halfWidth: expect.stringMatching(/^\d+\.\d\d$/) });
    // mean is the same noisy sum / 3 (rounded at 4 decimals)
    const gotMean = parseDecimal(m.value as string, 4);
    expect(gotMean * 3n - exact * 100n <= maxErr * 100n + 300n && exact * 100n - gotMean * 3n <= maxErr * 100n + 300n).toBe(true);
    // histogram: shift 1 in two buckets, per-bucket noise within its support
    const hPlan = planRelease({ ...dpOf(hist)!, sensitivity: 1n, coordinates: 2, bound: 12n }, 5);
    const exactCounts = oracle({ spec: { ...HIST }, values: hv }, 0).buckets!.counts;
    h.buckets!.counts.forEach((c, j) => expect(Math.abs(c - exactCounts[j])).toBeLessThanOrEqual(noiseCentre(hPlan.shape)));
    expect(h.dp?.halfWidth).toBe(String(hPlan.halfWidth));
    // with k: suppressed exactly where the (noisy) count is below k; shown counts ≥ k
    hk.buckets!.counts.forEach((c, j) => {
      if (hk.buckets!.suppressed![j]) expect(c).toBe(0);
      else expect(c).toBeGreaterThanOrEqual(3);
    });
  });
});

describe('DP fields of the spec', () => {
  const base = { kind: 'sum', decimals: 0, lower: '0', upper: '10', length: 1 };
  it('accepts ε, δ, budget; keeps them in the agreed spec', () => {
    const r = parseComputationSpec({ ...base, epsilon: '0.5', delta: '0.0000001', budget: '3' });
    expect(r).toEqual({ ok: true, spec: { ...base, epsilon: '0.5', delta: '0.0000001', budget: '3' } });
    expect(parseComputationSpec({ ...HIST, minGroup: 5 }).ok).toBe(true);
  });
  it.each([
    [{ ...base, kind: 'count', epsilon: '1' }, /count is known to all/],
    [{ ...base, kind: 'median', epsilon: '1' }, /not for median/],
    [{ ...base, epsilon: 1 }, /decimal string/],
    [{ ...base, epsilon: '0' }, /above 0/],
    [{ ...base, epsilon: '11' }, /at most 10/],
    [{ ...base, delta: '0.1' }, /needs epsilon/],
    [{ ...base, epsilon: '1', delta: '0.1' }, /at most 0.001/],
    [{ ...base, minGroup: 3 }, /applies to histogram/],
    [{ ...HIST, minGroup: 1 }, /minGroup must be/],
  ])('refuses %j', (raw, why) => {
    const r = parseComputationSpec(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(why);
  });
});
