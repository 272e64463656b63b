/**
 * Chooses how to show a run's output by its kind: numbers go through ResultView as they
 * are; statistics, histograms, ranks, threshold answers and set intersections add their own
 * view and their own `data-result` JSON (DESIGN §6: `{computation, value}`, or
 * `{computation, rank, of}` for rank).
 */
import { useState, type ReactNode } from 'react';
import { HistogramChart } from '../../components/histogram-chart';
import { RankBar } from '../../components/rank-bar';
import { downloadText } from '../../components/download';
import { ResultView, TrafficPanel, resultJson } from './result-view';
import type { ComputationOutput } from '../../../core/computations/context';
import type { RunResultView } from './room-store';
import { useRoomStore } from './room-store';
import { statsRows } from './stats-rows';
import type { PsiOutput } from '../../../worker/jobs';
import { DpResultNote } from '../dp/dp-notes';
import { useRoomId } from '../dp/room-id';
import { isTableOutput, tableResultJson } from '../../../core/table';
import { TableResultView } from '../table/table-result';
import { isModelOutput, modelResultJson } from '../../../core/model';
import { ModelResultView } from '../model/model-result';

const MAX_ITEMS_SHOWN = 50;

export function OutcomeView({ result, traffic = true }: { result: RunResultView; traffic?: boolean }) {
  const o = result.output;
  const roomId = useRoomId();
  // Tables: the cross-tab, matrix or coefficients, with the DESIGN §6 JSON shared with the Node party.
  if (isTableOutput(o)) {
    return (
      <ResultView result={{ ...result, values: [] }} dataResult={tableResultJson(o)} traffic={traffic}>
        <TableResultView output={o} />
        {roomId && o.kind === 'crosstab' && <DpResultNote output={o} roomId={roomId} />}
      </ResultView>
    );
  }
  // Models: the declared metrics, or the trained model with its download and "score my file".
  if (isModelOutput(o)) {
    return (
      <ResultView result={{ ...result, values: [] }} dataResult={modelResultJson(o)} traffic={traffic}>
        <ModelResultView output={o} />
      </ResultView>
    );
  }
  // A private release adds its 95 % interval (and hidden buckets) to data-result and the view.
  const dp = 'dp' in o ? o.dp : undefined;
  const dpNote = roomId && !isPsiOutput(o) && o.kind !== 'several' ? <DpResultNote output={o} roomId={roomId} /> : null;
  if (o.kind === 'several' && 'results' in o) {
    // One result card (and one DESIGN §6 data-result) per statistic, then the run's traffic once.
    return (
      <>
        {o.results.map((r, i) => (
          <OutcomeView key={i} traffic={false} result={{ ...result, computation: r.kind, output: r, values: valuesOf(r) }} />
        ))}
        <TrafficPanel traffic={result.traffic} />
      </>
    );
  }
  let dataResult: unknown;
  let view: ReactNode = null;
  if (o.kind === 'psi-sum') {
    const sum = 'sum' in o ? (o.sum ?? '0') : '0';
    dataResult = { computation: o.kind, value: { count: o.size, sum: Number(sum) } };
    view = (
      <table className="stats">
        <tbody>
          <tr><th scope="row">Items on every list</th><td>{o.size.toLocaleString('en')}</td></tr>
          <tr><th scope="row">Total of their values</th><td>{sum}</td></tr>
        </tbody>
      </table>
    );
  } else if (o.kind === 'psi' || o.kind === 'psi-size') {
    const items = 'items' in o ? (o.items ?? []) : [];
    dataResult = o.kind === 'psi' ? { computation: o.kind, value: items, size: o.size } : { computation: o.kind, value: o.size };
    view =
      o.kind === 'psi' ? (
        <div>
          <p className="big">{o.size.toLocaleString('en')} in common</p>
          {items.length > 0 && (
            <>
              <ul className="items" aria-label="Your items that are on every list">
                {items.slice(0, MAX_ITEMS_SHOWN).map((it) => (
                  <li key={it}>{it}</li>
                ))}
              </ul>
              {items.length > MAX_ITEMS_SHOWN && <p className="hint">First {MAX_ITEMS_SHOWN} shown; download the list for all.</p>}
              <button type="button" data-testid="download-items" onClick={() => downloadText('parley-common-items.csv', 'text/csv', `item\r\n${items.map(csvCell).join('\r\n')}\r\n`)}>
                Download common items (CSV)
              </button>
            </>
          )}
        </div>
      ) : (
        <p className="big">{o.size.toLocaleString('en')} items in common</p>
      );
  } else if (o.kind === 'rank' && o.rank) {
    dataResult = { computation: 'rank', rank: o.rank.rank, of: o.rank.of, percentile: o.rank.percentile };
    view = <RankBar rank={o.rank.rank} of={o.rank.of} percentile={o.rank.percentile} />;
  } else if (o.kind === 'histogram' && o.buckets) {
    dataResult = { computation: 'histogram', value: o.buckets.counts, edges: o.buckets.edges.map(Number), ...(o.buckets.suppressed ? { suppressed: o.buckets.suppressed } : {}), ...(dp ? { dp } : {}) };
    view = (
      <>
        <HistogramChart edges={o.buckets.edges} counts={o.buckets.counts} />
        {dpNote}
      </>
    );
  } else if (o.kind === 'stats' && o.stats) {
    const st = o.stats;
    // The protocol reveals the population variance (÷ n); the sample variance (÷ (n − 1)) is
    // a function of it and the count, so both are shown, named, without revealing more.
    const sample = sampleVariance(Number(st.variance), st.count);
    dataResult = {
      computation: 'stats',
      value: { count: st.count, mean: Number(st.mean), variance: Number(st.variance), stddev: Number(st.stddev), sampleVariance: sample, sampleStddev: sample === undefined ? undefined : Math.sqrt(sample) },
    };
    view = <StatsTable stats={st} />;
  } else if (o.kind === 'threshold' && o.above !== undefined) {
    dataResult = { computation: 'threshold', value: o.above };
    view = <p className="big">{o.above ? 'Yes — the total is above the threshold' : 'No — the total is not above the threshold'}</p>;
  }
  if (!view) return dp ? <ResultView result={result} dataResult={{ ...resultJson(result), dp }} traffic={traffic}>{dpNote}</ResultView> : <ResultView result={result} traffic={traffic} />;
  return (
    <ResultView result={{ ...result, values: [] }} dataResult={dataResult} traffic={traffic}>
      {view}
    </ResultView>
  );
}

