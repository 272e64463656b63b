/**
 * Private benchmarking: every party learns only the rank of its own value among everyone's
 * ("you are 2nd of 5, top 40%"), nothing about the others' values or ranks.
 *
 * Rank 1 is the largest value; ties share the best rank (competition ranking "1 2 2 4"):
 * rank_i = 1 + #{j : x_j > x_i}. The percentile is the "top" share, 100·rank/N.
 *
 * 1. For every ordered pair (i, j), i ≠ j, XOR shares of [x_i < x_j] by one batched `lt`
 *    over all N(N−1) pairs (x_i is party i's input, the others hold zero shares of it;
 *    inputs passed the range check, so |x_i − x_j| < 2^63 and the bounded variant is exact).
 * 2. B2A of all bits, then party-local sums: additive shares of #{j : x_j > x_i} for each i.
 * 3. Open the i-th count to party i only (`openTo`).
 * Party i sees only its own count; the bits and other counts stay shared.
 *
 * Cost: N(N−1) comparisons and N(N−1)² arithmetic triples (b2a), independent of values.
 * Security: semi-honest (compare.ts, b2a.ts, open.ts).
 */
import { MpcError } from '../errors.ts';
import { partyId } from '../session/channel.ts';
import { b2a } from '../protocols/b2a.ts';
import { lt } from '../protocols/compare.ts';
import { openTo } from '../protocols/open.ts';
import type { ComputationContext, ComputationOutput } from './context.ts';

export async function computeRank(ctx: ComputationContext): Promise<ComputationOutput['rank']> {
  const { s, triples } = ctx;
  const n = s.n;
  if (ctx.counts.some((c) => c !== 1)) throw new MpcError('INVALID_ARGUMENT', 'rank needs exactly one value from every participant');
  const mine = BigInt.asUintN(64, ctx.values[0]);
  const pairs = n * (n - 1);
  const left = new BigUint64Array(pairs);
  const right = new BigUint64Array(pairs);
  let e = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      if (i === s.self) left[e] = mine;
      if (j === s.self) right[e] = mine;
      e++;
    }
  }
  const above = await b2a(s, await lt(s, left, right, triples, { bounded: true }), triples);
  let result: ComputationOutput['rank'];
  for (let i = 0; i < n; i++) {
    const count = new BigUint64Array(1);
    for (let k = 0; k < n - 1; k++) count[0] += above[i * (n - 1) + k];
    const opened = await openTo(s, partyId(i), count);
    if (opened) {
      const rank = Number(opened[0]) + 1;
      if (rank > n) throw new MpcError('ABORTED', 'rank opened out of range: a party deviated from the protocol');
      result = { rank, of: n, percentile: Math.round((10_000 * rank) / n) / 100 };
    }
  }
  return result;
}
