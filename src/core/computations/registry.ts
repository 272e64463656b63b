/**
 * The computation registry (issue 12, "Architecture"): every computation a room can run,
 * declared once (registry-types.ts), in the order the `computation` select shows them.
 * The UI (select, labels, default specs, reveal notes, timeouts), the worker (spec check,
 * input re-validation, dispatch: src/worker/run-job.ts) and the Node party read it;
 * nobody else switches on kinds.
 *
 * To add computations: write `registry-<name>.ts` exporting a list of definitions
 * (`defineComputation`), and add it with ONE import line and one spread below. `RoomSpec`
 * and `RegisteredOutput` then include its spec and output types.
 *
 * Security: see each definition; `parseRegisteredSpec` is where an untrusted spec's kind is
 * looked up, and the definition's own parser then rejects any field it does not know.
 */
import { NUMBER_COMPUTATIONS } from './registry-numbers.ts';
import { PSI_COMPUTATIONS } from './registry-psi.ts';
import { SEVERAL_COMPUTATIONS } from './registry-several.ts';
import { TABLE_COMPUTATIONS } from '../table/registry-table.ts';
import { MODEL_COMPUTATIONS } from '../model/registry-model.ts';
import { MLP_COMPUTATIONS } from '../model/registry-mlp.ts';
import type { BaseSpec, ComputationDefinition, OutputOf, SpecOf, SpecParse } from './registry-types.ts';

/** Every computation, in the order the select shows them. */
export const REGISTRY = [...NUMBER_COMPUTATIONS, ...SEVERAL_COMPUTATIONS, ...PSI_COMPUTATIONS, ...TABLE_COMPUTATIONS, ...MODEL_COMPUTATIONS, ...MLP_COMPUTATIONS] as const;

type Registered = (typeof REGISTRY)[number];
/** Any spec a room can hold: the union of the registered spec types. */
export type RegisteredSpec = SpecOf<Registered>;
export type RegisteredKind = RegisteredSpec['kind'];
/** Any output a run can produce. */
export type RegisteredOutput = OutputOf<Registered>;
/** A definition whose spec, input and output types are not known statically. */
export type AnyComputation = ComputationDefinition<BaseSpec, unknown, { kind: string }>;

const BY_KIND: ReadonlyMap<string, AnyComputation> = new Map(REGISTRY.map((d) => [d.kind as string, d as unknown as AnyComputation]));
if (BY_KIND.size !== REGISTRY.length) throw new Error('computation registry: two entries share a kind');

/** The select's values, in order. */
export const REGISTERED_KINDS: readonly RegisteredKind[] = REGISTRY.map((d) => d.kind as RegisteredKind);

export const isRegisteredKind = (kind: unknown): kind is RegisteredKind => typeof kind === 'string' && BY_KIND.has(kind);

/** The definition of `kind`; throws on an unknown kind (a caller bug: validate specs first). */
export function computationFor(kind: string): AnyComputation {
  const d = BY_KIND.get(kind);
  if (!d) throw new Error(`unknown computation ${JSON.stringify(kind)}`);
  return d;
}

/** Validate an untrusted spec of any registered kind. Never throws. */
export function parseRegisteredSpec(raw: unknown): SpecParse<RegisteredSpec> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, error: 'spec must be an object' };
  const kind = (raw as { kind?: unknown }).kind;
  if (!isRegisteredKind(kind)) return { ok: false, error: `kind must be one of ${REGISTERED_KINDS.join(', ')}, got ${JSON.stringify(kind)}` };
  return computationFor(kind).parseSpec(raw) as SpecParse<RegisteredSpec>;
}

/** The spec a run uses given everyone's public counts (element-wise kinds fix their length). */
export function specForRun<S extends RegisteredSpec>(spec: S, counts: readonly number[]): S {
  const d = computationFor(spec.kind);
  return d.specForRun ? (d.specForRun(spec, counts) as S) : spec;
}

/** Per-round timeout of a run of `spec` with these counts. */
export const roundTimeoutOf = (spec: RegisteredSpec, counts: readonly number[]): number => computationFor(spec.kind).timeoutMs(spec, counts);
