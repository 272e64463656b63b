// Federated averaging (fedavg.ts) in the in-memory N-party simulation (fast backend) against
// (1) the same FedAvg computed in the clear with the same seeds (float sums, no fixed point)
// and (2) one MLP trained on the pooled rows in plaintext (the accuracy criterion).
// Data: two interleaved half-moons with noise, from a fixed-seed generator.
import { describe, expect, it } from 'vitest';
import { createFastBackend } from '../backend/fast.ts';
import { createStrictBackend } from '../backend/strict/strict.ts';
import type { Backend } from '../backend/types.ts';
import { runParties } from '../session/simulate.ts';
import { createTripleSource } from '../triples/triple-source.ts';
import { parseSchemaText } from '../table/schema.ts';
import { readTable } from '../table/read-table.ts';
import type { ReadTable } from '../table/run-table.ts';
import { FEDAVG_FRAC_BITS, type MlpOutput, localSeed, mlpLocalData, predictMlp, runFedAvg } from './fedavg.ts';
import { type MlpSpec, parseMlpSpec } from './mlp-spec.ts';
import { type LocalData, initMlp, mlpAccuracy, mlpWeightCount, seededRandom, trainLocal } from './mlp-train.ts';

const sch = parseSchemaText('x: number -1.5..2.5 decimals 3\ny: number -1..1.5 decimals 3\nsite: category a, b\nlabel: yes/no');
if (!sch.ok) throw new Error('schema');
const schema = sch.schema;

/** Two moons: label yes on the lower moon; a few blank cells (rows skipped). */
function moons(seed: number, rows: number, skew: number): string[][] {
  const r = seededRandom(seed);
  const out = [['x', 'y', 'site', 'label']];
  for (let i = 0; i < rows; i++) {
    const lower = r() < 0.5 + skew;
    const a = Math.PI * r();
    const x = (lower ? 1 - Math.cos(a) : Math.cos(a)) + 0.12 * (r() * 2 - 1) * 1.7;
    const y = (lower ? 0.5 - Math.sin(a) : Math.sin(a)) + 0.12 * (r() * 2 - 1) * 1.7;
    const clampX = Math.max(-1.5, Math.min(2.5, x)).toFixed(3);
    const clampY = Math.max(-1, Math.min(1.5, y)).toFixed(3);
    out.push([clampX, i % 53 === 7 ? '' : clampY, r() < 0.5 ? 'a' : 'b', lower ? 'yes' : 'no']);
  }
  return out;
}

const FILES = [moons(1, 300, -0.15), moons(2, 200, 0.1), moons(3, 250, 0)];
const TABLES = FILES.map((f) => {
  const t = readTable(f, schema);
  if (!t.ok) throw new Error(t.error);
  return t as ReadTable;
});
const SPEC = parseMlpSpec({ kind: 'mlp', schema, maxRows: 400, target: 'label', features: ['x', 'y'], hidden: 16, rounds: 15, epochs: 3, learningRate: '0.3', clip: '2', seed: 7 });

/** The same FedAvg in the clear: float sum of the same clipped, row-weighted updates. */
function clearFedAvg(spec: MlpSpec, parts: LocalData[]): Float64Array {
  const d = spec.features.length;
  const n = parts.reduce((a, p) => a + p.X.length, 0);
  const clip = Number(spec.clip);
  let w = initMlp(d, spec.hidden, spec.seed);
  for (let t = 1; t <= spec.rounds; t++) {
    const next = Float64Array.from(w);
    parts.forEach((data, p) => {
      const local = trainLocal(w, d, spec.hidden, data, { epochs: spec.epochs, learningRate: Number(spec.learningRate), seed: localSeed(spec.seed, t, p) });
      for (let k = 0; k < w.length; k++) next[k] += (Math.max(-clip, Math.min(clip, local[k] - w[k])) * data.X.length) / n;
    });
    w = next;
  }
  return w;
}

const simulate = (spec: MlpSpec, tables: ReadTable[]): Promise<MlpOutput[]> => runParties(tables.length, async (s, i) => runFedAvg(createFastBackend(s, createTripleSource(s)), spec, tables[i]), { timeoutMs: 120_000 });

