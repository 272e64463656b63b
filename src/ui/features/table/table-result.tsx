/**
 * The revealed output of a table computation: the cross-tab as a table of groups (count,
 * sum and mean), or the correlation matrix with the number of rows used. The JSON in
 * `data-result` (DESIGN §6) comes from core/table/result-json.ts, which the Node party prints too.
 */
import type { TableOutput } from '../../../core/table';
import { formatDecimal, roundDecimal } from '../../components/format';

export function TableResultView({ output }: { output: TableOutput }) {
  if (output.kind === 'crosstab') {
    const groupCols = Object.keys(output.value[0]?.group ?? {});
    const hasValue = output.value.some((c) => c.sum !== undefined);
    return (
      <table className="stats crosstab" data-testid="crosstab-table">
        <thead>
          <tr>
            {groupCols.map((g) => (
              <th key={g} scope="col">
                {g}
              </th>
            ))}
            <th scope="col">Rows</th>
            {hasValue && <th scope="col">Sum</th>}
            {hasValue && <th scope="col">Mean</th>}
          </tr>
        </thead>
        <tbody>
          {output.value.map((c, i) => (
            <tr key={i}>
              {groupCols.map((g) => (
                <th key={g} scope="row">
                  {c.group[g]}
                </th>
              ))}
              <td>{c.suppressed ? 'hidden' : c.count.toLocaleString('en')}</td>
              {hasValue && <td>{c.sum !== undefined ? formatDecimal(c.sum) : ''}</td>}
              {hasValue && <td>{c.mean === null || c.mean === undefined ? 'no rows' : formatDecimal(roundDecimal(c.mean, 4))}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    );
  }
  if (output.kind === 'regression') {
    return (
      <div>
        <table className="stats regression" data-testid="regression-table">
          <thead>
            <tr>
              <th scope="col">Term</th>
              <th scope="col">Coefficient</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">Intercept</th>
              <td>{output.intercept}</td>
            </tr>
            {output.features.map((f) => (
              <tr key={f}>
                <th scope="row">{f}</th>
                <td>{output.coefficients[f]}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">R²</th>
              <td>{output.r2.toFixed(4)}</td>
            </tr>
          </tbody>
        </table>
        <p className="hint">
          {output.ridge ? `Ridge regression (λ = ${output.ridge})` : 'Least squares'} of {output.target} over {output.n.toLocaleString('en')} rows of all participants together (coefficients within about 0.1 %).
        </p>
      </div>
    );
  }
  return (
    <div>
      <table className="stats correlation" data-testid="correlation-table">
        <thead>
          <tr>
            <th />
            {output.columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {output.value.map((row, i) => (
            <tr key={i}>
              <th scope="row">{output.columns[i]}</th>
              {row.map((r, j) => (
                <td key={j}>{r.toFixed(4)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">Pearson correlation over {output.n.toLocaleString('en')} rows of all participants together (within about 0.001).</p>
    </div>
  );
}
