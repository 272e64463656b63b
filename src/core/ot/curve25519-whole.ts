/**
 * Affine arithmetic on the Montgomery curve25519 E: y² = x³ + A·x² + x and its quadratic
 * twist E': 2·y² = x³ + A·x² + x over F_p, p = 2^255 − 19, A = 486662 — only what the
 * twist base OT (base-ot-twist.ts) needs beside X25519 itself: lifting an x-coordinate to a
 * point, adding a point of small order, and the Legendre symbol.
 *
 * Why: X25519 (RFC 7748) clamps every scalar to a multiple of 8, so its outputs always lie
 * in the prime-order subgroup (order ℓ on E, ℓ' on E'). A POPF output is a uniform 256-bit
 * string, i.e. a uniform x-coordinate of a point of the *whole* group E ∪ E' (cofactors 8
 * and 4). An honest receiver's programmed point must look the same, or a sender can tell
 * which of the two POPF outputs was programmed by testing subgroup membership: the point
 * must "not be confined to a subgroup" [MRR20; Rosulek, moderncrypto 2018]. So the receiver
 * adds a uniformly random point of the small-order subgroup to its X25519 output, which
 * every clamped scalar multiplication then removes again (8·T = 0 on E, 4·T = 0 on E').
 *
 * 2 is a non-square mod p (p ≡ 5 mod 8), so 2·y² = f(x) is the twist. Every x ∈ F_p is the
 * x-coordinate of a point of E (f(x) a square) or of E' (f(x) a non-square), or both (f(x) = 0).
 *
 * [MRR20] McQuoid, Rosulek, Roy. Minimal Symmetric PAKE and 1-out-of-N OT from
 *         Programmable-Once Public Functions. ACM CCS 2020, ePrint 2020/1043.
 * [RFC7748] Langley, Hamburg, Turner. Elliptic Curves for Security. 2016.
 */
import { invert } from '@noble/curves/abstract/modular.js';
import { MpcError } from '../errors.ts';

export const P = 2n ** 255n - 19n;
const A = 486662n;
const MASK = 2n ** 255n - 1n;
/** The twist's non-square coefficient B in B·y² = f(x). */
const TWIST_B = 2n;

/** x mod p for 0 ≤ x < 2^512 (two folds of 2^255 ≡ 19). */
function red(x: bigint): bigint {
  x = (x & MASK) + 19n * (x >> 255n);
  x = (x & MASK) + 19n * (x >> 255n);
  return x >= P ? x - P : x;
}
const mul = (a: bigint, b: bigint): bigint => red(a * b);
const sqr = (a: bigint): bigint => red(a * a);
const add = (a: bigint, b: bigint): bigint => (a + b >= P ? a + b - P : a + b);
const sub = (a: bigint, b: bigint): bigint => (a >= b ? a - b : a + P - b);

function sqrN(a: bigint, n: number): bigint {
  for (let i = 0; i < n; i++) a = red(a * a);
  return a;
}

/** z^(2^250 − 1), the common part of the chains for (p − 5)/8 and (p − 1)/2. */
function pow2_250(z: bigint): bigint {
  const z2 = sqr(z);
  const z9 = mul(sqrN(z2, 2), z);
  const z11 = mul(z9, z2);
  const z5 = mul(sqr(z11), z9); // z^(2^5 − 1)
  const z10 = mul(sqrN(z5, 5), z5);
  const z20 = mul(sqrN(z10, 10), z10);
  const z40 = mul(sqrN(z20, 20), z20);
  const z50 = mul(sqrN(z40, 10), z10);
  const z100 = mul(sqrN(z50, 50), z50);
  const z200 = mul(sqrN(z100, 100), z100);
  return mul(sqrN(z200, 50), z50);
}

/** 1/z (z ≠ 0): the extended Euclidean algorithm, far cheaper than z^(p−2) in BigInt. */
export const inv = (z: bigint): bigint => invert(z, P);

/** z^((p − 5)/8) = z^(2^252 − 3). */
function pow22523(z: bigint): bigint {
  return mul(sqrN(pow2_250(z), 2), z);
}

const SQRT_M1 = (() => {
  // 2^((p − 1)/4) is a square root of −1 (2 is a non-square).
  let r = 1n, b = 2n, e = (P - 1n) / 4n;
  while (e > 0n) {
    if (e & 1n) r = mul(r, b);
    b = sqr(b);
    e >>= 1n;
  }
  return r;
})();

/** A square root of z, or undefined when z is a non-square (p ≡ 5 mod 8: Atkin's variant). */
export function sqrt(z: bigint): bigint | undefined {
  const r = mul(pow22523(z), z); // z^((p+3)/8)
  const r2 = sqr(r);
  if (r2 === z) return r;
  if (r2 === sub(0n, z)) return mul(r, SQRT_M1);
  return undefined;
}

/** f(x) = x³ + A·x² + x. */
export function curveRhs(x: bigint): bigint {
  return mul(x, add(mul(x, add(x, A)), 1n));
}

/** Euler's criterion: 1 when f is a non-zero square, P − 1 when a non-square, 0 for 0. */
export function legendre(z: bigint): bigint {
  // z^((p−1)/2) = (z^((p−5)/8))^4 · z^2
  return mul(sqrN(pow22523(z), 2), sqr(z));
}

