/**
 * Which computations take ε (issue 14): sum, mean, histogram and the cross-tab add noise inside
 * the MPC; every other registered kind — the several-statistics run, order statistics, the table
 * statistic, correlation, regression, the model evaluation metrics and training, the PSIs —
 * refuses a spec with ε at parse time (the trust boundary every tab and the Node party use), so no
 * host can announce "private" for a run that would open its exact output. In a room with a
 * budget those kinds cannot run at all (ledger.test: a run without ε is refused). Fails when a
 * kind starts accepting ε without being in DP_KINDS, or a DP kind stops accepting it.
 */
import { describe, expect, it } from 'vitest';
import { REGISTERED_KINDS, computationFor } from '../computations/registry.ts';
import { DP_KINDS } from './params.ts';

describe('ε is accepted exactly by the kinds that add noise', () => {
  for (const kind of REGISTERED_KINDS) {
    it(`${kind}: ${DP_KINDS.has(kind) ? 'takes' : 'refuses'} ε = 1`, () => {
      const d = computationFor(kind);
      const spec = d.defaultSpec() as object;
      expect(d.parseSpec(spec).ok).toBe(true); // the refusal below is about ε, not the spec
      const r = d.parseSpec({ ...spec, epsilon: '1' });
      expect(r.ok).toBe(DP_KINDS.has(kind));
      if (!r.ok) expect(r.error).toMatch(/epsilon|ε|differential privacy|unknown|unexpected|irrelevant/);
    });
  }
  it('covers the kinds the issue names', () => {
    for (const k of ['sum', 'mean', 'histogram', 'crosstab', 'several', 'stats', 'evaluate', 'logistic', 'mlp']) expect(REGISTERED_KINDS).toContain(k);
  });
});
