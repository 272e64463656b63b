/**
 * The registry entries (computations/registry-types.ts) of the model computations of issue
 * 13: `evaluate` and `logistic`, in the room through computations/registry.ts. They take a
 * table exactly as the table kinds do (table/registry-table.ts): the frame fields plus their
 * own, the host's texts through `tableDraft`, the read-back through `readTable`
 * (`tableReadSummary` of `readCsvFor`), and the payload `data: { csv, chosen }` read again in
 * the worker by `parseInput` (`tableOfPayload`). Row counts stay private (announced as 0).
 * Security: parseSpec (parseModelSpec) and parseInput (the same reader, in the worker) are the
 * trust boundary: nothing the page parsed is used.
 */
import { type BaseSpec, type ComputationDefinition, DEFAULT_ROUND_TIMEOUT_MS, type SpecField, type SpecParse, defineComputation } from '../computations/registry-types.ts';
import { FRAME_FIELDS, MAX_ROWS_FIELD, WHERE_FIELD, tableDraft, tableOfPayload, tableReadSummary } from '../table/registry-table.ts';
import type { ReadTable } from '../table/run-table.ts';
import { MODEL_LABELS, defaultModelSpec, modelRevealNotes } from './describe-model.ts';
import { type EvaluateOutput, runEvaluation } from './evaluate.ts';
import { DEFAULT_ITERATIONS, type LogisticOutput, runLogistic } from './logistic.ts';
import { modelRows, readModelTable } from './model-input.ts';
import { CLASSIFICATION_METRICS, type EvaluateSpec, type LogisticSpec, type ModelSpec, REGRESSION_METRICS, parseModelSpec } from './model-spec.ts';

