/**
 * Table computations on the backend interface (issue 12): cross-tabs and correlation
 * matrices over everyone's rows, revealing only the declared output.
 *
 * Each party reduces its own table locally to aggregates over its usable rows (valid in
 * every needed column and passing the filter) and commits them with bounds the MPC
 * enforces (backend `input`): the row count n_p ∈ [0, maxRows] and sums bounded by
 * maxRows × the column bounds. The pooled aggregates are only ever shares; the outputs:
 * - crosstab: per cell the pooled count and sum are opened (the declared output: count,
 *   sum and mean per group; the mean is computed from them in the clear, exact rounding).
 *   Per-party counts stay secret.
 * - correlation: the centred cross-product matrix A = N·Q − T·Tᵀ (N pooled rows, T column
 *   sums, Q cross sums) is computed and scaled inside the MPC, and r_ij = A_ij / √(A_ii·A_jj)
 *   by an oblivious square root and division (fixed-math.ts); only the matrix is opened,
 *   with the pooled number of rows used (n, declared with the matrix, as statistics quote
 *   it), and one bit per column: "no variation" or "bounds far too wide for the data", which
 *   refuse the run with a message naming the column instead of a NaN.
 * Precision (correlation): values are centred on the bounds' midpoint and, when needed to
 * fit 64-bit arithmetic, rounded to ≥ 8 bits below the bound range (`valueBits`); A is
 * truncated to 31 bits and r has 16 fractional bits; the result is shown to 4 decimals and
 * is within 1e-3 of the exact Pearson r of the rows used (tests check 2e-3 on random data).
 *
 * Deviating participants (strict mode): a party can only choose its own aggregates within
 * the enforced bounds (as it could choose its own rows), or make the run abort; aggregates
 * that no real table could produce (Σx² < (Σx)²/n) are possible but bounded by maxRows × the
 * column bounds. That is the difference to committing every row, which costs a
 * multiplication per row and column pair; see the note in docs/threat-model.md.
 */
import { MpcError } from '../errors.ts';
import type { Backend, Shared } from '../backend/types.ts';
import { decodeSigned } from '../ring.ts';
import { formatDecimal } from '../fixed-point.ts';
import { roundDiv } from '../computations/rounding.ts';
import { bitLength } from '../computations/search.ts';
import { A_BITS, R_FRACTION_BITS, absSigned, divFloor, isqrtFloor } from './fixed-math.ts';
import type { FilterTerm } from './filter.ts';
import type { TableRead } from './read-table.ts';
import { usableRows } from './read-table.ts';
import { type TableSpec, crosstabCells, neededColumns } from './table-spec.ts';
import { type ColumnSchema, type TableSchema, schemaColumn } from './schema.ts';
import { guardCounts } from '../dp/aggregates.ts';
import { dpOf } from '../dp/params.ts';
import { openWithNoise, planRelease } from '../dp/release.ts';
import { type RegressionOutput, linearRegression } from './regression.ts';

export type ReadTable = Extract<TableRead, { ok: true }>;

export interface CrosstabCell {
  group: Record<string, string>;
  count: number;
  /** With a minimum group size: the cell has fewer rows than k (count, sum and mean not opened). */
  suppressed?: boolean;
  sum?: string;
  mean?: string | null;
}

export type TableOutput =
  | { kind: 'crosstab'; value: CrosstabCell[]; dp?: { epsilon: string; delta: string; halfWidth: string; /** With a value column: the sums' 95 % half-width (its decimals). */ sumHalfWidth?: string } }
  | { kind: 'correlation'; columns: string[]; n: number; value: number[][] }
  | RegressionOutput;

export const isTableOutput = (o: { kind: string }): o is TableOutput => o.kind === 'crosstab' || o.kind === 'correlation' || o.kind === 'regression';


const MIN_A_BITS = 16;

/** A decimal string of the column as its scaled integer (|x| < 2^52, ≤ 6 decimals: exact after rounding). */
export const scaled = (c: Extract<ColumnSchema, { type: 'number' }>, v: string): number => Math.round(Number(v) * 10 ** c.decimals);

