// Table computations and the oblivious fixed-point helpers in the in-memory N-party
// simulation on OT-generated triples (fast backend), against plaintext oracles written
// independently (pooled rows, direct counting, Pearson r in floating point).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createFastBackend } from '../backend/fast.ts';
import { runParties } from '../session/simulate.ts';
import { createTripleSource } from '../triples/triple-source.ts';
import { decodeSigned } from '../ring.ts';
import { isqrt } from '../computations/rounding.ts';
import { divFloor, isqrtFloor } from './fixed-math.ts';
import { parseSchemaText } from './schema.ts';
import { parseWhere } from './filter.ts';
import { readTable } from './read-table.ts';
import { type TableSpec, parseTableSpec } from './table-spec.ts';
import { type ReadTable, type TableOutput, runTableComputation } from './run-table.ts';

const SCHEMA_TEXT = `age: number 18..90
sex: category F, M
bp: number 60..260 decimals 1
diagnosis: category diabetes, asthma, none
smoker: yes/no`;
const schemaResult = parseSchemaText(SCHEMA_TEXT);
if (!schemaResult.ok) throw new Error('schema');
const schema = schemaResult.schema;

type Row = [string, string, string, string, string];

/** A random hospital file: correlated age and bp, blanks and NA, a category missing at some sites. */
function hospital(seed: number, rows: number, opts: { noAsthma?: boolean; constantAge?: boolean } = {}): Row[] {
  let x = seed >>> 0;
  const rnd = () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  return Array.from({ length: rows }, () => {
    const age = opts.constantAge ? 50 : 18 + Math.floor(rnd() * 72);
    const bp = Math.min(260, Math.max(60, 90 + age * 0.6 + (rnd() - 0.5) * 40));
    const diag = opts.noAsthma ? (rnd() < 0.4 ? 'diabetes' : 'none') : ['diabetes', 'asthma', 'none'][Math.floor(rnd() * 3)];
    const blank = rnd();
    return [blank < 0.05 ? '' : String(age), rnd() < 0.5 ? 'F' : 'M', blank > 0.95 ? 'NA' : bp.toFixed(1), diag, rnd() < 0.3 ? 'yes' : 'no'] as Row;
  });
}

function read(rows: Row[]): ReadTable {
  const t = readTable([['age', 'sex', 'bp', 'diagnosis', 'smoker'], ...rows], schema);
  if (!t.ok) throw new Error(t.error);
  return t;
}

async function run(tables: ReadTable[], specs: TableSpec[]): Promise<(TableOutput | string)[][]> {
  return runParties(tables.length, async (s, i) => {
    const b = createFastBackend(s, createTripleSource(s));
    const out: (TableOutput | string)[] = [];
    for (const spec of specs) {
      try {
        out.push(await runTableComputation(b, spec, tables[i]));
      } catch (e) {
        out.push(e instanceof Error ? e.message : String(e));
      }
    }
    return out;
  }, { timeoutMs: 240_000 });
}

// ── oracles ─────────────────────────────────────────────────────────────────────────
const COLS = ['age', 'sex', 'bp', 'diagnosis', 'smoker'] as const;
const parsed = (r: Row) => ({ age: r[0] === '' ? null : Number(r[0]), sex: r[1], bp: r[2] === 'NA' ? null : Number(r[2]), diagnosis: r[3], smoker: r[4] === 'yes' });

function oracleCrosstab(files: Row[][], groupBy: ('sex' | 'diagnosis' | 'smoker')[], value: 'bp' | undefined, pass: (p: ReturnType<typeof parsed>) => boolean) {
  const levels = { sex: ['F', 'M'], diagnosis: ['diabetes', 'asthma', 'none'], smoker: ['no', 'yes'] };
  let cells: string[][] = [[]];
  for (const g of groupBy) cells = cells.flatMap((c) => levels[g].map((v) => [...c, v]));
  const rows = files.flat().map(parsed).filter((p) => pass(p) && (!value || p[value] !== null));
  return cells.map((vals) => {
    const inCell = rows.filter((p) => groupBy.every((g, i) => String(g === 'smoker' ? (p.smoker ? 'yes' : 'no') : p[g]) === vals[i]));
    const sum = inCell.reduce((a, p) => a + Math.round((p.bp ?? 0) * 10), 0);
    return { count: inCell.length, sum: value ? sum / 10 : undefined };
  });
}

function pearson(files: Row[][], pass: (p: ReturnType<typeof parsed>) => boolean): number {
  const rows = files.flat().map(parsed).filter((p) => pass(p) && p.age !== null && p.bp !== null);
  const n = rows.length;
  const mx = rows.reduce((a, p) => a + p.age!, 0) / n;
  const my = rows.reduce((a, p) => a + p.bp!, 0) / n;
  const sxy = rows.reduce((a, p) => a + (p.age! - mx) * (p.bp! - my), 0);
  const sxx = rows.reduce((a, p) => a + (p.age! - mx) ** 2, 0);
  const syy = rows.reduce((a, p) => a + (p.bp! - my) ** 2, 0);
  return sxy / Math.sqrt(sxx * syy);
}

const spec = (o: Record<string, unknown>): TableSpec => parseTableSpec({ schema, maxRows: 500, where: [], ...o });

