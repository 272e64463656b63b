/**
 * Logistic regression on everyone's rows (issue 13 part 2), on the backend interface.
 *
 * Model: p(y = 1 | x) = σ(w₀ + Σ_j w_j·x̃_j) with x̃_j = (x_j − mid_j)/half_j, the features
 * scaled by their public declared bounds to [−1, 1]; objective: mean log-loss + (λ/2)·|w|².
 * Optimiser: Böhning's bound quasi-Newton (Böhning & Lindsay 1988; Böhning 1992): since the
 * Hessian XᵀDX/n with D = σ(1−σ) ≤ ¼ is bounded by B = XᵀX/(4n) + λI, the step
 * w ← w − B⁻¹·∇ decreases the objective monotonically and converges to the same optimum as
 * Newton (the fixed point is ∇ = 0 whatever the preconditioner). B does not depend on w, so
 * its inverse is computed once inside the MPC (Gauss–Jordan on the SPD matrix, no pivoting,
 * 20 fractional bits, reciprocals by radix-16 oblivious division) and every iteration costs
 * one secure sum of the parties' local gradients and one matrix–vector product.
 *
 * What is opened, exactly (declared in the reveal notes before Ready):
 * - n, the pooled number of rows used (part of the result), and one bit: whether both
 *   classes occur (else the run is refused, naming the problem);
 * - after every iteration t, the model w_t (k = features + 1 numbers): each party needs it
 *   to compute its local gradient at w_t. The final model is w_T; the earlier ones are the
 *   path to it. Nothing else: B, B⁻¹, the pooled gradients and every per-party sum stay
 *   secret (the step w_t − w_{t+1} = B⁻¹∇_t is a function of them, as the model is).
 * Each party divides its own sums by the public n before committing them (the pooled sum of
 * the quotients is the pooled mean), with bounds the MPC enforces (|·| ≤ maxRows/n).
 * Deviating participants (strict mode) can choose their own sums within those bounds (as they
 * could choose rows) or abort; they cannot make another party's data appear in the output.
 */
import { MpcError } from '../errors.ts';
import type { Backend, Shared } from '../backend/types.ts';
import { decodeSigned } from '../ring.ts';
import type { ReadTable } from '../table/run-table.ts';
import { schemaColumn } from '../table/schema.ts';
import { rowsOf } from './evaluate.ts';
import { divFraction } from './fraction.ts';
import { type LogisticSpec, type NumberColumn, binaryLabel, modelColumns } from './model-spec.ts';

/** Fractional bits of the committed sums, the matrix and the weights. */
const F = 20;
const ONE = 1n << BigInt(F);
export const DEFAULT_ITERATIONS = 12;
export const DEFAULT_RIDGE = '0.001';
export const MIN_RIDGE = 0.0001;
/** 1/λ ≤ 10^4 < 2^14: the reciprocal of any pivot of B (≥ λ) has at most 14 integer bits. */
const PIVOT_INT_BITS = 14;

export interface FeatureScaling {
  name: string;
  /** x̃ = (x − center) / scale. */
  center: number;
  scale: number;
}

/** The downloadable model (JSON): applies to a row of the same columns anywhere. */
export interface LogisticModel {
  type: 'logistic-regression';
  target: string;
  positive: string;
  features: FeatureScaling[];
  /** Weights on the scaled features: w₀ (intercept), then one per feature. */
  weights: number[];
  /** The same model in the columns' own units. */
  intercept: number;
  coefficients: Record<string, number>;
  n: number;
  iterations: number;
  ridge: number;
}

export interface LogisticOutput {
  kind: 'logistic';
  value: { intercept: number; coefficients: Record<string, number>; n: number };
  model: LogisticModel;
  /** The opened path w_1 … w_T (declared per-iteration output). */
  path: number[][];
}

const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));
const fixed = (x: number): bigint => BigInt(Math.round(x * 2 ** F));

export function scalingOf(spec: LogisticSpec): FeatureScaling[] {
  return spec.features.map((f) => {
    const c = schemaColumn(spec.schema, f) as NumberColumn;
    const lo = Number(c.lower);
    const hi = Number(c.upper);
    return { name: c.name, center: (lo + hi) / 2, scale: (hi - lo) / 2 };
  });
}

