/**
 * Browser cases for the table and model computations (issues 12 and 13: "in the browser from
 * Start to result", beside the plaintext time), for bench/browser.ts. The host fills the
 * room's fields as a person would (`configure`), every tab drops its CSV on the table card,
 * and the time is Start → the result in every tab. Sizes are the issues' targets:
 * - table crosstab 2x10 / correlation 5 columns / regression 10 features, 3 × 10,000 rows
 *   (targets < 2 s, < 3 s, < 5 s);
 * - evaluate 3 × 100,000 predictions, ROC-AUC + confusion matrix (< 5 s);
 * - logistic 3 × 10,000 rows × 20 features to convergence (< 30 s);
 * - mlp: one federated-averaging round of a 10,011-weight MLP, N = 5, 200 rows each (< 2 s).
 * Data are the Node bench's (bench/cases/table.ts, model.ts): seeded, so every run is the same.
 */
import type { Page } from '@playwright/test';
import { plainNewton } from './model';

export interface BrowserCase {
  name: string;
  parties: number;
  computation: string;
  /** The host's fields, after the room is open and before anyone loads a table. */
  configure?: (host: Page) => Promise<void>;
  inputs?: (n: number) => string[];
  plaintext?: (inputs: string[]) => unknown;
}

const rng = (seed: number) => {
  let x = seed >>> 0;
  return () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32);
};

async function fill(host: Page, fields: Record<string, string>): Promise<void> {
  for (const [key, value] of Object.entries(fields)) await host.getByTestId(`spec-${key}`).fill(value);
  if ((await host.getByTestId('spec-error').count()) > 0) throw new Error(`spec refused: ${await host.getByTestId('spec-error').first().textContent()}`);
}

/** Parsed number columns of the pooled CSVs (header dropped). */
const pooled = (inputs: string[], cols: number): number[][] =>
  inputs.flatMap((t) => t.trim().split('\n').slice(1).map((line) => line.split(',').slice(0, cols).map(Number)));

// ---- tables (issue 12) ----

const CITIES = Array.from({ length: 10 }, (_, i) => `c${i}`);
const ROWS = 10_000;

function tableCsvs(n: number, m: number): string[] {
  const xs = Array.from({ length: m }, (_, j) => `x${j}`);
  return Array.from({ length: n }, (_, p) => {
    const r = rng(700 + p);
    const lines = [[...xs, 'sex', 'city'].join(',')];
    for (let i = 0; i < ROWS; i++) {
      const base = r() * 50;
      lines.push([...xs.map((_, j) => (Math.round((base + (r() * 50 * (j + 1)) / m) * 10) / 10).toFixed(1)), r() < 0.5 ? 'F' : 'M', CITIES[Math.floor(r() * 10)]].join(','));
    }
    return lines.join('\n') + '\n';
  });
}

const tableSchema = (m: number) => [...Array.from({ length: m }, (_, j) => `x${j}: number 0..100 decimals 1`), 'sex: category F, M', `city: category ${CITIES.join(', ')}`].join('\n');

/** Sums, cross products and n of the first m columns: what every table statistic here is a function of. */
function moments(rows: number[][], m: number): { s: Float64Array; q: Float64Array } {
  const s = new Float64Array(m);
  const q = new Float64Array(m * m);
  for (const row of rows)
    for (let i = 0; i < m; i++) {
      s[i] += row[i];
      for (let j = i; j < m; j++) q[i * m + j] += row[i] * row[j];
    }
  return { s, q };
}

const tableCases: BrowserCase[] = [
  {
    name: 'table crosstab 2x10 of 10000 rows each',
    parties: 3,
    computation: 'crosstab',
    configure: (host) => fill(host, { columns: tableSchema(1), 'group-by': 'sex, city', value: 'x0', where: '' }),
    inputs: (n) => tableCsvs(n, 1),
    plaintext: (inputs) => {
      const cells = new Map<string, { count: number; sum: number }>();
      for (const t of inputs)
        for (const line of t.trim().split('\n').slice(1)) {
          const [x, sex, city] = line.split(',');
          const c = cells.get(sex + city) ?? { count: 0, sum: 0 };
          c.count++;
          c.sum += Number(x);
          cells.set(sex + city, c);
        }
      return [...cells.values()].map((c) => c.sum / c.count);
    },
  },
  {
    name: 'table correlation 5 columns of 10000 rows each',
    parties: 3,
    computation: 'correlation',
    configure: (host) => fill(host, { columns: tableSchema(5), features: 'x0, x1, x2, x3, x4', where: '' }),
    inputs: (n) => tableCsvs(n, 5),
    plaintext: (inputs) => moments(pooled(inputs, 5), 5),
  },
  {
    name: 'table regression 10 features of 10000 rows each',
    parties: 3,
    computation: 'regression',
    configure: (host) => fill(host, { columns: tableSchema(11), target: 'x10', features: Array.from({ length: 10 }, (_, j) => `x${j}`).join(', '), where: '' }),
    inputs: (n) => tableCsvs(n, 11),
    plaintext: (inputs) => moments(pooled(inputs, 11), 11),
  },
];

