/**
 * Models end to end (issue 13), through the real UI and signaling server:
 * - two companies each load a CSV of model scores and true labels; the host declares the
 *   schema, label, score, threshold and metrics; both tabs show ROC-AUC and the confusion
 *   matrix equal to a plaintext oracle computed here from the same files (AUC by counting
 *   pairs, ties half);
 * - three hospitals train a logistic regression on their CSV files; every tab downloads the
 *   model JSON, the three files are identical, and the model agrees with a plaintext Newton
 *   fit of the same declared objective on the pooled rows (same predicted class on ≥ 99 % of rows, log-loss within 1 %);
 *   then one tab scores a local file with it ("score my file") and the scored CSV equals the
 *   downloaded model applied here.
 * Data are seeded, so the test is deterministic; every wait is on a testid or an attribute.
 */
import { expect, test, type Page } from '@playwright/test';
import { closeAll, openRoom, type Party } from './parties';

function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

async function loadTable(p: Party, name: string, text: string, rows: number): Promise<void> {
  const page = p.page;
  await page.getByTestId('input-file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
  await expect(page.getByTestId('table-rows')).toHaveAttribute('data-rows', String(rows));
  await expect(page.getByTestId('input-error')).toHaveCount(0);
  await page.getByTestId('ready').click();
  await expect(page.getByTestId('ready')).toHaveAttribute('aria-pressed', 'true');
}

async function configure(host: Page, fields: Record<string, string>): Promise<void> {
  for (const [key, value] of Object.entries(fields)) await host.getByTestId(`spec-${key}`).fill(value);
  await expect(host.getByTestId('spec-error')).toHaveCount(0);
}

async function start(parties: Party[]): Promise<void> {
  await expect(parties[0].page.locator('[data-testid="participant"][data-state="ready"]')).toHaveCount(parties.length);
  await parties[0].page.getByTestId('start').click();
}

async function resultOf(page: Page, kind: string): Promise<Record<string, unknown>> {
  const result = page.locator(`[data-testid="result"][data-result*='"computation":"${kind}"']`);
  // ~80 iterations of a few rounds each: 1 min on an idle machine, over 5 min at load 30 on 2 cores
  await expect(result).toBeVisible({ timeout: 600_000 });
  return JSON.parse((await result.getAttribute('data-result')) ?? 'null') as Record<string, unknown>;
}

// ---- two companies evaluate a model ----

interface Prediction {
  score: number;
  /** Model B's score on the same row (noisier than A). */
  scoreB: number;
  label: 0 | 1;
  site: string;
}

function company(seed: number, rows: number): Prediction[] {
  const rnd = lcg(seed);
  return Array.from({ length: rows }, () => {
    const label = rnd() < 0.4 ? 1 : 0;
    // scores on a 0.05 grid, so ties across classes and across companies are common
    const raw = Math.min(1, Math.max(0, (label ? 0.62 : 0.38) + (rnd() - 0.5) * 0.7));
    const rawB = Math.min(1, Math.max(0, (label ? 0.56 : 0.44) + (rnd() - 0.5) * 0.8));
    return { score: Math.round(raw * 20) / 20, scoreB: Math.round(rawB * 20) / 20, label: label as 0 | 1, site: rnd() < 0.5 ? 'north' : 'south' };
  });
}

const COMPANIES = [company(7, 70), company(8, 55)];
const companyCsv = (rows: Prediction[], order: 'score-first' | 'label-first') =>
  (order === 'score-first'
    ? ['score,score_b,label,site', ...rows.map((r) => `${r.score.toFixed(2)},${r.scoreB.toFixed(2)},${r.label ? 'yes' : 'no'},${r.site}`)]
    : ['site,label,score_b,score', ...rows.map((r) => `${r.site},${r.label ? 'yes' : 'no'},${r.scoreB.toFixed(2)},${r.score.toFixed(2)}`)]
  ).join('\n') + '\n';

type Score = (r: Prediction) => number;
const scoreA: Score = (r) => r.score;
const scoreB: Score = (r) => r.scoreB;

function aucOracle(rows: Prediction[], s: Score = scoreA): number {
  const pos = rows.filter((r) => r.label === 1);
  const neg = rows.filter((r) => r.label === 0);
  let u = 0;
  for (const p of pos) for (const n of neg) u += s(p) > s(n) ? 1 : s(p) === s(n) ? 0.5 : 0;
  return u / (pos.length * neg.length);
}

/** Average precision (sklearn's average_precision_score; tied scores form one step). */
function apOracle(rows: Prediction[], s: Score = scoreA): number {
  const P = rows.filter((r) => r.label === 1).length;
  let ap = 0;
  for (const t of new Set(rows.map(s))) {
    const at = rows.filter((r) => s(r) === t && r.label === 1).length;
    if (at === 0) continue;
    const above = rows.filter((r) => s(r) >= t);
    ap += (at * above.filter((r) => r.label === 1).length) / above.length;
  }
  return ap / P;
}

test('two companies: ROC-AUC, PR-AUC and the confusion matrix, per site and model A vs B, from CSV files equal the plaintext oracle in both tabs', async ({ browser }) => {
  test.setTimeout(600_000);
  const { parties } = await openRoom(browser, 2, 'evaluate');
  const host = parties[0].page;
  await configure(host, {
    columns: 'score: number 0..1 decimals 2\nscore_b: number 0..1 decimals 2\nlabel: yes/no\nsite: category north, south',
    target: 'label',
    score: 'score, score_b',
    threshold: '0.55',
    metrics: 'n, confusion, accuracy, auc, prAuc',
    'group-by': 'site',
  });
  // fast backend: a strict evaluation of this size took over 5 min in Node (issue 11 note); the
  // strict default is checked by e2e/strict.spec.ts
  await host.getByTestId('spec-protection').selectOption('fast');
  // the guest sees, before Ready, what each metric implies
  const guestNotes = parties[1].page.getByTestId('reveal-notes');
  await expect(guestNotes).toContainText('pooled class balance');
  await expect(guestNotes).toContainText('threshold 0.55');
  await expect(guestNotes).toContainText('With 2 participants');
  await loadTable(parties[0], 'company-a.csv', companyCsv(COMPANIES[0], 'score-first'), COMPANIES[0].length);
  await loadTable(parties[1], 'company-b.csv', companyCsv(COMPANIES[1], 'label-first'), COMPANIES[1].length);
  await start(parties);

  const all = COMPANIES.flat();
  const pred = (r: Prediction) => r.score >= 0.55;
  const confusion = {
    tp: all.filter((r) => r.label === 1 && pred(r)).length,
    fp: all.filter((r) => r.label === 0 && pred(r)).length,
    tn: all.filter((r) => r.label === 0 && !pred(r)).length,
    fn: all.filter((r) => r.label === 1 && !pred(r)).length,
  };
  const auc = aucOracle(all);
  // the oracle is not degenerate (a test that could not tell a wrong AUC from a right one),
  // and model B is really another model
  expect(auc).toBeGreaterThan(0.6);
  expect(auc).toBeLessThan(0.99);
  expect(Math.abs(auc - aucOracle(all, scoreB))).toBeGreaterThan(0.02);
  for (const p of parties) {
    const r = await resultOf(p.page, 'evaluate');
    const value = r.value as { auc: number; accuracy: number; n: number; confusion: typeof confusion };
    expect(value.n).toBe(all.length);
    expect(value.confusion).toEqual(confusion);
    expect(Math.abs(value.auc - auc)).toBeLessThan(1e-6);
    expect(Math.abs(value.accuracy - (confusion.tp + confusion.tn) / all.length)).toBeLessThan(1e-6);
    // PR-AUC (average precision), model B on the same rows and A − B
    expect(Math.abs((value as { prAuc?: number }).prAuc! - apOracle(all))).toBeLessThan(1e-5);
    const byModel = r.byModel as Record<string, { auc: number; prAuc: number }>;
    const aucB = aucOracle(all, scoreB);
    expect(Math.abs(byModel.score_b.auc - aucB)).toBeLessThan(1e-6);
    expect(Math.abs(byModel.score_b.prAuc - apOracle(all, scoreB))).toBeLessThan(1e-5);
    expect(Math.abs((r.difference as Record<string, number>).auc - (auc - aucB))).toBeLessThan(2e-6);
    // fairness slices: every metric per site, over both companies' rows of that site
    const groups = r.groups as { group: Record<string, string>; value: { n: number; auc: number; prAuc: number } }[];
    expect(groups.map((g) => g.group)).toEqual([{ site: 'north' }, { site: 'south' }]);
    for (const g of groups) {
      const rows = all.filter((x) => x.site === g.group.site);
      expect(g.value.n).toBe(rows.length);
      expect(Math.abs(g.value.auc - aucOracle(rows))).toBeLessThan(1e-6);
      expect(Math.abs(g.value.prAuc - apOracle(rows))).toBeLessThan(1e-5);
    }
    await expect(p.page.getByTestId('metrics-table').first()).toContainText('ROC-AUC');
    await expect(p.page.getByTestId('confusion-matrix').first()).toContainText(String(confusion.tp));
  }
  await closeAll(parties);
});

// ---- three hospitals train a logistic regression ----

interface Patient {
  age: number;
  bmi: number;
  bp: number;
  outcome: 0 | 1;
}

function hospital(seed: number, rows: number): Patient[] {
  const rnd = lcg(seed);
  return Array.from({ length: rows }, () => {
    const age = 20 + Math.floor(rnd() * 70);
    const bmi = Math.round((18 + rnd() * 20) * 10) / 10;
    const bp = Math.round(90 + age * 0.5 + (rnd() - 0.5) * 40);
    const z = -9 + 0.06 * age + 0.12 * bmi + 0.02 * bp;
    return { age, bmi, bp, outcome: rnd() < 1 / (1 + Math.exp(-z)) ? 1 : 0 };
  });
}

const HOSPITALS = [hospital(101, 80), hospital(202, 60), hospital(303, 70)];
const hospitalCsv = (rows: Patient[]) => ['age,bmi,systolic_bp,outcome', ...rows.map((r) => `${r.age},${r.bmi},${r.bp},${r.outcome ? 'yes' : 'no'}`)].join('\n') + '\n';

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * Plaintext logistic regression by Newton's method (the oracle), on the objective the room
 * declares: mean log-loss + λ/2·|w|² over the features scaled by their declared bounds
 * (x − centre) / half-range, the intercept penalised too.
 */
function newtonFit(rows: Patient[], bounds: [number, number][], lambda: number): (r: Patient) => number {
  const center = bounds.map(([lo, hi]) => (lo + hi) / 2);
  const half = bounds.map(([lo, hi]) => (hi - lo) / 2);
  const Z = rows.map((r) => [1, ...[r.age, r.bmi, r.bp].map((v, j) => (v - center[j]) / half[j])]);
  const n = rows.length;
  let w = [0, 0, 0, 0];
  for (let it = 0; it < 60; it++) {
    const g = w.map((v) => lambda * v);
    const H = [0, 1, 2, 3].map((a) => [0, 1, 2, 3].map((b) => (a === b ? lambda : 0)));
    Z.forEach((z, i) => {
      const p = sigmoid(z.reduce((s, v, j) => s + v * w[j], 0));
      for (let a = 0; a < 4; a++) {
        g[a] += ((p - rows[i].outcome) * z[a]) / n;
        for (let b = 0; b < 4; b++) H[a][b] += (p * (1 - p) * z[a] * z[b]) / n;
      }
    });
    // solve H·d = g by Gauss–Jordan elimination
    const M = H.map((row, a) => [...row, g[a]]);
    for (let c = 0; c < 4; c++)
      for (let r = 0; r < 4; r++) {
        if (r === c) continue;
        const f = M[r][c] / M[c][c];
        for (let k = c; k < 5; k++) M[r][k] -= f * M[c][k];
      }
    w = w.map((v, a) => v - M[a][4] / M[a][a]);
  }
  return (r) => sigmoid(w[0] + [r.age, r.bmi, r.bp].reduce((s, v, j) => s + (w[j + 1] * (v - center[j])) / half[j], 0));
}

interface ModelJson {
  type: string;
  ridge: number;
  features: { name: string; center: number; scale: number }[];
  weights: number[];
  n: number;
}
const applyModel = (m: ModelJson, r: Patient) => sigmoid(m.weights[0] + [r.age, r.bmi, r.bp].reduce((s, v, j) => s + (m.weights[j + 1] * (v - m.features[j].center)) / m.features[j].scale, 0));
const logLoss = (rows: Patient[], p: (r: Patient) => number) => -rows.reduce((s, r) => s + Math.log(r.outcome ? p(r) : 1 - p(r)), 0) / rows.length;

async function downloadModel(page: Page): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('model-download').click()]);
  const path = await download.path();
  const { readFile } = await import('node:fs/promises');
  return readFile(path, 'utf8');
}

