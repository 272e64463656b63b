/**
 * Beaver multiplication of additively shared vectors over Z_2^64 [Bea91], batched: a whole
 * vector of products costs one round (d and e for all elements travel together).
 *
 * Security (semi-honest, any coalition of up to N−1 parties): with a fresh triple
 * (a, b, c = a·b), the opened d = x − a and e = y − b are uniformly distributed
 * independently of x and y, because a and b are uniform and unknown to the coalition
 * (at least one honest party's share of each is). Reusing a triple leaks x − x'.
 *
 * Cost per element: 16·(N−1) bytes sent per party, one arithmetic triple.
 *
 * [Bea91] Beaver. Efficient Multiparty Protocols Using Circuit Randomization. CRYPTO 1991.
 */
import { concatU64 } from '../codec.ts';
import { MpcError } from '../errors.ts';
import { Protocol, type RoundId } from '../session/round.ts';
import type { Session } from '../session/session.ts';
import type { ArithTriples, TripleSource } from '../triples/types.ts';
import { openInRound } from './open.ts';

function checkLengths(x: BigUint64Array, y: BigUint64Array, t: ArithTriples): void {
  if (x.length !== y.length) throw new MpcError('INVALID_ARGUMENT', `multiply: vector lengths differ (${x.length} vs ${y.length})`);
  if (t.a.length !== x.length || t.b.length !== x.length || t.c.length !== x.length) {
    throw new MpcError('INVALID_ARGUMENT', `multiply: ${x.length} products need as many triples, got ${t.a.length}`);
  }
}

/** Beaver's protocol in a caller-chosen round (for composite protocols). One round. */
export async function beaverMultiply(s: Session, round: RoundId, x: BigUint64Array, y: BigUint64Array, t: ArithTriples): Promise<BigUint64Array> {
  checkLengths(x, y, t);
  const len = x.length;
  // 1. open d = x − a and e = y − b together (one message per peer)
  const masked = new BigUint64Array(2 * len);
  for (let i = 0; i < len; i++) {
    masked[i] = x[i] - t.a[i];
    masked[len + i] = y[i] - t.b[i];
  }
  const de = await openInRound(s, round, masked);
  // 2. z = c + d·b + e·a + d·e, the public d·e term added by party 0 only
  //    (x·y = (d + a)(e + b) = d·e + d·b + e·a + a·b)
  const z = new BigUint64Array(len);
  const first = s.self === 0;
  for (let i = 0; i < len; i++) {
    const d = de[i];
    const e = de[len + i];
    const v = t.c[i] + d * t.b[i] + e * t.a[i]; // stored mod 2^64 by the typed array
    z[i] = first ? v + d * e : v;
  }
  return z;
}

/** Elementwise product of two shared vectors; fetches the triples from `triples` first. One online round. */
export async function multiply(s: Session, x: BigUint64Array, y: BigUint64Array, triples: TripleSource): Promise<BigUint64Array> {
  if (x.length !== y.length) throw new MpcError('INVALID_ARGUMENT', `multiply: vector lengths differ (${x.length} vs ${y.length})`);
  const t = await triples.arith(x.length);
  return beaverMultiply(s, s.round(Protocol.Multiply, s.nextInstance(Protocol.Multiply), 0), x, y, t);
}

/** Several independent products in one round: xs[i]·ys[i] for every i. */
export async function multiplyMany(s: Session, xs: readonly BigUint64Array[], ys: readonly BigUint64Array[], triples: TripleSource): Promise<BigUint64Array[]> {
  if (xs.length !== ys.length) throw new MpcError('INVALID_ARGUMENT', `multiplyMany: ${xs.length} left vs ${ys.length} right operands`);
  const z = await multiply(s, concatU64(...xs), concatU64(...ys), triples);
  const out: BigUint64Array[] = [];
  let off = 0;
  for (const x of xs) {
    out.push(z.subarray(off, off + x.length));
    off += x.length;
  }
  return out;
}
