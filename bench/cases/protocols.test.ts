import { describe, expect, it } from 'vitest';
import { runCase } from '../harness.ts';
import { cases } from './protocols.ts';

const byName = (name: string) => {
  const c = cases.find((x) => x.name === name);
  if (!c) throw new Error(`no case ${name}`);
  return c;
};

describe('protocol bench cases (quick)', () => {
  it('multiply online N=2 sends exactly 16·(N−1) bytes per product (+ headers)', async () => {
    const r = await runCase(byName('multiply online N=2'), { quick: true, reps: 1 });
    expect(r.bytesPerParty).toBeGreaterThanOrEqual(16);
    expect(r.bytesPerParty).toBeLessThan(16.1);
  });

  it('lt bounded N=2 runs end to end on OT triples within the DESIGN §3 byte model', async () => {
    const r = await runCase(byName('lt bounded N=2'), { quick: true, reps: 1 });
    expect(r.perSecond).toBeGreaterThan(0);
    expect(r.bytesPerParty).toBeLessThan(r.costModelBytes as number);
  });
});
