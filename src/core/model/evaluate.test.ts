// Joint evaluation in the in-memory N-party simulation on OT-generated triples (fast
// backend) against plaintext oracles written independently of the MPC formulas: AUC by
// comparing every positive with every negative (ties ½), average precision by sweeping the
// distinct thresholds, the rest by their textbook definitions on the pooled rows.
// Data from a fixed-seed generator (deterministic: no false failures by chance).
import { describe, expect, it } from 'vitest';
import { createFastBackend } from '../backend/fast.ts';
import { runParties } from '../session/simulate.ts';
import { createTripleSource } from '../triples/triple-source.ts';
import { parseSchemaText } from '../table/schema.ts';
import { readTable } from '../table/read-table.ts';
import type { ReadTable } from '../table/run-table.ts';
import { type EvaluateSpec, parseModelSpec } from './model-spec.ts';
import { type EvalMetrics, type EvaluateOutput, runEvaluation } from './evaluate.ts';

const rng = (seed: number) => {
  let x = seed >>> 0;
  return () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32);
};

function schemaOf(text: string) {
  const s = parseSchemaText(text);
  if (!s.ok) throw new Error(JSON.stringify(s.errors));
  return s.schema;
}

interface Row {
  a: number;
  b: number;
  y: number;
  site: string;
}

/** Scores with `decimals` decimals correlated with the label; `positives` 0 = a class absent at this party. */
function party(seed: number, rows: number, decimals: number, positives = 0.4, sites = ['A', 'B']): Row[] {
  const r = rng(seed);
  const q = 10 ** decimals;
  return Array.from({ length: rows }, () => {
    const y = r() < positives ? 1 : 0;
    const clamp = (v: number) => Math.round(Math.min(1, Math.max(0, v)) * q) / q;
    return { y, a: clamp(0.35 + 0.3 * y + (r() - 0.5) * 0.8), b: clamp(0.45 + 0.1 * y + (r() - 0.5) * 0.9), site: sites[Math.floor(r() * sites.length)] };
  });
}

const toCsv = (rows: Row[], blankEvery = 0): string[][] => [['score_a', 'score_b', 'label', 'site'], ...rows.map((w, i) => [String(w.a), blankEvery && i % blankEvery === 3 ? '' : String(w.b), w.y ? 'yes' : 'no', w.site])];

async function run(tables: ReadTable[], spec: EvaluateSpec): Promise<EvaluateOutput[]> {
  return runParties(tables.length, async (s, i) => runEvaluation(createFastBackend(s, createTripleSource(s)), spec, tables[i]), { timeoutMs: 240_000 });
}

// ── oracle ──────────────────────────────────────────────────────────────────────────
function oracle(rows: { s: number; y: number }[], threshold: number, bins: number) {
  const pos = rows.filter((r) => r.y === 1);
  const neg = rows.filter((r) => r.y === 0);
  let u = 0;
  for (const p of pos) for (const q of neg) u += p.s > q.s ? 1 : p.s === q.s ? 0.5 : 0;
  const thresholds = [...new Set(rows.map((r) => r.s))].sort((x, z) => z - x);
  let ap = 0;
  let prevRecall = 0;
  for (const t of thresholds) {
    const tp = pos.filter((r) => r.s >= t).length;
    const fp = neg.filter((r) => r.s >= t).length;
    const recall = tp / pos.length;
    ap += (recall - prevRecall) * (tp / (tp + fp));
    prevRecall = recall;
  }
  const tp = pos.filter((r) => r.s >= threshold).length;
  const fp = neg.filter((r) => r.s >= threshold).length;
  const tn = neg.length - fp;
  const fn = pos.length - tp;
  const clip = (p: number) => Math.min(1 - 1e-15, Math.max(1e-15, p));
  const n = rows.length;
  const calibration = Array.from({ length: bins }, (_, c) => {
    const inBin = rows.filter((r) => Math.min(bins - 1, Math.floor(r.s * bins + 1e-9)) === c);
    return { meanScore: inBin.length ? inBin.reduce((a, r) => a + r.s, 0) / inBin.length : null, observed: inBin.length ? inBin.filter((r) => r.y).length / inBin.length : null };
  });
  const nullIf = (ok: boolean, v: number) => (ok ? v : null);
  return {
    n,
    confusion: { tp, fp, tn, fn },
    accuracy: nullIf(n > 0, (tp + tn) / n),
    precision: nullIf(tp + fp > 0, tp / (tp + fp)),
    recall: nullIf(pos.length > 0, tp / pos.length),
    f1: nullIf(2 * tp + fp + fn > 0, (2 * tp) / (2 * tp + fp + fn)),
    auc: nullIf(pos.length > 0 && neg.length > 0, u / (pos.length * neg.length)),
    prAuc: nullIf(pos.length > 0, ap),
    logLoss: nullIf(n > 0, rows.reduce((a, r) => a - (r.y ? Math.log(clip(r.s)) : Math.log(1 - clip(r.s))), 0) / n),
    brier: nullIf(n > 0, rows.reduce((a, r) => a + (r.s - r.y) ** 2, 0) / n),
    calibration,
  };
}

