// The registry entries end to end in the N-party simulation, as the worker calls them:
// spec parsed by the entry, the CSV payload read again by parseInput, run on the agreed
// session's backend; AUC and the confusion matrix checked against values counted by hand.
import { describe, expect, it } from 'vitest';
import { createFastBackend } from '../backend/fast.ts';
import { runParties } from '../session/simulate.ts';
import { createTripleSource } from '../triples/triple-source.ts';
import { MODEL_COMPUTATIONS } from './registry-model.ts';
import { computationFor } from '../computations/registry.ts';

const evaluate = MODEL_COMPUTATIONS[0];

describe('model registry entries', () => {
  it('evaluate: two parties’ CSV payloads → AUC and confusion matrix', async () => {
    const spec = evaluate.defaultSpec();
    const parsed = evaluate.parseSpec({ ...spec, metrics: ['auc', 'confusion'] });
    if (!parsed.ok) throw new Error(parsed.error);
    // Pooled: positives 0.9, 0.6, 0.4; negatives 0.6, 0.2, 0.1 → U = 3+3+3 − 0.5(tie 0.6) − 1(0.4 < 0.6) = 7.5 of 9.
    const csvs = ['score,label,site\n0.9,yes,north\n0.6,no,south\n0.1,no,north', 'label,score,site\nyes,0.6,south\nyes,0.4,north\nno,0.2,south'];
    const outs = await runParties(2, async (s, i) => {
      const input = evaluate.parseInput({ data: { csv: csvs[i], chosen: {} } }, parsed.spec, 0);
      const b = createFastBackend(s, createTripleSource(s));
      return evaluate.run({ session: s, backend: () => b, nonce: 'n', progress: () => undefined }, parsed.spec, input, [0, 0]);
    });
    expect(outs[0]).toEqual(outs[1]);
    expect(outs[0].value.auc).toBeCloseTo(7.5 / 9, 6);
    // Threshold 0.5: TP 0.9, 0.6; FP 0.6; TN 0.2, 0.1; FN 0.4.
    expect(outs[0].value.confusion).toEqual({ tp: 2, fp: 1, tn: 2, fn: 1 });
  }, 120_000);

  it('refuses a payload that is not a table, and names the reveal of each metric', () => {
    const spec = evaluate.defaultSpec();
    expect(() => evaluate.parseInput({ values: ['1'] }, spec, 0)).toThrow('needs this participant’s table');
    expect(evaluate.reveals(spec, 2).reveals.join(' ')).toContain('pooled class balance');
    expect(evaluate.parseSpec({ kind: 'logistic' })).toMatchObject({ ok: false });
  });

  it('is in the room’s registry, and the host’s texts round-trip to the same spec (the editor path)', () => {
    for (const d of MODEL_COMPUTATIONS) {
      expect(computationFor(d.kind).kind).toBe(d.kind);
      const spec = d.defaultSpec();
      const draft = d.draft!.toDraft(spec as never);
      expect(d.draft!.fromDraft(spec as never, draft)).toEqual({ ok: true, spec });
      // every editor field has a text in the draft (spec-<key> shows it)
      for (const f of d.fields) expect(draft[f.key], `${d.kind} ${f.key}`).toBeDefined();
    }
    const spec = evaluate.defaultSpec();
    const draft = evaluate.draft!.toDraft(spec);
    // a bad field says what is wrong instead of throwing
    expect(evaluate.draft!.fromDraft(spec, { ...draft, score: 'nope' })).toMatchObject({ ok: false, error: expect.stringContaining('nope') });
    expect(evaluate.draft!.fromDraft(spec, { ...draft, metrics: 'auc, mse' })).toMatchObject({ ok: false, error: expect.stringContaining('"mse" is not a classification metric') });
    expect(evaluate.draft!.fromDraft(spec, { ...draft, metrics: 'auc', threshold: '' })).toMatchObject({ ok: true, spec: { metrics: ['auc'] } });
  });

  it('reads a table for the read-back with private row counts (announced as 0)', () => {
    const spec = evaluate.defaultSpec();
    const r = evaluate.readTable!('score;label;site\n0,5;yes;north\n0,25;no;south\n;no;north', spec, {});
    expect(r).toMatchObject({ ok: true, rows: 3, used: 2, count: 0 });
    expect(evaluate.readTable!('score,label,site\n,yes,north', spec, {})).toMatchObject({ ok: false, error: expect.stringContaining('No row') });
  });
});
