/**
 * The revealed result (big, exact, with the room's decimals and no unit: a unit typed in one
 * tab is not known to the others, and every tab must show the same result), ways
 * to copy and download it (made in this tab: Blob + object URL, no network), and the
 * "what left my tab" panel: per peer bytes and a sample of what was actually sent.
 *
 * `data-result` (DESIGN §6) keeps its JSON shape; a computation with a richer view passes
 * it as `children` (e.g. <HistogramChart/>, <RankBar/>) and may override `dataResult`.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { RunResultView, TrafficRow } from './room-store';
import { useRoomStore } from './room-store';
import { parseValues } from './parse-values';
import { computationFor } from '../../../core/computations/registry';
import { COMPUTATION_LABELS } from './labels';
import { CopyButton } from '../../components/copy-button';
import { ErrorBoundary } from '../../components/error-boundary';
import { downloadText } from '../../components/download';
import { formatBytes, formatDecimal, plainDecimal, roundDecimal } from '../../components/format';
import { csvFromData } from '../../components/result-csv';

const MAX_SHOWN = 20;
/** Every MPC frame opens with an 8-byte round header (src/core/session/round.ts HEADER_BYTES). */
const HEADER_HEX = 16;

export interface ResultViewProps {
  result: RunResultView;
  /** Extra view for the computation (chart, rank bar), shown under the numbers. */
  children?: ReactNode;
  /** Replaces the default `{computation, value}` of data-result (e.g. `{rank, of}`). */
  dataResult?: unknown;
  /** Show the "what left my tab" panel (off for all but one of several statistics of one run). */
  traffic?: boolean;
}

/** The default data-result JSON: a number for one value, an array for several. */
export function resultJson(result: RunResultView): { computation: string; value: number | number[] } {
  return { computation: result.computation, value: result.values.length === 1 ? Number(result.values[0]) : result.values.map(Number) };
}

function titleOf(computation: string): string {
  const labels = COMPUTATION_LABELS as Partial<Record<string, { title: string }>>;
  return labels[computation]?.title ?? computation;
}

export function ResultView({ result, children, dataResult, traffic = true }: ResultViewProps) {
  const input = useRoomStore((s) => s.input);
  const decimals = useRoomStore((s) => (s.spec && 'decimals' in s.spec ? (s.spec.decimals ?? 2) : 2));
  // Show results like the inputs were typed: a sum of amounts in cents keeps 2 decimals.
  // A table kind's input is a CSV (read in its worker), not typed numbers: parsing 100,000 rows
  // here on every render held the main thread ~1.5 s (the statistic of a table column).
  const ownCard = useRoomStore((s) => !!s.spec && computationFor(s.spec.kind).inputShape === 'own-card');
  const typed = ownCard ? { ok: false as const } : parseValues(input, { decimals, maxAbs: Number.POSITIVE_INFINITY, maxLength: Number.POSITIVE_INFINITY });
  // ... and one number of decimals for every position, so columns of results line up.
  // An average of 2-decimal salaries shows 2 decimals (rounded), unless asked for all digits.
  // Rounded to the room's decimals, which every tab shares (the digits typed in this tab say
  // nothing about the others' values: a sum is never rounded below what anyone entered).
  const [allDigits, setAllDigits] = useState(false);
  const justified = decimals;
  const longest = Math.max(0, ...result.values.map((v) => v.split('.')[1]?.length ?? 0));
  const rounds = !allDigits && longest > justified;
  const shownValues = rounds ? result.values.map((v) => roundDecimal(v, justified)) : result.values;
  const typedDecimals = typed.ok ? (typed.decimalsTyped ?? 0) : 0;
  const minDecimals = Math.max(Math.min(typedDecimals, justified), ...shownValues.map((v) => v.split('.')[1]?.length ?? 0));
  // No unit here: a currency sign typed in this tab is not known to the others' tabs, and
  // the same result must read the same on every screen.
  const show = (v: string) => formatDecimal(v, minDecimals);
  const plain = result.values.map((v) => plainDecimal(v, Math.max(justified, v.split('.')[1]?.length ?? 0)));

  // A new result: bring it into view and move focus to it (it may be far below on a phone;
  // screen readers then read it at once).
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
    heading.current?.scrollIntoView?.({ block: 'start', behavior: 'smooth' });
  }, [result]);

  const scalar = result.values.length === 1;
  const title = titleOf(result.computation);
  const json = JSON.stringify(dataResult ?? resultJson(result));
  const base = `parley-${result.computation}`;
  const numbersCsv = scalar ? `computation,value\r\n${result.computation},${plain[0]}\r\n` : `computation,position,value\r\n${plain.map((v, i) => `${result.computation},${i + 1},${v}`).join('\r\n')}\r\n`;
  // Results without a plain list of numbers (rank, histogram, stats) export their data-result.
  const csv = result.values.length > 0 ? numbersCsv : csvFromData(dataResult);
  const copyText = result.values.length > 0 ? (scalar ? plain[0] : plain.join('\n')) : csv;
  const download = dataResult !== undefined ? { ...(dataResult as object), participants: result.names, computedAt: new Date().toISOString() } : {
    computation: result.computation,
    value: scalar ? Number(result.values[0]) : result.values.map(Number),
    exact: scalar ? plain[0] : plain,
    participants: result.names,
    computedAt: new Date().toISOString(),
  };

  return (
    <>
      <section className="card result" data-testid="result" data-result={json} aria-labelledby="result-h">
        <h2 id="result-h" ref={heading} tabIndex={-1}>
          Result · {title}
        </h2>
        <div aria-live="polite">
          {result.values.length === 0 ? null : scalar ? (
            <p className="big" data-testid="result-value">
              {show(shownValues[0])}
            </p>
          ) : (
            <>
              <p>
                {title} of {result.values.length.toLocaleString('en')} positions
                {result.values.length > MAX_SHOWN ? ` (first ${MAX_SHOWN} shown; download for all)` : ''}:
              </p>
              <ol className="vector" data-testid="result-value">
                {shownValues.slice(0, MAX_SHOWN).map((v, i) => (
                  <li key={i}>
                    <span className="pos">Position {i + 1}:</span> {show(v)}
                  </li>
                ))}
              </ol>
            </>
          )}
        </div>
        {(rounds || allDigits) && longest > justified && (
          <p className="hint" data-testid="result-rounding">
            {rounds ? `Rounded to ${justified} decimal${justified === 1 ? '' : 's'}, the room's precision for inputs. ` : 'All digits shown. '}
            <button type="button" className="linkish" onClick={() => setAllDigits(!allDigits)}>
              {rounds ? 'Show all digits' : `Round to ${justified} decimal${justified === 1 ? '' : 's'}`}
            </button>
          </p>
        )}
        {children && <ErrorBoundary what="the chart">{children}</ErrorBoundary>}
        <p className="hint">
          {title} over {result.parties} participants ({result.names.join(', ')}), computed in {(result.millis / 1000).toFixed(2)} s.
        </p>
        <div className="actions">
          {csv !== undefined && copyText !== undefined && (
            <>
              <CopyButton text={copyText} label="Copy result" testId="copy-result" />
              <button type="button" data-testid="download-csv" onClick={() => downloadText(`${base}.csv`, 'text/csv;charset=utf-8', csv)}>
                Download CSV
              </button>
            </>
          )}
          <button type="button" data-testid="download-json" onClick={() => downloadText(`${base}.json`, 'application/json', `${JSON.stringify(download, null, 2)}\n`)}>
            Download JSON
          </button>
        </div>
      </section>
      {traffic && <TrafficPanel traffic={result.traffic} />}
    </>
  );
}