function expectMetrics(got: EvalMetrics, want: ReturnType<typeof oracle>, names: string[], where: string) {
  for (const k of names) {
    const w = (want as Record<string, unknown>)[k];
    const g = (got as Record<string, unknown>)[k];
    if (k === 'confusion' || k === 'n') expect(g, `${where} ${k}`).toEqual(w);
    else if (k === 'calibration') {
      const rowsGot = g as { meanScore: number | null; observed: number | null }[];
      (w as typeof want.calibration).forEach((c, i) => {
        for (const f of ['meanScore', 'observed'] as const) {
          if (c[f] === null) expect(rowsGot[i][f], `${where} calibration ${i} ${f}`).toBeNull();
          else expect(rowsGot[i][f]!, `${where} calibration ${i} ${f}`).toBeCloseTo(c[f]!, 5);
        }
      });
    } else if (w === null) expect(g, `${where} ${k}`).toBeNull();
    else expect(Math.abs((g as number) - (w as number)), `${where} ${k}: ${String(g)} vs ${String(w)}`).toBeLessThan(2e-6);
  }
}

const CLASS_SCHEMA = (decimals: number) => schemaOf(`score_a: number 0..1 decimals ${decimals}\nscore_b: number 0..1 decimals ${decimals}\nlabel: yes/no\nsite: category A, B, C`);

describe('joint evaluation (classification)', () => {
  it('N=3: two models per site (site C has no rows, party 2 has no positives), every metric, vs the oracle', async () => {
    const schema = CLASS_SCHEMA(1);
    const files = [party(11, 40, 1), party(12, 35, 1), party(13, 30, 1, 0)];
    const tables = files.map((f, i) => {
      const t = readTable(toCsv(f, i === 1 ? 7 : 0), schema);
      if (!t.ok) throw new Error(t.error);
      return t;
    });
    const spec = parseModelSpec({ kind: 'evaluate', schema, maxRows: 50, target: 'label', score: ['score_a', 'score_b'], groupBy: 'site', threshold: '0.5', calibrationBins: 5 }) as EvaluateSpec;
    const outs = await run(tables, spec);
    for (const o of outs.slice(1)) expect(o).toEqual(outs[0]);
    const out = outs[0];
    // The blank score_b cells of party 1 drop those rows for both models (the same rows).
    const used = files.flatMap((f, i) => f.filter((_, j) => !(i === 1 && j % 7 === 3)));
    const names = spec.metrics as string[];
    for (const [m, key] of [['score_a', 'a'], ['score_b', 'b']] as const) {
      const all = oracle(used.map((r) => ({ s: r[key], y: r.y })), 0.5, 5);
      expectMetrics(out.byModel![m], all, names, `${m} all`);
      for (const g of out.groups!) {
        const site = g.group.site;
        const want = oracle(used.filter((r) => r.site === site).map((r) => ({ s: r[key], y: r.y })), 0.5, 5);
        expectMetrics(g.byModel![m], want, names, `${m} site ${site}`);
      }
    }
    expect(out.value).toEqual(out.byModel!.score_a);
    expect(out.difference!.auc).toBeCloseTo(out.byModel!.score_a.auc! - out.byModel!.score_b.auc!, 5);
    const c = out.groups!.find((g) => g.group.site === 'C')!;
    expect(c.value.n).toBe(0);
    expect(c.value.auc).toBeNull();
    expect(c.value.accuracy).toBeNull();
  }, 300_000);

  it('N=2: AUC, PR-AUC and the confusion matrix on scores with 2 decimals (many ties)', async () => {
    const schema = CLASS_SCHEMA(2);
    const files = [party(21, 80, 2), party(22, 70, 2, 0.6)];
    const tables = files.map((f) => readTable(toCsv(f), schema) as ReadTable);
    const spec = parseModelSpec({ kind: 'evaluate', schema, maxRows: 100, target: 'label', score: ['score_a'], threshold: '0.55', metrics: ['auc', 'prAuc', 'confusion', 'accuracy'] }) as EvaluateSpec;
    const [out] = await run(tables, spec);
    expectMetrics(out.value, oracle(files.flat().map((r) => ({ s: r.a, y: r.y })), 0.55, 10), ['auc', 'prAuc', 'confusion', 'accuracy'], 'N=2');
    // Only the declared metrics are in the result.
    expect(Object.keys(out.value).sort()).toEqual(['accuracy', 'auc', 'confusion', 'prAuc']);
  }, 300_000);

  it('N=5: a party with only negatives and one with only positives; AUC, F1, log-loss, Brier', async () => {
    const schema = CLASS_SCHEMA(1);
    const files = [party(31, 12, 1), party(32, 10, 1, 0), party(33, 9, 1, 1), party(34, 11, 1), party(35, 8, 1)];
    const tables = files.map((f) => readTable(toCsv(f), schema) as ReadTable);
    const metrics = ['n', 'auc', 'f1', 'logLoss', 'brier'];
    const spec = parseModelSpec({ kind: 'evaluate', schema, maxRows: 20, target: 'label', score: ['score_a'], threshold: '0.4', metrics }) as EvaluateSpec;
    const [out] = await run(tables, spec);
    expectMetrics(out.value, oracle(files.flat().map((r) => ({ s: r.a, y: r.y })), 0.4, 10), metrics, 'N=5');
  }, 300_000);
});

