/**
 * Federated averaging of a small MLP with secure aggregation (issue 13, "joint training"),
 * on the backend interface. FedAvg [MMRHA17] with the weight updates summed as shares
 * [BIK+17 in spirit: no party and no server sees another party's update].
 *
 * Each round t = 1..R:
 *   1. every party starts from the opened global model w_{t−1} (w_0 from the public seed),
 *      trains it locally for E epochs of minibatch SGD on its own rows (mlp-train.ts), and
 *      forms its update Δ_p = clip(w_p − w_{t−1}, ±c) · n_p / n;
 *   2. the updates enter the MPC as fixed-point inputs (F fractional bits) with the bounds
 *      ±c·2^F — in strict mode the MPC enforces them, so one party's influence on a round is
 *      at most c per weight, declared;
 *   3. Σ_p Δ_p is opened (one secure sum, one opening): w_t = w_{t−1} + Σ_p Δ_p, the
 *      row-weighted FedAvg average.
 *
 * What is opened, exactly (declared in the reveal notes): n, the pooled number of rows (the
 * weights n_p / n need it), and the averaged model after every round. Each party's update,
 * its row count and its rows stay secret. Deviating participants (strict mode) can choose
 * their own update within ±c per weight (as they could choose their rows) or abort.
 *
 * Fixed-point error: each opened weight differs from the float average by at most
 * N·2^−(F+1) per round (one rounding per party).
 *
 * [MMRHA17] McMahan, Moore, Ramage, Hampson, Agüera y Arcas. Communication-efficient
 *           learning of deep networks from decentralized data. AISTATS 2017.
 * [BIK+17]  Bonawitz et al. Practical secure aggregation for privacy-preserving machine
 *           learning. CCS 2017.
 */
import { MpcError } from '../errors.ts';
import type { Backend } from '../backend/types.ts';
import { decodeSigned } from '../ring.ts';
import type { ReadTable } from '../table/run-table.ts';
import { schemaColumn } from '../table/schema.ts';
import { binaryLabel } from './model-spec.ts';
import { type FeatureScaling, scaledRows, scalingOf } from './scaled-rows.ts';
import { type MlpSpec, mlpColumns } from './mlp-spec.ts';
import { type LocalData, initMlp, mlpAccuracy, mlpForward, trainLocal } from './mlp-train.ts';

/** Fractional bits of the committed updates. */
export const FEDAVG_FRAC_BITS = 24;
const SCALE = 2 ** FEDAVG_FRAC_BITS;

/** The downloadable model (JSON): features with their scaling, the flat weights. */
export interface MlpModel {
  type: 'mlp';
  target: string;
  positive: string;
  features: FeatureScaling[];
  hidden: number;
  /** W1 (hidden × features, row-major), b1, w2, b2 on the scaled features. */
  weights: number[];
  n: number;
  rounds: number;
  epochs: number;
  learningRate: number;
  clip: number;
}

export interface MlpOutput {
  kind: 'mlp';
  value: { n: number; rounds: number; hidden: number; weights: number };
  model: MlpModel;
  /** Training accuracy of the final model on this party's own rows (local, never sent). */
  ownAccuracy: number;
}

export const mlpScaling = (spec: MlpSpec): FeatureScaling[] => scalingOf(spec);

/** This party's usable rows, scaled to [−1, 1] by the declared bounds, and their 0/1 labels. */
export const mlpLocalData = (spec: MlpSpec, table: ReadTable): LocalData => scaledRows(spec, mlpColumns(spec), table, 0);

/** The local shuffling seed of party p in round t (local only; fixed so runs are reproducible). */
export const localSeed = (seed: number, round: number, party: number): number => (Math.imul(seed + 1, 0x9e3779b1) ^ Math.imul(round, 0x85ebca6b) ^ Math.imul(party + 1, 0xc2b2ae35)) >>> 0;

/** Party p's update of one round as the fixed-point integers it commits (clipped, weighted by n_p/n). */
export function encodeUpdate(local: Float64Array, global: Float64Array, clip: number, share: number): bigint[] {
  return Array.from(local, (v, k) => BigInt(Math.round(Math.max(-clip, Math.min(clip, v - global[k])) * share * SCALE)));
}

/** Trains on this party's rows; every party gets the same averaged model. */
export async function runFedAvg(b: Backend, spec: MlpSpec, table: ReadTable, onRound?: (round: number) => void): Promise<MlpOutput> {
  const label = binaryLabel(schemaColumn(spec.schema, spec.target), spec.positive)!;
  const d = spec.features.length;
  const h = spec.hidden;
  const data = mlpLocalData(spec, table);
  const counts = await b.input(new Array<number>(b.n).fill(1), [BigInt(data.X.length)], { lower: 0n, upper: BigInt(spec.maxRows) });
  const [nOpened] = await b.open(counts.reduce((acc, x) => b.add(acc, x)));
  const n = Number(nOpened);
  if (n < 2) throw new MpcError('INVALID_ARGUMENT', `the network needs rows: ${n === 0 ? 'no row' : 'only one row'} matches (after the filter and missing cells)`);
  const clip = Number(spec.clip);
  const bound = BigInt(Math.ceil(clip * SCALE));
  const learningRate = Number(spec.learningRate);
  let w = initMlp(d, h, spec.seed);
  const K = w.length;
  for (let t = 1; t <= spec.rounds; t++) {
    // 1. local training from the opened model (a party with no rows sends a zero update).
    const local = trainLocal(w, d, h, data, { epochs: spec.epochs, learningRate, seed: localSeed(spec.seed, t, b.self) });
    // 2. the clipped, row-weighted update as bounded fixed-point inputs.
    const mine = encodeUpdate(local, w, clip, data.X.length / n);
    const updates = await b.input(new Array<number>(b.n).fill(K), mine, { lower: -bound, upper: bound });
    // 3. one secure sum, one opening: the average update.
    const avg = await b.open(updates.reduce((acc, x) => b.add(acc, x)));
    const next = new Float64Array(K);
    for (let k = 0; k < K; k++) next[k] = w[k] + Number(decodeSigned(avg[k])) / SCALE;
    w = next;
    onRound?.(t);
  }
  const model: MlpModel = { type: 'mlp', target: spec.target, positive: label.positive, features: mlpScaling(spec), hidden: h, weights: Array.from(w), n, rounds: spec.rounds, epochs: spec.epochs, learningRate, clip };
  return { kind: 'mlp', value: { n, rounds: spec.rounds, hidden: h, weights: K }, model, ownAccuracy: mlpAccuracy(w, d, h, data) };
}

/** p(positive) for one row of raw feature values under a downloaded model. */
export function predictMlp(model: Pick<MlpModel, 'features' | 'hidden' | 'weights'>, x: readonly number[]): number {
  const scaled = model.features.map((f, j) => (x[j] - f.center) / f.scale);
  return mlpForward(Float64Array.from(model.weights), model.features.length, model.hidden, scaled);
}