/** What left this tab during the run: per peer bytes, and a sample of the bytes themselves. */
export function TrafficPanel({ traffic }: { traffic: TrafficRow[] }) {
  const totalSent = traffic.reduce((a, t) => a + t.sent, 0);
  const totalReceived = traffic.reduce((a, t) => a + t.received, 0);
  return (
    <section className="card traffic-card" data-testid="traffic" aria-labelledby="traffic-h">
      <h2 id="traffic-h">What left my tab</h2>
      <p className="statement">
        <strong>Your raw inputs were never sent.</strong> Only secret shares and masked messages went to the other participants, directly
        browser to browser: {formatBytes(totalSent)} sent and {formatBytes(totalReceived)} received in all. Each share on its own is uniformly random, like the sample
        below.
      </p>
      <ul className="traffic-list">
        {traffic.map((t, i) => (
          <li key={i} data-testid="traffic-row">
            <div className="traffic-head">
              <span className="pname">To and from {t.name}</span>
              <span className="bytes">
                {formatBytes(t.sent)} sent · {formatBytes(t.received)} received
              </span>
            </div>
            {t.sample ? (
              <div className="sample">
                <span className="hint">First bytes sent to {t.name}:</span>
                <code data-testid="traffic-sample" translate="no">
                  <span className="frame-header" title="Frame header: which protocol step this is">
                    {groupHex(t.sample.slice(0, HEADER_HEX))}
                  </span>{' '}
                  {groupHex(t.sample.slice(HEADER_HEX))}
                </code>
                <span className="hint">The first {HEADER_HEX / 2} bytes (dimmed) only say which protocol step the message belongs to; the rest is share data.</span>
              </div>
            ) : (
              <p className="hint">No sample recorded.</p>
            )}
          </li>
        ))}
      </ul>
      <p className="hint">The signaling server only relayed encrypted connection setup; it never saw shares, names or results.</p>
    </section>
  );
}

/** "a1b2c3d4e5…" -> "a1b2 c3d4 e5…" (groups of 2 bytes, easier to scan). */
function groupHex(hex: string): string {
  return (hex.match(/.{1,4}/g) ?? []).join(' ');
}