// ---- models (issue 13) ----

function evaluateCsvs(n: number, rows: number): string[] {
  return Array.from({ length: n }, (_, p) => {
    const r = rng(100 + p);
    const lines = ['score,label'];
    for (let i = 0; i < rows; i++) {
      const y = r() < 0.3 ? 1 : 0;
      lines.push(`${(Math.round(Math.min(1, Math.max(0, 0.3 + 0.3 * y + (r() - 0.5) * 0.7)) * 1000) / 1000).toFixed(3)},${y ? 'yes' : 'no'}`);
    }
    return lines.join('\n') + '\n';
  });
}

const FEATURES = Array.from({ length: 20 }, (_, j) => `x${j}`);
const featureSchema = FEATURES.map((c) => `${c}: number -5..5 decimals 2`).concat('y: yes/no').join('\n');

function logisticCsvs(n: number): string[] {
  const beta = FEATURES.map((_, j) => ((j % 5) - 2) * 0.4);
  return Array.from({ length: n }, (_, p) => {
    const r = rng(200 + p);
    const lines = [[...FEATURES, 'y'].join(',')];
    for (let i = 0; i < ROWS; i++) {
      const x = FEATURES.map(() => Math.round((r() * 6 - 3) * 100) / 100);
      const z = x.reduce((a, v, j) => a + v * beta[j], 0.2);
      lines.push([...x.map((v) => v.toFixed(2)), r() < 1 / (1 + Math.exp(-z)) ? 'yes' : 'no'].join(','));
    }
    return lines.join('\n') + '\n';
  });
}

function mlpCsvs(n: number, rows: number): string[] {
  return Array.from({ length: n }, (_, p) => {
    const r = rng(300 + p);
    const lines = [[...FEATURES, 'y'].join(',')];
    for (let i = 0; i < rows; i++) {
      const x = FEATURES.map(() => Math.round((r() * 10 - 5) * 100) / 100);
      lines.push([...x.map((v) => v.toFixed(2)), x[0] * x[1] > 0 ? 'yes' : 'no'].join(','));
    }
    return lines.join('\n') + '\n';
  });
}

const modelCases: BrowserCase[] = [
  {
    name: 'evaluate 100000 predictions each (AUC + confusion)',
    parties: 3,
    computation: 'evaluate',
    configure: (host) => fill(host, { columns: 'score: number 0..1 decimals 3\nlabel: yes/no', target: 'label', score: 'score', metrics: 'auc, confusion', threshold: '0.5', where: '', 'max-rows': '100000' }),
    inputs: (n) => evaluateCsvs(n, 100_000),
    plaintext: (inputs) => {
      const pos = new Float64Array(1001);
      const neg = new Float64Array(1001);
      for (const t of inputs)
        for (const line of t.trim().split('\n').slice(1)) {
          const [s, y] = line.split(',');
          (y === 'yes' ? pos : neg)[Math.round(Number(s) * 1000)]++;
        }
      let below = 0;
      let u = 0;
      for (let s = 0; s <= 1000; s++) {
        u += pos[s] * (below + neg[s] / 2);
        below += neg[s];
      }
      return u;
    },
  },
  {
    name: 'logistic 10000 rows x 20 features each',
    parties: 3,
    computation: 'logistic',
    configure: (host) => fill(host, { columns: featureSchema, target: 'y', features: FEATURES.join(', '), where: '' }),
    inputs: (n) => logisticCsvs(n),
    plaintext: (inputs) => {
      const rows = inputs.flatMap((t) => t.trim().split('\n').slice(1).map((l) => l.split(',')));
      return plainNewton(rows.map((c) => [1, ...c.slice(0, 20).map((v) => Number(v) / 5)]), rows.map((c) => (c[20] === 'yes' ? 1 : 0)));
    },
  },
  {
    name: 'mlp 10011 weights 1 round 200 rows each',
    parties: 5,
    computation: 'mlp',
    configure: (host) => fill(host, { columns: featureSchema, target: 'y', features: FEATURES.join(', '), hidden: '455', rounds: '1', epochs: '1', 'learning-rate': '0.05', clip: '1', where: '', 'max-rows': '200' }),
    inputs: (n) => mlpCsvs(n, 200),
  },
];

export const TABLE_MODEL_CASES: BrowserCase[] = [...tableCases, ...modelCases];
