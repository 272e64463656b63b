// Logistic regression in the in-memory N-party simulation (fast backend, OT triples) against
// a plaintext Newton solver of the same objective on the pooled rows. Data from a fixed-seed
// generator (deterministic).
import { describe, expect, it } from 'vitest';
import { createFastBackend } from '../backend/fast.ts';
import { runParties } from '../session/simulate.ts';
import { createTripleSource } from '../triples/triple-source.ts';
import { parseSchemaText } from '../table/schema.ts';
import { readTable } from '../table/read-table.ts';
import type { ReadTable } from '../table/run-table.ts';
import { type LogisticSpec, parseModelSpec } from './model-spec.ts';
import { type LogisticOutput, predictLogistic, runLogistic, scalingOf } from './logistic.ts';

const rng = (seed: number) => {
  let x = seed >>> 0;
  return () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32);
};
const gauss = (r: () => number) => Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());

const schemaRes = parseSchemaText('age: number 20..90\nbmi: number 15..45 decimals 1\nbp: number 80..200\nsmoker: yes/no\nlabs: number 0..10 decimals 2\noutcome: yes/no');
if (!schemaRes.ok) throw new Error('schema');
const schema = schemaRes.schema;
const FEATURES = ['age', 'bp', 'labs'];

function hospital(seed: number, rows: number, shift: number): string[][] {
  const r = rng(seed);
  const out = [['age', 'bmi', 'bp', 'smoker', 'labs', 'outcome']];
  for (let i = 0; i < rows; i++) {
    const age = Math.round(Math.min(90, Math.max(20, 55 + shift + 12 * gauss(r))));
    const bmi = Math.min(45, Math.max(15, 27 + 4 * gauss(r))).toFixed(1);
    const bp = Math.round(Math.min(200, Math.max(80, 90 + 0.6 * age + 10 * gauss(r)))); // correlated with age
    const labs = Math.min(10, Math.max(0, 5 + 2 * gauss(r))).toFixed(2);
    const z = -9 + 0.06 * age + 0.08 * Number(bmi) + 0.02 * bp + 0.3 * Number(labs) + gauss(r) * 0.5;
    out.push([String(age), bmi, String(bp), r() < 0.3 ? 'yes' : 'no', i % 37 === 5 ? '' : labs, r() < 1 / (1 + Math.exp(-z)) ? 'yes' : 'no']);
  }
  return out;
}

/** Plain Newton on mean log-loss + λ/2·|w|² over the bound-scaled features (the same objective). */
function newton(X: number[][], y: number[], lambda: number): number[] {
  const k = X[0].length;
  let w = new Array<number>(k).fill(0);
  for (let it = 0; it < 50; it++) {
    const g = w.map((wj) => lambda * wj);
    const H = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? lambda : 0)));
    X.forEach((x, r) => {
      const p = 1 / (1 + Math.exp(-x.reduce((a, v, j) => a + v * w[j], 0)));
      for (let i = 0; i < k; i++) {
        g[i] += ((p - y[r]) * x[i]) / X.length;
        for (let j = 0; j < k; j++) H[i][j] += (p * (1 - p) * x[i] * x[j]) / X.length;
      }
    });
    // Solve H·Δ = g (Gaussian elimination).
    const A = H.map((row, i) => [...row, g[i]]);
    for (let i = 0; i < k; i++)
      for (let j = i + 1; j < k; j++) {
        const f = A[j][i] / A[i][i];
        for (let c = i; c <= k; c++) A[j][c] -= f * A[i][c];
      }
    const d = new Array<number>(k).fill(0);
    for (let i = k - 1; i >= 0; i--) d[i] = (A[i][k] - A[i].slice(i + 1, k).reduce((a, v, j) => a + v * d[i + 1 + j], 0)) / A[i][i];
    w = w.map((wj, j) => wj - d[j]);
  }
  return w;
}