/** Which of E (0) and E' (1) has a point with this x-coordinate (E when both). */
export function groupOf(x: bigint): 0 | 1 {
  return legendre(curveRhs(x)) === P - 1n ? 1 : 0;
}

/** An affine point of E (group 0) or E' (group 1); undefined is the point at infinity. */
export interface Affine {
  readonly x: bigint;
  readonly y: bigint;
}
type Pt = Affine | undefined;

const coeffB = (group: 0 | 1): bigint => (group === 0 ? 1n : TWIST_B);

/** P + Q on B·y² = f(x) (chord and tangent). */
export function addPoints(group: 0 | 1, p: Pt, q: Pt): Pt {
  if (!p) return q;
  if (!q) return p;
  const B = coeffB(group);
  let lambda: bigint;
  if (p.x === q.x) {
    if (add(p.y, q.y) === 0n) return undefined; // q = −p (this includes doubling a 2-torsion point)
    // doubling: λ = (3x² + 2Ax + 1) / (2By)
    lambda = mul(add(add(mul(3n, sqr(p.x)), mul(2n * A, p.x)), 1n), inv(mul(2n * B, p.y)));
  } else {
    lambda = mul(sub(q.y, p.y), inv(sub(q.x, p.x)));
  }
  const x = sub(sub(sub(mul(B, sqr(lambda)), A), p.x), q.x);
  return { x, y: sub(mul(lambda, sub(p.x, x)), p.y) };
}

/** A point of `group` with this x-coordinate (either of the two), or undefined if none. */
export function liftX(group: 0 | 1, x: bigint): Affine | undefined {
  const rhs = group === 0 ? curveRhs(x) : mul(curveRhs(x), inv(TWIST_B));
  const y = sqrt(rhs);
  return y === undefined ? undefined : { x, y };
}

/** All multiples k·T, k = 0..n−1, of a point T of order exactly n (checked). */
function cyclicSubgroup(group: 0 | 1, t: Affine, n: number): Pt[] {
  const out: Pt[] = [undefined, t];
  for (let k = 2; k < n; k++) out.push(addPoints(group, out[k - 1], t));
  if (addPoints(group, out[n - 1], t) !== undefined || out.slice(1).some((q) => q === undefined)) {
    throw new Error(`curve25519: a torsion generator of group ${group} does not have order ${n}`);
  }
  return out;
}

/**
 * The small-order subgroups: E[8] (E's group is Z/8 × Z/ℓ, its 8-torsion cyclic) and
 * E'[4] (E' has the single 2-torsion point (0, 0), so its 4-torsion is cyclic). Points of
 * order 4 have x = ±1 (x(2P) = (x² − 1)²/(4·x·(x² + A·x + 1))); one of them lies on E, the
 * other on E'. An order-8 point of E is a point Q with 2·Q of order 4: we take the
 * published x-coordinate of one (RFC 7748's list of small-order inputs) and check the order.
 */
const TORSION = (() => {
  const x4 = groupOf(1n) === 0 ? 1n : P - 1n;
  const x4twist = x4 === 1n ? P - 1n : 1n;
  const e8x = 39382357235489614581723060781553021112529911719440698176882885853963445705823n;
  const e8 = liftX(0, e8x);
  const t4 = liftX(1, x4twist);
  if (!e8 || !t4 || groupOf(x4twist) !== 1) throw new Error('curve25519: small-order points not found');
  return { curve: cyclicSubgroup(0, e8, 8), twist: cyclicSubgroup(1, t4, 4) };
})();

/** The smallest x ≥ 2 of E' (not of small order): the twist's X25519 base point. */
export const TWIST_BASE: bigint = (() => {
  for (let x = 2n; ; x++) if (groupOf(x) === 1 && curveRhs(x) !== 0n) return x;
})();

export function bytesToX(b: Uint8Array): bigint {
  let x = 0n;
  for (let i = 31; i >= 0; i--) x = (x << 8n) | BigInt(b[i]);
  x &= MASK; // RFC 7748: the top bit is ignored
  return x >= P ? x - P : x;
}

export function xToBytes(x: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}

/**
 * x(P + T) for the point P of `group` with x-coordinate `x` (a clamped X25519 output, so in
 * the prime-order subgroup) and T the `torsion`-th small-order point (0..7 on E, 0..3 on
 * E'). Which of ±P is lifted does not matter: T is uniform, so (±P) + T is uniform on the
 * coset either way.
 */
export function addTorsion(group: 0 | 1, x: bigint, torsion: number): bigint {
  const table = group === 0 ? TORSION.curve : TORSION.twist;
  if (!Number.isInteger(torsion) || torsion < 0 || torsion >= table.length) throw new MpcError('INVALID_ARGUMENT', `torsion index must be 0..${table.length - 1}, got ${torsion}`);
  const p = liftX(group, x);
  if (!p) throw new MpcError('INVALID_ARGUMENT', `x-coordinate is not on ${group === 0 ? 'curve25519' : 'its twist'}`);
  const q = addPoints(group, p, table[torsion]);
  // q = ∞ would need P = −T, impossible for a prime-order P ≠ ∞ and T of small order.
  if (!q) throw new MpcError('INVALID_ARGUMENT', 'curve25519: point of small order');
  return q.x;
}

/** Number of small-order points of E (group 0) and E' (group 1). */
export const COFACTOR = [8, 4] as const;
