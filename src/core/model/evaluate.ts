/**
 * Joint model evaluation (issue 13) on the backend interface: every party holds a table of
 * model scores and true labels (or values); only the declared metrics are opened.
 *
 * Classification. Each party reduces its rows to per-score counts — for every score value s
 * (the score rounded to its declared decimals: B = (upper − lower)·10^d + 1 bins) and label,
 * per group and per model — plus its summed per-row log-loss and Brier terms, and commits
 * them with bounds the MPC enforces (counts in 0..maxRows, and the counts of every model
 * adding up to the party's committed row count, checked inside the MPC). Pooled over the
 * parties (local), those counts are the exact pooled score histogram, which stays secret.
 * From it, inside the MPC:
 * - confusion at the threshold t: TP = Σ_{s≥t} P_s, FP = Σ_{s≥t} N_s (prefix sums, local);
 * - ROC-AUC exact with ties counted ½ (Mann–Whitney): U2 = Σ_s P_s·(2·N_{<s} + N_s),
 *   AUC = U2 / (2·P·N), one multiplication layer and one division;
 * - PR-AUC as average precision (sklearn's average_precision_score; ties form one step):
 *   AP = (1/P)·Σ_s P_s·TP_s/(TP_s + FP_s) with TP_s, FP_s counted at threshold s;
 * - accuracy, precision, recall, F1 from the confusion counts; log-loss (probabilities
 *   clipped to [1e−15, 1 − 1e−15], as sklearn) and Brier from the committed sums;
 * - calibration: per equal-width score bin, the mean score and the observed positive rate.
 * Regression: per group, committed sums of u, u², e², |e| over rows (u the target and e the
 * error, both divided by the public range W of target and predictions), giving MSE, RMSE,
 * MAE and R² = 1 − MSE/Var(y).
 * Every metric is a ratio computed by oblivious division (fraction.ts, 24 fractional bits;
 * AUC, AP, log-loss, Brier and regression means 30) and only the ratio is opened — plus the confusion counts and n when
 * declared. A ratio whose denominator is 0 (a group with no rows, no predicted positive)
 * comes out saturated and is shown as undefined (null). Per-party counts stay secret.
 * Precision: accuracy, precision, recall, F1, calibration within 2^−24 of the exact value on
 * the rounded scores, AUC within 2^−30, AP within 2^−23;
 * log-loss and Brier within that plus 2^−30·N/n of the units (each party rounds its sum
 * once); regression means within 2^−29 of W² (resp. W), R² within ~2^−20 + 2^−30/Var(u).
 *
 * Deviating participants (strict mode): a party can choose its own counts and sums within
 * the enforced bounds (as it could choose its own rows), or make the run abort; sums that no
 * table could produce (a log-loss sum above its row count's maximum) are bounded by maxRows.
 */
import { MpcError } from '../errors.ts';
import type { Backend, Shared } from '../backend/types.ts';
import { decodeSigned } from '../ring.ts';
import { parseDecimal } from '../fixed-point.ts';
import { isqrtFloor } from '../table/fixed-math.ts';
import type { ReadTable } from '../table/run-table.ts';
import { selectedRows } from '../table/run-table.ts';
import { schemaColumn } from '../table/schema.ts';
import { bitLength } from '../computations/search.ts';
import { divFraction, linearMap, prefixSums, radixFor, saturated } from './fraction.ts';
import { type EvaluateSpec, type Metric, type NumberColumn, binaryLabel, modelColumns, scaledBounds } from './model-spec.ts';

export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export interface CalibrationRow {
  from: number;
  to: number;
  meanScore: number | null;
  observed: number | null;
}

export interface EvalMetrics {
  n?: number;
  confusion?: Confusion;
  accuracy?: number | null;
  precision?: number | null;
  recall?: number | null;
  f1?: number | null;
  auc?: number | null;
  prAuc?: number | null;
  logLoss?: number | null;
  brier?: number | null;
  calibration?: CalibrationRow[];
  mse?: number | null;
  rmse?: number | null;
  mae?: number | null;
  r2?: number | null;
}

