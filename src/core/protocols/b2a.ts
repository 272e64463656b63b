/**
 * Boolean-to-arithmetic conversion of single bits (B2A): XOR shares of b ∈ {0,1} become
 * additive shares of b over Z_2^64, e.g. to sum comparison results (ranks, histograms).
 *
 * b = b₀ ⊕ … ⊕ b_{N−1} and party i knows bᵢ, so "bᵢ as a ring element held by party i,
 * zero for the others" is an additive sharing of bᵢ. XOR of two shared bits u, v is
 * u + v − 2·u·v over the integers; we fold the N operands pairwise in a balanced tree,
 * one Beaver multiplication [Bea91] per fold, all folds of a tree level in one round:
 * N−1 arithmetic triples per bit and ⌈log₂ N⌉ rounds (the XOR-as-arithmetic identity is
 * the standard one, e.g. [Dam+06]; daBits would move the same work to preprocessing).
 *
 * Security (semi-honest): Beaver multiplication opens only masked values; the output is an
 * additive sharing. Each party's input bit is a share, so it stays hidden.
 *
 * [Bea91]  Beaver. Efficient Multiparty Protocols Using Circuit Randomization. CRYPTO 1991.
 * [Dam+06] Damgård, Fitzi, Kiltz, Nielsen, Toft. Unconditionally Secure Constant-Rounds
 *          Multi-party Computation for Equality, Comparison, Bits and Exponentiation. TCC 2006.
 */
import { MpcError } from '../errors.ts';
import { Protocol } from '../session/round.ts';
import type { Session } from '../session/session.ts';
import type { TripleSource } from '../triples/types.ts';
import { type BitShares, unsliceBits } from './bit-shares.ts';
import { beaverMultiply } from './multiply.ts';
import { ArithTripleCursor } from './triple-cursor.ts';

/** Additive shares of the bits of a one-plane XOR-shared vector. ⌈log₂ N⌉ online rounds. */
export async function b2a(s: Session, x: BitShares, triples: TripleSource): Promise<BigUint64Array> {
  if (x.bits !== 1) throw new MpcError('INVALID_ARGUMENT', `b2a converts single bits; got ${x.bits} planes`);
  const len = x.count;
  const mine = unsliceBits(x);
  let ops: BigUint64Array[] = [];
  for (let i = 0; i < s.n; i++) {
    const v = new BigUint64Array(len);
    if (i === s.self) for (let j = 0; j < len; j++) v[j] = BigInt(mine[j]);
    ops.push(v);
  }
  const cursor = new ArithTripleCursor(await triples.arith((s.n - 1) * len));
  const instance = s.nextInstance(Protocol.B2A);
  for (let step = 0; ops.length > 1; step++) {
    const pairs = ops.length >>> 1;
    const left = new BigUint64Array(pairs * len);
    const right = new BigUint64Array(pairs * len);
    for (let j = 0; j < pairs; j++) {
      left.set(ops[2 * j], j * len);
      right.set(ops[2 * j + 1], j * len);
    }
    const uv = await beaverMultiply(s, s.round(Protocol.B2A, instance, step), left, right, cursor.take(pairs * len));
    const next: BigUint64Array[] = [];
    for (let j = 0; j < pairs; j++) {
      // u ⊕ v = u + v − 2uv
      const out = new BigUint64Array(len);
      for (let i = 0; i < len; i++) out[i] = left[j * len + i] + right[j * len + i] - 2n * uv[j * len + i];
      next.push(out);
    }
    if (ops.length & 1) next.push(ops[ops.length - 1]);
    ops = next;
  }
  return ops[0];
}
