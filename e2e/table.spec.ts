/**
 * The hospital example of issue 12 end to end, as the README tells it: three hospitals each
 * load their own patients spreadsheet (CSV) in their own browser, and one room answers, one
 * after the other,
 *   1. the mean of systolic_bp over all patients (a cross-tab with no grouping: count, sum,
 *      mean; no hospital's row count opened),
 *   2. a histogram of systolic_bp (the table statistic; it declares that row counts are shown),
 *   3. how many patients with diagnosis = diabetes, by sex (a cross-tab with a filter),
 *   4. the correlation between age and systolic_bp,
 *   5. a regression of systolic_bp on age, BMI and dose;
 * and every tab's data-result equals a plaintext oracle computed here from the same files.
 *
 * The files look like real exports: hospital 1 has an extra patient_id column and blank cells;
 * hospital 2 is an Excel export (byte-order mark, CRLF, quoted cells, "NA" for missing,
 * headers "Systolic BP" and "Dose (mg)", no asthma patient at all); hospital 3 calls its
 * blood-pressure column "SBP (mmHg)", which the tab cannot match by name, so the person picks
 * it. The data are seeded (deterministic); every wait is on a testid or an attribute.
 */
import { expect, test, type Page } from '@playwright/test';
import { closeAll, openRoom, type Party } from './parties';

const SCHEMA = `age: number 0..120
sex: category F, M
systolic_bp: number 60..260 decimals 1
bmi: number 10..60 decimals 1
dose: number 0..500 decimals 1
diagnosis: category diabetes, asthma, none`;

interface Patient {
  age: number | null;
  sex: 'F' | 'M';
  bp: number | null;
  bmi: number | null;
  dose: number | null;
  diagnosis: 'diabetes' | 'asthma' | 'none';
}

function hospital(seed: number, rows: number, noAsthma = false): Patient[] {
  let x = seed >>> 0;
  const rnd = () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  return Array.from({ length: rows }, () => {
    const age = 20 + Math.floor(rnd() * 60);
    const bmi = Math.round((18 + rnd() * 15) * 10) / 10;
    const dose = Math.round(rnd() * 2000) / 10;
    const bp = Math.round((80 + age * 0.7 + bmi * 0.8 - dose * 0.05 + (rnd() - 0.5) * 20) * 10) / 10;
    const r = rnd();
    const diagnosis = noAsthma ? (rnd() < 0.4 ? 'diabetes' : 'none') : (['diabetes', 'asthma', 'none'] as const)[Math.floor(rnd() * 3)];
    return {
      age: r < 0.06 ? null : age,
      sex: rnd() < 0.5 ? 'F' : 'M',
      bp: r > 0.94 ? null : bp,
      bmi: rnd() < 0.05 ? null : bmi,
      dose: rnd() < 0.04 ? null : dose,
      diagnosis,
    };
  });
}

const FILES = [hospital(11, 40), hospital(22, 30, true), hospital(33, 25)];
const cell = (v: number | null, blank: string) => (v === null ? blank : String(v));
const TEXTS = [
  ['patient_id,age,sex,systolic_bp,bmi,dose,diagnosis', ...FILES[0].map((r, i) => [`P${1000 + i}`, cell(r.age, ''), r.sex, cell(r.bp, ''), cell(r.bmi, ''), cell(r.dose, ''), r.diagnosis].join(','))].join('\n') + '\n',
  '\uFEFF' + ['"Age","Sex","Systolic BP","BMI","Dose (mg)","Diagnosis"', ...FILES[1].map((r) => [cell(r.age, 'NA'), `"${r.sex}"`, cell(r.bp, 'NA'), cell(r.bmi, 'NA'), cell(r.dose, 'NA'), `"${r.diagnosis}"`].join(','))].join('\r\n') + '\r\n',
  ['age,sex,SBP (mmHg),bmi,dose,diagnosis', ...FILES[2].map((r) => [cell(r.age, ''), r.sex, cell(r.bp, ''), cell(r.bmi, ''), cell(r.dose, ''), r.diagnosis].join(','))].join('\n') + '\n',
];
const all = FILES.flat();