/** p(positive) for one row of raw feature values. */
export function predictLogistic(model: Pick<LogisticModel, 'features' | 'weights'>, x: readonly number[]): number {
  let z = model.weights[0];
  model.features.forEach((f, j) => (z += model.weights[j + 1] * ((x[j] - f.center) / f.scale)));
  return sigmoid(z);
}

/**
 * Gauss–Jordan inverse of a k×k symmetric positive definite shared matrix (row-major,
 * F fractional bits, eigenvalues in [λ, ~k/4 + λ]): k pivots, each one oblivious reciprocal
 * and two multiplication layers with truncation. Entries stay below 2^(16+F) (partial
 * inverses of an SPD matrix with λ_min ≥ 2^−14), products below 2^(19+2F).
 */
async function invertSpd(b: Backend, a: Shared, k: number): Promise<Shared> {
  const w = 2 * k;
  const eye = Array.from({ length: k * k }, (_, i) => (i % (k + 1) === 0 ? ONE : 0n));
  // Augmented [A | I], row-major k × 2k.
  let m = b.gather(b.concat([a, b.constant(eye)]), Array.from({ length: k * w }, (_, i) => {
    const r = Math.floor(i / w);
    const c = i % w;
    return c < k ? r * k + c : k * k + r * k + (c - k);
  }));
  const width = 2 * F + 22;
  for (let i = 0; i < k; i++) {
    const pivot = b.slice(m, i * w + i, i * w + i + 1);
    const inv = await divFraction(b, b.constant([ONE]), pivot, { frac: F, yBits: F + 4, int: PIVOT_INT_BITS, radixBits: 4 });
    const rowIdx = Array.from({ length: w }, (_, c) => i * w + c);
    const row = await b.truncate(await b.mul(b.gather(m, rowIdx), b.gather(inv, new Array(w).fill(0))), F, { width });
    // Every other row j: row_j − m[j][i]·row_i.
    const others = Array.from({ length: k }, (_, j) => j).filter((j) => j !== i);
    const factors = b.gather(m, others.flatMap((j) => new Array(w).fill(j * w + i)));
    const prod = await b.truncate(await b.mul(factors, b.gather(row, others.flatMap(() => Array.from({ length: w }, (_, c) => c)))), F, { width });
    const updated = b.sub(b.gather(m, others.flatMap((j) => Array.from({ length: w }, (_, c) => j * w + c))), prod);
    // Reassemble: row i from `row`, the others from `updated`.
    const src = b.concat([updated, row]);
    m = b.gather(src, Array.from({ length: k * w }, (_, t) => {
      const r = Math.floor(t / w);
      const c = t % w;
      return r === i ? others.length * w + c : others.indexOf(r) * w + c;
    }));
  }
  return b.gather(m, Array.from({ length: k * k }, (_, t) => Math.floor(t / k) * w + k + (t % k)));
}

