/**
 * The pooled average: the mean of ALL values of all participants together, Σx / T with T
 * the public total count ("the average across all patients" of hospitals with 116 and 86
 * values). Not the element-wise `mean` (aggregates.ts), which averages position i of
 * every participant's equal-length list (federated averaging).
 *
 * Only Σx over every committed value is opened; with the public per-party counts that is
 * exactly equivalent to the average (nothing else is computed). run.ts checks first that
 * T·bounds cannot wrap mod 2^64.
 *
 * Security: that of the backend; the one opening is the declared output.
 */
import { MpcError } from '../errors.ts';
import type { ComputationContext, ComputationOutput } from './context.ts';
import { EXTRA_DECIMALS, decimalString, roundDiv } from './rounding.ts';

export async function computePooledMean(ctx: ComputationContext): Promise<ComputationOutput> {
  const { b, spec } = ctx;
  if (ctx.total === 0) throw new MpcError('INVALID_ARGUMENT', 'the average of all values needs at least one value');
  const all = b.concat(ctx.inputs);
  const [sum] = await b.open(b.sumGroups(all, ctx.total));
  const t = BigInt(ctx.total);
  return { kind: 'pooled-mean', value: decimalString(roundDiv(BigInt.asIntN(64, sum) * 10n ** BigInt(EXTRA_DECIMALS), t), spec.decimals + EXTRA_DECIMALS), count: ctx.total };
}
