/**
 * The registry entry (computations/registry-types.ts) of `mlp`: federated averaging of a small
 * neural network (fedavg.ts), in the room through computations/registry.ts. It takes a table
 * exactly as `logistic` does (registry-model.ts): the frame fields plus its own, the host's
 * texts through `tableDraft`, the read-back through `readTable`, the payload `data: { csv,
 * chosen }` read again in the worker by `parseInput` (`tableOfPayload`). Row counts stay
 * private (announced as 0).
 * Security: parseSpec (parseMlpSpec) and parseInput (the same reader, in the worker) are the
 * trust boundary: nothing the page parsed is used.
 */
import { type ComputationDefinition, DEFAULT_ROUND_TIMEOUT_MS, type SpecField, type SpecParse, type BaseSpec, defineComputation } from '../computations/registry-types.ts';
import { FRAME_FIELDS, MAX_ROWS_FIELD, WHERE_FIELD, tableDraft, tableOfPayload, tableReadSummary } from '../table/registry-table.ts';
import { formatWhere } from '../table/filter.ts';
import type { ReadTable } from '../table/run-table.ts';
import { parseSchemaText } from '../table/schema.ts';
import { readCsvFor } from '../table/table-input.ts';
import { MpcError } from '../errors.ts';
import { LOGISTIC_SCHEMA_TEXT } from './describe-model.ts';
import { rowsOf } from './evaluate.ts';
import { type MlpOutput, runFedAvg } from './fedavg.ts';
import { MAX_EPOCHS, MAX_HIDDEN, MAX_ROUNDS, MLP_DEFAULTS, type MlpSpec, mlpColumns, parseMlpSpec } from './mlp-spec.ts';
import { MLP_BATCH, mlpWeightCount } from './mlp-train.ts';

