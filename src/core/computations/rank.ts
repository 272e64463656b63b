/**
 * Private benchmarking: every party learns only the rank of its own value among everyone's
 * ("you are 2nd of 5, top 40%"), nothing about the others' values or ranks.
 *
 * Rank 1 is the largest value; ties share the best rank (competition ranking "1 2 2 4"):
 * rank_i = 1 + #{j : x_j > x_i}. The percentile is the "top" share, 100·rank/N.
 *
 * On the committed values only (issue 11: one operand per party for every lane, so a party
 * cannot use a different value against different opponents):
 * 1. For every ordered pair (i, j), i ≠ j, the bit [x_i < x_j] = [x_i − x_j < 0]; the
 *    commit enforced the bounds, so |x_i − x_j| ≤ upper − lower and a narrow comparison
 *    of bitLength(upper − lower) + 1 bits is exact. All N(N−1) lanes in one layer.
 * 2. Per party i, the number of ones among its N − 1 bits, counted inside the MPC.
 * 3. Party i's count is opened to party i alone.
 * Party i sees only its own count; comparison bits and other counts stay shared.
 *
 * Security: that of the backend (open only to the owner).
 */
import { MpcError } from '../errors.ts';
import { partyId } from '../session/channel.ts';
import type { ComputationContext, ComputationOutput } from './context.ts';
import { allValues } from './aggregates.ts';
import { bitLength } from './search.ts';

export async function computeRank(ctx: ComputationContext): Promise<ComputationOutput['rank']> {
  const { b } = ctx;
  const n = b.n;
  if (ctx.counts.some((c) => c !== 1)) throw new MpcError('INVALID_ARGUMENT', 'rank needs exactly one value from every participant');
  const all = allValues(ctx); // element i = party i's value
  // lane i·(N−1) + k compares party i with its k-th other party j
  const left: number[] = [];
  const right: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      left.push(i);
      right.push(j);
    }
  }
  const less = await b.ltz(b.sub(b.gather(all, left), b.gather(all, right)), { width: bitLength(ctx.scaled.upper - ctx.scaled.lower) + 1 });
  const above = await b.countOnes(less, n - 1);
  let result: ComputationOutput['rank'];
  for (let i = 0; i < n; i++) {
    const opened = await b.openTo(partyId(i), b.slice(above, i, i + 1));
    if (opened) {
      const rank = Number(opened[0]) + 1;
      if (opened[0] >= BigInt(n)) throw new MpcError('ABORTED', 'rank opened out of range: a participant deviated from the protocol');
      result = { rank, of: n, percentile: Math.round((10_000 * rank) / n) / 100 };
    }
  }
  return result;
}