function parseAs<S extends ModelSpec>(kind: S['kind'], raw: unknown): SpecParse<S> {
  if (typeof raw !== 'object' || raw === null || (raw as { kind?: unknown }).kind !== kind) return { ok: false, error: `kind must be ${kind}` };
  try {
    return { ok: true, spec: parseModelSpec(raw) as S };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

const list = (text: string | undefined): string[] => (text ?? '').split(/[,;\s]+/).map((t) => t.trim()).filter(Boolean);
const opt = (key: string, text: string | undefined, as: (t: string) => unknown = (t) => t): Record<string, unknown> => ((text ?? '').trim() ? { [key]: as((text ?? '').trim()) } : {});
/** A whole number as typed ("300"), NaN otherwise (the parser then names the field). */
const whole = (t: string): number => (/^\d+$/.test(t) ? Number(t) : Number.NaN);

/** Timeouts: one round may wait for a peer's local pass over up to maxRows rows. */
const timeoutMs = (spec: ModelSpec): number => DEFAULT_ROUND_TIMEOUT_MS + spec.maxRows / 50;

const LABEL_FIELDS: readonly SpecField[] = [
  { key: 'target', label: 'Label (true outcome)', hint: 'A yes/no or two-class column (classification), or a number column (regression metrics, evaluate only).', type: 'text', summary: 'label' },
  { key: 'positive', label: 'Positive class (optional)', hint: 'For a two-class category label: which value counts as positive (default: the second).', type: 'text', optional: true, summary: 'positive class' },
];

const EVALUATE_FIELDS: readonly SpecField[] = [
  { key: 'score', label: 'Score column(s)', hint: 'The model’s score or probability; two columns, separated by a comma, compare model A with model B on the same rows.', type: 'text', summary: 'score' },
  { key: 'metrics', label: 'Metrics opened', hint: `Only these are revealed. Classification: ${CLASSIFICATION_METRICS.join(', ')}; regression: ${REGRESSION_METRICS.join(', ')}.`, type: 'list', summary: 'metrics' },
  { key: 'threshold', label: 'Threshold', hint: 'Predicted positive when the score ≥ threshold (confusion matrix, accuracy, precision, recall, F1).', type: 'decimal', optional: true, summary: 'threshold' },
  { key: 'group-by', label: 'Also per value of (optional)', hint: 'A category or yes/no column, e.g. site or sex: every metric per value (fairness slices).', type: 'text', optional: true, summary: 'per value of' },
  { key: 'calibration-bins', label: 'Calibration bins (optional)', hint: 'Equal-width score bins of the calibration table, 2..20 (default 10).', type: 'integer', optional: true, summary: 'calibration bins' },
];

const LOGISTIC_FIELDS: readonly SpecField[] = [
  { key: 'features', label: 'Features', hint: 'Up to 20 number columns, separated by commas.', type: 'text', summary: 'features' },
  { key: 'iterations', label: 'Most iterations (optional)', hint: `1..500 (default ${DEFAULT_ITERATIONS}); the run stops earlier once the model stops moving.`, type: 'integer', optional: true, summary: 'iterations at most' },
  { key: 'ridge', label: 'Ridge penalty λ (optional)', hint: 'e.g. 0.001 (the default) on the features scaled by their declared bounds.', type: 'decimal', optional: true, summary: 'ridge λ' },
];

const evaluateDraft = tableDraft<EvaluateSpec>(
  (s) => ({ target: s.target, positive: s.positive ?? '', score: s.score.join(', '), metrics: s.metrics.join(', '), threshold: s.threshold ?? '', 'group-by': s.groupBy ?? '', 'calibration-bins': s.calibrationBins !== undefined ? String(s.calibrationBins) : '' }),
  (d) => ({
    target: (d.target ?? '').trim(),
    score: list(d.score),
    ...opt('positive', d.positive),
    ...((d.metrics ?? '').trim() ? { metrics: list(d.metrics) } : {}),
    ...opt('threshold', d.threshold),
    ...opt('groupBy', d['group-by']),
    ...opt('calibrationBins', d['calibration-bins'], whole),
  }),
  (raw) => parseAs<EvaluateSpec>('evaluate', raw),
);

const logisticDraft = tableDraft<LogisticSpec>(
  (s) => ({ target: s.target, positive: s.positive ?? '', features: s.features.join(', '), iterations: s.iterations !== undefined ? String(s.iterations) : '', ridge: s.ridge ?? '' }),
  (d) => ({ target: (d.target ?? '').trim(), features: list(d.features), ...opt('positive', d.positive), ...opt('iterations', d.iterations, whole), ...opt('ridge', d.ridge) }),
  (raw) => parseAs<LogisticSpec>('logistic', raw),
);

/** The entry fields shared by both kinds: the table input, private row counts. */
function tableShaped<S extends ModelSpec>(kind: S['kind']) {
  const parse = (raw: unknown) => parseAs<S>(kind, raw);
  return {
    kind,
    ...MODEL_LABELS[kind],
    inputShape: 'own-card' as const,
    fieldsOpen: true,
    sameCount: false,
    parseSpec: parse,
    defaultSpec(previous?: BaseSpec): S {
      return defaultModelSpec(kind, previous) as S;
    },
    // Row counts are private: a participant announces 0 and commits its counts as secrets.
    readTable: (text: string, spec: S, chosen: Readonly<Record<string, number>>) => tableReadSummary(readModelTable(text, spec, chosen), () => 0),
    parseInput: (payload: { data?: unknown }, spec: S) => tableOfPayload(payload, spec, (t) => modelRows(spec, t)),
    reveals: (spec: S, parties: number) => modelRevealNotes(spec, parties),
    timeoutMs,
  };
}

export const MODEL_COMPUTATIONS = [
  defineComputation<EvaluateSpec, ReadTable, EvaluateOutput>({
    ...tableShaped<EvaluateSpec>('evaluate'),
    fields: [...FRAME_FIELDS, ...LABEL_FIELDS, ...EVALUATE_FIELDS, WHERE_FIELD, MAX_ROWS_FIELD],
    draft: evaluateDraft,
    run: (ctx, spec, table) => {
      ctx.progress({ phase: 'computing' });
      return runEvaluation(ctx.backend(), spec, table);
    },
    cost: () => ({ summary: 'A few hundred rounds: one oblivious division per declared ratio (batched), after one round of committed per-score counts.' }),
  }),
  defineComputation<LogisticSpec, ReadTable, LogisticOutput>({
    ...tableShaped<LogisticSpec>('logistic'),
    fields: [...FRAME_FIELDS, ...LABEL_FIELDS, ...LOGISTIC_FIELDS, WHERE_FIELD, MAX_ROWS_FIELD],
    draft: logisticDraft,
    run: (ctx, spec, table) => {
      ctx.progress({ phase: 'computing' });
      return runLogistic(ctx.backend(), spec, table);
    },
    cost: (spec) => ({ summary: `About 150 rounds for the diagonal bound (one batched division), then 4 rounds per iteration (one secure sum, one product, one opening), at most ${spec.iterations ?? DEFAULT_ITERATIONS} iterations.` }),
  }),
] as const satisfies readonly ComputationDefinition<ModelSpec, ReadTable, EvaluateOutput | LogisticOutput>[];
