/**
 * Arithmetic-to-boolean conversion (A2B) of Z_2^64 shares, and the adder circuits it is
 * built from, evaluated on bit-sliced XOR shares (boolean.ts).
 *
 * x = Σᵢ xᵢ mod 2^64 and party i knows xᵢ, so "party i's share as a boolean vector, zero
 * for everyone else" is already a valid XOR sharing of xᵢ, with no communication (ABY's
 * A2B idea [DSZ15], generalised to N parties as in MP-SPDZ's semi2k). We add the N
 * operands with a boolean adder:
 * 1. Wallace tree [Wal64] of carry-save adders (3:2 compressors): three operands become
 *    two (sum = a⊕b⊕c, carry = maj(a,b,c) shifted up one bit), all compressors of a level
 *    in one round; maj(a,b,c) = ((a⊕c)∧(b⊕c))⊕c costs one AND per bit. N → 2 operands in
 *    ≈ log_{3/2}(N/2) rounds and (N−2)·63 ANDs per element (the carry out of bit 63 is
 *    dropped, as the ring is mod 2^64).
 * 2. Two operands A + B: a parallel-prefix carry computation on generate/propagate pairs
 *    (g = a∧b, p = a⊕b, (G,P)∘(G',P') = (G ⊕ P∧G', P∧P')) [BK82]: Sklansky's prefix
 *    network [Skl60] for the full sum (≈ 373 ANDs, 7 rounds), or a binary tree for only
 *    the carry into bit 63, enough for the most significant bit (150 ANDs, 7 rounds).
 * G ⊕ P∧G' equals G ∨ P∧G' because the two terms are never both 1.
 *
 * Security: only AND gates communicate (boolean.ts); outputs are XOR shares.
 *
 * [DSZ15] Demmler, Schneider, Zohner. ABY. NDSS 2015.
 * [Wal64] Wallace. A Suggestion for a Fast Multiplier. IEEE Trans. Electronic Computers 1964.
 * [Skl60] Sklansky. Conditional-Sum Addition Logic. IRE Trans. Electronic Computers 1960.
 * [BK82]  Brent, Kung. A Regular Layout for Parallel Adders. IEEE Trans. Computers 1982.
 */
import { concatWords } from '../codec.ts';
import { MpcError } from '../errors.ts';
import { Protocol } from '../session/round.ts';
import type { Session } from '../session/session.ts';
import type { TripleSource } from '../triples/types.ts';
import { type BitShares, sliceU64, wordsFor } from './bit-shares.ts';
import { type BoolCircuit, runCircuit } from './boolean.ts';

/** A 64-bit boolean operand: 64 planes of `w` words each, plane-major. */
export type Operand = Uint32Array;

const BITS = 64;

/**
 * Party `self`'s shares of the N operands of Σᵢ xᵢ for several equally long vectors
 * stacked side by side: plane k of the result is [plane k of vecs[0] | plane k of vecs[1]
 * | …], each segment wordsFor(len) words. Slot `self` holds our sliced share, the other
 * slots zero.
 */
export function shareOperands(self: number, n: number, vecs: readonly BigUint64Array[]): { ops: Operand[]; w: number } {
  const len = vecs[0].length;
  for (const v of vecs) if (v.length !== len) throw new MpcError('INVALID_ARGUMENT', `stacked vectors differ in length (${v.length} vs ${len})`);
  const seg = wordsFor(len);
  const w = seg * vecs.length;
  const mine = new Uint32Array(BITS * w);
  vecs.forEach((v, j) => {
    const sl = sliceU64(v).words;
    for (let k = 0; k < BITS; k++) mine.set(sl.subarray(k * seg, (k + 1) * seg), k * w + j * seg);
  });
  const ops: Operand[] = [];
  for (let i = 0; i < Math.max(n, 2); i++) ops.push(i === self ? mine : new Uint32Array(BITS * w));
  return { ops, w };
}

function xor3(a: Uint32Array, b: Uint32Array, c: Uint32Array): Uint32Array {
  const out = new Uint32Array(a.length);
  for (let i = 0; i < out.length; i++) out[i] = a[i] ^ b[i] ^ c[i];
  return out;
}

/** Reduce the operands to two with the same sum mod 2^64 (Wallace tree of 3:2 compressors). */
export async function wallace(c: BoolCircuit, input: readonly Operand[], w: number, width = BITS): Promise<[Operand, Operand]> {
  let ops = [...input];
  const span = (width - 1) * w; // planes 0..width−2: the carry out of the top plane leaves the ring
  while (ops.length > 2) {
    const groups = Math.floor(ops.length / 3);
    const x = new Uint32Array(groups * span);
    const y = new Uint32Array(groups * span);
    for (let g = 0; g < groups; g++) {
      const [a, b, d] = ops.slice(3 * g, 3 * g + 3);
      for (let i = 0; i < span; i++) {
        x[g * span + i] = a[i] ^ d[i];
        y[g * span + i] = b[i] ^ d[i];
      }
    }
    const m = await c.and(x, y); // one round for the whole level
    const next: Operand[] = [];
    for (let g = 0; g < groups; g++) {
      const [a, b, d] = ops.slice(3 * g, 3 * g + 3);
      const carry = new Uint32Array(width * w); // plane 0 stays zero
      for (let i = 0; i < span; i++) carry[w + i] = m[g * span + i] ^ d[i]; // maj → one plane up
      next.push(xor3(a, b, d), carry);
    }
    next.push(...ops.slice(3 * groups));
    ops = next;
  }
  return [ops[0], ops[1]];
}