async function load(p: Party, i: number): Promise<void> {
  const page = p.page;
  const ready = page.getByTestId('ready');
  if ((await ready.getAttribute('aria-pressed')) === 'true') await ready.click();
  await expect(ready).toHaveAttribute('aria-pressed', 'false');
  if ((await page.getByTestId('private-input').inputValue()) !== TEXTS[i]) {
    await page.getByTestId('input-file').setInputFiles({ name: `hospital-${i + 1}.csv`, mimeType: 'text/csv', buffer: Buffer.from(TEXTS[i]) });
  }
  if (i === 2) {
    // "SBP (mmHg)" does not match systolic_bp by name: the tab asks, and the person picks it.
    const pick = page.locator('[data-testid="table-column-pick"][data-column="systolic_bp"]');
    await expect(pick).toBeVisible();
    if ((await pick.inputValue()) !== '2') await pick.selectOption('2');
  }
  await expect(page.getByTestId('table-rows')).toHaveAttribute('data-rows', String(FILES[i].length));
  await expect(page.getByTestId('input-error')).toHaveCount(0);
  await ready.click();
  await expect(ready).toHaveAttribute('aria-pressed', 'true');
}

async function resultOf(page: Page, computation: string): Promise<Record<string, unknown>> {
  const result = page.locator(`[data-testid="result"][data-result*='"computation":"${computation}"']`);
  // the regression (oblivious divisions inside the MPC) takes about 20 s at load 6 and over
  // 5 min at load 29 on the shared 2 cores: a wait on the result attribute, not a sleep
  await expect(result).toBeVisible({ timeout: 600_000 });
  return JSON.parse((await result.getAttribute('data-result')) ?? 'null') as Record<string, unknown>;
}

/** Everyone loads and is ready, the host starts: every tab's data-result. */
async function run(parties: Party[], computation: string): Promise<Record<string, unknown>[]> {
  for (const [i, p] of parties.entries()) await load(p, i);
  await expect(parties[0].page.locator('[data-testid="participant"][data-state="ready"]')).toHaveCount(parties.length);
  await parties[0].page.getByTestId('start').click();
  return Promise.all(parties.map((p) => resultOf(p.page, computation)));
}

/** The host picks the computation and fills its fields; the guests see the rules before Ready. */
async function configure(parties: Party[], kind: string, fields: Record<string, string>, shown: string): Promise<void> {
  const host = parties[0].page;
  await host.getByTestId('computation').selectOption(kind);
  await host.getByTestId('spec-columns').fill(SCHEMA);
  for (const [key, value] of Object.entries(fields)) {
    const field = host.getByTestId(`spec-${key}`);
    if ((await field.evaluate((e) => e.tagName)) === 'SELECT') await field.selectOption(value);
    else await field.fill(value);
  }
  await expect(host.getByTestId('spec-error')).toHaveCount(0);
  for (const p of parties.slice(1)) await expect(p.page.getByText('Rules set by the host:')).toContainText(shown);
}

const bpTenths = (r: Patient) => Math.round((r.bp as number) * 10);

