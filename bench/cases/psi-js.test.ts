import { describe, expect, it } from 'vitest';
import { runCase } from '../harness.ts';
import { cases } from './psi-js.ts';

/** A variable, not a literal: tsc must not resolve the optional package (npm ci drops it here). */
const PSI_JS: string = '@openmined/psi.js';

describe('PSI vs psi.js bench case (quick)', () => {
  it('runs, checks both sizes, and has psi.js as its baseline when psi.js is installed', async () => {
    let installed = true;
    try {
      await import(/* @vite-ignore */ PSI_JS);
    } catch {
      installed = false; // optional dependency (see psi-js.ts): the row then has no baseline
    }
    const r = await runCase(cases[0], { quick: true, reps: 1 });
    expect(r.perSecond).toBeGreaterThan(0);
    expect(r.vsBaseline !== null).toBe(installed);
  });
});
