/**
 * Counting shared bits (ranks, histograms, "how many are below t"): additive shares of the
 * number of ones in each group of `groupSize` XOR-shared bits.
 *
 * Converting every bit with b2a costs N−1 arithmetic triples per bit, and an arithmetic
 * triple costs ≈ 80 AND triples of preprocessing (DESIGN §3: (64·128+2080) vs 129 bits per
 * peer). So we first add the bits of each group in the boolean domain with a Wallace tree
 * on columns [Wal64] (full adder: 1 AND; half adder: 1 AND; every column compressed in
 * parallel, one round per stage) down to one bit per weight 2^k, k < ⌈log₂(M+1)⌉, and only
 * convert those few bits with b2a: ≈ M ANDs + ⌈log₂(M+1)⌉·(N−1) arithmetic triples per
 * group instead of M·(N−1) arithmetic triples.
 *
 * Security: as boolean.ts and b2a.ts (only AND gates and Beaver openings communicate).
 *
 * [Wal64] Wallace. A Suggestion for a Fast Multiplier. IEEE Trans. Electronic Computers 1964.
 */
import { MpcError } from '../errors.ts';
import { Protocol } from '../session/round.ts';
import type { Session } from '../session/session.ts';
import type { TripleSource } from '../triples/types.ts';
import { concatWords } from '../codec.ts';
import { type BitShares, makeBitShares, selectBits, wordsFor } from './bit-shares.ts';
import { b2a } from './b2a.ts';
import { type BoolCircuit, runCircuit } from './boolean.ts';

const xor = (a: Uint32Array, b: Uint32Array): Uint32Array => a.map((v, i) => v ^ b[i]);

/**
 * Column compression until every weight holds at most one bit; returns cols[k] (one plane
 * or none). The count of M bits fits in width = bitlength(M) bits, so any bit of weight
 * ≥ 2^width is always 0: carries out of the top column are dropped without an AND.
 */
export async function popcountCircuit(c: BoolCircuit, operands: readonly Uint32Array[], w: number): Promise<(Uint32Array | undefined)[]> {
  const width = operands.length.toString(2).length;
  let cols: Uint32Array[][] = [[...operands]];
  while (cols.some((col) => col.length > 1)) {
    const xs: Uint32Array[] = [];
    const ys: Uint32Array[] = [];
    const plan: { k: number; kind: 'fa' | 'ha'; a: Uint32Array; b: Uint32Array; cc?: Uint32Array }[] = [];
    const next: Uint32Array[][] = cols.map(() => []);
    next.push([]);
    cols.forEach((col, k) => {
      const top = k + 1 >= width; // carry would be of weight ≥ 2^width: always 0
      let i = 0;
      for (; i + 3 <= col.length; i += 3) {
        const [a, b, cc] = col.slice(i, i + 3);
        if (top) {
          next[k].push(a.map((v, j) => v ^ b[j] ^ cc[j]));
          continue;
        }
        xs.push(xor(a, cc));
        ys.push(xor(b, cc));
        plan.push({ k, kind: 'fa', a, b, cc });
      }
      if (col.length - i === 2) {
        if (top) next[k].push(xor(col[i], col[i + 1]));
        else {
          xs.push(col[i]);
          ys.push(col[i + 1]);
          plan.push({ k, kind: 'ha', a: col[i], b: col[i + 1] });
        }
      } else if (col.length - i === 1) {
        next[k].push(col[i]);
      }
    });
    // one round per stage (none when only the top column, which needs no AND, was left)
    const z = plan.length > 0 ? await c.and(concatWords(xs), concatWords(ys)) : new Uint32Array(0);
    plan.forEach((p, j) => {
      const m = z.subarray(j * w, (j + 1) * w);
      if (p.kind === 'fa') {
        const cc = p.cc as Uint32Array;
        next[p.k].push(p.a.map((v, i) => v ^ p.b[i] ^ cc[i])); // sum
        next[p.k + 1].push(m.map((v, i) => v ^ cc[i])); // carry = maj(a, b, c)
      } else {
        next[p.k].push(xor(p.a, p.b));
        next[p.k + 1].push(m.slice());
      }
    });
    while (next.length > 0 && next[next.length - 1].length === 0) next.pop();
    cols = next;
  }
  return cols.map((col) => col[0]);
}

/**
 * Additive shares of the number of ones in each consecutive group of `groupSize` bits of
 * the one-plane vector x (element g·groupSize + j is bit j of group g).
 */
export async function countBits(s: Session, x: BitShares, groupSize: number, triples: TripleSource): Promise<BigUint64Array> {
  if (x.bits !== 1) throw new MpcError('INVALID_ARGUMENT', `countBits needs one plane, got ${x.bits}`);
  if (!Number.isInteger(groupSize) || groupSize < 1 || x.count % groupSize !== 0) {
    throw new MpcError('INVALID_ARGUMENT', `countBits: ${x.count} bits do not split into groups of ${groupSize}`);
  }
  const groups = x.count / groupSize;
  const w = wordsFor(groups);
  // operand j = bit j of every group, groups as lanes
  const operands = Array.from({ length: groupSize }, (_, j) => selectBits(x, Array.from({ length: groups }, (_, g) => g * groupSize + j)).words);
  // the adder tree is a boolean adder like A2B's, so it runs under the A2B tag
  const cols = await runCircuit(s, Protocol.A2B, triples, (c) => popcountCircuit(c, operands, w));
  // convert only the column bits that exist, packed: element k'·groups + g = column k' of group g
  const present = cols.flatMap((col, k) => (col ? [{ col, k }] : []));
  const packed = makeBitShares(present.length * groups, 1);
  present.forEach(({ col }, kk) => {
    for (let g = 0; g < groups; g++) {
      const e = kk * groups + g;
      packed.words[e >>> 5] |= ((col[g >>> 5] >>> (g & 31)) & 1) << (e & 31);
    }
  });
  const arith = await b2a(s, packed, triples);
  const out = new BigUint64Array(groups);
  present.forEach(({ k }, kk) => {
    for (let g = 0; g < groups; g++) out[g] += arith[kk * groups + g] << BigInt(k);
  });
  return out;
}