test('three hospitals: mean and histogram of systolic_bp, diabetes count by sex, age–bp correlation and a regression on age, BMI and dose equal the plaintext in every tab', async ({ browser }) => {
  test.setTimeout(1_500_000);
  const { parties } = await openRoom(browser, 3, 'crosstab');

  // 1. mean of systolic_bp over all patients: a cross-tab with no grouping
  await configure(parties, 'crosstab', { 'group-by': '', value: 'systolic_bp', where: '' }, 'systolic_bp');
  // the guests' notes before Ready: each hospital's row count stays secret
  await expect(parties[1].page.getByText('Not how many rows each participant has, nor any participant’s own counts.')).toBeVisible();
  const withBp = all.filter((r) => r.bp !== null);
  const sumBp = withBp.reduce((s, r) => s + bpTenths(r), 0);
  for (const r of await run(parties, 'crosstab')) {
    const [total] = r.value as { group: Record<string, string>; count: number; sum: number; mean: number }[];
    expect(total.group).toEqual({});
    expect(total.count).toBe(withBp.length);
    expect(total.sum).toBeCloseTo(sumBp / 10, 6);
    expect(Math.abs(total.mean - sumBp / 10 / withBp.length)).toBeLessThanOrEqual(0.0005 + 1e-9);
  }

  // 2. histogram of systolic_bp in buckets of 20 mmHg
  const edges = [100, 120, 140, 160];
  await configure(parties, 'table-stat', { column: 'systolic_bp', statistic: 'histogram', edges: edges.join('; '), where: '' }, 'systolic_bp');
  await expect(parties[1].page.getByText(/Everyone sees how many rows each participant uses/).first()).toBeVisible();
  const buckets = [0, 0, 0, 0, 0];
  for (const r of withBp) buckets[edges.filter((e) => (r.bp as number) >= e).length]++;
  for (const r of await run(parties, 'histogram')) {
    expect(r.value).toEqual(buckets);
    expect(r.edges).toEqual([60, ...edges, 260]);
  }

  // 3. how many patients with diagnosis = diabetes, by sex (hospital 2 has no asthma at all)
  await configure(parties, 'crosstab', { 'group-by': 'sex', value: '', where: 'diagnosis = diabetes' }, 'grouped by sex');
  for (const r of await run(parties, 'crosstab')) {
    const value = r.value as { group: Record<string, string>; count: number }[];
    expect(value.map((c) => ({ group: c.group, count: c.count }))).toEqual(
      (['F', 'M'] as const).map((sex) => ({ group: { sex }, count: all.filter((p) => p.diagnosis === 'diabetes' && p.sex === sex).length })),
    );
  }

  // 4. correlation between age and systolic_bp
  // Correlation and regression run on the fast backend here: strict (the default since issue 11)
  // gives the same result but its secret division / square root took 104 s for 3 × 30 rows and
  // regression did not finish in 8 min in Node — too slow for CI until fixed-math is batched.
  await configure(parties, 'correlation', { features: 'age, systolic_bp', where: '', protection: 'fast' }, 'columns age, systolic_bp');
  const both = all.filter((r) => r.age !== null && r.bp !== null);
  const want = pearson(both.map((r) => r.age as number), both.map((r) => r.bp as number));
  for (const r of await run(parties, 'correlation')) {
    expect(r.columns).toEqual(['age', 'systolic_bp']);
    expect(r.n).toBe(both.length);
    const m = r.value as number[][];
    expect(m[0][0]).toBe(1);
    expect(Math.abs(m[0][1] - want)).toBeLessThanOrEqual(2e-3);
    expect(m[1][0]).toBe(m[0][1]);
  }

  // 5. regression of systolic_bp on age, BMI and dose
  await configure(parties, 'regression', { target: 'systolic_bp', features: 'age, bmi, dose', where: '', protection: 'fast' }, 'predictors age, bmi, dose');
  const used = all.filter((p) => p.age !== null && p.bp !== null && p.bmi !== null && p.dose !== null);
  const fit = leastSquares(used.map((p) => [p.age as number, p.bmi as number, p.dose as number]), used.map((p) => p.bp as number));
  for (const r of await run(parties, 'regression')) {
    const v = r.value as { intercept: number; coefficients: Record<string, number>; r2: number; n: number };
    expect(v.n).toBe(used.length);
    (['age', 'bmi', 'dose'] as const).forEach((c, j) => expect(Math.abs(v.coefficients[c] - fit.beta[j])).toBeLessThanOrEqual(1e-3 * Math.abs(fit.beta[j]) + 2e-4));
    expect(Math.abs(v.intercept - fit.intercept)).toBeLessThanOrEqual(1e-3 * Math.abs(fit.intercept) + 0.05);
    expect(Math.abs(v.r2 - fit.r2)).toBeLessThanOrEqual(1.5e-3);
  }
  await closeAll(parties);
});

function pearson(xs: number[], ys: number[]): number {
  const mx = xs.reduce((s, v) => s + v, 0) / xs.length;
  const my = ys.reduce((s, v) => s + v, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  xs.forEach((x, i) => {
    sxy += (x - mx) * (ys[i] - my);
    sxx += (x - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  });
  return sxy / Math.sqrt(sxx * syy);
}

/** Least squares by the centred normal equations, solved by Gaussian elimination with partial pivoting. */
function leastSquares(x: number[][], y: number[]): { beta: number[]; intercept: number; r2: number } {
  const n = y.length;
  const k = x[0].length;
  const mx = Array.from({ length: k }, (_, j) => x.reduce((s, r) => s + r[j], 0) / n);
  const my = y.reduce((s, v) => s + v, 0) / n;
  const a = Array.from({ length: k }, (_, i) => [
    ...Array.from({ length: k }, (_, j) => x.reduce((s, r) => s + (r[i] - mx[i]) * (r[j] - mx[j]), 0)),
    x.reduce((s, r, t) => s + (r[i] - mx[i]) * (y[t] - my), 0),
  ]);
  for (let c = 0; c < k; c++) {
    const p = a.slice(c).reduce((best, row, i) => (Math.abs(row[c]) > Math.abs(a[best][c]) ? i + c : best), c);
    [a[c], a[p]] = [a[p], a[c]];
    for (let i = 0; i < k; i++) {
      if (i === c) continue;
      const f = a[i][c] / a[c][c];
      for (let j = c; j <= k; j++) a[i][j] -= f * a[c][j];
    }
  }
  const beta = a.map((row, i) => row[k] / row[i]);
  const syy = y.reduce((s, v) => s + (v - my) ** 2, 0);
  const ssr = y.reduce((s, v, t) => s + (v - my - beta.reduce((acc, b, j) => acc + b * (x[t][j] - mx[j]), 0)) ** 2, 0);
  return { beta, intercept: my - beta.reduce((s, b, j) => s + b * mx[j], 0), r2: 1 - ssr / syy };
}
