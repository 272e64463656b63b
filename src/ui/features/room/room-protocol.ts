/**
 * The room's control messages, sent as JSON over the peer-to-peer data channels (never via
 * the signaling server). They coordinate who is in the room, who is ready and when a run
 * starts; they never carry private values. Every message from a peer is validated here, in
 * one place, before use.
 */
export const COMPUTATIONS = ['sum', 'mean'] as const;
export type Computation = (typeof COMPUTATIONS)[number];

export interface ComputationSpec {
  computation: Computation;
  /** Fixed-point decimals: values are exact multiples of 10^-decimals. */
  decimals: number;
}

export type ControlMessage =
  /** First message on every new link: who I am and, from the creator, the room's spec. */
  | { t: 'hello'; name: string; creator: boolean; spec?: ComputationSpec }
  /** The creator changed the spec before a run. */
  | { t: 'spec'; spec: ComputationSpec }
  /** Readiness with the number of values (so others can check equal lengths), or not ready. */
  | { t: 'ready'; ready: boolean; length: number }
  /** Creator: start run `runId` with this roster (member ids in party order). */
  | { t: 'start'; runId: string; spec: ComputationSpec; roster: string[]; length: number }
  /** Anyone: abort run `runId`. */
  | { t: 'abort'; runId: string; reason: string };

const MAX_NAME = 40;
const RUN_ID = /^[A-Za-z0-9_-]{8,32}$/;
const MEMBER_ID = /^[A-Za-z0-9_-]{22}$/;

export function parseSpec(v: unknown): ComputationSpec | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  if (!COMPUTATIONS.includes(o.computation as Computation)) return undefined;
  if (!Number.isInteger(o.decimals) || (o.decimals as number) < 0 || (o.decimals as number) > 6) return undefined;
  return { computation: o.computation as Computation, decimals: o.decimals as number };
}

export function cleanName(name: string): string {
  // Strip control characters and bound the length; names are shown to others.
  return name.replace(/\p{Cc}/gu, '').trim().slice(0, MAX_NAME);
}

export function parseControlMessage(bytes: Uint8Array): ControlMessage | undefined {
  let o: Record<string, unknown>;
  try {
    const v: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
    o = v as Record<string, unknown>;
  } catch {
    return undefined;
  }
  switch (o.t) {
    case 'hello': {
      if (typeof o.name !== 'string' || typeof o.creator !== 'boolean') return undefined;
      const spec = o.spec === undefined ? undefined : parseSpec(o.spec);
      if (o.spec !== undefined && !spec) return undefined;
      return { t: 'hello', name: cleanName(o.name) || 'Anonymous', creator: o.creator, spec };
    }
    case 'spec': {
      const spec = parseSpec(o.spec);
      return spec ? { t: 'spec', spec } : undefined;
    }
    case 'ready':
      if (typeof o.ready !== 'boolean' || !Number.isInteger(o.length) || (o.length as number) < 0 || (o.length as number) > 1_000_000) return undefined;
      return { t: 'ready', ready: o.ready, length: o.length as number };
    case 'start': {
      const spec = parseSpec(o.spec);
      if (!spec || typeof o.runId !== 'string' || !RUN_ID.test(o.runId)) return undefined;
      if (!Array.isArray(o.roster) || o.roster.length < 2 || o.roster.length > 64 || !o.roster.every((m) => typeof m === 'string' && MEMBER_ID.test(m))) return undefined;
      if (new Set(o.roster).size !== o.roster.length) return undefined;
      if (!Number.isInteger(o.length) || (o.length as number) < 1) return undefined;
      return { t: 'start', runId: o.runId, spec, roster: o.roster as string[], length: o.length as number };
    }
    case 'abort':
      if (typeof o.runId !== 'string' || !RUN_ID.test(o.runId) || typeof o.reason !== 'string') return undefined;
      return { t: 'abort', runId: o.runId, reason: o.reason.slice(0, 200) };
    default:
      return undefined;
  }
}

export function encodeControlMessage(m: ControlMessage): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(m));
}