/** Does row r of `table` pass the filter term t? */
export function termPasses(schema: TableSchema, table: ReadTable, t: FilterTerm, r: number): boolean {
  const col = schemaColumn(schema, t.column);
  const v = table.columns.get(col.name)!.values[r];
  const k = col.type === 'number' ? scaled(col, t.value) : col.type === 'boolean' ? (t.value === 'yes' ? 1 : 0) : col.values.indexOf(t.value);
  switch (t.op) {
    case '=':
      return v === k;
    case '!=':
      return v !== k;
    case '<':
      return v < k;
    case '<=':
      return v <= k;
    case '>':
      return v > k;
    case '>=':
      return v >= k;
  }
}

/** 1 for the rows this computation uses: valid in every needed column and passing the filter. */
export function selectedRows(spec: TableSpec, table: ReadTable): Uint8Array {
  const rows = usableRows(table, neededColumns(spec));
  for (let r = 0; r < rows.length; r++) if (rows[r] && !spec.where.every((t) => termPasses(spec.schema, table, t, r))) rows[r] = 0;
  let used = 0;
  for (const x of rows) used += x;
  if (used > spec.maxRows) throw new MpcError('INVALID_ARGUMENT', `this table has ${used} rows for this computation; the room allows at most ${spec.maxRows} per participant`);
  return rows;
}

const big = (x: number): bigint => BigInt(Math.round(x));

/** Elementwise sum over the parties' committed vectors (local). */
const pooled = (b: Backend, xs: Shared[]): Shared => xs.reduce((a, x) => b.add(a, x));

async function crosstab(b: Backend, spec: TableSpec, table: ReadTable, rows: Uint8Array): Promise<TableOutput> {
  const { columns, cells } = crosstabCells(spec);
  const G = cells.length;
  const value = spec.value ? (schemaColumn(spec.schema, spec.value) as Extract<ColumnSchema, { type: 'number' }>) : undefined;
  const strides = columns.map((_, i) => columns.slice(i + 1).reduce((p, c) => p * (c.type === 'category' ? c.values.length : 2), 1));
  const counts = new Array<bigint>(G).fill(0n);
  const sums = new Array<bigint>(G).fill(0n);
  for (let r = 0; r < rows.length; r++) {
    if (!rows[r]) continue;
    let cell = 0;
    columns.forEach((c, i) => (cell += table.columns.get(c.name)!.values[r] * strides[i]));
    counts[cell]++;
    if (value) sums[cell] += big(table.columns.get(value.name)!.values[r]);
  }
  const lengths = new Array<number>(b.n).fill(G);
  const max = BigInt(spec.maxRows);
  const c = pooled(b, await b.input(lengths, counts, { lower: 0n, upper: max }));
  let s: Shared | undefined;
  if (value) {
    const lo = BigInt(scaled(value, value.lower));
    const hi = BigInt(scaled(value, value.upper));
    const bound = { lower: max * (lo < 0n ? lo : 0n), upper: max * (hi > 0n ? hi : 0n) };
    if (BigInt(b.n) * (bound.upper - bound.lower) >= 1n << 62n) throw new MpcError('INVALID_ARGUMENT', `sums of ${value.name} over ${b.n} × ${spec.maxRows} rows would not fit 64-bit arithmetic: tighten its bounds or maxRows`);
    s = pooled(b, await b.input(lengths, sums, bound));
  }
  if (spec.epsilon !== undefined || spec.minGroup !== undefined) return guardedCrosstab(b, spec, c, s, value);
  const opened = await b.open(s ? b.concat([c, s]) : c);
  return crosstabOut(spec, Array.from(opened.subarray(0, G), Number), s ? Array.from(opened.subarray(G), decodeSigned) : undefined, value);
}

type NumberColumn = Extract<ColumnSchema, { type: 'number' }>;

type CrosstabOutput = Extract<TableOutput, { kind: 'crosstab' }>;

