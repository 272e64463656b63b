import { describe, expect, it, vi } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { HistogramChart, bucketLabels } from './histogram-chart';
import { RankBar, rankSentence } from './rank-bar';
import { ErrorBoundary } from './error-boundary';
import { csvFromData } from './result-csv';
import { estimateLeft, formatBytes, formatDecimal, formatDuration, formatFloat, ordinal, plainDecimal, roundDecimal } from './format';
import { sampleVariance } from '../features/room/outcome-view';
import { describeOutput } from '../../core/computations/describe';
import { defaultSpec } from '../features/room/spec-defaults';
import { dpSentences } from '../features/dp/dp-words';
import { DpResultNote } from '../features/dp/dp-notes';
import type { ComputationSpec } from '../../core/computations/spec';

describe('format', () => {
  it('keeps exact digits, pads to the decimals entered, groups thousands', () => {
    expect(formatDecimal('1194.5', 2)).toBe('1,194.50');
    expect(formatDecimal('-1234567', 0)).toBe('−1,234,567');
    expect(formatDecimal('0.125', 2)).toBe('0.125');
    expect(plainDecimal('-12.5', 2)).toBe('-12.50');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatDuration(200_000)).toBe('3 min 20 s');
    expect(estimateLeft(0.25, 10_000)).toBe(30_000);
    expect(estimateLeft(undefined, 10_000)).toBeUndefined();
    expect(estimateLeft(0.5, 1000)).toBeUndefined();
    expect(estimateLeft(0.01, 60_000)).toBeUndefined();
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101].map(ordinal)).toEqual(['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '101st']);
  });
});

