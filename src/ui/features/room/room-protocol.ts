/**
 * The room's control messages, sent as JSON over the peer-to-peer data channels (never via
 * the signaling server). They coordinate who is in the room, who is ready and when a run
 * starts; they never carry private values. Every message from a peer is validated here, in
 * one place, before use.
 *
 * This module imports no React, zustand or DOM: the Node party (src/cli) speaks the same
 * protocol through it. Format changes are announced on the team board.
 */
import { parseComputationSpec, type ComputationSpec } from '../../../core/computations/spec';
import type { ItemKind } from '../../../core/psi/normalise';
import { parseHostStatement, type HostStatement } from '../../../transport/host-key';

export type { ComputationSpec };

export const PSI_KINDS = ['psi', 'psi-size', 'psi-sum'] as const;
export type PsiKind = (typeof PSI_KINDS)[number];
export const ITEM_KINDS: readonly ItemKind[] = ['email', 'phone', 'id', 'text'];

/** Set intersection: items are strings, normalised per `itemKind` before blinding. */
export interface PsiSpec {
  kind: PsiKind;
  itemKind: ItemKind;
  minParties?: number;
  /** psi-sum: decimal places of the value attached to each item (0..6). */
  decimals?: number;
}

export const PSI_SUM_MAX_DECIMALS = 6;

/** What a room computes: a numeric computation (core spec) or a set intersection. */
export type RoomSpec = ComputationSpec | PsiSpec;
export type Computation = RoomSpec['kind'];

/** Values of the `computation` select, in the order shown. */
export const COMPUTATIONS: readonly Computation[] = [
  'sum', 'mean', 'count', 'stats', 'weighted-mean', 'min', 'max', 'median', 'percentile', 'rank', 'histogram', 'threshold', 'psi', 'psi-size', 'psi-sum',
];

export const isPsi = (spec: RoomSpec): spec is PsiSpec => (PSI_KINDS as readonly string[]).includes(spec.kind);

export function parseSpec(v: unknown): RoomSpec | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  if ((PSI_KINDS as readonly unknown[]).includes(o.kind)) {
    if (!ITEM_KINDS.includes(o.itemKind as ItemKind)) return undefined;
    if (o.minParties !== undefined && (!Number.isInteger(o.minParties) || (o.minParties as number) < 2 || (o.minParties as number) > 32)) return undefined;
    const sum = o.kind === 'psi-sum';
    if (sum && (!Number.isInteger(o.decimals) || (o.decimals as number) < 0 || (o.decimals as number) > PSI_SUM_MAX_DECIMALS)) return undefined;
    if (Object.keys(o).some((k) => !['kind', 'itemKind', 'minParties', ...(sum ? ['decimals'] : [])].includes(k))) return undefined;
    return {
      kind: o.kind as PsiKind,
      itemKind: o.itemKind as ItemKind,
      ...(o.minParties !== undefined ? { minParties: o.minParties as number } : {}),
      ...(sum ? { decimals: o.decimals as number } : {}),
    };
  }
  const r = parseComputationSpec(v);
  return r.ok ? r.spec : undefined;
}

export type ControlMessage =
  /**
   * First message on every new link: who I am and, from the creator, the room's spec and the
   * host statement (transport/host-key.ts) that proves it holds the key the link names.
   */
  | { t: 'hello'; name: string; creator: boolean; spec?: RoomSpec; host?: HostStatement; running?: boolean }
  /** The host: a run started or ended (so people who are not in it know why nothing moves). */
  | { t: 'status'; running: boolean }
  /** The creator changed the spec before a run. */
  | { t: 'spec'; spec: RoomSpec }
  /** Readiness with the number of values or items (public: others check lengths), or not ready. */
  | { t: 'ready'; ready: boolean; length: number }
  /** Creator: start run `runId` with this roster (member ids in party order) and their counts. */
  | { t: 'start'; runId: string; spec: RoomSpec; roster: string[]; counts: number[] }
  /** Anyone: abort run `runId`. */
  | { t: 'abort'; runId: string; reason: string };

const MAX_NAME = 40;
/** Run ids: 9 random bytes, base64url (the engine client prefixes them to every MPC frame). */
const RUN_ID = /^[A-Za-z0-9_-]{12}$/;
const MEMBER_ID = /^[A-Za-z0-9_-]{22}$/;

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
      // A malformed statement is dropped: the claim then stays unproven and is refused.
      const host = parseHostStatement(o.host);
      return { t: 'hello', name: cleanName(o.name) || 'Anonymous', creator: o.creator, spec, ...(host ? { host } : {}), ...(o.running === true ? { running: true } : {}) };
    }
    case 'spec': {
      const spec = parseSpec(o.spec);
      return spec ? { t: 'spec', spec } : undefined;
    }
    case 'status':
      return typeof o.running === 'boolean' ? { t: 'status', running: o.running } : undefined;
    case 'ready':
      if (typeof o.ready !== 'boolean' || !Number.isInteger(o.length) || (o.length as number) < 0 || (o.length as number) > 4_000_000) return undefined;
      return { t: 'ready', ready: o.ready, length: o.length as number };
    case 'start': {
      const spec = parseSpec(o.spec);
      if (!spec || typeof o.runId !== 'string' || !RUN_ID.test(o.runId)) return undefined;
      if (!Array.isArray(o.roster) || o.roster.length < 2 || o.roster.length > 64 || !o.roster.every((m) => typeof m === 'string' && MEMBER_ID.test(m))) return undefined;
      if (new Set(o.roster).size !== o.roster.length) return undefined;
      const counts = o.counts;
      if (!Array.isArray(counts) || counts.length !== o.roster.length || !counts.every((c) => Number.isInteger(c) && c >= 0 && c <= 4_000_000)) return undefined;
      return { t: 'start', runId: o.runId, spec, roster: o.roster as string[], counts: counts as number[] };
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