export interface EvalSlice {
  /** Model A's metrics (the only model unless two score columns are declared). */
  value: EvalMetrics;
  /** Two models: each model's metrics by score column, and A − B per scalar metric. */
  byModel?: Record<string, EvalMetrics>;
  difference?: Record<string, number | null>;
}

export interface EvaluateOutput extends EvalSlice {
  kind: 'evaluate';
  task: 'classification' | 'regression';
  models: string[];
  /** Per value of the group column (fairness slices). */
  groups?: (EvalSlice & { group: Record<string, string> })[];
}

const F = 24;
/** Fractional bits of the wide ratios (AUC, AP, log-loss, Brier): log-loss is scaled by 34.5 after. */
const FW = 30;
/** Fixed point of the committed per-row sums (log-loss, Brier, regression terms). */
const K = 30;
const EPS = 1e-15;
const L_MAX = -Math.log(EPS);

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;
const sig = (x: number): number => Number(x.toPrecision(10));
const fixedOf = (x: number): bigint => BigInt(Math.round(x * 2 ** K));
const pooled = (b: Backend, xs: Shared[]): Shared => xs.reduce((a, x) => b.add(a, x));
const zeros = (n: number): bigint[] => new Array<bigint>(n).fill(0n);

/** Rows used: valid in every needed column and passing the filter (the same rows for every metric and model). */
export function rowsOf(spec: Pick<EvaluateSpec, 'schema' | 'where' | 'maxRows'>, needed: string[], table: ReadTable): Uint8Array {
  // selectedRows reads only schema, where, maxRows and the needed columns of a correlation spec.
  return selectedRows({ kind: 'correlation', schema: spec.schema, where: spec.where, maxRows: spec.maxRows, columns: needed }, table);
}

/** Group index of every row (0 when there is no group column) and the group labels. */
function groupsOf(spec: EvaluateSpec, table: ReadTable): { G: number; labels: string[]; of: (r: number) => number } {
  if (!spec.groupBy) return { G: 1, labels: [], of: () => 0 };
  const c = schemaColumn(spec.schema, spec.groupBy);
  const labels = c.type === 'category' ? c.values : ['no', 'yes'];
  const values = table.columns.get(c.name)!.values;
  return { G: labels.length, labels, of: (r) => values[r] };
}

/** Collects fractions to divide in one batched call; `at` gives each one's quotient after `run`. */
class Fractions {
  private xs: Shared[] = [];
  private ys: Shared[] = [];
  private size = 0;
  yBits = 1;
  constructor(private readonly b: Backend, readonly frac: number) {}
  add(x: Shared, y: Shared, yBits: number): number {
    this.xs.push(x);
    this.ys.push(y);
    this.yBits = Math.max(this.yBits, yBits);
    const at = this.size;
    this.size += x.length;
    return at;
  }
  get empty(): boolean {
    return this.size === 0;
  }
  /** Bits per digit used by `run` (quotients are read with the matching `saturated`). */
  get radixBits(): number {
    return radixFor(this.size, this.frac);
  }
  async run(): Promise<Shared> {
    return divFraction(this.b, this.b.concat(this.xs), this.b.concat(this.ys), { frac: this.frac, yBits: this.yBits, radixBits: this.radixBits });
  }
}

/** An opened fraction, or null when its denominator was 0. */
const fractionValue = (q: bigint, f: Fractions): number | null => (q === saturated({ frac: f.frac, radixBits: f.radixBits }) ? null : Number(q) / 2 ** f.frac);

async function checkCounts(b: Backend, hists: Shared[], rowCounts: Shared[], models: number): Promise<void> {
  // Every model's counts of a party add up to its committed row count (0..maxRows).
  const diffs = hists.map((h, p) => b.sub(b.sumGroups(h, h.length / models), b.gather(rowCounts[p], new Array(models).fill(0))));
  const ok = await b.openBits(await b.eq(b.concat(diffs), b.constant(zeros(diffs.length * models))));
  if (ok.some((v) => v !== 1)) throw new MpcError('INPUT_OUT_OF_RANGE', "a participant's per-score counts do not add up to its row count");
}