describe('HistogramChart', () => {
  it('draws one bar per bucket, heights proportional, with a table alternative', () => {
    const html = renderToStaticMarkup(createElement(HistogramChart, { edges: ['0', '10', '20', '30'], counts: [2, 4, 1] }));
    const heights = [...html.matchAll(/<rect [^>]*height="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(heights).toHaveLength(3);
    expect(heights[1]).toBeCloseTo(heights[0] * 2);
    expect(heights[1]).toBeCloseTo(heights[2] * 4);
    expect(html).toContain('role="img"');
    expect(html).toMatch(/aria-label="Histogram: 7 values in 3 buckets; the most \(4\) in 10 – 20\."/);
    expect(html.match(/<tr>/g)).toHaveLength(4);
    expect(bucketLabels(['a', 'b'], [1, 2])).toEqual(['a', 'b']);
  });

  it('survives empty and zero histograms', () => {
    expect(() => renderToStaticMarkup(createElement(HistogramChart, { edges: [], counts: [] }))).not.toThrow();
    expect(renderToStaticMarkup(createElement(HistogramChart, { edges: ['0', '1'], counts: [0] }))).toContain('height="0"');
  });
});

describe('presentation (issue 18)', () => {
  it('names the outer buckets of wide bounds by their inner edge', () => {
    expect(bucketLabels(['-1000000000', '0', '10', '1000000000'], [1, 2, 3])).toEqual(['under 0', '0 – 10', '10 or more']);
    expect(bucketLabels(['0', '10', '20'], [1, 2])).toEqual(['0 – 10', '10 – 20']);
    const html = renderToStaticMarkup(createElement(HistogramChart, { edges: ['-1000000000', '0', '10', '1000000000'], counts: [1, 2, 3] }));
    expect(html).not.toContain('1,000,000,000');
  });
  it('groups thousands in histogram counts, on the bars, in the summary and in the table (was “12345”)', () => {
    const html = renderToStaticMarkup(createElement(HistogramChart, { edges: ['0', '10', '20'], counts: [12345, 1000] }));
    expect(html).toContain('Histogram: 13,345 values in 2 buckets; the most (12,345) in 0 – 10.');
    expect(html).toContain('<td>12,345</td>');
    expect(html).not.toMatch(/>12345</);
  });
  it('rounds exact decimals half away from zero for display', () => {
    expect(roundDecimal('52150.333333', 2)).toBe('52150.33');
    expect(roundDecimal('2.675', 2)).toBe('2.68');
    expect(roundDecimal('-0.005', 2)).toBe('-0.01');
    expect(roundDecimal('-0.004', 2)).toBe('0');
    expect(roundDecimal('9.995', 2)).toBe('10');
    expect(roundDecimal('12.5', 0)).toBe('13');
    expect(roundDecimal('7.1', 2)).toBe('7.1');
  });
  it('groups thousands in what the result reveals (was "outside -1000000000 … 1000000000")', () => {
    const text = describeOutput(defaultSpec('median') as Parameters<typeof describeOutput>[0], 3).reveals.join(' ');
    expect(text).toContain('outside −1,000,000,000 … 1,000,000,000');
  });
  it('derives the sample variance from the revealed population variance and count', () => {
    expect(sampleVariance(2, 4)).toBeCloseTo(8 / 3, 12);
    expect(sampleVariance(2, 1)).toBeUndefined();
  });
});

describe('RankBar', () => {
  it('says the rank in words and places the marker (1st at the right end)', () => {
    expect(rankSentence({ rank: 2, of: 5 })).toBe('You are 2nd of 5 · top 40%');
    // The ends are named rather than "top 100%" (issue 18); the lower half counts from the bottom.
    expect(rankSentence({ rank: 1, of: 3, percentile: 34 })).toBe('You are 1st of 3 · the highest value');
    expect(rankSentence({ rank: 5, of: 5 })).toBe('You are 5th of 5 · the lowest value');
    expect(rankSentence({ rank: 4, of: 5 })).toBe('You are 4th of 5 · bottom 40%');
    const html = renderToStaticMarkup(createElement(RankBar, { rank: 2, of: 5 }));
    expect(html).toContain('aria-label="You are 2nd of 5 · top 40%"');
    expect(html).toMatch(/rank-marker" style="left:75%"/);
    expect(renderToStaticMarkup(createElement(RankBar, { rank: 6, of: 5 }))).toContain('Rank unavailable');
  });
});

describe('ErrorBoundary', () => {
  it('renders its children when they render', () => {
    expect(renderToStaticMarkup(createElement(ErrorBoundary, { what: 'x' }, createElement('p', null, 'fine')))).toBe('<p>fine</p>');
    expect(ErrorBoundary.getDerivedStateFromError(new Error('boom'))).toEqual({ error: new Error('boom') });
  });
});

describe('csvFromData', () => {
  it('writes histograms as buckets and other results as field,value rows', () => {
    expect(csvFromData({ computation: 'histogram', value: [2, 0], edges: [0, 10, 20] })).toBe('from,to,count\r\n0,10,2\r\n10,20,0\r\n');
    expect(csvFromData({ computation: 'rank', rank: 2, of: 5 })).toBe('field,value\r\ncomputation,rank\r\nrank,2\r\nof,5\r\n');
    expect(csvFromData({ computation: 'stats', value: { count: 3, mean: 1.5 } })).toBe('field,value\r\ncomputation,stats\r\nvalue.count,3\r\nvalue.mean,1.5\r\n');
    expect(csvFromData({ computation: 'psi', value: ['a,b', 'c"d'] })).toBe('field,value\r\ncomputation,psi\r\nvalue[1],"a,b"\r\nvalue[2],"c""d"\r\n');
    expect(csvFromData(7)).toBeUndefined();
  });
});

describe('formatFloat (survey results)', () => {
  it('groups thousands, keeps at most 3 decimals and never leaves a bare point', () => {
    expect(formatFloat(72000)).toBe('72,000');
    expect(formatFloat(1234567.25)).toBe('1,234,567.25');
    expect(formatFloat(-52150.3333)).toBe('−52,150.333');
    expect(formatFloat(12.0001)).toBe('12');
    expect(formatFloat(null)).toBe('—');
  });
});

describe('privacy notes group their numbers by thousands (issue 18 “thousands separators everywhere”)', () => {
  it('the accuracy before Ready, the interval and hidden buckets after a result', () => {
    // ε = 1 on a sum over the default ±1,000,000,000: a half-width in the billions (was ungrouped).
    const accuracy = dpSentences({ ...(defaultSpec('sum') as ComputationSpec), epsilon: '1' }, 3).find((w) => w.startsWith('Accuracy'));
    expect(accuracy).toMatch(/^Accuracy: the noisy result is within ± \d{1,3}(,\d{3})+(\.\d+)? of the exact one/);
    const store = new Map<string, string>();
    vi.stubGlobal('localStorage', { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => store.set(k, v) });
    try {
      const html = renderToStaticMarkup(
        createElement(DpResultNote, {
          roomId: 'r',
          output: { kind: 'histogram', dp: { epsilon: '1', delta: '1e-9', halfWidth: '1234567.5' }, buckets: { edges: ['-1000000000', '0', '1000000000'], counts: [0, 3], suppressed: [true, false] } },
        }),
      );
      expect(html).toContain('within ± 1,234,567.5 of it');
      expect(html).toContain('Hidden (fewer than the minimum group size): −1,000,000,000–0.');
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