test('three hospitals: a logistic regression trained from CSV files; every tab downloads the same model, which matches a plaintext fit and scores a local file', async ({ browser }) => {
  test.setTimeout(1_200_000);
  const { parties } = await openRoom(browser, 3, 'logistic');
  const host = parties[0].page;
  await configure(host, {
    columns: 'age: number 18..100\nbmi: number 10..60 decimals 1\nsystolic_bp: number 60..260\noutcome: yes/no',
    target: 'outcome',
    features: 'age, bmi, systolic_bp',
  });
  // fast backend: ~80 Newton iterations of secret division are too slow in strict for CI (issue 11 note)
  await host.getByTestId('spec-protection').selectOption('fast');
  // per-iteration models are declared before Ready
  for (const p of parties.slice(1)) await expect(p.page.getByTestId('reveal-notes')).toContainText('the model after each iteration');
  for (const [i, p] of parties.entries()) await loadTable(p, `hospital-${i + 1}.csv`, hospitalCsv(HOSPITALS[i]), HOSPITALS[i].length);
  await start(parties);
  for (const p of parties) await resultOf(p.page, 'logistic');

  const files = await Promise.all(parties.map((p) => downloadModel(p.page)));
  expect(files[1]).toBe(files[0]);
  expect(files[2]).toBe(files[0]);
  const model = JSON.parse(files[0]) as ModelJson;
  expect(model.type).toBe('logistic-regression');
  expect(model.features.map((f) => f.name)).toEqual(['age', 'bmi', 'systolic_bp']);
  const all = HOSPITALS.flat();
  expect(model.n).toBe(all.length);
  // the declared bounds (schema above) and the declared default ridge λ = 0.001
  expect(model.ridge).toBe(0.001);
  const oracle = newtonFit(all, [[18, 100], [10, 60], [60, 260]], 0.001);
  const same = all.filter((r) => applyModel(model, r) >= 0.5 === oracle(r) >= 0.5).length;
  expect(same / all.length, `same predicted class on ${same} of ${all.length} rows`).toBeGreaterThanOrEqual(0.995);
  const ours = logLoss(all, (r) => applyModel(model, r));
  const best = logLoss(all, oracle);
  // the oracle fit is informative (well below the 0.693 of a coin), and ours is within 1 % of it
  expect(best).toBeLessThan(0.6);
  expect(Math.abs(ours / best - 1), `log-loss ${ours} vs ${best}`).toBeLessThan(0.01);

  // "score my file": a local CSV (columns in another order, one blank cell) scored in the tab
  const local = hospital(404, 12);
  const text = ['systolic_bp,age,bmi', ...local.map((r, i) => `${r.bp},${r.age},${i === 3 ? '' : r.bmi}`)].join('\n') + '\n';
  const page = parties[2].page;
  await page.getByTestId('score-file').setInputFiles({ name: 'my-patients.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
  await expect(page.getByTestId('score-output')).toContainText('Scored 11 of 12 rows');
  await expect(page.getByTestId('score-output')).toContainText('row 5 (bmi is blank');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('score-download').click()]);
  const { readFile } = await import('node:fs/promises');
  const scored = (await readFile(await download.path(), 'utf8')).trim().split(/\r?\n/);
  expect(scored[0]).toBe('systolic_bp,age,bmi,p_yes');
  local.forEach((r, i) => {
    const cell = scored[i + 1].split(',')[3];
    if (i === 3) expect(cell).toBe('');
    else expect(Math.abs(Number(cell) - applyModel(model, r))).toBeLessThan(1e-6);
  });
  await closeAll(parties);
});