async function classification(b: Backend, spec: EvaluateSpec, table: ReadTable): Promise<EvaluateOutput> {
  const metrics = new Set<Metric>(spec.metrics);
  const label = binaryLabel(schemaColumn(spec.schema, spec.target), spec.positive)!;
  const scores = spec.score.map((s) => schemaColumn(spec.schema, s) as NumberColumn);
  const M = scores.length;
  const { lo, hi } = scaledBounds(scores[0]);
  const B = Number(hi - lo) + 1;
  const { G, labels, of } = groupsOf(spec, table);
  const rows = rowsOf(spec, modelColumns(spec), table);
  const target = table.columns.get(spec.target)!.values;
  const scoreValues = scores.map((s) => table.columns.get(s.name)!.values);
  const pow = 10 ** scores[0].decimals;
  // Layout ((m·2 + y)·B + bin)·G + g, so the all-rows counts are sumGroups(·, G).
  const hist = new Float64Array(M * 2 * B * G);
  const ll = new Float64Array(M * G);
  const br = new Float64Array(M * G);
  let used = 0;
  for (let r = 0; r < rows.length; r++) {
    if (!rows[r]) continue;
    used++;
    const g = of(r);
    const y = label.of(target[r]);
    for (let m = 0; m < M; m++) {
      const s = scoreValues[m][r];
      hist[((m * 2 + y) * B + (s - Number(lo))) * G + g]++;
      const p = Math.min(1 - EPS, Math.max(EPS, s / pow));
      ll[m * G + g] += -(y ? Math.log(p) : Math.log(1 - p)) / L_MAX;
      br[m * G + g] += (s / pow - y) ** 2;
    }
  }
  const max = BigInt(spec.maxRows);
  const histLen = new Array<number>(b.n).fill(M * 2 * B * G);
  const hists = await b.input(histLen, Array.from(hist, BigInt), { lower: 0n, upper: max });
  const rowCounts = await b.input(new Array<number>(b.n).fill(1), [BigInt(used)], { lower: 0n, upper: max });
  await checkCounts(b, hists, rowCounts, M);
  const wantSums = metrics.has('logLoss') || metrics.has('brier');
  const sums = wantSums ? pooled(b, await b.input(new Array<number>(b.n).fill(2 * M * G), [...Array.from(ll, fixedOf), ...Array.from(br, fixedOf)], { lower: 0n, upper: max << BigInt(K) })) : undefined;

  // Slices (m, g'): g' = 0 all rows, g' = 1.. the groups (only with a group column).
  const H = pooled(b, hists);
  const grouped = spec.groupBy !== undefined;
  const Gs = grouped ? G + 1 : 1;
  const S = M * Gs;
  const all = b.sumGroups(H, G); // (m·2 + y)·B + bin
  const src = b.concat([all, H]);
  const histIdx = (y: number) => {
    const idx = new Array<number>(S * B);
    for (let m = 0; m < M; m++)
      for (let g = 0; g < Gs; g++)
        for (let bin = 0; bin < B; bin++) {
          const base = (m * 2 + y) * B + bin;
          idx[(m * Gs + g) * B + bin] = g === 0 ? base : all.length + base * G + (g - 1);
        }
    return idx;
  };
  const P = b.gather(src, histIdx(1));
  const N = b.gather(src, histIdx(0));
  const Pt = b.sumGroups(P, B);
  const Nt = b.sumGroups(N, B);
  const n = b.add(Pt, Nt);
  const cumP = prefixSums(b, P, B);
  const cumN = prefixSums(b, N, B);
  const sliceIdx = (off: number) => Array.from({ length: S }, (_, s) => s * B + off);
  const cBits = bitLength(BigInt(b.n * spec.maxRows)) + 1;

  let TP = Pt;
  let FP = Nt;
  if (spec.threshold !== undefined) {
    const t = Number(parseDecimal(spec.threshold, scores[0].decimals) - lo);
    if (t > 0) {
      TP = b.sub(Pt, b.gather(cumP, sliceIdx(t - 1)));
      FP = b.sub(Nt, b.gather(cumN, sliceIdx(t - 1)));
    }
  }
  const narrow = new Fractions(b, F);
  const wide = new Fractions(b, FW);
  const at: Partial<Record<string, { f: Fractions; i: number }>> = {};
  const put = (name: string, f: Fractions, x: Shared, y: Shared, yBits: number) => (at[name] = { f, i: f.add(x, y, yBits) });
  if (metrics.has('accuracy')) put('accuracy', narrow, b.add(TP, b.sub(Nt, FP)), n, cBits);
  if (metrics.has('precision')) put('precision', narrow, TP, b.add(TP, FP), cBits);
  if (metrics.has('recall')) put('recall', narrow, TP, Pt, cBits);
  if (metrics.has('f1')) put('f1', narrow, b.mulPublic(TP, 2n), b.add(Pt, b.add(TP, FP)), cBits + 1);
  const bcast = (x: Shared) => b.gather(x, Array.from({ length: S * B }, (_, i) => Math.floor(i / B)));
  if (metrics.has('prAuc')) {
    const tps = b.add(b.sub(bcast(Pt), cumP), P); // positives with score ≥ s
    const fps = b.add(b.sub(bcast(Nt), cumN), N);
    put('apBins', narrow, tps, b.add(tps, fps), cBits);
  }
  const C = spec.calibrationBins ?? 0;
  if (metrics.has('calibration')) {
    const W = B - 1;
    const binOf = (i: number) => Math.min(C - 1, Math.floor((i * C) / W));
    const terms = (weight: (i: number) => bigint) => {
      const out: [number, bigint][][] = [];
      for (let s = 0; s < S; s++) for (let c = 0; c < C; c++) out.push([]);
      for (let s = 0; s < S; s++) for (let i = 0; i < B; i++) out[s * C + binOf(i)].push([s * B + i, weight(i)]);
      return out;
    };
    const PN = b.concat([P, N]);
    const both = (w: (i: number) => bigint) => terms(w).map((t) => [...t, ...t.map(([j, c]): [number, bigint] => [j + S * B, c])]);
    const cnt = linearMap(b, PN, both(() => 1n));
    const pos = linearMap(b, PN, terms(() => 1n));
    const ssum = linearMap(b, PN, both((i) => BigInt(i)));
    put('observed', narrow, pos, cnt, cBits);
    put('meanScore', narrow, ssum, b.mulPublic(cnt, BigInt(W)), cBits + bitLength(BigInt(W)));
  }

  let qNarrow: Shared | undefined;
  if (!narrow.empty) qNarrow = await narrow.run();
  // One multiplication layer: the AUC's U2 and P·N, and AP's Σ P_s·precision_s.
  const layer: [Shared, Shared][] = [];
  if (metrics.has('auc')) layer.push([P, b.sub(b.mulPublic(cumN, 2n), N)], [Pt, Nt]);
  if (metrics.has('prAuc')) layer.push([P, b.slice(qNarrow!, at.apBins!.i, at.apBins!.i + S * B)]);
  if (layer.length) {
    const prod = await b.mul(b.concat(layer.map(([x]) => x)), b.concat(layer.map(([, y]) => y)));
    let o = 0;
    if (metrics.has('auc')) {
      const u2 = b.sumGroups(b.slice(prod, 0, S * B), B);
      const pn = b.slice(prod, S * B, S * B + S);
      o = S * B + S;
      put('auc', wide, u2, b.mulPublic(pn, 2n), 2 * cBits + 1);
    }
    if (metrics.has('prAuc')) put('prAuc', wide, b.sumGroups(b.slice(prod, o, o + S * B), B), b.mulPublic(Pt, 1n << BigInt(F)), cBits + F);
  }
  if (sums) {
    // sums: ll (m·G + g), then br; all rows = Σ_g.
    const sliceSums = (off: number) => {
      const groupsOnly = b.slice(sums, off, off + M * G);
      const allRows = b.sumGroups(groupsOnly, G);
      return grouped ? b.gather(b.concat([allRows, groupsOnly]), Array.from({ length: S }, (_, s) => (s % Gs === 0 ? Math.floor(s / Gs) : M + Math.floor(s / Gs) * G + (s % Gs) - 1))) : allRows;
    };
    const nK = b.mulPublic(n, 1n << BigInt(K));
    if (metrics.has('logLoss')) put('logLoss', wide, sliceSums(0), nK, cBits + K);
    if (metrics.has('brier')) put('brier', wide, sliceSums(M * G), nK, cBits + K);
  }
  let qWide: Shared | undefined;
  if (!wide.empty) qWide = await wide.run();

  // Open only the declared outputs, in one call.
  const outs: Shared[] = [];
  if (metrics.has('n')) outs.push(n);
  if (metrics.has('confusion')) outs.push(TP, FP, b.sub(Nt, FP), b.sub(Pt, TP));
  const scalarNarrow = ['accuracy', 'precision', 'recall', 'f1'].filter((m) => at[m]);
  for (const m of scalarNarrow) outs.push(b.slice(qNarrow!, at[m]!.i, at[m]!.i + S));
  if (metrics.has('calibration')) outs.push(b.slice(qNarrow!, at.observed!.i, at.observed!.i + S * C), b.slice(qNarrow!, at.meanScore!.i, at.meanScore!.i + S * C));
  const scalarWide = ['auc', 'prAuc', 'logLoss', 'brier'].filter((m) => at[m]);
  for (const m of scalarWide) outs.push(b.slice(qWide!, at[m]!.i, at[m]!.i + S));
  const opened = await b.open(b.concat(outs));
  let cursor = 0;
  const take = (len: number) => Array.from(opened.subarray(cursor, (cursor += len)));
  const perSlice: EvalMetrics[] = Array.from({ length: S }, () => ({}));
  if (metrics.has('n')) take(S).forEach((v, s) => (perSlice[s].n = Number(v)));
  if (metrics.has('confusion')) {
    const [tp, fp, tn, fn] = [take(S), take(S), take(S), take(S)];
    for (let s = 0; s < S; s++) perSlice[s].confusion = { tp: Number(tp[s]), fp: Number(fp[s]), tn: Number(tn[s]), fn: Number(fn[s]) };
  }
  for (const m of scalarNarrow) take(S).forEach((q, s) => ((perSlice[s] as Record<string, unknown>)[m] = nullable(fractionValue(q, narrow), round6)));
  if (metrics.has('calibration')) {
    const [obs, mean] = [take(S * C), take(S * C)];
    const loN = Number(lo);
    const W = B - 1;
    for (let s = 0; s < S; s++) {
      perSlice[s].calibration = Array.from({ length: C }, (_, c) => {
        const from = loN + Math.ceil((c * W) / C);
        const to = c === C - 1 ? loN + W : loN + Math.ceil(((c + 1) * W) / C);
        const ms = fractionValue(mean[s * C + c], narrow);
        return { from: from / pow, to: to / pow, meanScore: ms === null ? null : round6((loN + ms * W) / pow), observed: nullable(fractionValue(obs[s * C + c], narrow), round6) };
      });
    }
  }
  for (const m of scalarWide) {
    take(S).forEach((q, s) => {
      const v = fractionValue(q, wide);
      (perSlice[s] as Record<string, unknown>)[m] = v === null ? null : round6(m === 'logLoss' ? v * L_MAX : v);
    });
  }
  return assemble(spec, 'classification', perSlice, Gs, labels);
}

