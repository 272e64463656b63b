/**
 * "Score my file" (issue 13): a downloaded model (JSON: features, scaling, weights; logistic
 * or the FedAvg MLP through `scoreCsvWith`) applied to a participant's own CSV in the tab. `parseModelJson` is the one validator for a
 * model file (it may come from anywhere); `scoreCsv` maps the model's features to the file's
 * headers by name (the same normal form as the table reader) and returns one probability per
 * row, or says which rows it could not score and why. Local only: nothing leaves the tab.
 */
import { MpcError } from '../errors.ts';
import { detectDelimiter, parseCsv, toCsv } from '../psi/csv.ts';
import { headerKey } from '../table/read-table.ts';
import { type LogisticModel, predictLogistic } from './logistic.ts';

const fail = (message: string): never => {
  throw new MpcError('INVALID_ARGUMENT', message);
};
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function parseModelJson(text: string): LogisticModel {
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch {
    fail('the model file is not JSON');
  }
  if (typeof o !== 'object' || o === null) fail('the model file must hold a JSON object');
  const m = o as Record<string, unknown>;
  if (m.type !== 'logistic-regression') fail('this is not a Parley logistic-regression model (type must be "logistic-regression")');
  if (!Array.isArray(m.features) || m.features.length < 1) fail('the model lists no features');
  const features = (m.features as unknown[]).map((f) => {
    const x = f as Record<string, unknown>;
    if (typeof x?.name !== 'string' || !finite(x.center) || !finite(x.scale) || x.scale <= 0) fail('each feature needs a name, a center and a positive scale');
    return { name: x.name as string, center: x.center as number, scale: x.scale as number };
  });
  if (!Array.isArray(m.weights) || m.weights.length !== features.length + 1 || !m.weights.every(finite)) fail(`the model needs ${features.length + 1} numeric weights (intercept first)`);
  return { ...(m as unknown as LogisticModel), features, weights: m.weights as number[] };
}

export interface ScoredFile {
  /** One probability per data row (null where the row could not be scored). */
  scores: (number | null)[];
  /** The file with a `p_<positive>` column appended, ready to download. */
  csv: string;
  skipped: { row: number; reason: string }[];
}

/** What scoring needs of any downloaded model (logistic, MLP): its features by name, its positive class and its prediction on raw values. */
export interface Scorer {
  features: readonly { name: string }[];
  positive: string;
}

export function scoreCsv(model: LogisticModel, text: string): ScoredFile {
  return scoreCsvWith(model, text, (x) => predictLogistic(model, x));
}

/** Any model's probabilities for the rows of `text` (features matched to headers by name). */
export function scoreCsvWith(model: Scorer, text: string, predict: (x: number[]) => number): ScoredFile {
  const rows = parseCsv(text, detectDelimiter(text));
  if (rows.length < 2) fail('the file needs a header row and at least one row');
  const headers = rows[0];
  const idx = model.features.map((f) => {
    const hits = headers.flatMap((h, i) => (headerKey(h) === headerKey(f.name) ? [i] : []));
    if (hits.length !== 1) fail(hits.length ? `the file has two columns named like ${f.name}` : `the file has no column ${f.name} (the model needs ${model.features.map((x) => x.name).join(', ')})`);
    return hits[0];
  });
  const skipped: ScoredFile['skipped'] = [];
  const scores = rows.slice(1).map((r, i) => {
    const x = idx.map((j) => Number((r[j] ?? '').trim()));
    const bad = idx.findIndex((j, k) => (r[j] ?? '').trim() === '' || !Number.isFinite(x[k]));
    if (bad >= 0) {
      skipped.push({ row: i + 2, reason: `${model.features[bad].name} is blank or not a number` });
      return null;
    }
    return predict(x);
  });
  const column = `p_${model.positive}`;
  const csv = toCsv([[...headers, column], ...rows.slice(1).map((r, i) => [...r, scores[i] === null ? '' : scores[i]!.toFixed(6)])]);
  return { scores, csv, skipped };
}
