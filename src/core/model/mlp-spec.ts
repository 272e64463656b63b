/**
 * The `mlp` computation's spec (issue 13, federated averaging): what the host declares on top
 * of the table frame (schema, where, maxRows — model-spec.ts `checkFrame`). Public, validated
 * here, part of the agreed digest.
 *
 * - target: yes/no, two-value category or 0..1 whole-number column (as logistic);
 * - features: 1..20 number columns, scaled by their declared bounds to [−1, 1];
 * - hidden: width of the one hidden layer (1..512; weights ≤ MAX_MLP_WEIGHTS);
 * - rounds (1..100), epochs per round (1..20), learningRate (decimal 0.0001..5), seed (the
 *   public initial model, 0..2^31−1);
 * - clip: every weight of a party's update is clipped to [−clip, clip] before the secure
 *   sum, and the MPC input bounds are exactly that: the declared sensitivity of one party.
 * Security: none (public data).
 */
import { MpcError } from '../errors.ts';
import { schemaColumn } from '../table/schema.ts';
import { filterColumns } from '../table/filter.ts';
import { type LogisticSpec, MAX_FEATURES, binaryLabel, checkFrame, numberColumn } from './model-spec.ts';
import { mlpWeightCount } from './mlp-train.ts';

export const MAX_HIDDEN = 512;
export const MAX_MLP_WEIGHTS = 20_000;
export const MAX_ROUNDS = 100;
export const MAX_EPOCHS = 20;
export const MLP_DEFAULTS = { hidden: 16, rounds: 10, epochs: 2, learningRate: '0.1', clip: '1', seed: 1 } as const;

/** The frame, label and features as logistic regression declares them, plus the network's own fields. */
export interface MlpSpec extends Omit<LogisticSpec, 'kind' | 'iterations' | 'ridge'> {
  kind: 'mlp';
  hidden: number;
  rounds: number;
  epochs: number;
  learningRate: string;
  clip: string;
  seed: number;
}

const fail = (message: string): never => {
  throw new MpcError('INVALID_ARGUMENT', message);
};

function wholeIn(o: Record<string, unknown>, key: string, what: string, lo: number, hi: number, dflt: number): number {
  const v = o[key] ?? dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) fail(`${what} must be a whole number ${lo}..${hi.toLocaleString('en')}`);
  return v as number;
}

function decimalIn(o: Record<string, unknown>, key: string, what: string, lo: number, hi: number, dflt: string): string {
  const v = o[key] ?? dflt;
  if (typeof v !== 'string' || !/^\d+(\.\d{1,6})?$/.test(v.trim()) || Number(v) < lo || Number(v) > hi) fail(`${what} must be a decimal number ${lo}..${hi} with at most 6 decimals`);
  return (v as string).trim();
}

/** Validates an mlp spec from a peer, the link or the editor. Throws MpcError naming the field. */
export function parseMlpSpec(raw: unknown): MlpSpec {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('an mlp spec must be an object');
  const o = raw as Record<string, unknown>;
  if (o.kind !== 'mlp') fail('kind must be mlp');
  const frame = checkFrame(o, ['kind', 'schema', 'where', 'maxRows', 'target', 'positive', 'features', 'hidden', 'rounds', 'epochs', 'learningRate', 'clip', 'seed']);
  const { schema } = frame;
  if (typeof o.target !== 'string') fail('name the label column (yes/no or two classes)');
  const t = schemaColumn(schema, o.target as string);
  if (o.positive !== undefined && typeof o.positive !== 'string') fail('the positive class is a category value');
  const label = binaryLabel(t, o.positive as string | undefined);
  if (!label) fail(`the network needs a yes/no or two-class label; ${t.name} is a number column`);
  if (!Array.isArray(o.features) || o.features.length < 1 || o.features.length > MAX_FEATURES) fail(`the network takes 1..${MAX_FEATURES} number features`);
  const features = (o.features as unknown[]).map((f) => numberColumn(schema, f, 'a feature').name);
  if (new Set(features).size !== features.length) fail('a feature is listed twice');
  if (features.includes(t.name)) fail('the label cannot be a feature');
  const hidden = wholeIn(o, 'hidden', 'the hidden layer width', 1, MAX_HIDDEN, MLP_DEFAULTS.hidden);
  const weights = mlpWeightCount(features.length, hidden);
  if (weights > MAX_MLP_WEIGHTS) fail(`${features.length} features × ${hidden} hidden units make ${weights.toLocaleString('en')} weights; at most ${MAX_MLP_WEIGHTS.toLocaleString('en')}`);
  const spec: MlpSpec = {
    kind: 'mlp',
    ...frame,
    target: t.name,
    features,
    hidden,
    rounds: wholeIn(o, 'rounds', 'rounds', 1, MAX_ROUNDS, MLP_DEFAULTS.rounds),
    epochs: wholeIn(o, 'epochs', 'epochs per round', 1, MAX_EPOCHS, MLP_DEFAULTS.epochs),
    learningRate: decimalIn(o, 'learningRate', 'the learning rate', 0.0001, 5, MLP_DEFAULTS.learningRate),
    clip: decimalIn(o, 'clip', 'the clip bound', 0.001, 100, MLP_DEFAULTS.clip),
    seed: wholeIn(o, 'seed', 'the seed', 0, 2 ** 31 - 1, MLP_DEFAULTS.seed),
  };
  if (t.type === 'category') spec.positive = label!.positive;
  return spec;
}

/** Columns whose cells must be valid for a row to count. */
export const mlpColumns = (spec: MlpSpec): string[] => [...new Set([spec.target, ...spec.features, ...filterColumns(spec.where)])];
