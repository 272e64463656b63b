/**
 * The room's earlier results in this tab, newest first: changing the computation or running
 * again keeps them visible instead of wiping them. Only what this tab already learned is
 * listed; nothing is stored beyond the tab.
 */
import { useRoomStore, type RunResultView } from './room-store';
import { COMPUTATION_LABELS } from './labels';
import { formatDecimal, ordinal } from '../../components/format';

export function summariseResult(r: RunResultView): string {
  const o = r.output;
  if (o.kind === 'several' && 'results' in o) return o.results.map((x) => `${COMPUTATION_LABELS[x.kind].title.toLowerCase()} ${summariseResult({ ...r, computation: x.kind, output: x, values: x.value === undefined ? [] : Array.isArray(x.value) ? x.value : [x.value] })}`).join('; ');
  if (o.kind === 'crosstab') return `${o.value.length} groups, ${o.value.reduce((a, c) => a + c.count, 0).toLocaleString('en')} rows`;
  if (o.kind === 'regression') return `${o.target} on ${o.features.join(', ')}: R² ${o.r2}, n ${o.n.toLocaleString('en')}`;
  if (o.kind === 'correlation') return `${o.columns.length} × ${o.columns.length} matrix over ${o.n.toLocaleString('en')} rows`;
  if (o.kind === 'psi' || o.kind === 'psi-size') return `${o.size.toLocaleString('en')} items in common`;
  if (o.kind === 'rank' && o.rank) return `you were ${ordinal(o.rank.rank)} of ${o.rank.of}`;
  if (o.kind === 'histogram' && o.buckets) return `${o.buckets.counts.reduce((a, b) => a + b, 0).toLocaleString('en')} values in ${o.buckets.counts.length} buckets`;
  if (o.kind === 'stats' && o.stats) return `count ${o.stats.count.toLocaleString('en')}, mean ${formatDecimal(o.stats.mean)}`;
  if (o.kind === 'threshold' && o.above !== undefined) return o.above ? 'above the threshold' : 'not above the threshold';
  if (r.values.length === 1) return formatDecimal(r.values[0]);
  return `${r.values.length.toLocaleString('en')} positions: ${r.values.slice(0, 3).map((v) => formatDecimal(v)).join(', ')}${r.values.length > 3 ? ', …' : ''}`;
}

export function ResultsHistory() {
  const history = useRoomStore((s) => s.history);
  if (history.length === 0) return null;
  return (
    <section className="card" aria-labelledby="history-h" data-testid="results-history">
      <h2 id="history-h">Earlier results in this room</h2>
      <ol className="history">
        {history.map((r, i) => (
          <li key={i} data-testid="past-result" data-computation={r.computation}>
            <strong>{COMPUTATION_LABELS[r.computation].title}</strong>: {summariseResult(r)}{' '}
            <span className="hint">({r.parties} participants)</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