const nullable = (v: number | null, f: (x: number) => number): number | null => (v === null ? null : f(v));

const r2Bits = (count: number) => ({ frac: F, yBits: 32, int: 10, radixBits: radixFor(count, F) });

async function regression(b: Backend, spec: EvaluateSpec, table: ReadTable): Promise<EvaluateOutput> {
  const metrics = new Set<Metric>(spec.metrics);
  const targetCol = schemaColumn(spec.schema, spec.target) as NumberColumn;
  const cols = [targetCol, ...spec.score.map((s) => schemaColumn(spec.schema, s) as NumberColumn)];
  const M = cols.length - 1;
  const real = (c: NumberColumn) => ({ lo: Number(c.lower), hi: Number(c.upper), pow: 10 ** c.decimals });
  const lo = Math.min(...cols.map((c) => real(c).lo));
  const W = Math.max(...cols.map((c) => real(c).hi)) - lo;
  const { G, labels, of } = groupsOf(spec, table);
  const rows = rowsOf(spec, modelColumns(spec), table);
  const values = cols.map((c) => ({ v: table.columns.get(c.name)!.values, pow: real(c).pow }));
  const count = new Array<bigint>(G).fill(0n);
  const s1 = new Float64Array(G);
  const s2 = new Float64Array(G);
  const sse = new Float64Array(M * G);
  const sae = new Float64Array(M * G);
  for (let r = 0; r < rows.length; r++) {
    if (!rows[r]) continue;
    const g = of(r);
    count[g]++;
    const y = values[0].v[r] / values[0].pow;
    const u = (y - lo) / W;
    s1[g] += u;
    s2[g] += u * u;
    for (let m = 0; m < M; m++) {
      const e = (values[m + 1].v[r] / values[m + 1].pow - y) / W;
      sse[m * G + g] += e * e;
      sae[m * G + g] += Math.abs(e);
    }
  }
  const max = BigInt(spec.maxRows);
  const ns = pooled(b, await b.input(new Array<number>(b.n).fill(G), count, { lower: 0n, upper: max }));
  const L = 2 * G + 2 * M * G;
  const sums = pooled(b, await b.input(new Array<number>(b.n).fill(L), [...s1, ...s2, ...sse, ...sae].map(fixedOf), { lower: 0n, upper: max << BigInt(K) }));
  const grouped = spec.groupBy !== undefined;
  const Gs = grouped ? G + 1 : 1;
  const S = M * Gs;
  // Per-group vectors (length G) → per slice (m, g'), g' = 0 all rows.
  const toSlices = (x: Shared, perModel: boolean) => {
    const groupsOnly = x;
    const allRows = b.sumGroups(groupsOnly, G);
    const rowsPer = perModel ? M : 1;
    const idx = Array.from({ length: S }, (_, s) => {
      const m = perModel ? Math.floor(s / Gs) : 0;
      const g = s % Gs;
      return grouped ? (g === 0 ? m : rowsPer + m * G + g - 1) : m;
    });
    return b.gather(b.concat([allRows, groupsOnly]), idx);
  };
  const n = toSlices(ns, false);
  const nK = b.mulPublic(n, 1n << BigInt(K));
  const FR = 30;
  const cBits = bitLength(BigInt(b.n * spec.maxRows)) + 1;
  const parts = [toSlices(b.slice(sums, 0, G), false), toSlices(b.slice(sums, G, 2 * G), false), toSlices(b.slice(sums, 2 * G, 2 * G + M * G), true), toSlices(b.slice(sums, 2 * G + M * G, L), true)];
  const meanBits = { frac: FR, radixBits: radixFor(4 * S, FR) };
  const means = await divFraction(b, b.concat(parts), b.concat([nK, nK, nK, nK]), { ...meanBits, yBits: cBits + K });
  const [m1, m2, mse, mae] = [0, 1, 2, 3].map((k) => b.slice(means, k * S, (k + 1) * S));
  let r2: Shared | undefined;
  let r2Defined: Uint8Array | undefined;
  if (metrics.has('r2')) {
    const variance = b.sub(m2, await b.truncate(await b.mul(m1, m1), FR, { width: 2 * FR + 4 }));
    // Var(u) < 2^−24 or no rows: R² is refused for that slice (two opened bits each, implied by R² = null).
    // A slice with no rows (n = 0) has saturated means: its variance is meaningless, so it is flagged too.
    const flags = await b.openBits(b.concatBits([await b.ltz(b.addPublic(variance, -(1n << BigInt(FR - 24)))), await b.eq(n, b.constant(zeros(S)))]));
    r2Defined = Uint8Array.from({ length: S }, (_, s) => (flags[s] || flags[S + s] ? 0 : 1));
    const keep = Array.from(r2Defined.keys()).filter((s) => r2Defined![s]);
    if (keep.length) r2 = await divFraction(b, b.gather(mse, keep), b.gather(variance, keep), r2Bits(keep.length));
  }
  let rmse: Shared | undefined;
  if (metrics.has('rmse') && !metrics.has('mse')) rmse = await isqrtFloor(b, b.mulPublic(mse, 1n << BigInt(FR)), FR + 1);
  const outs: Shared[] = [];
  if (metrics.has('n')) outs.push(n);
  if (metrics.has('mse')) outs.push(mse);
  if (metrics.has('mae')) outs.push(mae);
  if (rmse) outs.push(rmse);
  if (r2) outs.push(r2);
  const opened = await b.open(b.concat(outs));
  let cursor = 0;
  const take = (len: number) => Array.from(opened.subarray(cursor, (cursor += len)));
  const perSlice: EvalMetrics[] = Array.from({ length: S }, () => ({}));
  const undefinedN = saturated(meanBits);
  let nOpen: bigint[] | undefined;
  if (metrics.has('n')) nOpen = take(S);
  nOpen?.forEach((v, s) => (perSlice[s].n = Number(v)));
  let mseOpen: (number | null)[] = [];
  if (metrics.has('mse')) {
    mseOpen = take(S).map((q) => (q === undefinedN ? null : Number(q) / 2 ** FR));
    mseOpen.forEach((v, s) => (perSlice[s].mse = v === null ? null : sig(v * W * W)));
  }
  if (metrics.has('mae')) take(S).forEach((q, s) => (perSlice[s].mae = q === undefinedN ? null : sig((Number(q) / 2 ** FR) * W)));
  if (metrics.has('rmse')) {
    if (rmse) take(S).forEach((q, s) => (perSlice[s].rmse = q > 1n << BigInt(FR) ? null : sig((Number(q) / 2 ** FR) * W)));
    else mseOpen.forEach((v, s) => (perSlice[s].rmse = v === null ? null : sig(Math.sqrt(v) * W)));
  }
  if (metrics.has('r2')) {
    const q = r2 ? take(r2.length) : [];
    let k = 0;
    for (let s = 0; s < S; s++) {
      if (!r2Defined![s]) {
        perSlice[s].r2 = null;
        continue;
      }
      const v = q[k++];
      perSlice[s].r2 = v === saturated(r2Bits(q.length)) ? null : round6(1 - Number(decodeSigned(v)) / 2 ** F);
    }
  }
  return assemble(spec, 'regression', perSlice, Gs, labels);
}

