/**
 * A small multilayer perceptron and its local trainer (issue 13, federated averaging): one
 * hidden layer of ReLU units, a sigmoid output for a yes/no label, binary cross-entropy,
 * minibatch SGD, all on Float64Arrays. Deterministic given its seeds (the same weights in the
 * simulation, the worker, the Node party and the plaintext oracle).
 *
 * Why our own trainer and not TensorFlow.js: the nets here have at most ~20,000 weights and
 * one hidden layer; a forward/backward pass is ~40 lines of plain loops, runs unchanged in
 * the MPC worker and Node, and is bit-for-bit reproducible. TF.js would add ~10 MB of
 * dependency (and a WebGL/WASM backend choice) for no measurable gain at this size.
 *
 * Layout of the flat parameter vector (what is averaged): W1 (hidden × d, row-major),
 * b1 (hidden), w2 (hidden), b2 (1) — `mlpWeightCount(d, hidden)` numbers.
 * Security: none (local, plaintext; the caller decides what leaves the tab).
 * [MMRHA17] McMahan et al. Communication-efficient learning of deep networks from
 *           decentralized data. AISTATS 2017 (FedAvg).
 */

export const mlpWeightCount = (d: number, hidden: number): number => hidden * d + 2 * hidden + 1;

/** Minibatch size of local SGD (public, the same for every party). */
export const MLP_BATCH = 16;

/** A small seeded generator (mulberry32); not cryptographic, only reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const gaussian = (r: () => number): number => Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** The initial model every party starts from (He initialisation from the public seed). */
export function initMlp(d: number, hidden: number, seed: number): Float64Array {
  const r = seededRandom(seed);
  const w = new Float64Array(mlpWeightCount(d, hidden));
  const s1 = Math.sqrt(2 / d);
  for (let i = 0; i < hidden * d; i++) w[i] = s1 * gaussian(r);
  const s2 = Math.sqrt(1 / hidden);
  const o2 = hidden * d + hidden;
  for (let j = 0; j < hidden; j++) w[o2 + j] = s2 * gaussian(r);
  return w;
}

/** p(positive) of one scaled feature row under the flat weights `w`. */
export function mlpForward(w: Float64Array, d: number, hidden: number, x: ArrayLike<number>, h: Float64Array = new Float64Array(hidden)): number {
  const b1 = hidden * d;
  const w2 = b1 + hidden;
  let z = w[w2 + hidden];
  for (let j = 0; j < hidden; j++) {
    let a = w[b1 + j];
    const row = j * d;
    for (let i = 0; i < d; i++) a += w[row + i] * x[i];
    h[j] = a > 0 ? a : 0;
    z += w[w2 + j] * h[j];
  }
  return sigmoid(z);
}

export interface LocalData {
  /** Scaled feature rows, each of length d. */
  X: readonly Float64Array[];
  /** Labels 0/1. */
  Y: readonly number[];
}

/**
 * `epochs` passes of minibatch SGD over `data` from `start`; returns the new weights
 * (`start` is not changed). The row order of each epoch comes from `seed`.
 */
export function trainLocal(start: Float64Array, d: number, hidden: number, data: LocalData, opts: { epochs: number; learningRate: number; seed: number }): Float64Array {
  const w = Float64Array.from(start);
  const n = data.X.length;
  if (n === 0) return w;
  const r = seededRandom(opts.seed);
  const order = Array.from({ length: n }, (_, i) => i);
  const grad = new Float64Array(w.length);
  const h = new Float64Array(hidden);
  const b1 = hidden * d;
  const w2 = b1 + hidden;
  for (let e = 0; e < opts.epochs; e++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (let s = 0; s < n; s += MLP_BATCH) {
      const end = Math.min(n, s + MLP_BATCH);
      grad.fill(0);
      for (let t = s; t < end; t++) {
        const x = data.X[order[t]];
        const dz = mlpForward(w, d, hidden, x, h) - data.Y[order[t]];
        grad[w2 + hidden] += dz;
        for (let j = 0; j < hidden; j++) {
          if (h[j] <= 0) continue;
          grad[w2 + j] += dz * h[j];
          const dh = dz * w[w2 + j];
          grad[b1 + j] += dh;
          const row = j * d;
          for (let i = 0; i < d; i++) grad[row + i] += dh * x[i];
        }
      }
      const step = opts.learningRate / (end - s);
      for (let k = 0; k < w.length; k++) w[k] -= step * grad[k];
    }
  }
  return w;
}

/** Share of rows classified correctly at p ≥ 0.5. */
export function mlpAccuracy(w: Float64Array, d: number, hidden: number, data: LocalData): number {
  if (data.X.length === 0) return Number.NaN;
  const h = new Float64Array(hidden);
  let right = 0;
  data.X.forEach((x, r) => (right += (mlpForward(w, d, hidden, x, h) >= 0.5 ? 1 : 0) === data.Y[r] ? 1 : 0));
  return right / data.X.length;
}
