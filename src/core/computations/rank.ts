/**
 * Private benchmarking: every party learns only the rank of its own value among everyone's
 * ("you are 2nd of 5, top 40%"), nothing about the others' values or ranks.
 *
 * Rank 1 is the largest value; ties share the best rank (competition ranking "1 2 2 4"):
 * rank_i = 1 + #{j : x_j > x_i}. The percentile is the "top" share, 100·rank/N.
 *
 * One boolean circuit (GMW on XOR shares, boolean.ts), in three parts:
 * 1. For every ordered pair (i, j), i ≠ j, shares of [x_i < x_j] = msb(x_i − x_j). The two
 *    summands are held by one party each: lane (i, j) of operand A is x_i (party i's
 *    share, zero elsewhere) and of operand B is −x_j (party j's), a valid XOR sharing of
 *    both operands. So the adder takes just two operands instead of reducing N shares
 *    first, and it is only as wide as the bounds need (narrow-sign.ts): inputs passed the
 *    range check, so |x_i − x_j| ≤ upper − lower and the sign of the difference is exact.
 * 2. Per party i, a popcount of its N − 1 bits by carry-save (3:2) compression [Wal64], all
 *    parties' counts side by side in the lanes: ≈ 2(N−1) ANDs per party, O(log N) rounds.
 * 3. Party i's count (⌈log₂ N⌉ bits, its lane only) is opened to party i alone.
 * Party i sees only its own count; comparison bits and other counts stay shared.
 *
 * Cost: ≈ 3·B·N(N−1) + 2N² AND gates for B-bit bounds; versus a B2A of every comparison bit it avoids
 * (N−1)² arithmetic triples per bit, which dominate from N ≈ 5 up.
 * Security: semi-honest (boolean.ts, open.ts).
 *
 * [Wal64] Wallace. A Suggestion for a Fast Multiplier. IEEE Trans. Electronic Computers 1964.
 */
import { MpcError } from '../errors.ts';
import { partyId } from '../session/channel.ts';
import { Protocol } from '../session/round.ts';
import { sliceU64, wordsFor } from '../protocols/bit-shares.ts';
import { type BoolCircuit, runCircuit } from '../protocols/boolean.ts';
import { openBitsTo } from '../protocols/open.ts';
import type { ComputationContext, ComputationOutput } from './context.ts';
import { narrowSignCircuit } from './narrow-sign.ts';
import { bitLength } from './search.ts';

const getBit = (words: Uint32Array, lane: number): number => (words[lane >>> 5] >>> (lane & 31)) & 1;
const setBit = (words: Uint32Array, lane: number, bit: number): void => {
  words[lane >>> 5] |= (bit & 1) << (lane & 31);
};
const xorOf = (...xs: Uint32Array[]): Uint32Array => {
  const out = new Uint32Array(xs[0].length);
  for (const x of xs) for (let i = 0; i < out.length; i++) out[i] ^= x[i];
  return out;
};

/**
 * Carry-save popcount: `bits` one-plane vectors (w words each) -> the planes of their sum,
 * least significant first (`width` planes). Each level compresses every column of equal
 * weight with full adders (3 -> 2, one AND: maj = ((a⊕c)∧(b⊕c))⊕c) or, for two bits,
 * a half adder (carry = a∧b), all ANDs of the level in one round.
 */