const SCALARS = ['n', 'accuracy', 'precision', 'recall', 'f1', 'auc', 'prAuc', 'logLoss', 'brier', 'mse', 'rmse', 'mae', 'r2'] as const;

function sliceOf(spec: EvaluateSpec, perSlice: EvalMetrics[], Gs: number, g: number): EvalSlice {
  const byModel = spec.score.map((_, m) => perSlice[m * Gs + g]);
  if (byModel.length === 1) return { value: byModel[0] };
  const difference: Record<string, number | null> = {};
  for (const k of SCALARS) {
    const [a, c] = [byModel[0][k], byModel[1][k]];
    if (a === undefined || k === 'n') continue;
    difference[k] = a === null || c === null || c === undefined ? null : round6(a - c);
  }
  return { value: byModel[0], byModel: Object.fromEntries(spec.score.map((s, m) => [s, byModel[m]])), difference };
}

function assemble(spec: EvaluateSpec, task: EvaluateOutput['task'], perSlice: EvalMetrics[], Gs: number, labels: string[]): EvaluateOutput {
  const out: EvaluateOutput = { kind: 'evaluate', task, models: spec.score, ...sliceOf(spec, perSlice, Gs, 0) };
  if (spec.groupBy) out.groups = labels.map((l, i) => ({ group: { [spec.groupBy!]: l }, ...sliceOf(spec, perSlice, Gs, i + 1) }));
  return out;
}

/** Runs a joint evaluation on this party's table; every party gets the same output. */
export async function runEvaluation(b: Backend, spec: EvaluateSpec, table: ReadTable): Promise<EvaluateOutput> {
  const label = binaryLabel(schemaColumn(spec.schema, spec.target), spec.positive);
  return label ? classification(b, spec, table) : regression(b, spec, table);
}
