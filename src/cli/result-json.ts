/**
 * The result as the JSON the browser puts in `data-result` (DESIGN §6), so a script reading
 * the Node party's stdout and a test reading a tab's attribute see the same shape:
 * `{ computation, value }`, `{ computation: "rank", rank, of, percentile }`, histogram with
 * `edges`, psi with `size`. The exact decimal strings are added as `exact` where the value
 * is a decimal number, because a JSON number cannot hold every 64-bit result exactly.
 */
import type { ComputationOutput } from '../core/computations/index.ts';
import type { JobOutput, PsiOutput } from '../worker/jobs.ts';
import { isTableOutput, tableResultJson } from '../core/table/index.ts';
import { isModelOutput, modelResultJson } from '../core/model/index.ts';

const isPsiOutput = (o: JobOutput): o is PsiOutput => o.kind === 'psi' || o.kind === 'psi-size' || o.kind === 'psi-sum';

export function resultJson(out: JobOutput): Record<string, unknown> {
  if (isPsiOutput(out) && out.kind === 'psi-sum') return { computation: out.kind, value: { count: out.size, sum: Number(out.sum ?? '0') }, exact: out.sum ?? '0' };
  if (isPsiOutput(out)) return out.kind === 'psi' ? { computation: out.kind, value: out.items ?? [], size: out.size } : { computation: out.kind, value: out.size };
  // several statistics in one run: one §6 object per statistic
  if (out.kind === 'several') return { computation: 'several', results: out.results.map(resultJson) };
  if (isTableOutput(out)) return tableResultJson(out);
  if (isModelOutput(out)) return modelResultJson(out);
  const o: ComputationOutput = out;
  if (o.kind === 'rank' && o.rank) return { computation: 'rank', rank: o.rank.rank, of: o.rank.of, percentile: o.rank.percentile };
  if (o.kind === 'histogram' && o.buckets) return { computation: 'histogram', value: o.buckets.counts, edges: o.buckets.edges.map(Number) };
  if (o.kind === 'stats' && o.stats) {
    const s = o.stats;
    return { computation: 'stats', value: { count: s.count, mean: Number(s.mean), variance: Number(s.variance), stddev: Number(s.stddev) }, exact: s };
  }
  if (o.kind === 'threshold' && o.above !== undefined) return { computation: 'threshold', value: o.above };
  const values = o.value === undefined ? [] : Array.isArray(o.value) ? o.value : [o.value];
  return { computation: o.kind, value: values.length === 1 ? Number(values[0]) : values.map(Number), exact: values.length === 1 ? values[0] : values };
}
