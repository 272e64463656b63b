/**
 * Public surface of model computations (issue 13): joint evaluation and logistic
 * regression on the table input, federated averaging of a small MLP, the downloadable model
 * and "score my file".
 */
import type { Backend } from '../backend/types.ts';
import type { ReadTable } from '../table/run-table.ts';
import { type EvaluateOutput, runEvaluation } from './evaluate.ts';
import { type LogisticOutput, runLogistic } from './logistic.ts';
import type { ModelSpec } from './model-spec.ts';
import type { MlpOutput } from './fedavg.ts';

export { type CalibrationRow, type Confusion, type EvalMetrics, type EvalSlice, type EvaluateOutput, runEvaluation } from './evaluate.ts';
export { type FeatureScaling, type LogisticModel, type LogisticOutput, DEFAULT_ITERATIONS, DEFAULT_RIDGE, predictLogistic, runLogistic } from './logistic.ts';
export { CLASSIFICATION_METRICS, MODEL_KINDS, REGRESSION_METRICS, type EvaluateSpec, type LogisticSpec, type Metric, type ModelKind, type ModelSpec, binaryLabel, isClassification, modelColumns, parseModelSpec } from './model-spec.ts';
export { type ModelInputRead, readModelTable } from './model-input.ts';
export { type ScoredFile, parseModelJson, scoreCsv, scoreCsvWith } from './score-file.ts';
export { type MlpModel, type MlpOutput, predictMlp, runFedAvg } from './fedavg.ts';
export { type MlpSpec, parseMlpSpec } from './mlp-spec.ts';

export type ModelOutput = EvaluateOutput | LogisticOutput | MlpOutput;

export const isModelKind = (kind: unknown): kind is ModelSpec['kind'] | 'mlp' => kind === 'evaluate' || kind === 'logistic' || kind === 'mlp';
export const isModelOutput = (o: { kind: string }): o is ModelOutput => isModelKind(o.kind);

export function runModelComputation(b: Backend, spec: ModelSpec, table: ReadTable): Promise<ModelOutput> {
  return spec.kind === 'evaluate' ? runEvaluation(b, spec, table) : runLogistic(b, spec, table);
}

/** The `data-result` JSON (DESIGN §6): evaluate `{ value: { auc, accuracy, confusion, … } }`, logistic `{ value: { intercept, coefficients, n } }`, mlp `{ value: { n, rounds, hidden, weights }, model }`. */
export function modelResultJson(output: ModelOutput): Record<string, unknown> {
  if (output.kind === 'mlp') return { computation: 'mlp', value: output.value, model: output.model };
  if (output.kind === 'logistic') return { computation: 'logistic', value: output.value, model: output.model };
  const { kind: _kind, ...rest } = output;
  return { computation: 'evaluate', ...rest };
}