type GP = { g: Uint32Array; p: Uint32Array | null };

/**
 * Shares of the carry into bit 63 of A + B, i.e. the generate bit of bits 0..62. 7 rounds,
 * 150 ANDs per element. Leaves are bit pairs (2j, 2j+1) whose generate bit is one ripple
 * step, G = maj(a_{2j+1}, b_{2j+1}, g_{2j}) (1 AND instead of 2 for a tree node), P = p∧p';
 * then a binary tree over the 32 leaves. The lowest node never needs P.
 */
export async function carryInto63(c: BoolCircuit, a: Operand, b: Operand, w: number): Promise<Uint32Array> {
  const planeOf = (x: Uint32Array, k: number): Uint32Array => x.subarray(k * w, (k + 1) * w);
  const p = (k: number): Uint32Array => xorWords(planeOf(a, k), planeOf(b, k));
  const PAIRS = 31; // bit pairs (0,1) … (60,61); bit 62 is a leaf of its own
  // round 1: g of every even bit (0, 2, …, 62) and P of the pairs above the lowest
  const xs: Uint32Array[] = [];
  const ys: Uint32Array[] = [];
  for (let k = 0; k < BITS - 1; k += 2) {
    xs.push(planeOf(a, k));
    ys.push(planeOf(b, k));
  }
  for (let j = 1; j < PAIRS; j++) {
    xs.push(p(2 * j + 1));
    ys.push(p(2 * j));
  }
  const r1 = await c.and(concatWords(xs), concatWords(ys));
  const gEven = (j: number): Uint32Array => r1.subarray(j * w, (j + 1) * w);
  const pPair = (j: number): Uint32Array => r1.subarray((31 + j) * w, (32 + j) * w);
  // round 2: G of each pair = maj(a, b, g) = ((a ⊕ g) ∧ (b ⊕ g)) ⊕ g on the odd bit
  const mx: Uint32Array[] = [];
  const my: Uint32Array[] = [];
  for (let j = 0; j < PAIRS; j++) {
    mx.push(xorWords(planeOf(a, 2 * j + 1), gEven(j)));
    my.push(xorWords(planeOf(b, 2 * j + 1), gEven(j)));
  }
  const r2 = await c.and(concatWords(mx), concatWords(my));
  let nodes: GP[] = [];
  for (let j = 0; j < PAIRS; j++) {
    nodes.push({ g: xorWords(r2.subarray(j * w, (j + 1) * w), gEven(j)), p: j === 0 ? null : pPair(j) });
  }
  nodes.push({ g: gEven(PAIRS), p: p(BITS - 2) });
  while (nodes.length > 1) nodes = await combineLevel(c, nodes, w);
  return nodes[0].g;
}

/** One tree level: (G,P)∘(G',P') = (G ⊕ P∧G', P∧P') on adjacent pairs (low node first). */
async function combineLevel(c: BoolCircuit, nodes: readonly GP[], w: number): Promise<GP[]> {
  const pairs = nodes.length >>> 1;
  const xs: Uint32Array[] = [];
  const ys: Uint32Array[] = [];
  for (let j = 0; j < pairs; j++) {
    const lo = nodes[2 * j];
    const hp = nodes[2 * j + 1].p as Uint32Array; // only the lowest node lacks P, and it is never `hi`
    xs.push(hp);
    ys.push(lo.g);
    if (lo.p) {
      xs.push(hp);
      ys.push(lo.p);
    }
  }
  const z = await c.and(concatWords(xs), concatWords(ys));
  const next: GP[] = [];
  let off = 0;
  for (let j = 0; j < pairs; j++) {
    const lo = nodes[2 * j];
    const g = xorWords(nodes[2 * j + 1].g, z.subarray(off, off + w));
    off += w;
    let p: Uint32Array | null = null;
    if (lo.p) {
      p = z.subarray(off, off + w);
      off += w;
    }
    next.push({ g, p });
  }
  if (nodes.length & 1) next.push(nodes[nodes.length - 1]);
  return next;
}

function xorWords(x: Uint32Array, y: Uint32Array): Uint32Array {
  const out = new Uint32Array(x.length);
  for (let i = 0; i < out.length; i++) out[i] = x[i] ^ y[i];
  return out;
}

