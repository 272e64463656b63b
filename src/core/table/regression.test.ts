// Regression in the in-memory N-party simulation on OT-generated triples (fast backend)
// against a plaintext least-squares / ridge solver written independently (normal equations
// in float64, Gaussian elimination with partial pivoting). Fixed seeds: deterministic.
import { describe, expect, it } from 'vitest';
import { createFastBackend } from '../backend/fast.ts';
import { runParties } from '../session/simulate.ts';
import { createTripleSource } from '../triples/triple-source.ts';
import { parseSchemaText } from './schema.ts';
import { readTable } from './read-table.ts';
import { parseTableSpec } from './table-spec.ts';
import { type ReadTable, type TableOutput, runTableComputation } from './run-table.ts';
import type { RegressionOutput } from './regression.ts';

const schema = (() => {
  const r = parseSchemaText('age: number 18..90\nbmi: number 15..45 decimals 1\ndose: number 0..100\nbp: number 60..260 decimals 1\ndup: number 15..45 decimals 1');
  if (!r.ok) throw new Error('schema');
  return r.schema;
})();

type Row = { age: number | null; bmi: number; dose: number; bp: number; dup: number };

function site(seed: number, rows: number): Row[] {
  let x = seed >>> 0;
  const rnd = () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  return Array.from({ length: rows }, () => {
    const age = 18 + Math.floor(rnd() * 72);
    const bmi = Math.round((18 + rnd() * 20) * 10) / 10;
    const dose = Math.floor(rnd() * 100);
    const bp = Math.min(260, Math.max(60, Math.round((70 + 0.6 * age + 1.1 * bmi - 0.2 * dose + (rnd() - 0.5) * 30) * 10) / 10));
    return { age: rnd() < 0.05 ? null : age, bmi, dose, bp, dup: bmi };
  });
}

function read(rows: Row[]): ReadTable {
  const t = readTable([['age', 'bmi', 'dose', 'bp', 'dup'], ...rows.map((r) => [r.age === null ? 'NA' : String(r.age), String(r.bmi), String(r.dose), String(r.bp), String(r.dup)])], schema);
  if (!t.ok) throw new Error(t.error);
  return t;
}

/** Plain least squares (ridge on the standardised scale with λ): intercept, coefficients, R². */
function oracle(rows: Row[], features: (keyof Row)[], lambda = 0) {
  const used = rows.filter((r) => features.every((f) => r[f] !== null));
  const n = used.length;
  const cols = [...features, 'bp' as const].map((f) => used.map((r) => r[f] as number));
  const mean = cols.map((c) => c.reduce((a, v) => a + v, 0) / n);
  const sd = cols.map((c, i) => Math.sqrt(c.reduce((a, v) => a + (v - mean[i]) ** 2, 0)));
  const k = features.length;
  const R = (i: number, j: number) => cols[i].reduce((a, v, t) => a + (v - mean[i]) * (cols[j][t] - mean[j]), 0) / (sd[i] * sd[j]);
  const M = Array.from({ length: k }, (_, i) => [...Array.from({ length: k }, (_, j) => R(i, j) + (i === j ? lambda : 0)), R(i, k)]);
  for (let c = 0; c < k; c++) {
    let piv = c;
    for (let i = c + 1; i < k; i++) if (Math.abs(M[i][c]) > Math.abs(M[piv][c])) piv = i;
    [M[c], M[piv]] = [M[piv], M[c]];
    for (let i = 0; i < k; i++) {
      if (i === c) continue;
      const f = M[i][c] / M[c][c];
      for (let j = c; j <= k; j++) M[i][j] -= f * M[c][j];
    }
  }
  const b = M.map((row, i) => row[k] / row[i]);
  const beta = b.map((bj, j) => (bj * sd[k]) / sd[j]);
  const intercept = mean[k] - beta.reduce((a, bj, j) => a + bj * mean[j], 0);
  const pred = used.map((_, t) => intercept + beta.reduce((a, bj, j) => a + bj * cols[j][t], 0));
  const sse = pred.reduce((a, p, t) => a + (cols[k][t] - p) ** 2, 0);
  const sst = cols[k].reduce((a, v) => a + (v - mean[k]) ** 2, 0);
  return { n, beta, intercept, r2: 1 - sse / sst };
}

async function run(tables: ReadTable[], raw: Record<string, unknown>): Promise<(TableOutput | string)[]> {
  const spec = parseTableSpec({ kind: 'regression', schema, where: [], maxRows: 200, ...raw });
  return runParties(tables.length, async (s, i) => {
    const b = createFastBackend(s, createTripleSource(s));
    try {
      return await runTableComputation(b, spec, tables[i]);
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }, { timeoutMs: 240_000 });
}

function close(out: RegressionOutput, want: ReturnType<typeof oracle>, features: string[]): void {
  expect(out.n).toBe(want.n);
  features.forEach((f, j) => expect(Math.abs(out.coefficients[f] - want.beta[j])).toBeLessThanOrEqual(1e-3 * Math.abs(want.beta[j]) + 2e-4));
  expect(Math.abs(out.intercept - want.intercept)).toBeLessThanOrEqual(1e-3 * Math.abs(want.intercept) + 0.05);
  expect(Math.abs(out.r2 - want.r2)).toBeLessThanOrEqual(1.5e-3);
}

describe('table regression (fast backend, OT triples)', () => {
  for (const N of [2, 3]) {
    it(`least squares of bp on age, bmi, dose equals the plaintext solver (N=${N})`, async () => {
      const files = Array.from({ length: N }, (_, p) => site(100 + p, 40 + 7 * p));
      const features = ['age', 'bmi', 'dose'];
      const outs = await run(files.map(read), { target: 'bp', features });
      const want = oracle(files.flat(), features as (keyof Row)[]);
      for (const o of outs) {
        expect(typeof o).toBe('object');
        close(o as RegressionOutput, want, features);
      }
      expect(outs[1]).toEqual(outs[0]);
    }, 300_000);
  }

  // N=5 is left out of the suite: one feature at N=5 took over 5 minutes at load 40 here
  // (the run is a long chain of oblivious comparisons, each a round among all parties).
  it('ridge on the standardised scale equals the plaintext ridge solver (N=2)', async () => {
    const files = Array.from({ length: 2 }, (_, p) => site(300 + p, 35));
    const outs = await run(files.map(read), { target: 'bp', features: ['age', 'bmi'], ridge: '0.5' });
    const want = oracle(files.flat(), ['age', 'bmi'], 0.5);
    for (const o of outs) close(o as RegressionOutput, want, ['age', 'bmi']);
  }, 300_000);

  it('an ill-conditioned design, a constant column and a filter that selects nothing give clear messages', async () => {
    const files = Array.from({ length: 2 }, (_, p) => site(500 + p, 30));
    const [collinear] = await run(files.map(read), { target: 'bp', features: ['bmi', 'dup'] });
    expect(collinear).toMatch(/ill-conditioned: some of bmi, dup are \(nearly\) a linear combination/);
    const flat = files.map((f) => f.map((r) => ({ ...r, dose: 7 })));
    const [constant] = await run(flat.map(read), { target: 'bp', features: ['age', 'dose'] });
    expect(constant).toMatch(/regression is undefined: dose has the same value in every row used/);
    const [none] = await run(files.map(read), { target: 'bp', features: ['age'], where: [{ column: 'age', op: '>', value: '89' }, { column: 'age', op: '<', value: '19' }] });
    expect(none).toMatch(/regression is undefined: no row matches/);
  }, 300_000);
});

