/**
 * The shape of one entry of the computation registry (registry.ts): everything a
 * computation declares, in one place, so that the UI (select, labels, default spec, reveal
 * notes), the worker (spec check, input re-validation, dispatch) and the Node party read
 * the same declaration instead of special-casing kinds (issue 12, "Architecture").
 *
 * A computation is a plain object literal typed by `defineComputation`; there is no
 * plugin machinery. Methods (not function-typed properties) on purpose: their parameters
 * are checked bivariantly, so entries with different spec types fit in one list while each
 * entry is fully typed where it is written.
 *
 * Security: the declarations are public. `parseSpec` and `parseInput` are the trust
 * boundary for specs from peers and inputs from the caller (the worker trusts nothing the
 * UI parsed); `run` opens only what `reveals` says.
 */
import type { Backend, ProtectionLevel } from '../backend/types.ts';
import type { Session } from '../session/session.ts';
import type { OutputDescription } from './describe.ts';

/** Fields every spec may carry, whatever its kind. */
export interface BaseSpec {
  kind: string;
  /** Start stays disabled below this many participants (2..32). */
  minParties?: number;
  /** strict = security with abort against malicious parties, fast = semi-honest. */
  protection?: ProtectionLevel;
}

export type SpecParse<S> = { ok: true; spec: S } | { ok: false; error: string };

/**
 * What one party hands the engine (structured-clone-able, exact decimal strings): the
 * canonical form the UI's text readers produce, validated again by `parseInput`.
 * `data` is for kinds with richer input (tables): its shape is the kind's own business.
 */
export interface InputPayload {
  values?: readonly string[];
  weights?: readonly string[];
  items?: readonly string[];
  data?: unknown;
}

/**
 * How the private-input box is read for this kind (the UI's text readers, one per shape):
 * numbers: one value or a list; pairs: value–weight pairs; items: one item per line
 * (spec.itemKind); item-values: "item, value" lines; own-card: the kind brings its own input
 * component (tables) and the generic box is not used.
 */
export type InputShape = 'numbers' | 'pairs' | 'items' | 'item-values' | 'own-card';

export interface RunProgress {
  phase: 'preparing' | 'computing' | 'revealing';
  /** 0..1 of the whole run, only when the protocol can tell. */
  fraction?: number;
}

/** What a run function gets besides spec and input. */
export interface RunContext {
  /** The agreed session (digest already checked). Set intersection runs on it directly. */
  readonly session: Session;
  /** The backend the spec's protection level asks for (created on first call, then reused). */
  backend(): Backend;
  /** The run id every party agreed on (binds PSI keys to this run). */
  readonly nonce: string;
  progress(p: RunProgress): void;
}

/** A rough, public estimate shown to the host before Start. */
export interface CostEstimate {
  /** Communication rounds, order of magnitude (undefined: depends on data not known yet). */
  rounds?: number;
  /** One plain sentence, e.g. "About 70 rounds: a bitwise search over the values." */
  summary: string;
}

/**
 * One field of the host's spec editor (rendered generically by the room's computation
 * card; the editor test ids are `spec-<key>`). The editor builds `{ kind, …fields }` and
 * hands it to `parseSpec`, so a field's meaning lives in the parser, not in the UI.
 */
export interface SpecField {
  readonly key: string;
  readonly label: string;
  readonly hint?: string;
  /** integer/decimal: one number (kept as typed; decimals stay strings); decimal-list: numbers separated by spaces or semicolons; list: words separated by commas, spaces or semicolons; text: a string; lines: a multi-line text (a table schema); choice: one of `choices`. */
  readonly type: 'integer' | 'decimal' | 'decimal-list' | 'list' | 'text' | 'lines' | 'choice';
  readonly choices?: readonly { value: string; label: string }[];
  /** How guests see it in the host's rules, before the value ("percentile" → "percentile 90"); default: the label. */
  readonly summary?: string;
  /** Left out of the spec when empty (instead of refused). */
  readonly optional?: boolean;
}