/** Trains on this party's table; every party gets the same model. */
export async function runLogistic(b: Backend, spec: LogisticSpec, table: ReadTable): Promise<LogisticOutput> {
  const label = binaryLabel(schemaColumn(spec.schema, spec.target), spec.positive)!;
  const scaling = scalingOf(spec);
  const d = scaling.length;
  const k = d + 1;
  const T = spec.iterations ?? DEFAULT_ITERATIONS;
  const lambda = Math.max(MIN_RIDGE, Number(spec.ridge ?? DEFAULT_RIDGE));
  const rows = rowsOf(spec, modelColumns(spec), table);
  const target = table.columns.get(spec.target)!.values;
  const cols = spec.features.map((f) => {
    const c = schemaColumn(spec.schema, f) as NumberColumn;
    return { v: table.columns.get(c.name)!.values, pow: 10 ** c.decimals };
  });
  // This party's rows as scaled feature vectors [1, x̃…] and labels.
  const X: Float64Array[] = [];
  const y: number[] = [];
  for (let r = 0; r < rows.length; r++) {
    if (!rows[r]) continue;
    const v = new Float64Array(k);
    v[0] = 1;
    for (let j = 0; j < d; j++) v[j + 1] = (cols[j].v[r] / cols[j].pow - scaling[j].center) / scaling[j].scale;
    X.push(v);
    y.push(label.of(target[r]));
  }
  const max = BigInt(spec.maxRows);
  const counts = b.concat(await b.input(new Array<number>(b.n).fill(2), [BigInt(X.length), BigInt(y.reduce((a, v) => a + v, 0))], { lower: 0n, upper: max }));
  const nAndPos = b.sumGroups(b.gather(counts, [...Array.from({ length: b.n }, (_, p) => 2 * p), ...Array.from({ length: b.n }, (_, p) => 2 * p + 1)]), b.n);
  const [nOpened] = await b.open(b.slice(nAndPos, 0, 1));
  const n = Number(nOpened);
  if (n < 2) throw new MpcError('INVALID_ARGUMENT', `logistic regression needs rows: ${n === 0 ? 'no row' : 'only one row'} matches (after the filter and missing cells)`);
  const pos = b.slice(nAndPos, 1, 2);
  const oneClass = await b.openBits(await b.ltz(b.addPublic(b.concat([pos, b.sub(b.constant([BigInt(n)]), pos)]), -1n), { width: 27 }));
  if (oneClass[0] || oneClass[1]) throw new MpcError('INVALID_ARGUMENT', `logistic regression needs both classes: no row has ${spec.target} = ${oneClass[0] ? label.positive : `a value other than ${label.positive}`}`);

  // B = XᵀX/(4n) + λI, committed as each party's share of the mean (upper triangle).
  const tri: [number, number][] = [];
  for (let i = 0; i < k; i++) for (let j = i; j < k; j++) tri.push([i, j]);
  const local = new Float64Array(tri.length);
  for (const v of X) tri.forEach(([i, j], t) => (local[t] += (v[i] * v[j]) / (4 * n)));
  const bound = fixed(spec.maxRows / n) + 1n;
  const Bp = await b.input(new Array<number>(b.n).fill(tri.length), Array.from(local, fixed), { lower: -bound, upper: bound });
  const Btri = b.addPublic(Bp.reduce((acc, x) => b.add(acc, x)), BigUint64Array.from(tri, ([i, j]) => (i === j ? fixed(lambda) : 0n)));
  const full = b.gather(Btri, Array.from({ length: k * k }, (_, t) => tri.findIndex(([i, j]) => i === Math.min(Math.floor(t / k), t % k) && j === Math.max(Math.floor(t / k), t % k))));
  const Binv = await invertSpd(b, full, k);

  const w = new Array<number>(k).fill(0);
  const path: number[][] = [];
  const gBound = fixed((spec.maxRows / n) * 2) + 1n;
  for (let t = 0; t < T; t++) {
    const g = new Float64Array(k);
    for (let r = 0; r < X.length; r++) {
      let z = 0;
      for (let j = 0; j < k; j++) z += w[j] * X[r][j];
      const e = (sigmoid(z) - y[r]) / n;
      for (let j = 0; j < k; j++) g[j] += e * X[r][j];
    }
    const gs = await b.input(new Array<number>(b.n).fill(k), Array.from(g, fixed), { lower: -gBound, upper: gBound });
    const grad = b.addPublic(gs.reduce((acc, x) => b.add(acc, x)), BigUint64Array.from(w, (wj) => BigInt.asUintN(64, fixed(lambda * wj))));
    const step = b.sumGroups(await b.mul(Binv, b.gather(grad, Array.from({ length: k * k }, (_, i) => i % k))), k);
    // Opened at 2F fractional bits (no truncation round trip): the model w_t, more digits of it.
    const delta = await b.open(step);
    for (let j = 0; j < k; j++) w[j] -= Number(decodeSigned(delta[j])) / 2 ** (2 * F);
    path.push([...w]);
  }
  const coefficients = Object.fromEntries(scaling.map((s, j) => [s.name, w[j + 1] / s.scale]));
  const intercept = w[0] - scaling.reduce((a, s, j) => a + (w[j + 1] * s.center) / s.scale, 0);
  const model: LogisticModel = { type: 'logistic-regression', target: spec.target, positive: label.positive, features: scaling, weights: [...w], intercept, coefficients, n, iterations: T, ridge: lambda };
  return { kind: 'logistic', value: { intercept, coefficients, n }, model, path };
}
