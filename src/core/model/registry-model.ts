/**
 * The registry entries (computations/registry-types.ts) of the model computations of issue
 * 13: `evaluate` and `logistic`. Input is a table (inputShape 'own-card': the CSV and column
 * picks travel as `data: { csv, chosen }` and are read again here, in the worker), like the
 * table computations. Not yet listed in computations/registry.ts: the room's table input
 * card (issue 12, src/ui/features/table) is what fills `data`; adding
 * `...MODEL_COMPUTATIONS` there is the one line that puts both kinds in the room once that
 * card serves any spec with a schema.
 * Security: parseSpec (parseModelSpec) and parseInput (readModelTable) are the trust boundary.
 */
import { MpcError } from '../errors.ts';
import type { ReadTable } from '../table/run-table.ts';
import { type ComputationDefinition, DEFAULT_ROUND_TIMEOUT_MS, type SpecParse, defineComputation } from '../computations/registry-types.ts';
import { MODEL_LABELS, defaultModelSpec, modelRevealNotes } from './describe-model.ts';
import { type EvaluateOutput, runEvaluation } from './evaluate.ts';
import { DEFAULT_ITERATIONS, type LogisticOutput, runLogistic } from './logistic.ts';
import { readModelTable } from './model-input.ts';
import { type EvaluateSpec, type LogisticSpec, type ModelSpec, parseModelSpec } from './model-spec.ts';

/** A table payload: the CSV text and the person's column picks. */
export interface TableData {
  csv: string;
  chosen: Readonly<Record<string, number>>;
}

function parseAs<S extends ModelSpec>(kind: S['kind'], raw: unknown): SpecParse<S> {
  if (typeof raw !== 'object' || raw === null || (raw as { kind?: unknown }).kind !== kind) return { ok: false, error: `kind must be ${kind}` };
  try {
    return { ok: true, spec: parseModelSpec(raw) as S };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

function readInput(payload: { data?: unknown }, spec: ModelSpec): ReadTable {
  const d = payload.data as Partial<TableData> | undefined;
  if (!d || typeof d.csv !== 'string' || typeof d.chosen !== 'object' || d.chosen === null) throw new MpcError('INVALID_ARGUMENT', 'a model computation needs this participant’s table (CSV text and column picks)');
  const read = readModelTable(d.csv, spec, d.chosen);
  if (!read.ok) throw new MpcError('INVALID_ARGUMENT', read.error);
  return read.table;
}

/** Timeouts: one round may wait for a peer's local pass over up to maxRows rows. */
const timeoutMs = (spec: ModelSpec): number => DEFAULT_ROUND_TIMEOUT_MS + spec.maxRows / 50;

export const MODEL_COMPUTATIONS = [
  defineComputation<EvaluateSpec, ReadTable, EvaluateOutput>({
    kind: 'evaluate',
    ...MODEL_LABELS.evaluate,
    inputShape: 'own-card',
    fields: [],
    sameCount: false,
    parseSpec: (raw) => parseAs<EvaluateSpec>('evaluate', raw),
    defaultSpec: (previous) => defaultModelSpec('evaluate', previous) as EvaluateSpec,
    parseInput: (payload, spec) => readInput(payload, spec),
    run: (ctx, spec, table) => {
      ctx.progress({ phase: 'computing' });
      return runEvaluation(ctx.backend(), spec, table);
    },
    reveals: (spec, parties) => modelRevealNotes(spec, parties),
    cost: () => ({ summary: 'A few hundred rounds: one oblivious division per declared ratio (batched), after one round of committed per-score counts.' }),
    timeoutMs,
  }),
  defineComputation<LogisticSpec, ReadTable, LogisticOutput>({
    kind: 'logistic',
    ...MODEL_LABELS.logistic,
    inputShape: 'own-card',
    fields: [],
    sameCount: false,
    parseSpec: (raw) => parseAs<LogisticSpec>('logistic', raw),
    defaultSpec: (previous) => defaultModelSpec('logistic', previous) as LogisticSpec,
    parseInput: (payload, spec) => readInput(payload, spec),
    run: (ctx, spec, table) => {
      ctx.progress({ phase: 'computing' });
      return runLogistic(ctx.backend(), spec, table);
    },
    reveals: (spec, parties) => modelRevealNotes(spec, parties),
    cost: (spec) => ({ summary: `About 150 rounds for the diagonal bound (one batched division), then 4 rounds per iteration (one secure sum, one product, one opening), at most ${spec.iterations ?? DEFAULT_ITERATIONS} iterations.` }),
    timeoutMs,
  }),
] as const satisfies readonly ComputationDefinition<ModelSpec, ReadTable, EvaluateOutput | LogisticOutput>[];
