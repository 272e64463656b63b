import { describe, expect, it } from 'vitest';
import { runCase } from '../harness.ts';
import { cases } from './ot-triples.ts';

const byName = (name: string) => {
  const c = cases.find((x) => x.name === name);
  if (!c) throw new Error(`no bench case ${name}`);
  return c;
};

describe('OT/triple bench cases (quick)', () => {
  it('arithmetic triples with k=2 send 64·64+2080 bits per peer, against the IKNP model 64·128+2080', async () => {
    const r = await runCase(byName('arith triples N=2 k=2'), { quick: true, reps: 1 });
    expect(r.costModelBytes).toBe(1284);
    expect(r.bytesPerParty).toBeGreaterThanOrEqual(772);
    expect(r.bytesPerParty).toBeLessThan(772.1); // + 8 header bytes per frame, amortised
    expect(r.plaintextPerSecond).toBeGreaterThan(0);
  });

  it('SoftSpoken k=2 extension sends half of IKNP per OT', async () => {
    const r = await runCase(byName('OT extension N=2 k=2 (SoftSpoken)'), { quick: true, reps: 1 });
    expect(r.bytesPerParty).toBeGreaterThanOrEqual(8);
    expect(r.bytesPerParty).toBeLessThan(8.01);
    expect(r.perSecond).toBeGreaterThan(0);
  });
});