async function popcount(c: BoolCircuit, bits: Uint32Array[], w: number, width: number): Promise<Uint32Array[]> {
  let cols: Uint32Array[][] = [bits];
  while (cols.some((col) => col.length > 1)) {
    const xs: Uint32Array[] = [];
    const ys: Uint32Array[] = [];
    const plan: { col: number; a: Uint32Array; b: Uint32Array; c?: Uint32Array }[] = [];
    const next: Uint32Array[][] = cols.map(() => []);
    cols.forEach((col, k) => {
      let i = 0;
      for (; i + 3 <= col.length; i += 3) {
        const [a, b, d] = col.slice(i, i + 3);
        xs.push(xorOf(a, d));
        ys.push(xorOf(b, d));
        plan.push({ col: k, a, b, c: d });
      }
      if (col.length - i === 2) {
        xs.push(col[i]);
        ys.push(col[i + 1]);
        plan.push({ col: k, a: col[i], b: col[i + 1] });
      } else if (col.length - i === 1) {
        next[k].push(col[i]);
      }
    });
    const z = await c.and(concat(xs), concat(ys));
    plan.forEach((p, j) => {
      const and = z.subarray(j * w, (j + 1) * w);
      if (next.length <= p.col + 1) next.push([]);
      if (p.c) {
        next[p.col].push(xorOf(p.a, p.b, p.c));
        next[p.col + 1].push(xorOf(and, p.c));
      } else {
        next[p.col].push(xorOf(p.a, p.b));
        next[p.col + 1].push(and.slice());
      }
    });
    cols = next;
  }
  return Array.from({ length: width }, (_, k) => cols[k]?.[0] ?? new Uint32Array(w));
}

function concat(parts: readonly Uint32Array[]): Uint32Array {
  const out = new Uint32Array(parts.reduce((a, p) => a + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

export async function computeRank(ctx: ComputationContext): Promise<ComputationOutput['rank']> {
  const { s, triples } = ctx;
  const n = s.n;
  if (ctx.counts.some((c) => c !== 1)) throw new MpcError('INVALID_ARGUMENT', 'rank needs exactly one value from every participant');
  const mine = BigInt.asUintN(64, ctx.values[0]);
  const others = (i: number): number[] => Array.from({ length: n - 1 }, (_, k) => (k < i ? k : k + 1));
  // Lane i·(N−1) + k compares party i with its k-th other party j: A = x_i, B = −x_j.
  const lanes = n * (n - 1);
  const a = new BigUint64Array(lanes);
  const b = new BigUint64Array(lanes);
  for (let i = 0; i < n; i++) {
    others(i).forEach((j, k) => {
      if (i === s.self) a[i * (n - 1) + k] = mine;
      if (j === s.self) b[i * (n - 1) + k] = -mine;
    });
  }
  const w = wordsFor(lanes);
  // |x_i − x_j| ≤ upper − lower < 2^(signWidth − 1): a narrow adder gives the sign
  const signWidth = bitLength(ctx.scaled.upper - ctx.scaled.lower) + 1;
  const planes = (x: BigUint64Array): Uint32Array[] => {
    const sl = sliceU64(x).words;
    return Array.from({ length: signWidth }, (_, k) => sl.slice(k * w, (k + 1) * w));
  };
  const ops = [planes(a), planes(b)];
  const width = (n - 1).toString(2).length;
  const wn = wordsFor(n);
  const counts = await runCircuit(s, Protocol.Compare, triples, async (c) => {
    const less = await narrowSignCircuit(c, ops, w, signWidth); // lane (i, k): [x_i < x_j]
    const perOther: Uint32Array[] = [];
    for (let k = 0; k < n - 1; k++) {
      const v = new Uint32Array(wn);
      for (let i = 0; i < n; i++) setBit(v, i, getBit(less, i * (n - 1) + k));
      perOther.push(v);
    }
    return popcount(c, perOther, wn, width);
  });
  let result: ComputationOutput['rank'];
  for (let i = 0; i < n; i++) {
    const lane = Uint32Array.from(counts, (plane) => getBit(plane, i)); // one lane: word k = plane k
    const opened = await openBitsTo(s, partyId(i), { count: 1, bits: width, words: lane });
    if (opened) {
      let above = 0;
      for (let k = 0; k < width; k++) above |= (opened.words[k] & 1) << k;
      const rank = above + 1;
      if (rank > n) throw new MpcError('ABORTED', 'rank opened out of range: a party deviated from the protocol');
      result = { rank, of: n, percentile: Math.round((10_000 * rank) / n) / 100 };
    }
  }
  return result;
}
