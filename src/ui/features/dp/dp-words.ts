/**
 * Plain words for a private run, DOM-free (shared by the notes before Ready and the result):
 * what ε means for one person's record, the expected accuracy, and the small-group guard.
 */
import type { ComputationSpec } from '../../../core/computations/spec';
import { DEFAULT_DELTA, DP_KINDS, MIN_GROUP_KINDS, dpOf, planRelease } from '../../../core/dp';
import { parseDecimal, formatDecimalTrimmed } from '../../../core/fixed-point';
import { formatDecimal } from '../../components/format';

/** The 95 % half-width the spec's noise gives, in the result's units, grouped by thousands (undefined if it cannot be planned). */
export function expectedHalfWidth(spec: ComputationSpec, parties: number): string | undefined {
  const dp = dpOf(spec);
  if (!dp || !DP_KINDS.has(spec.kind)) return undefined;
  try {
    if (spec.kind === 'histogram') return formatDecimal(String(planRelease({ ...dp, sensitivity: 1n, coordinates: 2, bound: 1n }, 1).halfWidth));
    const lo = parseDecimal(spec.lower, spec.decimals);
    const hi = parseDecimal(spec.upper, spec.decimals);
    const plan = planRelease({ ...dp, sensitivity: hi - lo > 0n ? hi - lo : 1n, coordinates: spec.length, bound: 1n }, 1);
    const n = BigInt(Math.max(1, parties));
    const h = spec.kind === 'mean' ? (plan.halfWidth + n - 1n) / n : plan.halfWidth;
    return formatDecimal(formatDecimalTrimmed(h, spec.decimals));
  } catch {
    return undefined;
  }
}

export function dpSentences(spec: ComputationSpec, parties: number): string[] {
  const out: string[] = [];
  if (spec.epsilon !== undefined) {
    const eps = Number(spec.epsilon);
    const record = spec.kind === 'histogram' ? 'one value (one person’s record)' : 'one participant’s values';
    out.push(
      `Differential privacy, ε = ${spec.epsilon}: whatever ${record} is, the result is at most ${Math.exp(eps).toFixed(2)} times (e^ε) more or less likely than if it had been any other allowed value — so the result says almost nothing about any one record — except with a chance of δ = ${spec.delta ?? DEFAULT_DELTA}. Smaller ε hides more and adds more noise.`,
    );
    out.push('The noise is made inside the computation from every participant’s randomness: nobody, not even all but one of you together, knows it or can subtract it.');
    const h = expectedHalfWidth(spec, parties);
    if (h !== undefined) out.push(`Accuracy: the noisy result is within ± ${h} of the exact one 95 % of the time${spec.kind === 'histogram' ? ' (for each bucket)' : ''}.`);
  }
  if (spec.minGroup !== undefined && MIN_GROUP_KINDS.has(spec.kind)) {
    out.push(`Buckets with fewer than ${spec.minGroup} values are hidden. The decision is made inside the computation, so a hidden bucket reveals only that it holds fewer than ${spec.minGroup}${spec.epsilon !== undefined ? ' (judged on the noisy count)' : ''}.`);
  }
  return out;
}