// ---- three hospitals train a small neural network by federated averaging ----

/**
 * Two interleaved half-moons (not linearly separable), label yes on the lower moon; each
 * hospital's class balance differs, and every 41st row has a blank y cell (skipped).
 */
function moonRows(seed: number, rows: number, skew: number): string[][] {
  const rnd = lcg(seed);
  return Array.from({ length: rows }, (_, i) => {
    const lower = rnd() < 0.5 + skew;
    const a = Math.PI * rnd();
    const noise = () => 0.2 * (rnd() * 2 - 1);
    const x = Math.max(-1.5, Math.min(2.5, (lower ? 1 - Math.cos(a) : Math.cos(a)) + noise()));
    const y = Math.max(-1, Math.min(1.5, (lower ? 0.5 - Math.sin(a) : Math.sin(a)) + noise()));
    return [x.toFixed(3), i % 41 === 5 ? '' : y.toFixed(3), lower ? 'yes' : 'no'];
  });
}

const MOON_SCHEMA = 'x: number -1.5..2.5 decimals 3\ny: number -1..1.5 decimals 3\nlabel: yes/no';
const MOONS = [moonRows(41, 300, -0.15), moonRows(42, 200, 0.1), moonRows(43, 250, 0)];
const MLP_FIELDS = { target: 'label', features: 'x, y', hidden: '16', rounds: '25', epochs: '3', 'learning-rate': '0.3', clip: '2', seed: '7', 'max-rows': '400' };

