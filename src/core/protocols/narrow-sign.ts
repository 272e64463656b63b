/**
 * Sign of a small shared integer with a narrow adder. When every party's additive share is
 * itself a small integer (order statistics: each party's share of C(v) − k is its own count,
 * party 0's minus k) the true sum g satisfies |g| < 2^(B−1) for a public B far below 64,
 * and the low B bits of the shares add, mod 2^B, to the low B bits of g. The sign of g is
 * then bit B−1 of that B-bit sum: a B-bit boolean adder instead of the 64-bit one of
 * compare.ts (for 5 parties and B = 18 about 100 AND gates per comparison instead of 339).
 *
 * Circuit (as a2b.ts, narrowed): a Wallace tree of 3:2 compressors [Wal64] reduces the N
 * operands to two, A + B ≡ Σ mod 2^B; then the carry into bit B−1 by a binary tree of
 * generate/propagate pairs [BK82], (G,P)∘(G',P') = (G ⊕ P∧G', P∧P'); sign = a ⊕ b ⊕ carry.
 *
 * Security: semi-honest, as boolean.ts (only AND gates communicate; the result stays
 * XOR-shared). Correctness needs |g| < 2^(B−1), which the caller derives from public counts;
 * shares need not be small for privacy, only the sum for correctness.
 *
 * [Wal64] Wallace. A Suggestion for a Fast Multiplier. IEEE Trans. Electronic Computers 1964.
 * [BK82]  Brent, Kung. A Regular Layout for Parallel Adders. IEEE Trans. Computers 1982.
 */
import { MpcError } from '../errors.ts';
import { Protocol } from '../session/round.ts';
import type { Session } from '../session/session.ts';
import type { TripleSource } from '../triples/types.ts';
import { type BitShares, sliceU64, wordsFor } from './bit-shares.ts';
import { BoolCircuit, runCircuit } from './boolean.ts';

type Planes = Uint32Array[]; // plane k (bit k), each w words

const xor = (...xs: Uint32Array[]): Uint32Array => {
  const out = new Uint32Array(xs[0].length);
  for (const x of xs) for (let i = 0; i < out.length; i++) out[i] ^= x[i];
  return out;
};

function concat(parts: readonly Uint32Array[], w: number): Uint32Array {
  const out = new Uint32Array(parts.length * w);
  parts.forEach((p, i) => out.set(p, i * w));
  return out;
}

/** Σ operands ≡ A + B mod 2^width, all compressors of a level in one round. */
async function wallace(c: BoolCircuit, input: readonly Planes[], w: number, width: number): Promise<[Planes, Planes]> {
  let ops = [...input];
  while (ops.length > 2) {
    const groups = Math.floor(ops.length / 3);
    const xs: Uint32Array[] = [];
    const ys: Uint32Array[] = [];
    for (let g = 0; g < groups; g++) {
      const [a, b, d] = ops.slice(3 * g, 3 * g + 3);
      for (let k = 0; k < width - 1; k++) {
        xs.push(xor(a[k], d[k]));
        ys.push(xor(b[k], d[k]));
      }
    }
    const m = await c.and(concat(xs, w), concat(ys, w));
    const next: Planes[] = [];
    for (let g = 0; g < groups; g++) {
      const [a, b, d] = ops.slice(3 * g, 3 * g + 3);
      const carry: Planes = [new Uint32Array(w)];
      for (let k = 0; k < width - 1; k++) carry.push(xor(m.subarray((g * (width - 1) + k) * w, (g * (width - 1) + k + 1) * w), d[k]));
      next.push(a.map((ak, k) => xor(ak, b[k], d[k])), carry);
    }
    next.push(...ops.slice(3 * groups));
    ops = next;
  }
  return [ops[0], ops[1]];
}

/** XOR shares of bit width−1 of A + B. */
async function topBit(c: BoolCircuit, a: Planes, b: Planes, w: number, width: number): Promise<Uint32Array> {
  const low = width - 1;
  if (low === 0) return xor(a[0], b[0]);
  const g = await c.and(concat(a.slice(0, low), w), concat(b.slice(0, low), w));
  let nodes: { g: Uint32Array; p: Uint32Array | null }[] = [];
  for (let k = 0; k < low; k++) nodes.push({ g: g.subarray(k * w, (k + 1) * w), p: k === 0 ? null : xor(a[k], b[k]) });
  while (nodes.length > 1) {
    const pairs = nodes.length >>> 1;
    const xs: Uint32Array[] = [];
    const ys: Uint32Array[] = [];
    for (let j = 0; j < pairs; j++) {
      const lo = nodes[2 * j];
      const hp = nodes[2 * j + 1].p as Uint32Array; // only node 0 lacks P and it is never `hi`
      xs.push(hp);
      ys.push(lo.g);
      if (lo.p) {
        xs.push(hp);
        ys.push(lo.p);
      }
    }
    const z = await c.and(concat(xs, w), concat(ys, w));
    const next: typeof nodes = [];
    let off = 0;
    for (let j = 0; j < pairs; j++) {
      const lo = nodes[2 * j];
      const gg = xor(nodes[2 * j + 1].g, z.subarray(off, off + w));
      off += w;
      let p: Uint32Array | null = null;
      if (lo.p) {
        p = z.slice(off, off + w);
        off += w;
      }
      next.push({ g: gg, p });
    }
    if (nodes.length & 1) next.push(nodes[nodes.length - 1]);
    nodes = next;
  }
  return xor(a[low], b[low], nodes[0].g);
}

/** The circuit on prepared operands (exported for cost counting). */
export async function narrowSignCircuit(c: BoolCircuit, ops: readonly Planes[], w: number, width: number): Promise<Uint32Array> {
  const [a, b] = await wallace(c, ops, w, width);
  return topBit(c, a, b, w, width);
}

/** This party's operands: its own share's low `width` planes in its slot, zeros elsewhere. */
function operands(self: number, n: number, x: BigUint64Array, width: number): { ops: Planes[]; w: number } {
  const w = wordsFor(x.length);
  const sliced = sliceU64(x).words;
  const mine: Planes = Array.from({ length: width }, (_, k) => sliced.slice(k * w, (k + 1) * w));
  const ops: Planes[] = [];
  for (let i = 0; i < Math.max(n, 2); i++) ops.push(i === self ? mine : Array.from({ length: width }, () => new Uint32Array(w)));
  return { ops, w };
}

function checkWidth(width: number): void {
  if (!Number.isInteger(width) || width < 1 || width > 64) throw new MpcError('INVALID_ARGUMENT', `adder width must be 1..64, got ${width}`);
}

/** XOR shares of [g < 0] for shared g with |g| < 2^(width−1) (one plane). */
export async function narrowLtz(s: Session, x: BigUint64Array, width: number, triples: TripleSource): Promise<BitShares> {
  checkWidth(width);
  const { ops, w } = operands(s.self, s.n, x, width);
  const words = await runCircuit(s, Protocol.Compare, triples, (c) => narrowSignCircuit(c, ops, w, width));
  return { count: x.length, bits: 1, words };
}

/** AND-triple words of one narrowLtz on `count` elements among `n` parties. */
export async function narrowLtzWords(n: number, count: number, width: number): Promise<number> {
  checkWidth(width);
  const w = wordsFor(count);
  const ops = Array.from({ length: Math.max(n, 2) }, () => Array.from({ length: width }, () => new Uint32Array(w)));
  const c = BoolCircuit.counting();
  await narrowSignCircuit(c, ops, w, width);
  return c.cost.andWords;
}
