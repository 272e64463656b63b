/**
 * Logistic regression on everyone's rows (issue 13 part 2), on the backend interface.
 *
 * Model: p(y = 1 | x) = σ(w₀ + Σ_j w_j·x̃_j) with x̃_j = (x_j − mid_j)/half_j, the features
 * scaled by their public declared bounds to [−1, 1]; objective: mean log-loss + (λ/2)·|w|².
 * Optimiser: majorise–minimise with a diagonal bound, accelerated. The Hessian XᵀDX/n with
 * D = σ(1−σ) ≤ ¼ is bounded by B = XᵀX/(4n) + λI (Böhning & Lindsay 1988), and B by its
 * Gershgorin diagonal G = diag(Σ_j |B_ij|) (G − B is diagonally dominant, so positive
 * semi-definite). So the step w ← y − G⁻¹·∇(y) never overshoots, and with Nesterov's
 * momentum y_t = w_t + (m−1)/(m+2)·(w_t − w_{t−1}), m reset to 0 whenever a step turns
 * against the momentum [OC15] (Nesterov 1983; preconditioned, as in
 * Beck & Teboulle 2009 with the metric G) it converges at the accelerated rate. G is secret
 * and costs k reciprocals once, not a matrix inverse: the previous version inverted B inside
 * the MPC (Gauss–Jordan, ~k³ exact truncations) and needed ~25 min for 20 features; this one
 * spends a few hundred milliseconds per iteration (one secure sum, one product, one opening).
 * It stops as soon as an opened step is below STEP_TOLERANCE in every weight (a rule on opened
 * numbers, so every tab stops at the same iteration), at most `iterations` times.
 *
 * What is opened, exactly (declared in the reveal notes before Ready):
 * - n, the pooled number of rows used (part of the result), and one bit: whether both
 *   classes occur (else the run is refused, naming the problem);
 * - after every iteration t, the model w_t (k = features + 1 numbers): each party needs it
 *   to compute its local gradient. The final model is the last one; the earlier ones are the
 *   path to it (the step G⁻¹∇ is a function of them). Nothing else: B, G, the pooled
 *   gradients and every per-party sum stay secret.
 * Each party divides its own sums by the public n before committing them (the pooled sum of
 * the quotients is the pooled mean), with bounds the MPC enforces (|·| ≤ maxRows/n).
 * Deviating participants (strict mode) can choose their own sums within those bounds (as they
 * could choose rows) or abort; they cannot make another party's data appear in the output.
 *
 * [Nes83] Nesterov. A method of solving a convex programming problem with convergence rate
 *         O(1/k²). Soviet Math. Dokl. 1983.
 * [OC15]  O'Donoghue, Candès. Adaptive restart for accelerated gradient schemes. FoCM 2015.
 * [BT09]  Beck, Teboulle. A fast iterative shrinkage-thresholding algorithm. SIAM J. Imaging 2009.
 */
import { MpcError } from '../errors.ts';
import type { Backend } from '../backend/types.ts';
import { decodeSigned } from '../ring.ts';
import type { ReadTable } from '../table/run-table.ts';
import { schemaColumn } from '../table/schema.ts';
import { type FeatureScaling, scaledRows, scalingOf } from './scaled-rows.ts';
import { divFraction, linearMap, radixFor } from './fraction.ts';
import { type LogisticSpec, binaryLabel, modelColumns } from './model-spec.ts';

/** Fractional bits of the committed sums, the matrix and the weights. */
const F = 20;
const ONE = 1n << BigInt(F);
export const DEFAULT_ITERATIONS = 300;
/** Stop when every weight of an opened step moves less than this (scaled units). */
export const STEP_TOLERANCE = 1e-5;
export const DEFAULT_RIDGE = '0.001';
export const MIN_RIDGE = 0.0001;
/** 1/λ ≤ 10^4 < 2^14: the reciprocal of any diagonal bound (≥ λ) has at most 14 integer bits. */
const PIVOT_INT_BITS = 14;

export type { FeatureScaling } from './scaled-rows.ts';

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

export { scalingOf };

/** p(positive) for one row of raw feature values. */
export function predictLogistic(model: Pick<LogisticModel, 'features' | 'weights'>, x: readonly number[]): number {
  let z = model.weights[0];
  model.features.forEach((f, j) => (z += model.weights[j + 1] * ((x[j] - f.center) / f.scale)));
  return sigmoid(z);
}

