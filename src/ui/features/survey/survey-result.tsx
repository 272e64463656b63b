/** The published result of a survey: count, invalid reports, and each question's aggregate. */
import type { SurveyDescriptor, SurveyResult } from '../../../core/survey';
import { formatFloat as fmt } from '../../components/format';

export function SurveyResultView({ d, result }: { d: SurveyDescriptor; result: SurveyResult }) {
  const value = result.questions.map((q) =>
    q.kind === 'number'
      ? { label: q.label, total: q.total, mean: q.mean, ...(q.variance ? { variance: q.variance.population, sampleVariance: q.variance.sample, sampleStddev: q.variance.sampleStddev } : {}) }
      : q.kind === 'choice'
        ? { label: q.label, counts: Object.fromEntries(q.counts.map((c) => [c.option, c.count])) }
        : { label: q.label, totals: q.totals, means: q.means },
  );
  const json = JSON.stringify({ computation: 'survey', count: result.count, invalid: result.invalid, value });
  return (
    <section className="card stack" data-testid="result" data-result={json} aria-labelledby="result-h">
      <h2 id="result-h">Result of “{d.title}”</h2>
      <p>
        <strong>{result.count}</strong> valid {result.count === 1 ? 'report' : 'reports'} counted
        {result.invalid > 0 ? `; ${result.invalid} invalid ${result.invalid === 1 ? 'report was' : 'reports were'} rejected by the proofs and not counted` : ''}.
        {result.count < 5 && ' With this few reports, the totals say a lot about each one.'}
      </p>
      {result.questions.map((q, i) => (
        <div key={i}>
          <h3>{q.label}</h3>
          {q.kind === 'number' && (
            <p>
              Total <strong>{fmt(q.total)}</strong>, mean <strong>{fmt(q.mean)}</strong>
            </p>
          )}
          {q.kind === 'number' && q.variance && (
            <>
              <p data-testid="survey-variance">
                Variance <strong>{fmt(q.variance.sample)}</strong> (sample, divided by n − 1; standard deviation <strong>{fmt(q.variance.sampleStddev)}</strong>); population
                variance <strong>{fmt(q.variance.population)}</strong> (divided by n).
              </p>
              <p className="hint">
                The variance says how far answers typically lie from the mean: about two thirds of answers fall within one standard deviation
                of it when they are roughly bell-shaped. It comes from the sum of the answers and the sum of their squares. The proofs check
                that each square is in range but not that it is the square of the answer, so one modified app could shift the variance by up
                to {fmt(q.variance.squareBound / Math.max(1, result.count))} (the total and the mean cannot be shifted this way).
              </p>
            </>
          )}
          {q.kind === 'choice' && (
            <table>
              <tbody>
                {q.counts.map((c) => (
                  <tr key={c.option}>
                    <th scope="row">{c.option}</th>
                    <td>{c.count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {q.kind === 'numbers' && (
            <table>
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">total</th>
                  <th scope="col">mean</th>
                </tr>
              </thead>
              <tbody>
                {q.totals.map((t, j) => (
                  <tr key={j}>
                    <th scope="row">{j + 1}</th>
                    <td>{fmt(t)}</td>
                    <td>{fmt(q.means[j])}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      ))}
      <p className="hint">Both aggregators signed their half of these totals; this page checked the signatures against the keys in your link.</p>
    </section>
  );
}
