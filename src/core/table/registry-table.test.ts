// The table registry entries as the worker and the room call them: the host's texts through
// the draft codec, the participant's CSV read back (readTable) and read again from the
// payload (parseInput), the run in the N-party simulation against plaintext computed here.
import { describe, expect, it } from 'vitest';
import { createFastBackend } from '../backend/fast.ts';
import { runParties } from '../session/simulate.ts';
import { createTripleSource } from '../triples/triple-source.ts';
import { computationFor, parseRegisteredSpec } from '../computations/registry.ts';
import type { AnyComputation } from '../computations/registry.ts';
import type { ComputationOutput } from '../computations/context.ts';
import { TABLE_COMPUTATIONS } from './registry-table.ts';
import type { TableOutput } from './run-table.ts';

const SCHEMA = 'age: number 0..120\nsex: category F, M\nsystolic_bp: number 60..260 decimals 1\ndiagnosis: category diabetes, asthma, none';
const CSVS = [
  'age,sex,systolic_bp,diagnosis\n54,F,132.5,diabetes\n61,M,,none\n47,F,118.0,diabetes\n70,M,150.2,NA',
  'Age;Sex;Systolic BP;Diagnosis\n33;M;121,5;diabetes\n58;F;140,0;asthma\n66;M;155,5;diabetes',
  'sex,age,systolic_bp,diagnosis\nF,45,128.0,none\nM,52,NA,diabetes\nF,64,147.5,diabetes',
];

function draftSpec(kind: string, own: Record<string, string>) {
  const d = computationFor(kind);
  const base = d.defaultSpec();
  const r = d.draft!.fromDraft(base, { columns: SCHEMA, where: '', 'max-rows': '100', minParties: '', ...own });
  if (!r.ok) throw new Error(r.error);
  return r.spec;
}

async function runAll(def: AnyComputation, spec: unknown, csvs: string[]) {
  const reads = csvs.map((csv) => def.readTable!(csv, spec as never, {}));
  const counts = reads.map((r) => (r.ok ? r.count : -1));
  const outs = await runParties(csvs.length, async (s, i) => {
    const input = def.parseInput({ data: { csv: csvs[i], chosen: {} } }, spec as never, counts[i]);
    const b = createFastBackend(s, createTripleSource(s));
    return def.run({ session: s, backend: () => b, nonce: 'n', progress: () => undefined }, spec as never, input, counts);
  });
  return { reads, outs };
}

describe('table registry entries', () => {
  it('the draft codec round-trips the host’s texts, names the schema line of a mistake, and the spec parses from a peer', () => {
    const spec = draftSpec('regression', { target: 'systolic_bp', features: 'age', ridge: '' });
    expect(spec).toMatchObject({ kind: 'regression', target: 'systolic_bp', features: ['age'], maxRows: 100 });
    expect(parseRegisteredSpec(JSON.parse(JSON.stringify(spec)))).toEqual({ ok: true, spec });
    const d = computationFor('regression').draft!;
    expect(d.fromDraft(spec, d.toDraft(spec))).toEqual({ ok: true, spec });
    const bad = d.fromDraft(spec, { ...d.toDraft(spec), columns: 'age: number 0..120\nsex: categorical F' });
    expect(bad).toMatchObject({ ok: false });
    expect(!bad.ok && bad.error).toContain('line 2');
    for (const def of TABLE_COMPUTATIONS) expect(def.inputShape).toBe('own-card');
  });

  it('crosstab by sex with the mean of systolic_bp, N=3: equals the plaintext, and nobody announces a row count', async () => {
    const def = computationFor('crosstab');
    const spec = draftSpec('crosstab', { 'group-by': 'sex', value: 'systolic_bp', where: 'diagnosis = diabetes' });
    const { reads, outs } = await runAll(def, spec, CSVS);
    // the read-back: rows used (blank and NA bp or diagnosis skipped), count 0 = private
    expect(reads.map((r) => (r.ok ? [r.rows, r.used, r.count] : r.error))).toEqual([[4, 2, 0], [3, 2, 0], [3, 1, 0]]);
    const out = outs[0] as TableOutput;
    expect(outs[1]).toEqual(out);
    // diabetes rows: F 132.5, 118.0, 147.5 (mean 132.666…); M 121.5, 155.5 (mean 138.5)
    expect(out).toEqual({
      kind: 'crosstab',
      value: [
        { group: { sex: 'F' }, count: 3, sum: '398.0', mean: '132.667' },
        { group: { sex: 'M' }, count: 2, sum: '277.0', mean: '138.500' },
      ],
    });
  }, 120_000);

  it('table-stat: the median of a filtered column, N=2, equals the plaintext; row counts are announced and said', async () => {
    const def = computationFor('table-stat');
    const spec = draftSpec('table-stat', { column: 'systolic_bp', statistic: 'median', where: 'sex = F' });
    expect(def.reveals(spec, 2).warnings.join(' ')).toContain('how many rows each participant uses');
    const { reads, outs } = await runAll(def, spec, CSVS.slice(0, 2));
    expect(reads.map((r) => (r.ok ? r.count : r.error))).toEqual([2, 1]);
    // F rows: 132.5, 118.0 | 140.0 → median of 3 = 132.5
    expect((outs[0] as ComputationOutput).value).toBe('132.5');
    expect(outs[1]).toEqual(outs[0]);
  }, 120_000);

  it('refuses a payload that is not a table, and a CSV whose header misses a column', () => {
    const def = computationFor('correlation');
    const spec = draftSpec('correlation', { features: 'age, systolic_bp' });
    expect(() => def.parseInput({ values: ['1'] }, spec, 0)).toThrow('needs this participant’s table');
    const r = def.readTable!('age,bp\n1,100', spec, {});
    expect(r).toMatchObject({ ok: false, unmapped: expect.arrayContaining(['systolic_bp']) });
  });
});
