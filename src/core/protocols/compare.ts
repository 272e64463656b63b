/**
 * Comparisons of additively shared signed 64-bit values (two's complement), with results
 * as XOR-shared bits (one plane; b2a.ts turns them into arithmetic 0/1 shares).
 *
 * - lt(x, y) = [x < y]. The sign bit of d = x − y is wrong when x − y overflows 64 bits
 *   (e.g. x = 2^63 − 1, y = −1). Overflow needs sign(x) ≠ sign(y), and then x < y ⟺ x < 0,
 *   so lt = (t ≠ u) ? t : m with t = msb(x), u = msb(y), m = msb(x − y), i.e.
 *   lt = m ⊕ ((t ⊕ u) ∧ (t ⊕ m)). The three msb circuits run side by side (stacked
 *   words, same rounds), so full-range lt costs 3× one msb plus one AND, in msb rounds + 1.
 *   `{ bounded: true }` skips t and u when the caller guarantees |x − y| < 2^63 (e.g. both
 *   inputs validated to [−2^62, 2^62)): cost ≈ (N+1)·64 ANDs as in DESIGN §3.
 *   `{ signs }` takes t and u precomputed by `ltz` (worth it when each value takes part in
 *   many comparisons, e.g. all pairs for ranks): one msb + one AND, exact on all inputs.
 * - eq(x, y) = [x = y] without a full adder: reduce the N operands of d − 1 (party 0
 *   subtracts the public 1) to two with carry-save adders, A + B ≡ d − 1. Then d = 0 ⟺
 *   A + B ≡ 2^64 − 1 ⟺ B = ¬A (two numbers below 2^64 add to 2^64 − 1 only without any
 *   carry) ⟺ every bit of A ⊕ B is 1: an AND tree of depth 6. (N−1)·63 ANDs per element.
 * - ltz(x) = [x < 0] = msb(x).
 *
 * Security: as boolean.ts (only AND gates communicate, outputs stay shared).
 *
 * [DSZ15] Demmler, Schneider, Zohner. ABY. NDSS 2015 (comparison via A2B + sign bit).
 * [CdH10] Catrina, de Hoogh. Improved Primitives for Secure Multiparty Integer
 *         Computation. SCN 2010 (LTZ, EQZ building blocks).
 */
import { MpcError } from '../errors.ts';
import { Protocol } from '../session/round.ts';
import type { Session } from '../session/session.ts';
import type { TripleSource } from '../triples/types.ts';
import { BoolCircuit, runCircuit } from './boolean.ts';
import { type BitShares, wordsFor } from './bit-shares.ts';
import { concatWords } from '../codec.ts';
import { type CarryMode, type Operand, msbCircuit, shareOperands, wallace } from './a2b.ts';

export interface LtOptions {
  /** Caller guarantees |x − y| < 2^63 for every element (no overflow): one msb instead of three. */
  bounded?: boolean;
  /** Carry computation (a2b.ts CarryMode): 'tree' (default, 7 rounds) or 'ripple' (fewest ANDs, 63 rounds). */
  carry?: CarryMode;
  /**
   * XOR shares of msb(x) and msb(y) (from `ltz`, gathered with `selectBits`), when the
   * caller compares the same values many times (ranks, all pairs): full-range lt then costs
   * one msb plus one AND, like `bounded`, but stays exact on all inputs.
   */
  signs?: { x: BitShares; y: BitShares };
}

function sameLength(x: BigUint64Array, y: BigUint64Array): void {
  if (x.length !== y.length) throw new MpcError('INVALID_ARGUMENT', `compare: vector lengths differ (${x.length} vs ${y.length})`);
}

function difference(x: BigUint64Array, y: BigUint64Array, minus = 0n): BigUint64Array {
  const d = new BigUint64Array(x.length);
  for (let i = 0; i < d.length; i++) d[i] = x[i] - y[i] - minus;
  return d;
}

/** Where lt gets the sign bits t = msb(x), u = msb(y) for the overflow correction. */
export type SignSource = 'stacked' | 'bounded' | { t: Uint32Array; u: Uint32Array };

/**
 * Circuit for lt. 'stacked': operands are [x | y | x − y] and t, u come out of the same
 * msb circuit; 'bounded': operands are [x − y] and no correction; given t, u: operands are
 * [x − y] and the given signs correct the overflow.
 */
export async function ltCircuit(c: BoolCircuit, ops: readonly Operand[], w: number, signs: SignSource, carry: CarryMode = 'tree'): Promise<Uint32Array> {
  const bits = await msbCircuit(c, ops, w, carry);
  if (signs === 'bounded') return bits;
  const seg = signs === 'stacked' ? w / 3 : w;
  const t = signs === 'stacked' ? bits.subarray(0, seg) : signs.t;
  const u = signs === 'stacked' ? bits.subarray(seg, 2 * seg) : signs.u;
  const m = signs === 'stacked' ? bits.subarray(2 * seg) : bits;
  // lt = m ⊕ ((t ⊕ u) ∧ (t ⊕ m)): on overflow (signs differ and m ≠ t) the answer is t
  const tu = new Uint32Array(seg);
  const tm = new Uint32Array(seg);
  for (let i = 0; i < seg; i++) {
    tu[i] = t[i] ^ u[i];
    tm[i] = t[i] ^ m[i];
  }
  const overflow = await c.and(tu, tm);
  const out = new Uint32Array(seg);
  for (let i = 0; i < seg; i++) out[i] = m[i] ^ overflow[i];
  return out;
}

