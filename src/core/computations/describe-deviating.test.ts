/**
 * The reveal notes say plainly what a participant running modified code can learn today
 * (issue 10, Docs): nothing beyond the result for sums, bits of others' values for the
 * searches and comparisons, in fast mode. Fails on the old notes, which said nothing about it.
 * Since issue 11 a spec without `protection` is strict, and its notes carry no such warning.
 */
import { describe, expect, it } from 'vitest';
import { describeOutput } from './describe.ts';
import { COMPUTATION_KINDS, type ComputationSpec } from './spec.ts';

const SPEC: Record<string, Partial<ComputationSpec>> = {
  percentile: { p: '90' },
  histogram: { edges: ['100'] },
  threshold: { threshold: '50' },
  'weighted-mean': { maxWeight: '10' },
};

const notes = (kind: ComputationSpec['kind'], extra: Partial<ComputationSpec> = {}) => {
  const spec = { kind, decimals: 0, lower: '0', upper: '1000', length: 1, ...SPEC[kind], ...extra } as ComputationSpec;
  const d = describeOutput(spec, 3);
  expect(d.reveals.join(' ')).not.toMatch(/not valid/);
  return d.reveals.join(' ');
};

describe('reveal notes on deviating participants', () => {
  it('every fast computation says that protection assumes the unmodified app; strict ones (the default since issue 11) do not', () => {
    for (const kind of COMPUTATION_KINDS) {
      expect(notes(kind, { protection: 'fast' })).toMatch(/fast mode: these protections assume every participant runs the unmodified Parley app/);
      expect(notes(kind)).not.toMatch(/unmodified Parley app/);
      expect(notes(kind, { protection: 'strict' })).not.toMatch(/unmodified Parley app/);
    }
  });

  it('searches say a modified client learns bits of the others\u2019 values; sums say it learns only the result', () => {
    const fast = { protection: 'fast' } as const;
    for (const kind of ['min', 'max', 'median', 'percentile', 'weighted-mean'] as const) expect(notes(kind, fast)).toMatch(/can learn more than the result.*question of its own choosing/);
    for (const kind of ['threshold', 'rank', 'histogram', 'stats'] as const) expect(notes(kind, fast)).toMatch(/can reveal some bits of them/);
    for (const kind of ['sum', 'mean', 'count'] as const) expect(notes(kind, fast)).toMatch(/still learns only the result/);
    for (const kind of COMPUTATION_KINDS) expect(notes(kind, fast)).not.toMatch(/sees only shares/);
  });
});