describe('federated averaging of an MLP', () => {
  it('N=3: every party gets the same model, equal to FedAvg in the clear within the fixed-point tolerance', async () => {
    const outs = await simulate(SPEC, TABLES);
    for (const o of outs.slice(1)) expect(o.model).toEqual(outs[0].model);
    const parts = TABLES.map((t) => mlpLocalData(SPEC, t));
    const pooledRows = parts.reduce((a, p) => a + p.X.length, 0);
    expect(outs[0].model.n).toBe(pooledRows);
    expect(pooledRows).toBeLessThan(750); // the blank cells were skipped
    const ref = clearFedAvg(SPEC, parts);
    const diff = Math.max(...outs[0].model.weights.map((v, k) => Math.abs(v - ref[k])));
    expect(diff, `largest weight difference ${diff}`).toBeLessThan(1e-4);
    // Negative control: a different seed gives a visibly different model (the check can fail).
    const other = clearFedAvg({ ...SPEC, seed: 8 }, parts);
    expect(Math.max(...outs[0].model.weights.map((v, k) => Math.abs(v - other[k])))).toBeGreaterThan(1e-2);
    // Own accuracy is each party's local view of the final model on its rows.
    outs.forEach((o, p) => expect(o.ownAccuracy).toBeCloseTo(mlpAccuracy(Float64Array.from(o.model.weights), 2, 16, parts[p]), 12));
  }, 120_000);

  it('N=3: training accuracy within 2 % of one MLP trained on the pooled rows in plaintext', async () => {
    const [out] = await simulate(SPEC, TABLES);
    const parts = TABLES.map((t) => mlpLocalData(SPEC, t));
    const pooled: LocalData = { X: parts.flatMap((p) => p.X), Y: parts.flatMap((p) => p.Y) };
    const central = trainLocal(initMlp(2, SPEC.hidden, SPEC.seed), 2, SPEC.hidden, pooled, { epochs: SPEC.rounds * SPEC.epochs, learningRate: Number(SPEC.learningRate), seed: 99 });
    const accCentral = mlpAccuracy(central, 2, SPEC.hidden, pooled);
    const accFed = mlpAccuracy(Float64Array.from(out.model.weights), 2, SPEC.hidden, pooled);
    // Two moons are not linearly separable: a linear model stays near 0.87; the MLP must beat it.
    expect(accCentral, `pooled plaintext accuracy ${accCentral}`).toBeGreaterThan(0.93);
    expect(accFed, `FedAvg ${accFed} vs pooled ${accCentral}`).toBeGreaterThanOrEqual(accCentral - 0.02);
    // The downloaded model applies to raw rows exactly as trained.
    const row = FILES[0][1].slice(0, 2).map(Number);
    expect(predictMlp(out.model, row)).toBeGreaterThanOrEqual(0);
    // Negative control: the untrained initial model is far from that accuracy.
    expect(mlpAccuracy(initMlp(2, SPEC.hidden, SPEC.seed), 2, SPEC.hidden, pooled)).toBeLessThan(accCentral - 0.02);
  }, 120_000);

  it('strict mode: an update outside the declared clip bound aborts every party (the bound is the declared sensitivity)', async () => {
    const spec = parseMlpSpec({ kind: 'mlp', schema, maxRows: 400, target: 'label', features: ['x', 'y'], hidden: 2, rounds: 1, epochs: 1, clip: '2' });
    const K = mlpWeightCount(2, 2);
    // Party 1 skips clipping: it commits `value` (fixed point) for every weight, with the message flow of runFedAvg.
    const deviating = async (b: Backend, value: number) => {
      const [n] = await b.open((await b.input([1, 1, 1], [100n], { lower: 0n, upper: 400n })).reduce((a, x) => b.add(a, x)));
      const big = BigInt(Math.round(value * 2 ** FEDAVG_FRAC_BITS));
      const bound = 2n << BigInt(FEDAVG_FRAC_BITS);
      await b.open((await b.input([K, K, K], new Array<bigint>(K).fill(big), { lower: -bound, upper: bound })).reduce((a, x) => b.add(a, x)));
      return n;
    };
    const run = (value: number) => runParties(3, async (s, i) => {
      const b = createStrictBackend(s);
      return i === 1 ? deviating(b, value) : runFedAvg(b, spec, TABLES[i]);
    }, { timeoutMs: 300_000 });
    await expect(run(3)).rejects.toMatchObject({ code: 'INPUT_OUT_OF_RANGE' });
    // Control: the same deviation within the bound goes through.
    await expect(run(1.5)).resolves.toHaveLength(3);
  }, 600_000);

  it('refuses bad specs with a message naming the field', () => {
    expect(() => parseMlpSpec({ kind: 'mlp', schema, maxRows: 10, target: 'x', features: ['y'] })).toThrow('yes/no');
    expect(() => parseMlpSpec({ kind: 'mlp', schema, maxRows: 10, target: 'label', features: ['x'], hidden: 0 })).toThrow('hidden layer width');
    expect(() => parseMlpSpec({ kind: 'mlp', schema, maxRows: 10, target: 'label', features: ['x'], learningRate: 'fast' })).toThrow('learning rate');
    expect(() => parseMlpSpec({ kind: 'mlp', schema, maxRows: 10, target: 'label', features: ['x'], clip: '0' })).toThrow('clip');
    expect(() => parseMlpSpec({ kind: 'mlp', schema, maxRows: 10, target: 'label', features: ['site'] })).toThrow('not a number column');
    expect(() => parseMlpSpec({ kind: 'mlp', schema, maxRows: 10, target: 'label', features: ['x'], bogus: 1 })).toThrow('unknown');
  });
});
