/**
 * Linear and ridge regression of one number column on up to 20 others over everyone's rows
 * (issue 12), on the backend interface. Only the coefficients, the intercept, R² and n are
 * revealed; the Gram matrix, means and variances stay shares.
 *
 * 1. Each party commits its local sums (n, Σx, Σxxᵀ over features and outcome) with enforced
 *    bounds; the centred matrix A = N·Q − T·Tᵀ is computed and truncated inside the MPC
 *    (run-table.ts centredMatrix — the same step as the correlation matrix).
 * 2. Standardise: the correlation matrix R of features and outcome (16 fractional bits) by an
 *    oblivious square root and division (pearsonShares). Ridge adds λ to R_xx's diagonal
 *    (λ on the standardised scale, so it does not depend on the columns' units).
 * 3. Solve R_xx b = r_xy by symmetric Gaussian elimination (upper triangle only; sums of
 *    products truncated once) without row exchanges (valid: R_xx is
 *    symmetric positive definite, its pivots are Schur complements in (0, 1+λ]) and back
 *    substitution, in fixed point with F = 16 fractional bits: each pivot's reciprocal by
 *    exact oblivious long division (model/fraction.ts divFraction, 4 bits per digit: few
 *    elements, so latency-bound), every product truncated exactly.
 *    Pivot check: a pivot below 2^-10 (the feature is, up to 0.1 %, a linear combination of the
 *    previous ones) raises a secret flag and is replaced by pivot + 1 so the arithmetic stays
 *    bounded; so does a standardised coefficient of 2^16 or more. Only "some flag is set" is
 *    opened (one bit), and the run is refused with a clear message instead of a wrong answer.
 * 4. Back to the columns' units: β_j = b_j·s_y/s_j with s = √(A_ii·2^10) (oblivious isqrt, one
 *    division per feature), intercept = ȳ − Σ β_j·x̄_j with the means T/N by oblivious division
 *    by the public n, and R² = 2·bᵀr_xy − bᵀR_xx·b (= bᵀr_xy for least squares).
 * Fixed-point methods after Catrina–Saxena (FC 2010, "Secure computation with fixed-point
 * numbers": truncation, division) and MP-SPDZ sfix / MPyC SecFxp; the division here is the
 * exact long division of fixed-math.ts instead of their Goldschmidt/Newton iterations.
 *
 * Error bounds (documented, tested against a plaintext least-squares solver): r has absolute
 * error ≤ 2^-16 (plus the truncation of A to 31 bits, relative 2^-15); the solve loses about
 * log2(cond) bits; with condition numbers below ~10^3 coefficients are within 1e-3 relative
 * (plus 1e-6 absolute on the standardised scale), R² within 1e-3. Values are first centred and
 * scaled to the bounds (as for correlation), so bounds far wider than the data cost precision
 * and are refused when too coarse.
 * Security: that of the backend; opened: n (with the output), the one "ill-conditioned" bit,
 * then the declared output.
 */
import { MpcError } from '../errors.ts';
import type { Backend, Shared } from '../backend/types.ts';
import { decodeSigned } from '../ring.ts';
import { parseDecimal } from '../fixed-point.ts';
import { R_FRACTION_BITS, absSigned, isqrtFloor } from './fixed-math.ts';
import { divFraction } from '../model/fraction.ts';
import { type ReadTable, centredMatrix, pearsonShares } from './run-table.ts';
import type { TableSpec } from './table-spec.ts';

const F = R_FRACTION_BITS;
const ONE = 1n << BigInt(F);
/** Pivots below 2^-10 count as ill-conditioned. */
const PIVOT_BITS = 10;
/** |b_j| < 2^16 on the standardised scale. */
const B_BITS = 16;
/** isqrt(A_ii · 2^10): ≥ 13 significant bits since A_ii ≥ 2^16 (the coarse check). */
const S_SHIFT = 10;
/** Fractional bits of the means T/N. */
const M_BITS = 8;

export interface RegressionOutput {
  kind: 'regression';
  target: string;
  features: string[];
  intercept: number;
  coefficients: Record<string, number>;
  r2: number;
  n: number;
  /** The ridge penalty used (0 = least squares). */
  ridge: number;
}

const sig = (x: number): number => (x === 0 ? 0 : Number(x.toPrecision(7)));
const one1 = (b: Backend, x: Shared, i: number): Shared => b.slice(x, i, i + 1);

