/**
 * Tables end to end (issue 12): three browsers each load a CSV file with a header row,
 * blank and NA cells (one hospital names its blood-pressure column "SBP" and picks it), the
 * host declares the schema in `spec-columns`, and a cross-tab, a correlation and a regression
 * run one after the other in the same room; every tab's data-result equals a plaintext oracle
 * computed here from the same files. The data are fixed (seeded), so the test is
 * deterministic; every wait is on a state (a testid or an attribute), never on time.
 */
import { expect, test, type Page } from '@playwright/test';
import { closeAll, openRoom, type Party } from './parties';

const SCHEMA = `age: number 0..120
sex: category F, M
systolic_bp: number 60..260 decimals 1
bmi: number 10..60 decimals 1
diagnosis: category diabetes, asthma, none`;

interface Patient {
  age: number | null;
  sex: 'F' | 'M';
  bp: number | null;
  bmi: number | null;
  diagnosis: string;
}

function hospital(seed: number, rows: number, noAsthma = false): Patient[] {
  let x = seed >>> 0;
  const rnd = () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  return Array.from({ length: rows }, () => {
    const age = 20 + Math.floor(rnd() * 60);
    const bmi = Math.round((18 + rnd() * 15) * 10) / 10;
    const bp = Math.round((80 + age * 0.7 + bmi * 0.8 + (rnd() - 0.5) * 20) * 10) / 10;
    const r = rnd();
    return {
      age: r < 0.06 ? null : age,
      sex: rnd() < 0.5 ? 'F' : 'M',
      bp: r > 0.94 ? null : bp,
      bmi: rnd() < 0.05 ? null : bmi,
      diagnosis: noAsthma ? (rnd() < 0.4 ? 'diabetes' : 'none') : ['diabetes', 'asthma', 'none'][Math.floor(rnd() * 3)],
    };
  });
}

const FILES = [hospital(11, 40), hospital(22, 30, true), hospital(33, 25)];

function csv(rows: Patient[], bpHeader: string, blank: string): string {
  const cell = (v: number | null) => (v === null ? blank : String(v));
  return [`age,sex,${bpHeader},bmi,diagnosis`, ...rows.map((r) => [cell(r.age), r.sex, cell(r.bp), cell(r.bmi), r.diagnosis].join(','))].join('\n') + '\n';
}
const TEXTS = [csv(FILES[0], 'systolic_bp', ''), csv(FILES[1], 'Systolic BP', 'NA'), csv(FILES[2], 'SBP', '')];

async function load(p: Party, i: number): Promise<void> {
  const page = p.page;
  const ready = page.getByTestId('ready');
  if ((await ready.getAttribute('aria-pressed')) === 'true') await ready.click();
  await expect(ready).toHaveAttribute('aria-pressed', 'false');
  if ((await page.getByTestId('private-input').inputValue()) !== TEXTS[i]) {
    await page.getByTestId('input-file').setInputFiles({ name: `hospital-${i + 1}.csv`, mimeType: 'text/csv', buffer: Buffer.from(TEXTS[i]) });
  }
  if (i === 2) {
    // "SBP" does not match systolic_bp by name: the tab asks, and the person picks it.
    const pick = page.locator('[data-testid="table-column-pick"][data-column="systolic_bp"]');
    await expect(pick).toBeVisible();
    if ((await pick.inputValue()) !== '2') await pick.selectOption('2');
  }
  await expect(page.getByTestId('table-rows')).toHaveAttribute('data-rows', String(FILES[i].length));
  await expect(page.getByTestId('input-error')).toHaveCount(0);
  await ready.click();
  await expect(ready).toHaveAttribute('aria-pressed', 'true');
}

async function resultOf(page: Page, kind: string): Promise<Record<string, unknown>> {
  const result = page.locator(`[data-testid="result"][data-result*='"computation":"${kind}"']`);
  await expect(result).toBeVisible({ timeout: 300_000 });
  return JSON.parse((await result.getAttribute('data-result')) ?? 'null');
}

async function run(parties: Party[], kind: string): Promise<Record<string, unknown>[]> {
  for (const [i, p] of parties.entries()) await load(p, i);
  await expect(parties[0].page.locator('[data-testid="participant"][data-state="ready"]')).toHaveCount(parties.length);
  await parties[0].page.getByTestId('start').click();
  return Promise.all(parties.map((p) => resultOf(p.page, kind)));
}

async function configure(parties: Party[], kind: string, fields: Record<string, string>): Promise<void> {
  const host = parties[0].page;
  await host.getByTestId('computation').selectOption(kind);
  await host.getByTestId('spec-columns').fill(SCHEMA);
  for (const [key, value] of Object.entries(fields)) await host.getByTestId(`spec-${key}`).fill(value);
  await expect(host.getByTestId('spec-error')).toHaveCount(0);
  // guests see the host's rules (from the registry fields) before they press Ready
  const shown = kind === 'crosstab' ? `grouped by ${fields['group-by']}` : kind === 'regression' ? `predictors ${fields.features}` : `columns ${fields.features}`;
  for (const p of parties.slice(1)) await expect(p.page.getByText(`Rules set by the host:`)).toContainText(shown);
}

