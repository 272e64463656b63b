/**
 * Plain words for a private run, DOM-free (shared by the notes before Ready and the result):
 * what ε means for one person's record, the expected accuracy, and the small-group guard.
 * For the core kinds (sum, mean, histogram) and the cross-tab (core/table/run-table.ts
 * guardedCrosstab: counts, and sums of a value column, each at ε/4 per cell with a value).
 */
import type { ComputationSpec } from '../../../core/computations/spec';
import { type TableSpec, schemaColumn } from '../../../core/table';
import { DEFAULT_DELTA, DP_KINDS, MIN_GROUP_KINDS, dpOf, planRelease } from '../../../core/dp';
import { parseDecimal, formatDecimalTrimmed } from '../../../core/fixed-point';
import { formatDecimal } from '../../components/format';

type DpWordsSpec = ComputationSpec | TableSpec;
const isCrosstab = (s: DpWordsSpec): s is TableSpec => s.kind === 'crosstab';

/** The cross-tab's value column with its bounds, when it has one. */
function valueColumn(spec: TableSpec): { name: string; lower: string; upper: string; decimals: number } | undefined {
  if (!spec.value) return undefined;
  const c = schemaColumn(spec.schema, spec.value);
  return c.type === 'number' ? c : undefined;
}

/** 95 % half-widths of a noisy cross-tab: counts, and sums with a value column. */
function crosstabHalfWidths(spec: TableSpec): { count: string; sum?: string } | undefined {
  const dp = dpOf(spec);
  if (!dp) return undefined;
  const v = valueColumn(spec);
  const coordinates = v ? 4 : 2;
  const count = formatDecimal(String(planRelease({ ...dp, sensitivity: 1n, coordinates, bound: 1n }, 1).halfWidth));
  if (!v) return { count };
  const lo = parseDecimal(v.lower, v.decimals);
  const hi = parseDecimal(v.upper, v.decimals);
  const abs = (x: bigint) => (x < 0n ? -x : x);
  const sensitivity = [hi - lo, abs(lo), abs(hi), 1n].reduce((a, x) => (x > a ? x : a));
  return { count, sum: formatDecimal(formatDecimalTrimmed(planRelease({ ...dp, sensitivity, coordinates, bound: 1n }, 1).halfWidth, v.decimals)) };
}

/** The 95 % half-width the spec's noise gives, in the result's units, grouped by thousands (undefined if it cannot be planned). */
export function expectedHalfWidth(spec: DpWordsSpec, parties: number): string | undefined {
  const dp = dpOf(spec);
  if (!dp || !DP_KINDS.has(spec.kind)) return undefined;
  try {
    if (isCrosstab(spec)) {
      const h = crosstabHalfWidths(spec);
      return h && (h.sum !== undefined ? `${h.count} rows per cell, and ± ${h.sum} for each cell’s sum of ${spec.value}` : `${h.count} rows per cell`);
    }
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

export function dpSentences(spec: DpWordsSpec, parties: number): string[] {
  const out: string[] = [];
  const table = isCrosstab(spec);
  if (spec.epsilon !== undefined) {
    const eps = Number(spec.epsilon);
    const record = table ? 'one row (one person’s record)' : spec.kind === 'histogram' ? 'one value (one person’s record)' : 'one participant’s values';
    out.push(
      `Differential privacy, ε = ${spec.epsilon}: whatever ${record} is, the result is at most ${Math.exp(eps).toFixed(2)} times (e^ε) more or less likely than if it had been any other allowed value — so the result says almost nothing about any one record — except with a chance of δ = ${spec.delta ?? DEFAULT_DELTA}. Smaller ε hides more and adds more noise.`,
    );
    out.push('The noise is made inside the computation from every participant’s randomness: nobody, not even all but one of you together, knows it or can subtract it.');
    const h = expectedHalfWidth(spec, parties);
    if (h !== undefined) out.push(`Accuracy: the noisy result is within ± ${h} of the exact one 95 % of the time${spec.kind === 'histogram' ? ' (for each bucket)' : ''}.`);
    if (table && spec.value) out.push(`Each cell’s mean is its noisy sum divided by its noisy count, so a cell with few rows has a very uncertain mean.`);
  }
  if (spec.minGroup !== undefined && MIN_GROUP_KINDS.has(spec.kind)) {
    const what = table ? 'Cells with fewer than' : 'Buckets with fewer than';
    out.push(`${what} ${spec.minGroup} ${table ? 'rows' : 'values'} are hidden. The decision is made inside the computation, so a hidden ${table ? 'cell' : 'bucket'} reveals only that it holds fewer than ${spec.minGroup}${spec.epsilon !== undefined ? ' (judged on the noisy count)' : ''}.`);
    if (table && spec.epsilon === undefined) {
      out.push(`Without ε the ${spec.value ? `cells that are shown give their exact count, sum and mean of ${spec.value}` : 'cells that are shown give their exact count'}: a cell of ${spec.minGroup} rows still says a lot about those rows. Set ε for noisy ones.`);
    }
  }
  return out;
}