describe('joint evaluation (regression)', () => {
  it('N=3: MSE, RMSE, MAE, R² for two models and per group (one group empty), vs the oracle', async () => {
    const schema = schemaOf('y: number -50..150 decimals 1\npred_a: number -50..150 decimals 1\npred_b: number -50..150 decimals 2\nsite: category A, B, C');
    const files = [0, 1, 2].map((p) => {
      const r = rng(40 + p);
      return Array.from({ length: 25 + 5 * p }, () => {
        const y = Math.round((20 + r() * 80) * 10) / 10;
        return { y, a: Math.round((y + (r() - 0.5) * 20) * 10) / 10, b: Math.round((y * 0.8 + 10 + (r() - 0.5) * 30) * 100) / 100, site: r() < 0.5 ? 'A' : 'B' };
      });
    });
    const tables = files.map((f) => readTable([['y', 'pred_a', 'pred_b', 'site'], ...f.map((w) => [String(w.y), String(w.a), String(w.b), w.site])], schema) as ReadTable);
    const spec = parseModelSpec({ kind: 'evaluate', schema, maxRows: 40, target: 'y', score: ['pred_a', 'pred_b'], groupBy: 'site', metrics: ['n', 'mse', 'rmse', 'mae', 'r2'] }) as EvaluateSpec;
    const [out] = await run(tables, spec);
    expect(out.task).toBe('regression');
    const reg = (rows: { y: number; p: number }[]) => {
      const n = rows.length;
      if (n === 0) return { n, mse: null, rmse: null, mae: null, r2: null };
      const mse = rows.reduce((a, r) => a + (r.p - r.y) ** 2, 0) / n;
      const mean = rows.reduce((a, r) => a + r.y, 0) / n;
      const sst = rows.reduce((a, r) => a + (r.y - mean) ** 2, 0) / n;
      return { n, mse, rmse: Math.sqrt(mse), mae: rows.reduce((a, r) => a + Math.abs(r.p - r.y), 0) / n, r2: 1 - mse / sst };
    };
    for (const [m, key] of [['pred_a', 'a'], ['pred_b', 'b']] as const) {
      for (const site of [undefined, 'A', 'B', 'C']) {
        const got = site === undefined ? out.byModel![m] : out.groups!.find((g) => g.group.site === site)!.byModel![m];
        const want = reg(files.flat().filter((r) => site === undefined || r.site === site).map((r) => ({ y: r.y, p: r[key] })));
        expect(got.n).toBe(want.n);
        for (const k of ['mse', 'rmse', 'mae', 'r2'] as const) {
          if (want[k] === null) expect(got[k], `${m} ${site} ${k}`).toBeNull();
          else expect(Math.abs(got[k]! - want[k]!), `${m} ${site} ${k}: ${got[k]} vs ${want[k]}`).toBeLessThan(1e-5 * Math.max(1, Math.abs(want[k]!)));
        }
      }
    }
  }, 300_000);
});

describe('evaluate spec', () => {
  const schema = CLASS_SCHEMA(2);
  const base = { kind: 'evaluate', schema, maxRows: 10, target: 'label', score: ['score_a'] };
  it.each([
    [{ ...base, score: ['score_a', 'score_a'] }, 'two different score columns'],
    [{ ...base, metrics: ['mse'] }, 'not a classification metric'],
    [{ ...base, threshold: '1.5' }, "within score_a's bounds"],
    [{ ...base, groupBy: 'score_b' }, 'number column'],
    [{ ...base, target: 'site' }, 'exactly two'],
    [{ ...base, calibrationBins: 50 }, 'calibration bins'],
    [{ ...base, extra: 1 }, 'unknown or irrelevant'],
  ])('refuses %j', (raw, message) => {
    expect(() => parseModelSpec(raw)).toThrow(message);
  });
  it('defaults: every classification metric, threshold 0.5', () => {
    const s = parseModelSpec(base) as EvaluateSpec;
    expect(s.threshold).toBe('0.5');
    expect(s.metrics).toContain('auc');
  });
});