function checkSigns(signs: { x: BitShares; y: BitShares }, count: number): void {
  for (const b of [signs.x, signs.y]) {
    if (b.count !== count || b.bits !== 1) throw new MpcError('INVALID_ARGUMENT', `lt: sign bits must be one plane of ${count} elements, got ${b.count}×${b.bits}`);
  }
}

/** XOR shares of [x < y] (signed 64-bit), one plane. */
export async function lt(s: Session, x: BigUint64Array, y: BigUint64Array, triples: TripleSource, opts: LtOptions = {}): Promise<BitShares> {
  sameLength(x, y);
  const d = difference(x, y);
  let signs: SignSource = opts.bounded ? 'bounded' : 'stacked';
  if (opts.signs && !opts.bounded) {
    checkSigns(opts.signs, x.length);
    signs = { t: opts.signs.x.words, u: opts.signs.y.words };
  }
  const { ops, w } = shareOperands(s.self, s.n, signs === 'stacked' ? [x, y, d] : [d]);
  const words = await runCircuit(s, Protocol.Compare, triples, (c) => ltCircuit(c, ops, w, signs, opts.carry));
  return { count: x.length, bits: 1, words };
}

/** XOR shares of [x < 0], one plane. */
export async function ltz(s: Session, x: BigUint64Array, triples: TripleSource, opts: { carry?: CarryMode } = {}): Promise<BitShares> {
  const { ops, w } = shareOperands(s.self, s.n, [x]);
  const words = await runCircuit(s, Protocol.Compare, triples, (c) => msbCircuit(c, ops, w, opts.carry));
  return { count: x.length, bits: 1, words };
}

/** Circuit for eq on the operands of d − 1: every bit of A ⊕ B must be 1. */
export async function eqCircuit(c: BoolCircuit, ops: readonly Operand[], w: number): Promise<Uint32Array> {
  const [a, b] = await wallace(c, ops, w);
  let planes: Uint32Array[] = [];
  for (let k = 0; k < 64; k++) {
    const z = new Uint32Array(w);
    for (let i = 0; i < w; i++) z[i] = a[k * w + i] ^ b[k * w + i];
    planes.push(z);
  }
  while (planes.length > 1) {
    const half = planes.length >>> 1;
    const z = await c.and(concatWords(planes.slice(0, half)), concatWords(planes.slice(half, 2 * half)));
    const next: Uint32Array[] = [];
    for (let j = 0; j < half; j++) next.push(z.subarray(j * w, (j + 1) * w));
    if (planes.length & 1) next.push(planes[planes.length - 1]);
    planes = next;
  }
  return planes[0];
}

/** XOR shares of [x = y], one plane. */
export async function eq(s: Session, x: BigUint64Array, y: BigUint64Array, triples: TripleSource): Promise<BitShares> {
  sameLength(x, y);
  const d = difference(x, y, s.self === 0 ? 1n : 0n);
  const { ops, w } = shareOperands(s.self, s.n, [d]);
  const words = await runCircuit(s, Protocol.Compare, triples, (c) => eqCircuit(c, ops, w));
  return { count: x.length, bits: 1, words };
}

export type ComparisonKind = 'lt' | 'lt-bounded' | 'lt-signs' | 'eq' | 'ltz';

/**
 * AND triples (in bits, i.e. 32 per word) and online rounds of one comparison call on
 * `count` elements among `n` parties (counted by running the circuit in counting mode).
 */
export async function comparisonCost(kind: ComparisonKind, n: number, count: number, carry: CarryMode = 'tree'): Promise<{ andBits: number; rounds: number }> {
  const stacks = kind === 'lt' ? 3 : 1;
  const w = wordsFor(count) * stacks;
  const ops = Array.from({ length: Math.max(n, 2) }, () => new Uint32Array(64 * w));
  const c = BoolCircuit.counting();
  if (kind === 'eq') await eqCircuit(c, ops, w);
  else if (kind === 'ltz') await msbCircuit(c, ops, w, carry);
  else if (kind === 'lt-signs') await ltCircuit(c, ops, w, { t: new Uint32Array(w), u: new Uint32Array(w) }, carry);
  else await ltCircuit(c, ops, w, kind === 'lt-bounded' ? 'bounded' : 'stacked', carry);
  return { andBits: c.cost.andWords * 32, rounds: c.cost.rounds };
}