describe('oblivious division and square root (fast backend)', () => {
  it('divFloor and isqrtFloor equal bigint arithmetic on random and edge values', { timeout: 120_000 }, async () => {
    const xs = [0n, 1n, 7n, (1n << 40n) - 1n, ...fc.sample(fc.bigInt({ min: 0n, max: (1n << 40n) - 1n }), { numRuns: 12, seed: 7 })];
    const ys = [1n, 3n, 7n, (1n << 20n) - 1n, ...fc.sample(fc.bigInt({ min: 1n, max: (1n << 20n) - 1n }), { numRuns: 12, seed: 8 })];
    const ds = [0n, 1n, 2n, 3n, 4n, (1n << 60n) - 1n, ...fc.sample(fc.bigInt({ min: 0n, max: (1n << 60n) - 1n }), { numRuns: 10, seed: 9 })];
    const [out] = await runParties(2, async (s) => {
      const b = createFastBackend(s, createTripleSource(s));
      const X = b.constant(xs);
      const Y = b.constant(ys);
      const q = await b.open(await divFloor(b, X, Y, 40, 40, 20));
      const r = await b.open(await isqrtFloor(b, b.constant(ds), 30));
      return { q: [...q].map(decodeSigned), r: [...r].map(decodeSigned) };
    });
    expect(out.q).toEqual(xs.map((x, i) => x / ys[i]));
    expect(out.r).toEqual(ds.map(isqrt));
  });
});

describe('table computations match the plaintext oracle (OT triples)', () => {
  for (const n of [2, 3, 5]) {
    it(`cross-tabs and correlation, N=${n}: blanks and NA, a filter, a category absent at some sites, a filter that selects nothing`, { timeout: 300_000 }, async () => {
      const files = Array.from({ length: n }, (_, i) => hospital(100 * n + i, 40 + 7 * i, { noAsthma: i === 0 }));
      const specs = [
        spec({ kind: 'crosstab', groupBy: ['sex', 'diagnosis'], value: 'bp' }),
        spec({ kind: 'crosstab', groupBy: ['smoker'], where: parseWhere('diagnosis = asthma', schema) }),
        spec({ kind: 'correlation', columns: ['age', 'bp'] }),
        spec({ kind: 'correlation', columns: ['age', 'bp'], where: parseWhere('sex = F and smoker = no', schema) }),
        spec({ kind: 'correlation', columns: ['age', 'bp'], where: parseWhere('age > 89 and age < 90', schema) }),
      ];
      // N=2 runs every case; larger N the main ones (each correlation is ~50 sequential comparison layers).
      const picked = n === 2 ? [0, 1, 2, 3, 4] : n === 3 ? [0, 2, 4] : [0, 2];
      const got = await run(files.map(read), picked.map((k) => specs[k]));
      for (let p = 1; p < n; p++) expect(got[p]).toEqual(got[0]); // every tab sees the same
      const out0: (TableOutput | string | undefined)[] = [];
      picked.forEach((k, j) => (out0[k] = got[0][j]));
      const [ct, ctAsthma, corr, corrF, corrNone] = out0 as [TableOutput, TableOutput | undefined, TableOutput, TableOutput | undefined, string | undefined];
      const exp = oracleCrosstab(files, ['sex', 'diagnosis'], 'bp', () => true);
      expect(ct.kind === 'crosstab' && ct.value.map((c) => ({ count: c.count, sum: Number(c.sum) }))).toEqual(exp);
      if (ct.kind === 'crosstab') expect(ct.value[0].group).toEqual({ sex: 'F', diagnosis: 'diabetes' });
      if (ctAsthma) expect(ctAsthma.kind === 'crosstab' && ctAsthma.value.map((c) => c.count)).toEqual(oracleCrosstab(files, ['smoker'], undefined, (q) => q.diagnosis === 'asthma').map((c) => c.count));
      if (typeof corr === 'string') throw new Error(corr);
      const r = pearson(files, () => true);
      expect(corr.kind === 'correlation' && Math.abs(corr.value[0][1] - r)).toBeLessThan(2e-3);
      expect(corr.kind === 'correlation' && corr.n).toBe(files.flat().filter((row) => row[0] !== '' && row[2] !== 'NA').length);
      expect(corr.kind === 'correlation' && corr.value[1][0]).toBe(corr.kind === 'correlation' && corr.value[0][1]);
      const rF = pearson(files, (q) => q.sex === 'F' && !q.smoker);
      if (corrF) expect(corrF.kind === 'correlation' && Math.abs(corrF.value[0][1] - rF)).toBeLessThan(2e-3);
      if (n <= 3) expect(corrNone).toMatch(/correlation is undefined: no row matches/);
    });
  }

  it('a constant column gives a clear message, not NaN', { timeout: 120_000 }, async () => {
    const files = [hospital(1, 30, { constantAge: true }), hospital(2, 30, { constantAge: true })];
    const [[res]] = await run(files.map(read), [spec({ kind: 'correlation', columns: ['age', 'bp'] })]);
    expect(res).toMatch(/correlation is undefined: age has the same value in every row used/);
  });

  it('a party with more usable rows than the room allows is refused before any traffic', async () => {
    const t = read(hospital(3, 20));
    await expect(runTableComputation(null as never, spec({ kind: 'crosstab', groupBy: ['sex'], maxRows: 5 }), t)).rejects.toThrow(/at most 5 per participant/);
  });
});

describe('table spec', () => {
  it('validates kinds, columns and sizes', () => {
    expect(() => spec({ kind: 'crosstab', groupBy: ['bp'] })).toThrow(/number column/);
    expect(() => spec({ kind: 'correlation', columns: ['age'] })).toThrow(/2\.\.10/);
    expect(() => spec({ kind: 'correlation', columns: ['age', 'sex'] })).toThrow(/not a number column/);
    expect(() => spec({ kind: 'crosstab', groupBy: ['sex'], columns: ['age'] })).toThrow(/unknown or irrelevant/);
    expect(spec({ kind: 'crosstab', groupBy: ['SEX'] }).groupBy).toEqual(['sex']);
    void COLS;
  });
});