/** Shares of A + B mod 2^width (Sklansky parallel-prefix adder). ⌈log₂ width⌉ + 1 rounds. */
export async function addTwo(c: BoolCircuit, a: Operand, b: Operand, w: number, width = BITS): Promise<Operand> {
  const top = width - 1; // prefixes over bits 0..width−2 give the carries into bits 1..width−1
  if (top === 0) return xorWords(a.subarray(0, w), b.subarray(0, w));
  const gAll = await c.and(a.subarray(0, top * w), b.subarray(0, top * w));
  const p = new Uint32Array(width * w);
  for (let i = 0; i < p.length; i++) p[i] = a[i] ^ b[i];
  const G: Uint32Array[] = [];
  const P: Uint32Array[] = [];
  for (let k = 0; k < top; k++) {
    G.push(gAll.slice(k * w, (k + 1) * w));
    P.push(p.slice(k * w, (k + 1) * w));
  }
  for (let half = 1; half < top; half *= 2) {
    const lastLevel = half * 2 >= top;
    const xs: Uint32Array[] = [];
    const ys: Uint32Array[] = [];
    const targets: { i: number; withP: boolean }[] = [];
    for (let i = 0; i < top; i++) {
      if (!(i & half)) continue;
      const start = i & ~(2 * half - 1);
      const m = start + half - 1; // top of the lower half, already complete for [start, m]
      const withP = start > 0 && !lastLevel; // a range starting at bit 0 never needs P again
      xs.push(P[i]);
      ys.push(G[m]);
      if (withP) {
        xs.push(P[i]);
        ys.push(P[m]);
      }
      targets.push({ i, withP });
    }
    const z = await c.and(concatWords(xs), concatWords(ys));
    let off = 0;
    for (const { i, withP } of targets) {
      for (let j = 0; j < w; j++) G[i][j] ^= z[off + j];
      off += w;
      if (withP) {
        P[i] = z.slice(off, off + w);
        off += w;
      }
    }
  }
  // sum bit k = p_k ⊕ carry_k, carry_k = G[0..k−1] (carry_0 = 0)
  const sum = p;
  for (let k = 1; k < width; k++) {
    const carry = G[k - 1];
    for (let j = 0; j < w; j++) sum[k * w + j] ^= carry[j];
  }
  return sum;
}

/**
 * How the carry into bit 63 is computed: 'tree' (log depth, 150 ANDs, 7 rounds) or
 * 'ripple' (c_{k+1} = maj(a_k, b_k, c_k): the minimum of 63 ANDs, but 63 rounds). Ripple
 * halves the preprocessing of one wide layer of comparisons; use tree when comparisons
 * are chained (sorting networks), where rounds dominate.
 */
export type CarryMode = 'tree' | 'ripple';

/** Ripple-carry: shares of the carry into bit 63 of A + B. 63 rounds, 63 ANDs per element. */
export async function carryInto63Ripple(c: BoolCircuit, a: Operand, b: Operand, w: number): Promise<Uint32Array> {
  let carry = await c.and(a.subarray(0, w), b.subarray(0, w));
  for (let k = 1; k < BITS - 1; k++) {
    const x = new Uint32Array(w);
    const y = new Uint32Array(w);
    for (let i = 0; i < w; i++) {
      x[i] = a[k * w + i] ^ carry[i];
      y[i] = b[k * w + i] ^ carry[i];
    }
    const m = await c.and(x, y);
    for (let i = 0; i < w; i++) m[i] ^= carry[i];
    carry = m;
  }
  return carry;
}

/** Most significant bit of Σ operands mod 2^64 (one plane of w words). */
export async function msbCircuit(c: BoolCircuit, ops: readonly Operand[], w: number, mode: CarryMode = 'tree'): Promise<Uint32Array> {
  const [a, b] = await wallace(c, ops, w);
  const carry = mode === 'ripple' ? await carryInto63Ripple(c, a, b, w) : await carryInto63(c, a, b, w);
  const out = new Uint32Array(w);
  const hi = (BITS - 1) * w;
  for (let i = 0; i < w; i++) out[i] = a[hi + i] ^ b[hi + i] ^ carry[i];
  return out;
}

/**
 * Bit decomposition: XOR shares of bits 0..width−1 (default all 64) of the additively
 * shared x. The low `width` bits of the shares add mod 2^width to the low bits of x, so a
 * narrow decomposition runs the adders on `width` planes only.
 */
export async function a2b(s: Session, x: BigUint64Array, triples: TripleSource, width = BITS): Promise<BitShares> {
  if (!Number.isInteger(width) || width < 1 || width > BITS) throw new MpcError('INVALID_ARGUMENT', `a2b width must be 1..64, got ${width}`);
  const { ops, w } = shareOperands(s.self, s.n, [x]);
  const narrow = ops.map((o) => o.subarray(0, width * w));
  const words = await runCircuit(s, Protocol.A2B, triples, async (c) => {
    const [a, b] = await wallace(c, narrow, w, width);
    return addTwo(c, a, b, w, width);
  });
  return { count: x.length, bits: width, words };
}

/** XOR shares of the most significant bit of each x (= [x < 0] for signed x). */
export async function msb(s: Session, x: BigUint64Array, triples: TripleSource, opts: { carry?: CarryMode } = {}): Promise<BitShares> {
  const { ops, w } = shareOperands(s.self, s.n, [x]);
  const words = await runCircuit(s, Protocol.A2B, triples, (c) => msbCircuit(c, ops, w, opts.carry));
  return { count: x.length, bits: 1, words };
}
