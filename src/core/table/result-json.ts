/**
 * A table computation's output as the `data-result` JSON of DESIGN §6, shared by the tab's
 * result view and the Node party's stdout so both print one shape:
 * - crosstab `{ computation, value: [ { group: { col: val, … }, count, sum?, mean? }, … ] }`
 *   (mean null for an empty cell; `suppressed` with a minimum group size; `dp` when noisy), with the exact decimal strings under `exact`;
 * - correlation `{ computation, columns, value: [[…]], n }`;
 * - regression `{ computation, value: { intercept, coefficients: { col: n, … }, r2, n }, target, ridge }`.
 */
import type { TableOutput } from './run-table.ts';

export function tableResultJson(out: TableOutput): Record<string, unknown> {
  if (out.kind === 'crosstab') {
    return {
      computation: 'crosstab',
      value: out.value.map((c) => ({
        group: c.group,
        count: c.count,
        ...(c.suppressed !== undefined ? { suppressed: c.suppressed } : {}),
        ...(c.sum !== undefined ? { sum: Number(c.sum) } : {}),
        ...(c.mean !== undefined ? { mean: c.mean === null ? null : Number(c.mean) } : {}),
      })),
      exact: out.value.map((c) => ({ sum: c.sum, mean: c.mean })),
      ...(out.dp ? { dp: out.dp } : {}),
    };
  }
  if (out.kind === 'regression') return { computation: 'regression', value: { intercept: out.intercept, coefficients: out.coefficients, r2: out.r2, n: out.n }, target: out.target, ridge: out.ridge };
  return { computation: 'correlation', columns: out.columns, value: out.value, n: out.n };
}