function crosstabOut(spec: TableSpec, counts: number[], sums: (bigint | undefined)[] | undefined, value: NumberColumn | undefined, suppressed?: boolean[]): CrosstabOutput {
  const { columns, cells } = crosstabCells(spec);
  const out: CrosstabCell[] = cells.map((vals, g) => {
    const count = counts[g];
    const cellOut: CrosstabCell = { group: Object.fromEntries(columns.map((col, i) => [col.name, vals[i]])), count };
    if (suppressed) cellOut.suppressed = suppressed[g];
    const sum = sums?.[g];
    if (value && sum !== undefined) {
      cellOut.sum = formatDecimal(sum, value.decimals);
      cellOut.mean = count <= 0 ? null : formatDecimal(roundDiv(sum * 100n, BigInt(count)), value.decimals + 2); // a noisy count may be ≤ 0
    } else if (value) cellOut.mean = null; // suppressed: no sum opened
    return cellOut;
  });
  return { kind: 'crosstab', value: out };
}

/**
 * Cross-tab with noisy counts and/or a minimum group size (dp/aggregates.ts guardCounts: one
 * row moves at most two cells by one). A cell below k opens neither its count nor its sum.
 *
 * With ε and a value column the kept cells' sums are noisy too (dp/release.ts). One row
 * replaced by another (or added, or removed) moves at most two counts by 1 and at most two
 * sums by Δ = max(hi − lo, |lo|, |hi|) in the column's scaled units (a row changing cell takes
 * its value out of one sum and puts another in the other; staying, it moves its sum by at most
 * hi − lo): four coordinates, so counts and sums each get ε/4 and δ/4 per cell (basic
 * composition, accounting.ts), the whole release (ε, δ). Which sums are opened depends only on
 * the noisy counts (post-processing). The mean is noisy sum / noisy count, shown only for a
 * noisy count ≥ 1.
 */
async function guardedCrosstab(b: Backend, spec: TableSpec, counts: Shared, sums: Shared | undefined, value: NumberColumn | undefined): Promise<TableOutput> {
  const rowsBound = BigInt(b.n) * BigInt(spec.maxRows);
  const noisySums = sums !== undefined && value !== undefined && spec.epsilon !== undefined;
  const g = await guardCounts(b, counts, rowsBound, spec, noisySums ? 4 : 2);
  let cellSums: (bigint | undefined)[] | undefined;
  let sumHalfWidth: string | undefined;
  if (sums && value) {
    const keep = g.counts.flatMap((_, j) => (g.suppressed?.[j] ? [] : [j]));
    cellSums = new Array<bigint | undefined>(g.counts.length).fill(undefined);
    if (noisySums) {
      const lo = BigInt(scaled(value, value.lower));
      const hi = BigInt(scaled(value, value.upper));
      const abs = (v: bigint) => (v < 0n ? -v : v);
      const maxAbs = abs(lo) > abs(hi) ? abs(lo) : abs(hi);
      const sensitivity = [hi - lo, maxAbs, 1n].reduce((a, v) => (v > a ? v : a));
      const plan = planRelease({ ...dpOf(spec)!, sensitivity, coordinates: 4, bound: rowsBound * maxAbs }, Math.max(1, keep.length));
      sumHalfWidth = formatDecimal(plan.halfWidth, value.decimals);
      if (keep.length) (await openWithNoise(b, b.gather(sums, keep), plan)).forEach((v, i) => (cellSums![keep[i]] = v));
    } else if (keep.length) {
      const opened = await b.open(b.gather(sums, keep));
      keep.forEach((j, i) => (cellSums![j] = decodeSigned(opened[i])));
    }
  }
  const out = crosstabOut(spec, g.counts, cellSums, value, g.suppressed);
  if (!g.plan) return out;
  return { ...out, dp: { epsilon: spec.epsilon ?? '', delta: String(g.plan.delta), halfWidth: String(g.plan.halfWidth), ...(sumHalfWidth !== undefined ? { sumHalfWidth } : {}) } };
}

/** Pairs (i ≤ j) of k columns in row-major order; diag(i) is the index of (i, i). */
export function pairs(k: number): { list: [number, number][]; at: (i: number, j: number) => number } {
  const list: [number, number][] = [];
  for (let i = 0; i < k; i++) for (let j = i; j < k; j++) list.push([i, j]);
  const at = (i: number, j: number) => list.findIndex(([a, c]) => a === Math.min(i, j) && c === Math.max(i, j));
  return { list, at };
}