/** Count, mean, both variances and both standard deviations, with the room's decimals (stats-rows.ts). */
function StatsTable({ stats }: { stats: NonNullable<ComputationOutput['stats']> }) {
  const decimals = useRoomStore((s) => (s.spec && 'decimals' in s.spec ? (s.spec.decimals ?? 2) : 2));
  const [allDigits, setAllDigits] = useState(false);
  return (
    <>
      <table className="stats summary" data-testid="stats-table">
        <tbody>
          {statsRows(stats, decimals, allDigits).map((r) => (
            <tr key={r.label}>
              <th scope="row">{r.label}</th>
              <td>{r.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">
        {allDigits ? 'All digits shown. ' : `Rounded to the room's ${decimals} decimal${decimals === 1 ? '' : 's'} (the variances, in squared units, to ${2 * decimals}). `}
        <button type="button" className="linkish" onClick={() => setAllDigits(!allDigits)}>
          {allDigits ? 'Round' : 'Show all digits'}
        </button>
      </p>
    </>
  );
}

/** Sample variance from the population variance of `n` values (undefined for n < 2). */
export function sampleVariance(population: number, n: number): number | undefined {
  return n >= 2 ? (population * n) / (n - 1) : undefined;
}

const isPsiOutput = (o: RunResultView['output']): o is PsiOutput => o.kind === 'psi' || o.kind === 'psi-size' || o.kind === 'psi-sum';

function csvCell(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The plain value(s) of a numeric output (empty for kinds with their own view). */
export function valuesOf(o: ComputationOutput): string[] {
  return o.value === undefined ? [] : Array.isArray(o.value) ? o.value : [o.value];
}
