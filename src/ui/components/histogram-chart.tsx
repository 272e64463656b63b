/**
 * An accessible bar chart of a histogram: an SVG (role="img" with a summary label) and the
 * same numbers as a table for screen readers and for copying.
 *
 * `edges` are the bucket boundaries as exact decimal strings: bucket i is
 * [edges[i], edges[i+1]) (the last bucket closed), so edges.length === counts.length + 1.
 * When edges.length === counts.length, each edge is taken as the bucket's own label.
 */
import { useEffect, useRef, useState, type RefObject } from 'react';
import { formatDecimal } from './format';

export interface HistogramChartProps {
  edges: string[];
  counts: number[];
  /** What is counted, for the label ("participants", "values"). */
  unit?: string;
  title?: string;
}

/** Default drawing width (server render, tests); in the browser the chart takes its box width. */
const DEFAULT_W = 640;
const H = 240;
const PAD = { top: 22, right: 8, bottom: 40, left: 8 };

export function bucketLabels(edges: string[], counts: number[]): string[] {
  return counts.map((_, i) => {
    const lo = edges[i];
    const hi = edges[i + 1];
    if (lo === undefined) return `bucket ${i + 1}`;
    if (edges.length !== counts.length + 1 || hi === undefined) return formatDecimal(lo);
    // The outer edges are the room's bounds, often wide (±1,000,000,000): name the outer
    // buckets by their inner edge instead of printing the bound.
    if (i === 0 && wide(lo) && counts.length > 1) return `under ${formatDecimal(hi)}`;
    if (i === counts.length - 1 && wide(hi) && counts.length > 1) return `${formatDecimal(lo)} or more`;
    return `${formatDecimal(lo)} – ${formatDecimal(hi)}`;
  });
}

const wide = (edge: string) => formatDecimal(edge).length > 9;

/** The label under bar i: its lower edge, or "< inner edge" for a first bucket from a wide bound. */
function axisLabel(edges: string[], counts: number[], labels: string[], i: number): string {
  if (edges.length !== counts.length + 1) return labels[i];
  if (i === 0 && wide(edges[0] ?? '') && counts.length > 1) return `< ${formatDecimal(edges[1] ?? '')}`;
  return formatDecimal(edges[i] ?? '');
}

/**
 * The figure's width in CSS pixels, so the SVG is drawn 1:1 and its 13 px labels stay
 * readable on a 360 px phone (a scaled-down fixed viewBox would shrink them to 7 px).
 */
function useWidth(): [RefObject<HTMLElement | null>, number] {
  const ref = useRef<HTMLElement>(null);
  const [width, setWidth] = useState(DEFAULT_W);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(([entry]) => setWidth(Math.round(entry.contentRect.width) || DEFAULT_W));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, Math.max(240, Math.min(1200, width))];
}

/** Counts with grouped thousands (“12,345”), like every other number on the page. */
const count = (c: number): string => (Number.isFinite(c) ? c.toLocaleString('en') : String(c));

export function HistogramChart({ edges, counts, unit = 'values', title = 'Histogram' }: HistogramChartProps) {
  const [box, W] = useWidth();
  const labels = bucketLabels(edges, counts);
  const max = Math.max(1, ...counts.map((c) => (Number.isFinite(c) ? c : 0)));
  const total = counts.reduce((a, c) => a + (Number.isFinite(c) ? c : 0), 0);
  const n = Math.max(1, counts.length);
  const slot = (W - PAD.left - PAD.right) / n;
  const barW = Math.max(2, slot * 0.8);
  const plotH = H - PAD.top - PAD.bottom;
  const peak = counts.indexOf(Math.max(...counts));
  const summary = `${title}: ${count(total)} ${unit} in ${counts.length.toLocaleString('en')} buckets${peak >= 0 ? `; the most (${count(counts[peak])}) in ${labels[peak]}` : ''}.`;
  // Thin out x labels so they never overlap (one per ~72 px), and drop the numbers above
  // bars too narrow to hold them (the table and tooltips still have every count).
  const every = Math.ceil(n / Math.max(1, Math.floor((W - PAD.left - PAD.right) / 72)));
  const valuesFit = slot >= 22;

  return (
    <figure className="histogram" data-testid="histogram" ref={box}>
      <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={summary} preserveAspectRatio="xMidYMid meet">
        <line x1={PAD.left} x2={W - PAD.right} y1={H - PAD.bottom} y2={H - PAD.bottom} className="axis" />
        {counts.map((c, i) => {
          const h = (Math.max(0, c) / max) * plotH;
          const x = PAD.left + i * slot + (slot - barW) / 2;
          const y = H - PAD.bottom - h;
          return (
            <g key={i}>
              <rect x={x} y={y} width={barW} height={h} rx={3} className="bar">
                <title>{`${labels[i]}: ${count(c)}`}</title>
              </rect>
              {valuesFit && (
                <text x={x + barW / 2} y={y - 6} textAnchor="middle" className="bar-value">
                  {count(c)}
                </text>
              )}
              {i % every === 0 && (
                <text x={x + barW / 2} y={H - PAD.bottom + 16} textAnchor="middle" className="bar-label">
                  {axisLabel(edges, counts, labels, i)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption className="hint">{summary}</figcaption>
      <details>
        <summary>Show as a table</summary>
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Bucket</th>
              <th scope="col">Count</th>
            </tr>
          </thead>
          <tbody>
            {counts.map((c, i) => (
              <tr key={i}>
                <td>{labels[i]}</td>
                <td>{count(c)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