const all = FILES.flat();

function pearson(a: string, b: string, rows: Patient[]): number {
  const get = (r: Patient, c: string) => (c === 'age' ? r.age : c === 'bmi' ? r.bmi : r.bp);
  const used = rows.filter((r) => get(r, a) !== null && get(r, b) !== null);
  const xs = used.map((r) => get(r, a) as number);
  const ys = used.map((r) => get(r, b) as number);
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

test('three hospitals: a cross-tab, a correlation and a regression from CSV files equal the plaintext oracle in every tab', async ({ browser }) => {
  test.setTimeout(900_000);
  const { parties } = await openRoom(browser, 3, 'crosstab');

  await configure(parties, 'crosstab', { 'group-by': 'sex, diagnosis', value: 'systolic_bp', where: '' });
  const crosstab = await run(parties, 'crosstab');
  const expected = ['F', 'M'].flatMap((sex) =>
    ['diabetes', 'asthma', 'none'].map((diagnosis) => {
      const rows = all.filter((r) => r.sex === sex && r.diagnosis === diagnosis && r.bp !== null);
      const sum = rows.reduce((s, r) => s + Math.round((r.bp as number) * 10), 0) / 10;
      return { group: { sex, diagnosis }, count: rows.length, sum, mean: rows.length ? sum / rows.length : null };
    }),
  );
  for (const r of crosstab) {
    const value = r.value as { group: Record<string, string>; count: number; sum: number; mean: number | null }[];
    expect(value.map((c) => ({ group: c.group, count: c.count }))).toEqual(expected.map((c) => ({ group: c.group, count: c.count })));
    value.forEach((c, i) => {
      expect(c.sum).toBeCloseTo(expected[i].sum, 6);
      if (expected[i].mean === null) expect(c.mean).toBeNull();
      else expect(Math.abs((c.mean as number) - (expected[i].mean as number))).toBeLessThanOrEqual(0.0005 + 1e-9);
    });
  }

  await configure(parties, 'correlation', { features: 'age, systolic_bp, bmi', where: 'diagnosis != asthma' });
  const correlation = await run(parties, 'correlation');
  const filtered = all.filter((r) => r.diagnosis !== 'asthma');
  const names = ['age', 'systolic_bp', 'bmi'];
  const n = filtered.filter((r) => r.age !== null && r.bp !== null && r.bmi !== null).length;
  for (const r of correlation) {
    expect(r.columns).toEqual(names);
    expect(r.n).toBe(n);
    const m = r.value as number[][];
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) {
        const rows = filtered.filter((p) => p.age !== null && p.bp !== null && p.bmi !== null);
        const want = i === j ? 1 : pearson(names[i], names[j], rows);
        expect(Math.abs(m[i][j] - want)).toBeLessThanOrEqual(2e-3);
      }
  }
  await configure(parties, 'regression', { target: 'systolic_bp', features: 'age, bmi', where: '' });
  const regression = await run(parties, 'regression');
  const want = leastSquares(all.filter((p) => p.age !== null && p.bp !== null && p.bmi !== null));
  for (const r of regression) {
    const v = r.value as { intercept: number; coefficients: Record<string, number>; r2: number; n: number };
    expect(v.n).toBe(want.n);
    expect(Math.abs(v.coefficients.age - want.age)).toBeLessThanOrEqual(1e-3 * Math.abs(want.age) + 2e-4);
    expect(Math.abs(v.coefficients.bmi - want.bmi)).toBeLessThanOrEqual(1e-3 * Math.abs(want.bmi) + 2e-4);
    expect(Math.abs(v.intercept - want.intercept)).toBeLessThanOrEqual(1e-3 * Math.abs(want.intercept) + 0.05);
    expect(Math.abs(v.r2 - want.r2)).toBeLessThanOrEqual(1.5e-3);
  }
  await closeAll(parties);
});

/** bp on age and bmi by the normal equations (2×2, solved directly). */
function leastSquares(rows: Patient[]) {
  const n = rows.length;
  const x1 = rows.map((r) => r.age as number);
  const x2 = rows.map((r) => r.bmi as number);
  const y = rows.map((r) => r.bp as number);
  const m = (v: number[]) => v.reduce((a, b) => a + b, 0) / n;
  const [m1, m2, my] = [m(x1), m(x2), m(y)];
  const c = (a: number[], ma: number, b: number[], mb: number) => a.reduce((s, v, i) => s + (v - ma) * (b[i] - mb), 0);
  const [s11, s12, s22, s1y, s2y, syy] = [c(x1, m1, x1, m1), c(x1, m1, x2, m2), c(x2, m2, x2, m2), c(x1, m1, y, my), c(x2, m2, y, my), c(y, my, y, my)];
  const det = s11 * s22 - s12 * s12;
  const age = (s22 * s1y - s12 * s2y) / det;
  const bmi = (s11 * s2y - s12 * s1y) / det;
  return { n, age, bmi, intercept: my - age * m1 - bmi * m2, r2: (age * s1y + bmi * s2y) / syy };
}