describe('logistic regression', () => {
  it('N=3: same predictions on ≥ 99.5 % of the pooled rows and log-loss within 1 % of a plaintext Newton solver', async () => {
    const files = [hospital(1, 400, 0), hospital(2, 300, 5), hospital(3, 350, -5)];
    const tables = files.map((f) => {
      const t = readTable(f, schema);
      if (!t.ok) throw new Error(t.error);
      return t as ReadTable;
    });
    const spec = parseModelSpec({ kind: 'logistic', schema, maxRows: 500, target: 'outcome', features: FEATURES }) as LogisticSpec;
    const outs: LogisticOutput[] = await runParties(3, async (s, i) => runLogistic(createFastBackend(s, createTripleSource(s)), spec, tables[i]), { timeoutMs: 300_000 });
    for (const o of outs.slice(1)) expect(o.model).toEqual(outs[0].model);
    const { model } = outs[0];
    // Pooled plaintext rows (the same rows: blank labs dropped).
    const scaling = scalingOf(spec);
    const rows = files.flatMap((f) => f.slice(1)).filter((r) => r[4] !== '');
    expect(model.n).toBe(rows.length);
    const raw = rows.map((r) => [Number(r[0]), Number(r[2]), Number(r[4])]);
    const y = rows.map((r) => (r[5] === 'yes' ? 1 : 0));
    const X = raw.map((x) => [1, ...x.map((v, j) => (v - scaling[j].center) / scaling[j].scale)]);
    const wRef = newton(X, y, model.ridge);
    const ref = { features: scaling, weights: wRef };
    const logLoss = (m: typeof ref) => -raw.reduce((a, x, r) => a + Math.log(y[r] ? predictLogistic(m, x) : 1 - predictLogistic(m, x)), 0) / raw.length;
    const same = raw.filter((x) => predictLogistic(model, x) >= 0.5 === predictLogistic(ref, x) >= 0.5).length;
    expect(same / raw.length, `same predictions ${same}/${raw.length}`).toBeGreaterThanOrEqual(0.995);
    expect(Math.abs(logLoss(model) / logLoss(ref) - 1), `log-loss ${logLoss(model)} vs ${logLoss(ref)}`).toBeLessThan(0.01);
    // The coefficients in the columns' own units reproduce the same probabilities.
    const x0 = raw[0];
    const z = model.intercept + FEATURES.reduce((a, f, j) => a + model.coefficients[f] * x0[j], 0);
    expect(1 / (1 + Math.exp(-z))).toBeCloseTo(predictLogistic(model, x0), 9);
    expect(outs[0].path).toHaveLength(model.iterations);
  }, 300_000);

  it('N=3, 20 correlated features (ρ = 0.8, not centred): same predictions on ≥ 99.5 % and log-loss within 1 % of Newton', async () => {
    const d = 20;
    const names = Array.from({ length: d }, (_, j) => `f${j}`);
    const sch = parseSchemaText([...names.map((c) => `${c}: number -5..5 decimals 2`), 'y: yes/no'].join('\n'));
    if (!sch.ok) throw new Error('schema');
    const files = [11, 12, 13].map((seed) => {
      const r = rng(seed);
      const out = [[...names, 'y']];
      for (let i = 0; i < 250; i++) {
        const c = gauss(r);
        const x = names.map(() => Math.max(-5, Math.min(5, 1.5 + 1.2 * (Math.sqrt(0.8) * c + Math.sqrt(0.2) * gauss(r)))));
        const z = x.reduce((a, v, j) => a + v * ((j % 3) - 1) * 0.6, -0.5);
        out.push([...x.map((v) => v.toFixed(2)), r() < 1 / (1 + Math.exp(-z)) ? 'yes' : 'no']);
      }
      return out;
    });
    const tables = files.map((f) => readTable(f, sch.schema) as ReadTable);
    const spec = parseModelSpec({ kind: 'logistic', schema: sch.schema, maxRows: 250, target: 'y', features: names }) as LogisticSpec;
    const outs: LogisticOutput[] = await runParties(3, async (s, i) => runLogistic(createFastBackend(s, createTripleSource(s)), spec, tables[i]), { timeoutMs: 300_000 });
    const { model } = outs[0];
    const rows = files.flatMap((f) => f.slice(1));
    const raw = rows.map((r) => r.slice(0, d).map(Number));
    const y = rows.map((r) => (r[d] === 'yes' ? 1 : 0));
    const scaling = scalingOf(spec);
    const ref = { features: scaling, weights: newton(raw.map((x) => [1, ...x.map((v, j) => (v - scaling[j].center) / scaling[j].scale)]), y, model.ridge) };
    const logLoss = (m: typeof ref) => -raw.reduce((a, x, r) => a + Math.log(y[r] ? predictLogistic(m, x) : 1 - predictLogistic(m, x)), 0) / raw.length;
    const same = raw.filter((x) => predictLogistic(model, x) >= 0.5 === predictLogistic(ref, x) >= 0.5).length;
    expect(same / raw.length, `same predictions ${same}/${raw.length} after ${model.iterations} iterations`).toBeGreaterThanOrEqual(0.995);
    expect(Math.abs(logLoss(model) / logLoss(ref) - 1), `log-loss ${logLoss(model)} vs ${logLoss(ref)}`).toBeLessThan(0.01);
  }, 300_000);

  it('refuses a label with one class, naming it', async () => {
    const f = hospital(9, 30, 0).map((r, i) => (i === 0 ? r : [...r.slice(0, 5), 'no']));
    const t = readTable(f, schema) as ReadTable;
    const spec = parseModelSpec({ kind: 'logistic', schema, maxRows: 50, target: 'outcome', features: ['age'] }) as LogisticSpec;
    await expect(runParties(2, async (s, i) => runLogistic(createFastBackend(s, createTripleSource(s)), spec, i === 0 ? t : t))).rejects.toThrow('both classes');
  }, 120_000);
});
