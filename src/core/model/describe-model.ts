/**
 * Plain words for model computations (issue 13): titles, descriptions, what each declared
 * metric reveals, what logistic regression opens per iteration, and the starting spec a host
 * gets when choosing one (the two-companies evaluation / three-hospitals training examples).
 * DOM-free (used by the registry entries, registry-model.ts): the UI and the Node party show the same words.
 */
import { formatWhere } from '../table/filter.ts';
import { parseSchemaText, type TableSchema } from '../table/schema.ts';
import { DEFAULT_ITERATIONS, DEFAULT_RIDGE } from './logistic.ts';
import { type Metric, type ModelKind, type ModelSpec, isClassification, parseModelSpec } from './model-spec.ts';

export const MODEL_LABELS: Record<ModelKind, { title: string; description: string }> = {
  evaluate: {
    title: 'Evaluate a model (AUC, metrics)',
    description: 'Each participant loads a table of model scores and true labels (CSV with a header row). Everyone learns only the metrics the host picked, over all rows together — not the rows, not the score histogram.',
  },
  logistic: {
    title: 'Train a logistic regression',
    description: 'Each participant loads a table (CSV with a header row). Everyone gets the same logistic regression model trained on all rows together, to download as JSON and apply to their own files.',
  },
};

/** What opening each metric implies, in plain words. */
export const METRIC_NOTES: Record<Metric, string> = {
  n: 'n: how many rows all participants evaluated together.',
  confusion: 'the confusion matrix: true/false positives and negatives at the threshold — it reveals the pooled class balance and how many rows were predicted positive.',
  accuracy: 'accuracy: the share of rows classified correctly at the threshold.',
  precision: 'precision: the share of predicted positives that are positive.',
  recall: 'recall: the share of positives predicted positive.',
  f1: 'F1: the harmonic mean of precision and recall.',
  auc: 'ROC-AUC: the chance a positive row scores above a negative one (ties count half), exact on the scores as declared — not the ROC curve itself.',
  prAuc: 'PR-AUC (average precision over every score threshold), exact on the declared scores — not the precision–recall curve.',
  logLoss: 'log-loss: the mean −log of the probability given to the true label (probabilities clipped to 1e−15).',
  brier: 'Brier score: the mean squared difference between the probability and the label.',
  calibration: 'the calibration table: per score bin the mean score and the observed positive rate — an empty bin shows as such, so it reveals which score ranges hold rows.',
  mse: 'MSE: the mean squared error.',
  rmse: 'RMSE: the square root of the MSE.',
  mae: 'MAE: the mean absolute error.',
  r2: 'R²: 1 − MSE / variance of the target; with the MSE it reveals that variance.',
};

export const METRIC_TITLES: Record<Metric, string> = {
  n: 'Rows (n)', confusion: 'Confusion matrix', accuracy: 'Accuracy', precision: 'Precision', recall: 'Recall', f1: 'F1', auc: 'ROC-AUC', prAuc: 'PR-AUC (average precision)',
  logLoss: 'Log-loss', brier: 'Brier score', calibration: 'Calibration', mse: 'MSE', rmse: 'RMSE', mae: 'MAE', r2: 'R²',
};

export const EVALUATE_SCHEMA_TEXT = `score: number 0..1 decimals 2
label: yes/no
site: category north, south`;

export const LOGISTIC_SCHEMA_TEXT = `age: number 18..100
bmi: number 10..60 decimals 1
systolic_bp: number 60..260
outcome: yes/no`;

const schemaOf = (text: string): TableSchema => {
  const s = parseSchemaText(text);
  if (!s.ok) throw new Error('a default model schema does not parse');
  return s.schema;
};

export function defaultModelSpec(kind: ModelKind, previous?: { minParties?: number; protection?: ModelSpec['protection'] }): ModelSpec {
  const room = { ...(previous?.minParties !== undefined ? { minParties: previous.minParties } : {}), ...(previous?.protection !== undefined ? { protection: previous.protection } : {}) };
  if (kind === 'evaluate') return parseModelSpec({ kind, schema: schemaOf(EVALUATE_SCHEMA_TEXT), maxRows: 100_000, target: 'label', score: ['score'], threshold: '0.5', metrics: ['n', 'confusion', 'accuracy', 'precision', 'recall', 'f1', 'auc'], ...room });
  return parseModelSpec({ kind, schema: schemaOf(LOGISTIC_SCHEMA_TEXT), maxRows: 10_000, target: 'outcome', features: ['age', 'bmi', 'systolic_bp'], ...room });
}

export function modelRevealNotes(spec: ModelSpec, parties: number): { reveals: string[]; warnings: string[] } {
  const where = spec.where.length ? ` among the rows where ${formatWhere(spec.where)}` : '';
  const reveals = ['Your table never leaves this tab: only random-looking shares of counts and sums over your rows are sent.'];
  const warnings: string[] = [];
  if (spec.kind === 'evaluate') {
    const models = spec.score.length === 2 ? `models ${spec.score[0]} and ${spec.score[1]} (and their difference)` : `the model ${spec.score[0]}`;
    reveals.push(`Everyone learns, for ${models} against ${spec.target}${spec.groupBy ? `, over all rows and per value of ${spec.groupBy}` : ''}${where}, only:`);
    for (const m of spec.metrics) reveals.push(`• ${METRIC_NOTES[m]}${m === 'confusion' || m === 'accuracy' || m === 'precision' || m === 'recall' || m === 'f1' ? ` (threshold ${spec.threshold})` : ''}`);
    reveals.push('Not the scores, not the pooled score histogram, not any participant’s own counts or how many rows each has.');
    if (spec.groupBy) warnings.push(`Per-${spec.groupBy} results over few rows say a lot about those rows; a group with no rows shows as empty.`);
    if (isClassification(spec) && spec.metrics.includes('confusion') && parties === 2) warnings.push('With 2 participants, each of you can subtract your own confusion counts and learn the other’s.');
    else if (parties === 2) warnings.push('With 2 participants, each of you can take your own rows out of these metrics and learn about the other’s rows (n minus your rows is their row count).');
  } else {
    reveals.push(`Everyone learns the logistic regression of ${spec.target} on ${spec.features.join(', ')}${where} (intercept and coefficients, as a downloadable model) and how many rows were used (n).`);
    reveals.push(`Also opened, declared here: the model after each iteration, up to ${spec.iterations ?? DEFAULT_ITERATIONS} (every tab needs it to compute its own gradient; the run stops once a step moves every weight by less than 0.00001), and whether both classes occur.`);
    reveals.push('Not the gradients (only each step, scaled by a secret bound), the feature cross products or anything per participant.');
    reveals.push(`Ridge penalty λ = ${spec.ridge ?? DEFAULT_RIDGE} on the features scaled by their declared bounds.`);
    if (parties === 2) warnings.push('With 2 participants, whoever knows their own rows learns how the other’s rows move the model.');
  }
  reveals.push(`Each participant contributes at most ${spec.maxRows.toLocaleString('en')} rows; how many each uses stays secret.`);
  return { reveals, warnings };
}