/** Per column: how values are centred and scaled into the MPC ("v" units: x = a·v + c, scaled integers). */
export interface ColumnScale {
  lo: number;
  hi: number;
  shift: number;
  h: bigint;
  up: number;
}

/**
 * The pooled, centred cross-product matrix of `names` over everyone's selected rows, as
 * shares: A_ij = N·Q_ij − T_i·T_j (N rows, T column sums, Q cross sums, all committed with
 * enforced bounds), truncated to A_BITS bits (At). Opens only the pooled row count N (part of
 * every declared output here) and one bit per column (no variation / bounds far too wide),
 * refusing the run with a message naming the column instead of a NaN.
 */
export async function centredMatrix(b: Backend, spec: TableSpec, table: ReadTable, rows: Uint8Array, names: string[], what: string) {
  const cols = names.map((n) => schemaColumn(spec.schema, n) as Extract<ColumnSchema, { type: 'number' }>);
  const k = cols.length;
  const total = b.n * spec.maxRows;
  const nBits = bitLength(BigInt(total));
  // |A| ≤ 2·N²·H_i·H_j must stay below 2^62: bits per value after centring and rounding.
  const valueBits = Math.min(20, Math.floor((61 - 2 * nBits) / 2));
  if (valueBits < 8) throw new MpcError('INVALID_ARGUMENT', `a ${what} over ${total} rows does not fit exact 64-bit arithmetic: lower the most rows per participant`);
  const prep: ColumnScale[] = cols.map((c) => {
    const lo = scaled(c, c.lower);
    const hi = scaled(c, c.upper);
    const range = hi - lo; // |2x − (lo + hi)| ≤ range
    const shift = Math.max(0, bitLength(BigInt(range)) - valueBits);
    return { lo, hi, shift, h: BigInt(Math.floor(range / 2 ** shift) + 1), up: 0 };
  });
  // r is invariant to scaling a column: bring every column to the widest one's magnitude, so
  // the common truncation of A below costs no column more precision than another.
  const hTop = prep.reduce((m, p) => Math.max(m, bitLength(p.h)), 0);
  for (const p of prep) p.up = hTop - bitLength(p.h);
  const reduce = (i: number, x: number): bigint => {
    const c = 2 * x - (prep[i].lo + prep[i].hi);
    const v = BigInt(prep[i].shift ? Math.floor((c + 2 ** (prep[i].shift - 1)) / 2 ** prep[i].shift) : c);
    return v << BigInt(prep[i].up);
  };
  const P = pairs(k);
  let n = 0n;
  const s = new Array<bigint>(k).fill(0n);
  const q = new Array<bigint>(P.list.length).fill(0n);
  const v = new Array<bigint>(k);
  for (let r = 0; r < rows.length; r++) {
    if (!rows[r]) continue;
    n++;
    for (let i = 0; i < k; i++) {
      v[i] = reduce(i, table.columns.get(cols[i].name)!.values[r]);
      s[i] += v[i];
    }
    P.list.forEach(([i, j], p) => (q[p] += v[i] * v[j]));
  }
  const max = BigInt(spec.maxRows);
  const hMax = prep.reduce((m, p) => (p.h << BigInt(p.up) > m ? p.h << BigInt(p.up) : m), 0n);
  const N = pooled(b, await b.input(new Array(b.n).fill(1), [n], { lower: 0n, upper: max }));
  const T = pooled(b, await b.input(new Array(b.n).fill(k), s, { lower: -max * hMax, upper: max * hMax }));
  const Q = pooled(b, await b.input(new Array(b.n).fill(P.list.length), q, { lower: -max * hMax * hMax, upper: max * hMax * hMax }));
  // A_ij = N·Q_ij − T_i·T_j, one multiplication layer.
  const m = P.list.length;
  const prod = await b.mul(b.concat([b.gather(N, new Array(m).fill(0)), b.gather(T, P.list.map(([i]) => i))]), b.concat([Q, b.gather(T, P.list.map(([, j]) => j))]));
  const A = b.sub(b.slice(prod, 0, m), b.slice(prod, m, 2 * m));
  // The pooled row count is part of the declared output (n); it sets the real size of A,
  // so the truncation keeps ~31 significant bits whatever maxRows says.
  const [nOpened] = await b.open(N);
  const rowsUsed = Number(decodeSigned(nOpened));
  if (rowsUsed < 2) throw new MpcError('INVALID_ARGUMENT', `${what} is undefined: ${rowsUsed === 0 ? 'no row matches' : 'only one row matches'} (after the filter and missing cells)`);
  const aWidth = 2 * bitLength(BigInt(rowsUsed)) + 2 * bitLength(hMax) + 2;
  const shift = Math.max(0, aWidth - A_BITS);
  const At = shift ? await b.truncate(A, shift, { width: aWidth }) : A;
  // One bit per column: no variation (A_ii = 0), or too little left after scaling.
  const diag = Array.from({ length: k }, (_, i) => P.at(i, i));
  const constant = await b.eq(b.gather(A, diag), b.constant(new Array(k).fill(0n)));
  const coarse = await b.ltz(b.addPublic(b.gather(At, diag), -(1n << BigInt(MIN_A_BITS))), { width: A_BITS + 2 });
  const flags = await b.openBits(b.concatBits([constant, coarse]));
  const flat = names.filter((_, i) => flags[i]);
  if (flat.length) throw new MpcError('INVALID_ARGUMENT', `${what} is undefined: ${flat.join(', ')} ${flat.length > 1 ? 'have' : 'has'} the same value in every row used`);
  const wide = names.filter((_, i) => flags[k + i]);
  if (wide.length) throw new MpcError('INVALID_ARGUMENT', `the declared bounds of ${wide.join(', ')} are far wider than the data (too little variation to compute a precise ${what}): tighten them`);
  return { At, P, diag, rowsUsed, prep, T, N, hMax, k };
}

