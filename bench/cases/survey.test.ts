import { describe, expect, it } from 'vitest';
import { runCase } from '../harness.ts';
import { cases } from './survey.ts';

describe('survey bench cases (quick)', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s runs', async (_n, c) => {
    const r = await runCase(c, { quick: true, reps: 1 });
    expect(r.perSecond).toBeGreaterThan(0);
  });
});
