import { describe, expect, it } from 'vitest';
import { runCase } from '../harness.ts';
import { cases } from './psi.ts';

const byName = (name: string) => {
  const c = cases.find((x) => x.name === name);
  if (!c) throw new Error(`no case ${name}`);
  return c;
};

describe('PSI bench cases (quick)', () => {
  it('old ring psi-size N=3 runs and sends what its byte model says (plus headers)', async () => {
    const r = await runCase(byName('old ring psi-size N=3 m=2000'), { quick: true, reps: 1 });
    expect(r.perSecond).toBeGreaterThan(0);
    expect(r.costModelBytes).toBeCloseTo((32 * 8) / 9, 6);
    expect(r.bytesPerParty).toBeGreaterThanOrEqual(r.costModelBytes as number);
    expect(r.bytesPerParty).toBeLessThan((r.costModelBytes as number) + 2);
  });

  it('the collusion-safe psi-size N=2 case runs (OT setup and triples included)', async () => {
    const r = await runCase(byName('psi-size N=2 m=2000'), { quick: true, reps: 1 });
    expect(r.perSecond).toBeGreaterThan(0);
    expect(r.bytesPerParty).toBeGreaterThan(0);
  });

  it('the floor and raw-rate cases run', async () => {
    for (const name of ['psi floor N=2 (1 scalar mult/item/party/hop)', 'psi ristretto255 multiply (variable base)', 'psi hash-to-curve (RFC 9380 ristretto255)']) {
      expect((await runCase(byName(name), { quick: true, reps: 1 })).perSecond).toBeGreaterThan(0);
    }
  });
});