/**
 * r_ij = A_ij / √(A_ii·A_jj) for i < j (shares, R_FRACTION_BITS fractional bits), by an
 * oblivious square root and division; also √(A_ii·A_jj) per pair (`root`).
 */
export async function pearsonShares(b: Backend, At: Shared, P: ReturnType<typeof pairs>, diag: number[]): Promise<{ off: number[]; r: Shared; root: Shared }> {
  const off = P.list.flatMap(([i, j], p) => (i < j ? [p] : []));
  const D = await b.mul(b.gather(At, off.map((p) => diag[P.list[p][0]])), b.gather(At, off.map((p) => diag[P.list[p][1]])));
  const root = await isqrtFloor(b, D, A_BITS - 1);
  const { abs, negative } = await absSigned(b, b.gather(At, off), A_BITS + 1);
  const quotient = await divFloor(b, b.mulPublic(abs, 1n << BigInt(R_FRACTION_BITS)), root, R_FRACTION_BITS + 2, A_BITS + R_FRACTION_BITS, A_BITS);
  const r = b.sub(quotient, b.mulPublic(await b.mul(negative, quotient), 2n));
  return { off, r, root };
}

async function correlation(b: Backend, spec: TableSpec, table: ReadTable, rows: Uint8Array): Promise<TableOutput> {
  const names = spec.columns ?? [];
  const k = names.length;
  const { At, P, diag, rowsUsed } = await centredMatrix(b, spec, table, rows, names, 'correlation');
  const { off, r: signed } = await pearsonShares(b, At, P, diag);
  const r = await b.open(signed);
  const value = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => {
    if (i === j) return 1;
    const x = Number(decodeSigned(r[off.indexOf(P.at(i, j))])) / 2 ** R_FRACTION_BITS;
    return Math.round(Math.max(-1, Math.min(1, x)) * 10_000) / 10_000;
  }));
  return { kind: 'correlation', columns: names, n: rowsUsed, value };
}

/** Runs a table computation on this party's table; every party gets the same output. */
export async function runTableComputation(b: Backend, spec: TableSpec, table: ReadTable): Promise<TableOutput> {
  const rows = selectedRows(spec, table);
  if (spec.kind === 'regression') return linearRegression(b, spec, table, rows);
  return spec.kind === 'crosstab' ? crosstab(b, spec, table, rows) : correlation(b, spec, table, rows);
}