/**
 * Linear (ridge when spec.ridge > 0) regression of spec.target on spec.features over the
 * rows `rows` of this party's table (selectedRows). Every party gets the same output.
 */
export async function linearRegression(b: Backend, spec: TableSpec, table: ReadTable, rows: Uint8Array): Promise<RegressionOutput> {
  const features = spec.features ?? [];
  const target = spec.target ?? '';
  const k = features.length;
  const names = [...features, target];
  const lambda = spec.ridge === undefined ? 0n : parseDecimal(spec.ridge, 6);
  const lambdaF = (lambda * ONE) / 1_000_000n;
  const { At, P, diag, rowsUsed, prep, T } = await centredMatrix(b, spec, table, rows, names, 'regression');
  const { off, r } = await pearsonShares(b, At, P, diag);

  // 2. the augmented standardised system [R_xx + λI | r_xy] (k rows, k + 1 columns)
  const src = b.concat([r, b.constant([ONE + lambdaF])]);
  const at = (i: number, l: number) => (i === l ? off.length : off.indexOf(P.at(i, l)));
  const S: Shared[][] = Array.from({ length: k }, (_, i) => Array.from({ length: k + 1 }, (_, l) => b.gather(src, [at(i, l)])));

  // 3. forward elimination with a secret pivot check
  const flags = [];
  const inv: Shared[] = [];
  for (let j = 0; j < k; j++) {
    const p = S[j][j];
    const low = await b.ltz(b.addPublic(p, -(1n << BigInt(F - PIVOT_BITS))), { width: F + 12 });
    flags.push(low);
    const pivot = b.add(p, b.mulPublic(await b.b2a(low), ONE)); // ≥ 2^-10 whatever the data
    // ⌊2^F·2^F / p⌋, 4 bits per digit: 7 latency-bound steps instead of 27
    inv.push(await divFraction(b, b.constant([ONE]), pivot, { frac: F, yBits: F + 8, int: PIVOT_BITS + 1, radixBits: 4 }));
    const below = Array.from({ length: k - 1 - j }, (_, t) => j + 1 + t);
    if (below.length === 0) break;
    // L_i = S_ji / p, then S_il −= L_i · S_jl for j < i ≤ l ≤ k: the Schur complement of a
    // symmetric matrix is symmetric, so only its upper triangle (and the right-hand side) is
    // updated and the lower one read through `up` (symmetric elimination, half the truncations).
    const L = await b.truncate(await b.mul(b.concat(below.map((i) => S[j][i])), b.gather(inv[j], below.map(() => 0))), F, { width: 64 });
    const cells = below.flatMap((i, t) => Array.from({ length: k + 1 - i }, (_, c) => [t, i, i + c] as const));
    const lhs = b.gather(L, cells.map(([t]) => t));
    const rhs = b.concat(cells.map(([, , l]) => S[j][l]));
    const upd = await b.truncate(await b.mul(lhs, rhs), F, { width: 64 });
    cells.forEach(([, i, l], c) => (S[i][l] = b.sub(S[i][l], one1(b, upd, c))));
  }
  // back substitution: b_j = (c_j − Σ_{l>j} S_jl·b_l) / p_j, the sum truncated once
  const coef: Shared[] = new Array(k);
  for (let j = k - 1; j >= 0; j--) {
    let acc = S[j][k];
    const later = Array.from({ length: k - 1 - j }, (_, t) => j + 1 + t);
    if (later.length) {
      const prods = await b.mul(b.concat(later.map((l) => S[j][l])), b.concat(later.map((l) => coef[l])));
      acc = b.sub(acc, await b.truncate(b.sumGroups(prods, later.length), F, { width: 64 }));
    }
    coef[j] = await b.truncate(await b.mul(acc, inv[j]), F, { width: 64 });
  }
  const bv = b.concat(coef);
  const { abs, negative } = await absSigned(b, bv, 64);
  const big = await b.ltz(b.addPublic(b.neg(abs), (1n << BigInt(F + B_BITS)) - 1n)); // |b| ≥ 2^(F+16)
  const ill = await b.countOnes(b.concatBits([...flags, big]), k + k);
  const [fine] = await b.openBits(await b.eq(ill, b.constant([0n])));
  if (!fine) {
    throw new MpcError(
      'INVALID_ARGUMENT',
      `the regression is ill-conditioned: some of ${features.join(', ')} are (nearly) a linear combination of the others (correlations near ±1) — remove one of them, or use a ridge penalty`,
    );
  }
  const absB = b.sub(abs, await b.mul(await b.b2a(big), abs)); // 0 where flagged (not reached)

  // 4. units: s_i = √(A_ii·2^10); β_v_j = |b_j|·s_y / s_j (then the sign)
  const s = await isqrtFloor(b, b.mulPublic(b.gather(At, diag), 1n << BigInt(S_SHIFT)), 21);
  const sy = b.gather(s, new Array(k).fill(k));
  const num = await b.mul(absB, sy);
  const betaAbs = await divFraction(b, num, b.slice(s, 0, k), { frac: 0, yBits: 21, int: F + B_BITS + 8, radixBits: 4 });
  const beta = b.sub(betaAbs, b.mulPublic(await b.mul(negative, betaAbs), 2n));
  // means in v units, M_BITS fractional bits: |T_i| / n by long division, then the sign
  const hTop = prep.reduce((m, p) => Math.max(m, Number(p.h << BigInt(p.up)).toString(2).length), 0);
  const tBits = Math.ceil(Math.log2(rowsUsed + 1)) + hTop + 1;
  const { abs: tAbs, negative: tNeg } = await absSigned(b, T, tBits + 1);
  const nBits = Math.ceil(Math.log2(rowsUsed + 1)) + 1;
  const meanAbs = await divFraction(b, tAbs, b.constant(new Array(k + 1).fill(BigInt(rowsUsed))), { frac: M_BITS, yBits: nBits, int: hTop + 1, radixBits: 4 });
  const mean = b.sub(meanAbs, b.mulPublic(await b.mul(tNeg, meanAbs), 2n));
  // intercept (v units of y, M_BITS fractional bits) = mean_y − Σ β_v_j·mean_j
  const contrib = await b.truncate(await b.mul(beta, b.slice(mean, 0, k)), F, { width: 64 });
  const interceptV = b.sub(b.slice(mean, k, k + 1), b.sumGroups(contrib, k));
  // R² = 2·bᵀr_xy − bᵀ R_xx b (standardised, without the ridge term)
  const rxy = b.concat(features.map((_, i) => b.gather(r, [off.indexOf(P.at(i, k))])));
  const rxx = (i: number, l: number) => (i === l ? b.constant([ONE]) : b.gather(r, [off.indexOf(P.at(i, l))]));
  const pairsIdx = features.flatMap((_, i) => features.map((__, l) => [i, l] as const));
  const firstLayer = await b.mul(
    b.concat([bv, ...pairsIdx.map(([i, l]) => rxx(i, l))]),
    b.concat([rxy, ...pairsIdx.map(([, l]) => coef[l])]),
  );
  // sums of products first, one truncation per sum (k + 1 instead of k² + k, and no rounding per term)
  const sums = await b.truncate(b.sumGroups(firstLayer, k), F, { width: 64 });
  const br = b.slice(sums, 0, 1);
  const Rb = b.slice(sums, 1, k + 1);
  const bRb = await b.truncate(b.sumGroups(await b.mul(bv, Rb), k), F, { width: 64 });
  const r2 = b.sub(b.mulPublic(br, 2n), bRb);

  const opened = await b.open(b.concat([beta, interceptV, r2]));
  const val = (i: number) => Number(decodeSigned(opened[i]));
  // v = (2·x·10^d − (lo + hi)) / 2^shift · 2^up, so x = (a·v + c) / 10^d with a = 2^(shift − up − 1), c = (lo + hi)/2
  const unit = names.map((_, i) => ({ a: 2 ** (prep[i].shift - prep[i].up - 1), c: (prep[i].lo + prep[i].hi) / 2, d: 10 ** (specDecimals(spec, names[i])) }));
  const y = unit[k];
  const coefficients: Record<string, number> = {};
  let intercept = (y.a * (val(k) / 2 ** M_BITS) + y.c) / y.d;
  features.forEach((f, j) => {
    const bj = ((val(j) / 2 ** F) * (y.a / unit[j].a) * unit[j].d) / y.d;
    coefficients[f] = sig(bj);
    intercept -= (bj * unit[j].c) / unit[j].d;
  });
  return { kind: 'regression', target, features, intercept: sig(intercept), coefficients, r2: Math.round(Math.max(0, Math.min(1, val(k + 1) / 2 ** F)) * 10_000) / 10_000, n: rowsUsed, ridge: Number(lambda) / 1e6 };
}

function specDecimals(spec: TableSpec, name: string): number {
  const c = spec.schema.columns.find((col) => col.name === name);
  return c && c.type === 'number' ? c.decimals : 0;
}
