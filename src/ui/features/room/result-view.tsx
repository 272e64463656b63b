/** The revealed result, what it means, and what left this tab during the run. */
import type { RunResultView } from './room-store';

const MAX_SHOWN = 20;

export function ResultView({ result }: { result: RunResultView }) {
  const scalar = result.values.length === 1;
  const json = JSON.stringify({
    computation: result.computation,
    value: scalar ? Number(result.values[0]) : result.values.map(Number),
  });
  const label = result.computation === 'sum' ? 'Sum' : 'Average';
  const totalSent = result.traffic.reduce((a, t) => a + t.sent, 0);

  return (
    <section className="card result" data-testid="result" data-result={json} aria-live="polite">
      <h2>Result</h2>
      {scalar ? (
        <p className="big" aria-label={`${label}: ${result.values[0]}`}>
          {formatDecimal(result.values[0])}
        </p>
      ) : (
        <>
          <p>
            {label} of {result.values.length.toLocaleString('en')} positions
            {result.values.length > MAX_SHOWN ? ` (first ${MAX_SHOWN} shown)` : ''}:
          </p>
          <ol className="vector">
            {result.values.slice(0, MAX_SHOWN).map((v, i) => (
              <li key={i}>{formatDecimal(v)}</li>
            ))}
          </ol>
        </>
      )}
      <p className="hint">
        {label} over {result.parties} participants ({result.names.join(', ')}), computed in {(result.millis / 1000).toFixed(2)} s.
      </p>
      <details>
        <summary>What left this tab</summary>
        <p>
          Your values were never sent. Only secret shares and masked messages, which look random on their own,
          went to the other participants: {formatBytes(totalSent)} in all.
        </p>
        <table className="traffic">
          <thead>
            <tr>
              <th scope="col">Participant</th>
              <th scope="col">Sent</th>
              <th scope="col">Received</th>
            </tr>
          </thead>
          <tbody>
            {result.traffic.map((t, i) => (
              <tr key={i}>
                <td>{t.name}</td>
                <td>{formatBytes(t.sent)}</td>
                <td>{formatBytes(t.received)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}

/** Group the integer part with thin spaces for reading; the exact digits are kept. */
export function formatDecimal(v: string): string {
  const [int, frac] = v.split('.');
  const sign = int.startsWith('-') ? '−' : '';
  const digits = int.replace('-', '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${digits}${frac ? `.${frac}` : ''}`;
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(2)} MiB`;
}