test('three hospitals: a neural network trained by federated averaging from CSV files; every tab downloads the same model, equal to FedAvg in the clear and as accurate as pooled training, and scores a local file', async ({ browser }) => {
  test.setTimeout(600_000);
  // the plaintext side: the same FedAvg in the clear, from the core's own local trainer
  const { parseSchemaText } = await import('../src/core/table/schema.ts');
  const { readTable } = await import('../src/core/table/read-table.ts');
  const { parseMlpSpec } = await import('../src/core/model/mlp-spec.ts');
  const { localSeed, mlpLocalData } = await import('../src/core/model/fedavg.ts');
  const { initMlp, mlpAccuracy, trainLocal } = await import('../src/core/model/mlp-train.ts');
  type ReadTable = import('../src/core/table/run-table.ts').ReadTable;

  const { parties } = await openRoom(browser, 3, 'mlp');
  await configure(parties[0].page, { columns: MOON_SCHEMA, ...MLP_FIELDS, where: '' });
  // fast backend: 25 rounds of strict secure sums did not finish in 10 min in three tabs at
  // load 15 (issue 11 note: strict is the default but slow for training)
  await parties[0].page.getByTestId('spec-protection').selectOption('fast');
  // before Ready, a guest sees what is opened every round
  await expect(parties[1].page.getByTestId('reveal-notes')).toContainText('the averaged model after every one of the 25 rounds');
  for (const [i, p] of parties.entries()) await loadTable(p, `hospital-${i + 1}.csv`, ['x,y,label', ...MOONS[i].map((r) => r.join(','))].join('\n') + '\n', MOONS[i].length);
  await start(parties);

  const models: string[] = [];
  for (const p of parties) {
    await resultOf(p.page, 'mlp');
    models.push(await downloadModel(p.page));
  }
  expect(models[1]).toBe(models[0]);
  expect(models[2]).toBe(models[0]);
  const model = JSON.parse(models[0]) as { weights: number[]; n: number; hidden: number };

  const parsed = parseSchemaText(MOON_SCHEMA);
  if (!parsed.ok) throw new Error('schema');
  const spec = parseMlpSpec({ kind: 'mlp', schema: parsed.schema, maxRows: 400, target: 'label', features: ['x', 'y'], hidden: 16, rounds: 25, epochs: 3, learningRate: '0.3', clip: '2', seed: 7 });
  const parts = MOONS.map((rows) => mlpLocalData(spec, readTable([['x', 'y', 'label'], ...rows], parsed.schema) as ReadTable));
  const n = parts.reduce((a, p) => a + p.X.length, 0);
  expect(model.n).toBe(n);
  expect(n).toBeLessThan(750); // the blank cells were skipped
  // Each party's local shuffling seed depends on its index in the session, which the session
  // assigns (not the join order): FedAvg in the clear for every assignment of hospitals to
  // indexes, and the browsers' model must equal one of them.
  const clearFedAvg = (order: number[]) => {
    let w = initMlp(2, 16, 7);
    for (let t = 1; t <= 25; t++) {
      const next = Float64Array.from(w);
      order.forEach((h, p) => {
        const data = parts[h];
        const local = trainLocal(w, 2, 16, data, { epochs: 3, learningRate: 0.3, seed: localSeed(7, t, p) });
        for (let k = 0; k < w.length; k++) next[k] += (Math.max(-2, Math.min(2, local[k] - w[k])) * data.X.length) / n;
      });
      w = next;
    }
    return w;
  };
  const orders = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
  const diffs = orders.map((o) => {
    const w = clearFedAvg(o);
    return Math.max(...model.weights.map((v, k) => Math.abs(v - w[k])));
  });
  const diff = Math.min(...diffs);
  expect(diff, `largest weight difference from FedAvg in the clear: ${diffs.join(', ')}`).toBeLessThan(1e-4);
  // negative control: the other assignments give visibly different models (the check can fail)
  expect(diffs.filter((d) => d > 1e-2).length).toBe(5);
  // the criterion: within 2 % of one MLP trained on the pooled rows in plaintext
  const pooled = { X: parts.flatMap((p) => p.X), Y: parts.flatMap((p) => p.Y) };
  const central = trainLocal(initMlp(2, 16, 7), 2, 16, pooled, { epochs: 75, learningRate: 0.3, seed: 99 });
  const accCentral = mlpAccuracy(central, 2, 16, pooled);
  const accFed = mlpAccuracy(Float64Array.from(model.weights), 2, 16, pooled);
  expect(accFed, `FedAvg ${accFed} vs pooled ${accCentral}`).toBeGreaterThanOrEqual(accCentral - 0.02);
  // negative control: the untrained starting model is far from it (the check can fail)
  expect(mlpAccuracy(initMlp(2, 16, 7), 2, 16, pooled)).toBeLessThan(accCentral - 0.02);

  // "score my file" in one tab: columns in another order, one blank cell named, and the scored
  // file's p_yes equals the downloaded model applied here
  const { predictMlp } = await import('../src/core/model/fedavg.ts');
  const mine = MOONS[0].slice(6, 14).map(([x, y]) => [y, x]);
  mine[3][0] = '';
  const page = parties[0].page;
  await page.getByTestId('score-file').setInputFiles({ name: 'mine.csv', mimeType: 'text/csv', buffer: Buffer.from(['y,x', ...mine.map((r) => r.join(','))].join('\n') + '\n') });
  await expect(page.getByTestId('score-output')).toContainText('Scored 7 of 8 rows');
  await expect(page.getByTestId('score-output')).toContainText('row 5 (y is blank');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('score-download').click()]);
  const { readFile } = await import('node:fs/promises');
  const scored = (await readFile(await download.path(), 'utf8')).trim().split(/\r?\n/);
  expect(scored[0]).toBe('y,x,p_yes');
  const full = JSON.parse(models[0]) as Parameters<typeof predictMlp>[0];
  mine.forEach(([y, x], i) => {
    const p = scored[i + 1].split(',')[2];
    if (y === '') expect(p).toBe('');
    else expect(Math.abs(Number(p) - predictMlp(full, [Number(x), Number(y)]))).toBeLessThan(1e-6);
  });
  await closeAll(parties);
});