function parseAs(raw: unknown): SpecParse<MlpSpec> {
  try {
    return { ok: true, spec: parseMlpSpec(raw) };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

const list = (text: string | undefined): string[] => (text ?? '').split(/[,;\s]+/).map((t) => t.trim()).filter(Boolean);
/** A whole number as typed, NaN otherwise (the parser then names the field); empty = the default. */
const wholeOpt = (key: string, text: string | undefined): Record<string, unknown> => {
  const t = (text ?? '').trim();
  return t ? { [key]: /^\d+$/.test(t) ? Number(t) : Number.NaN } : {};
};
const textOpt = (key: string, text: string | undefined): Record<string, unknown> => ((text ?? '').trim() ? { [key]: (text ?? '').trim() } : {});

function mlpRows(spec: MlpSpec, table: ReadTable): Uint8Array {
  const rows = rowsOf(spec, mlpColumns(spec), table);
  if (!rows.some((x) => x === 1)) throw new MpcError('INVALID_ARGUMENT', 'No row of this table can be used: every row has a missing or unreadable cell in a needed column, or fails the filter.');
  return rows;
}

const MLP_FIELDS: readonly SpecField[] = [
  { key: 'target', label: 'Label (true outcome)', hint: 'A yes/no or two-class column.', type: 'text', summary: 'label' },
  { key: 'positive', label: 'Positive class (optional)', hint: 'For a two-class category label: which value counts as positive (default: the second).', type: 'text', optional: true, summary: 'positive class' },
  { key: 'features', label: 'Features', hint: 'Up to 20 number columns, separated by commas; scaled to −1..1 by their declared bounds.', type: 'text', summary: 'features' },
  { key: 'hidden', label: 'Hidden units', hint: `Width of the one hidden layer (ReLU), 1..${MAX_HIDDEN} (default ${MLP_DEFAULTS.hidden}).`, type: 'integer', optional: true, summary: 'hidden units' },
  { key: 'rounds', label: 'Rounds', hint: `Averaging rounds, 1..${MAX_ROUNDS} (default ${MLP_DEFAULTS.rounds}); the averaged model is opened after each.`, type: 'integer', optional: true, summary: 'rounds' },
  { key: 'epochs', label: 'Local epochs per round', hint: `1..${MAX_EPOCHS} (default ${MLP_DEFAULTS.epochs}).`, type: 'integer', optional: true, summary: 'local epochs per round' },
  { key: 'learning-rate', label: 'Learning rate (optional)', hint: `SGD step size (default ${MLP_DEFAULTS.learningRate}).`, type: 'decimal', optional: true, summary: 'learning rate' },
  { key: 'clip', label: 'Clip per weight (optional)', hint: `Each participant’s update is clipped to ±clip per weight (default ${MLP_DEFAULTS.clip}): the most one participant can move any weight in a round.`, type: 'decimal', optional: true, summary: 'clip per weight' },
  { key: 'seed', label: 'Seed (optional)', hint: 'The public starting model (a whole number).', type: 'integer', optional: true, summary: 'seed' },
];

const mlpDraft = tableDraft<MlpSpec>(
  (s) => ({ target: s.target, positive: s.positive ?? '', features: s.features.join(', '), hidden: String(s.hidden), rounds: String(s.rounds), epochs: String(s.epochs), 'learning-rate': s.learningRate, clip: s.clip, seed: String(s.seed) }),
  (d) => ({
    target: (d.target ?? '').trim(),
    features: list(d.features),
    ...textOpt('positive', d.positive),
    ...wholeOpt('hidden', d.hidden),
    ...wholeOpt('rounds', d.rounds),
    ...wholeOpt('epochs', d.epochs),
    ...textOpt('learningRate', d['learning-rate']),
    ...textOpt('clip', d.clip),
    ...wholeOpt('seed', d.seed),
  }),
  parseAs,
);

export function mlpRevealNotes(spec: MlpSpec, parties: number): { reveals: string[]; warnings: string[] } {
  const where = spec.where.length ? ` among the rows where ${formatWhere(spec.where)}` : '';
  const weights = mlpWeightCount(spec.features.length, spec.hidden);
  const reveals = [
    'Your table never leaves this tab: the network is trained here, and only random-looking shares of your weight updates are sent.',
    `Everyone learns a neural network predicting ${spec.target} from ${spec.features.join(', ')}${where} (one hidden layer of ${spec.hidden} units, ${weights.toLocaleString('en')} weights, as a downloadable model) and how many rows were used in total (n).`,
    `Also opened, declared here: the averaged model after every one of the ${spec.rounds} rounds (every tab trains the next round from it).`,
    `Each participant’s own update stays secret: only the sum of everyone’s updates is opened. Each update is clipped to ±${spec.clip} per weight, so no participant can move any weight by more than that in a round.`,
    `Training: ${spec.epochs} local epoch(s) of SGD per round, batches of ${MLP_BATCH}, learning rate ${spec.learningRate}, starting model from seed ${spec.seed}.`,
    `Each participant contributes at most ${spec.maxRows.toLocaleString('en')} rows; how many each uses stays secret (updates are weighted by it inside the sum).`,
  ];
  const warnings = ['A model trained on few rows can memorise them: whoever gets the model may learn about individual rows.'];
  if (parties === 2) warnings.push('With 2 participants, each of you can subtract your own update from the opened average and learn the other’s.');
  return { reveals, warnings };
}

function defaultMlpSpec(previous?: BaseSpec): MlpSpec {
  const schema = parseSchemaText(LOGISTIC_SCHEMA_TEXT);
  if (!schema.ok) throw new Error('the default model schema does not parse');
  return parseMlpSpec({ kind: 'mlp', schema: schema.schema, maxRows: 10_000, target: 'outcome', features: ['age', 'bmi', 'systolic_bp'], ...(previous?.minParties !== undefined ? { minParties: previous.minParties } : {}), ...(previous?.protection !== undefined ? { protection: previous.protection } : {}) });
}

export const MLP_COMPUTATIONS = [
  defineComputation<MlpSpec, ReadTable, MlpOutput>({
    kind: 'mlp',
    title: 'Train a neural network (FedAvg)',
    description: 'Each participant loads a table (CSV with a header row) and trains a small neural network on it in the tab; the weight updates are combined by a secure sum every round. Everyone gets the same averaged model to download.',
    inputShape: 'own-card',
    fieldsOpen: true,
    sameCount: false,
    fields: [...FRAME_FIELDS, ...MLP_FIELDS, WHERE_FIELD, MAX_ROWS_FIELD],
    draft: mlpDraft,
    parseSpec: parseAs,
    defaultSpec: defaultMlpSpec,
    // Row counts are private: a participant announces 0 and commits its count as a secret.
    readTable: (text, spec, chosen) => tableReadSummary(readCsvFor(text, spec.schema, chosen, (t) => mlpRows(spec, t)), () => 0),
    parseInput: (payload, spec) => tableOfPayload(payload, spec, (t) => mlpRows(spec, t)),
    run: (ctx, spec, table) => {
      ctx.progress({ phase: 'computing', fraction: 0 });
      return runFedAvg(ctx.backend(), spec, table, (t) => ctx.progress({ phase: 'computing', fraction: t / spec.rounds }));
    },
    reveals: (spec, parties) => mlpRevealNotes(spec, parties),
    cost: (spec) => ({ rounds: 2 * spec.rounds + 2, summary: `${spec.rounds} rounds of local training, each followed by one secure sum of ${mlpWeightCount(spec.features.length, spec.hidden).toLocaleString('en')} numbers and one opening.` }),
    // One round may wait for a peer's local training over up to maxRows rows.
    timeoutMs: (spec) => DEFAULT_ROUND_TIMEOUT_MS + (spec.maxRows * spec.epochs * mlpWeightCount(spec.features.length, spec.hidden)) / 20_000,
  }),
] as const satisfies readonly ComputationDefinition<MlpSpec, ReadTable, MlpOutput>[];