/** Trains on this party's table; every party gets the same model. */
export async function runLogistic(b: Backend, spec: LogisticSpec, table: ReadTable): Promise<LogisticOutput> {
  const label = binaryLabel(schemaColumn(spec.schema, spec.target), spec.positive)!;
  const scaling = scalingOf(spec);
  const d = scaling.length;
  const k = d + 1;
  const T = spec.iterations ?? DEFAULT_ITERATIONS;
  const lambda = Math.max(MIN_RIDGE, Number(spec.ridge ?? DEFAULT_RIDGE));
  // This party's rows as scaled feature vectors [1, x̃…] and labels.
  const { X, Y } = scaledRows(spec, modelColumns(spec), table, 1);
  const max = BigInt(spec.maxRows);
  const counts = b.concat(await b.input(new Array<number>(b.n).fill(2), [BigInt(X.length), BigInt(Y.reduce((a, v) => a + v, 0))], { lower: 0n, upper: max }));
  const nAndPos = b.sumGroups(b.gather(counts, [...Array.from({ length: b.n }, (_, p) => 2 * p), ...Array.from({ length: b.n }, (_, p) => 2 * p + 1)]), b.n);
  const [nOpened] = await b.open(b.slice(nAndPos, 0, 1));
  const n = Number(nOpened);
  if (n < 2) throw new MpcError('INVALID_ARGUMENT', `logistic regression needs rows: ${n === 0 ? 'no row' : 'only one row'} matches (after the filter and missing cells)`);
  const pos = b.slice(nAndPos, 1, 2);
  const oneClass = await b.openBits(await b.ltz(b.addPublic(b.concat([pos, b.sub(b.constant([BigInt(n)]), pos)]), -1n), { width: 27 }));
  if (oneClass[0] || oneClass[1]) throw new MpcError('INVALID_ARGUMENT', `logistic regression needs both classes: no row has ${spec.target} = ${oneClass[0] ? label.positive : `a value other than ${label.positive}`}`);

  // B = XᵀX/(4n), committed as each party's share of the mean (upper triangle).
  const tri: [number, number][] = [];
  for (let i = 0; i < k; i++) for (let j = i; j < k; j++) tri.push([i, j]);
  const local = new Float64Array(tri.length);
  for (const v of X) tri.forEach(([i, j], t) => (local[t] += (v[i] * v[j]) / (4 * n)));
  const bound = fixed(spec.maxRows / n) + 1n;
  const Bp = await b.input(new Array<number>(b.n).fill(tri.length), Array.from(local, fixed), { lower: -bound, upper: bound });
  const Btri = Bp.reduce((acc, x) => b.add(acc, x));
  // G_ii = B_ii + λ + Σ_{j≠i} |B_ij|: |·| of the off-diagonal entries by one sign test.
  const off = tri.flatMap(([i, j], t) => (i === j ? [] : [t]));
  const offB = b.gather(Btri, off);
  const signWidth = F + Math.ceil(Math.log2(b.n * (spec.maxRows / n) + 2)) + 2;
  const neg = await b.b2a(await b.ltz(offB, { width: signWidth }));
  const absOff = b.sub(offB, b.mulPublic(await b.mul(neg, offB), 2n));
  const terms: (readonly [number, bigint])[][] = Array.from({ length: k }, (_, r) => [[tri.findIndex(([i, j]) => i === r && j === r), 1n] as const]);
  off.forEach((t, o) => {
    const [i, j] = tri[t];
    terms[i].push([tri.length + o, 1n]);
    terms[j].push([tri.length + o, 1n]);
  });
  const G = b.addPublic(linearMap(b, b.concat([Btri, absOff]), terms), fixed(lambda));
  // Honest G ≤ k/4 + λ; 1/G ≤ 1/λ < 2^14.
  const gBits = F + Math.ceil(Math.log2(k / 4 + 1)) + 2;
  const Ginv = await divFraction(b, b.constant(new Array<bigint>(k).fill(ONE)), G, { frac: F, yBits: gBits, int: PIVOT_INT_BITS, radixBits: radixFor(k, F) });

  let w = new Array<number>(k).fill(0);
  let prev = w;
  const path: number[][] = [];
  const gBound = fixed((spec.maxRows / n) * 2) + 1n;
  for (let t = 1, m = 1; t <= T; t++, m++) {
    // Momentum on opened models only: public, the same in every tab.
    const beta = (m - 1) / (m + 2);
    const y = w.map((wj, j) => wj + beta * (wj - prev[j]));
    const g = new Float64Array(k);
    for (let r = 0; r < X.length; r++) {
      let z = 0;
      for (let j = 0; j < k; j++) z += y[j] * X[r][j];
      const e = (sigmoid(z) - Y[r]) / n;
      for (let j = 0; j < k; j++) g[j] += e * X[r][j];
    }
    const gs = await b.input(new Array<number>(b.n).fill(k), Array.from(g, fixed), { lower: -gBound, upper: gBound });
    const grad = b.addPublic(gs.reduce((acc, x) => b.add(acc, x)), BigUint64Array.from(y, (yj) => BigInt.asUintN(64, fixed(lambda * yj))));
    // Opened at 2F fractional bits (no truncation round trip).
    const step = await b.open(await b.mul(Ginv, grad));
    const next = y.map((yj, j) => yj - Number(decodeSigned(step[j])) / 2 ** (2 * F));
    // Adaptive restart [OC15]: momentum is reset when the step turns against it.
    if (next.reduce((a, v, j) => a + (y[j] - v) * (v - w[j]), 0) > 0) m = 0;
    prev = w;
    w = next;
    path.push([...w]);
    if (step.every((s) => Math.abs(Number(decodeSigned(s))) / 2 ** (2 * F) < STEP_TOLERANCE)) break;
  }
  const coefficients = Object.fromEntries(scaling.map((s, j) => [s.name, w[j + 1] / s.scale]));
  const intercept = w[0] - scaling.reduce((a, s, j) => a + (w[j + 1] * s.center) / s.scale, 0);
  const model: LogisticModel = { type: 'logistic-regression', target: spec.target, positive: label.positive, features: scaling, weights: [...w], intercept, coefficients, n, iterations: path.length, ridge: lambda };
  return { kind: 'logistic', value: { intercept, coefficients, n }, model, path };
}