/**
 * The editor's text of each field (by SpecField.key) and back, for specs whose fields are not
 * plain values (a table schema, a row filter): without it, a field is the spec's property of
 * the same key. `fromDraft` validates like `parseSpec` (it ends in it). The draft also holds
 * the editor's own `minParties` text (empty: none).
 */
export interface SpecDraft<S> {
  toDraft(spec: S): Record<string, string>;
  fromDraft(base: S, draft: Readonly<Record<string, string>>): SpecParse<S>;
}

/**
 * What a participant's table (CSV text) reads as for an own-card table kind, before Ready:
 * only what the read-back shows (no cell values), structured-clone-able for the reader worker.
 * `count` is what the participant announces publicly in Ready (0 where row counts are private).
 */
export type TableReadSummary =
  | { ok: true; rows: number; used: number; count: number; headers: string[]; lines: string[]; mapping: Record<string, number> }
  | { ok: false; error: string; unmapped?: string[]; headers?: string[] };

export interface ComputationDefinition<S extends BaseSpec = BaseSpec, I = unknown, O extends { kind: string } = { kind: string }> {
  /** The `computation` select value (DESIGN §6) and the spec's `kind`. */
  readonly kind: S['kind'];
  readonly title: string;
  readonly description: string;
  readonly inputShape: InputShape;
  /** The host's editor fields for this kind's spec (besides minParties, common to all). */
  readonly fields: readonly SpecField[];
  /** Open the editor's parameters by default (the kind needs a choice, e.g. the percentile). */
  readonly fieldsOpen?: boolean;
  /** Spec ⇄ editor texts when the fields are not plain properties of the spec (SpecDraft). */
  readonly draft?: SpecDraft<S>;
  /**
   * Every participant must enter exactly the same number of values (element-wise sums and
   * averages); the common count becomes the spec's length at Start (`specForRun`).
   */
  readonly sameCount: boolean;
  /** Validate an untrusted spec of this kind (from a peer, a link or the editor). Never throws. */
  parseSpec(raw: unknown): SpecParse<S>;
  /** A sensible starting spec; keeps the input rules of `previous` that still apply. */
  defaultSpec(previous?: BaseSpec): S;
  /** The spec a run uses, given everyone's public counts (default: unchanged). */
  specForRun?(spec: S, counts: readonly number[]): S;
  /**
   * own-card kinds whose input is a table (a CSV with a header row; the room's table card,
   * src/ui/features/table): read the participant's text against the spec for the read-back
   * shown before Ready. The payload is then `data: { csv, chosen }`, read again by parseInput.
   */
  readTable?(text: string, spec: S, chosen: Readonly<Record<string, number>>): TableReadSummary;
  /** Worker side: re-validate and normalise this party's payload; throws MpcError. */
  parseInput(payload: InputPayload, spec: S, declaredCount: number): I;
  /** The computation, on the agreed session; resolves with this party's view of the output. */
  run(ctx: RunContext, spec: S, input: I, counts: readonly number[]): Promise<O>;
  /** What the output reveals, in plain words (shown before anyone presses Ready). */
  reveals(spec: S, parties: number, counts?: readonly number[]): OutputDescription;
  cost(spec: S, parties: number, counts?: readonly number[]): CostEstimate;
  /** How long one round may take (ms) before a silent peer is given up on. */
  timeoutMs(spec: S, counts: readonly number[]): number;
}

/** Identity, for inference: `defineComputation<MySpec, MyInput, MyOutput>({ … })`. */
export const defineComputation = <S extends BaseSpec, I, O extends { kind: string }>(d: ComputationDefinition<S, I, O>): ComputationDefinition<S, I, O> => d;

export type SpecOf<D> = D extends ComputationDefinition<infer S, infer _I, infer _O> ? S : never;
export type OutputOf<D> = D extends ComputationDefinition<infer _S, infer _I, infer O> ? O : never;

/** The usual round timeout: a minute per message (a peer that leaves is detected at once). */
export const DEFAULT_ROUND_TIMEOUT_MS = 60_000;
