import { describe, expect, it } from 'vitest';
import { runCase } from '../harness.ts';
import { cases } from './computations.ts';

const byName = (name: string) => {
  const c = cases.find((x) => x.name === name);
  if (!c) throw new Error(`no bench case ${name}`);
  return c;
};

describe('computation bench cases (quick)', () => {
  it('sum sends one range-check element, a 32-byte input seed and the opened vector (8 bytes each), plus frame headers, to each peer', async () => {
    const r = await runCase(byName('sum N=3 v=100'), { quick: true, reps: 1 }); // quick: 10 values
    expect(r.bytesPerParty).toBe(2 * (8 + 8) + 2 * (8 + 32) + 2 * (8 + 8 * 10));
  });

  it('median runs end to end on OT triples', { timeout: 120_000 }, async () => {
    const r = await runCase(byName('median N=3 v=1'), { quick: true, reps: 1 });
    expect(r.perSecond).toBeGreaterThan(0);
    expect(r.bytesPerParty).toBeGreaterThan(0);
  });

  it('has every kind for N=3 and N=5, rank with one value only', () => {
    expect(cases.filter((c) => !c.name.startsWith('strict'))).toHaveLength(2 * (11 * 3 + 1));
    expect(cases.filter((c) => c.name.startsWith('rank')).map((c) => c.name)).toEqual(['rank N=3 v=1', 'rank N=5 v=1']);
    expect(cases.filter((c) => c.name.startsWith('strict')).map((c) => c.name)).toContain('strict median N=3 v=1');
  });
});
