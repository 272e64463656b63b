/**
 * The room's control messages, sent as JSON over the peer-to-peer data channels (never via
 * the signaling server). They coordinate who is in the room, who is ready and when a run
 * starts; they never carry private values. Every message from a peer is validated here, in
 * one place, before use.
 *
 * This module imports no React, zustand or DOM: the Node party (src/cli) speaks the same
 * protocol through it. Format changes are announced on the team board.
 */
import type { ComputationSpec } from '../../../core/computations/spec';
import { isErrorCode, type ErrorCode } from '../../../core/errors';
import { REGISTERED_KINDS, parseRegisteredSpec, type RegisteredKind, type RegisteredSpec } from '../../../core/computations/registry';
import { ITEM_KINDS, PSI_KINDS, PSI_SUM_MAX_DECIMALS, isPsiKind, type PsiKind, type PsiSpec } from '../../../core/computations/registry-psi';
import { parseHostStatement, type HostStatement } from '../../../transport/host-key';

export type { ComputationSpec, PsiKind, PsiSpec };
export { ITEM_KINDS, PSI_KINDS, PSI_SUM_MAX_DECIMALS };

/** What a room computes: any spec of the computation registry (src/core/computations/registry.ts). */
export type RoomSpec = RegisteredSpec;
export type Computation = RegisteredKind;

/** Values of the `computation` select, in the order shown (the registry's order). */
export const COMPUTATIONS: readonly Computation[] = REGISTERED_KINDS;

export const isPsi = (spec: RoomSpec): spec is PsiSpec => isPsiKind(spec.kind);

/** A spec from a peer or a link, validated by its kind's own parser; undefined when invalid. */
export function parseSpec(v: unknown): RoomSpec | undefined {
  const r = parseRegisteredSpec(v);
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
  /**
   * Anyone: abort run `runId`. `code` is the kind of failure (core/errors.ts): receivers
   * branch on it (a deviation names nobody), never on the wording of `reason`.
   */
  | { t: 'abort'; runId: string; reason: string; code?: ErrorCode }
  /**
   * The host: the connected group looks stable, prepare OT setups for it under `prepId`
   * (a run id, fresh each time) with this roster (sorted member ids) before Start (issue 19,
   * prep-coordinator.ts). Public: ids only.
   */
  | { t: 'prep'; prepId: string; roster: string[] };

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
    case 'prep': {
      const roster = o.roster;
      const ok =
        typeof o.prepId === 'string' &&
        RUN_ID.test(o.prepId) &&
        Array.isArray(roster) &&
        roster.length >= 2 &&
        roster.length <= 64 &&
        roster.every((m) => typeof m === 'string' && MEMBER_ID.test(m)) &&
        new Set(roster).size === roster.length;
      if (!ok) {
        // Only a speed-up rides on it: ignore it (the run then sets up afresh), but say so.
        console.warn('Parley: ignored a malformed preparation message');
        return undefined;
      }
      return { t: 'prep', prepId: o.prepId as string, roster: roster as string[] };
    }
    case 'abort':
      if (typeof o.runId !== 'string' || !RUN_ID.test(o.runId) || typeof o.reason !== 'string') return undefined;
      return { t: 'abort', runId: o.runId, reason: o.reason.slice(0, 200), ...(isErrorCode(o.code) ? { code: o.code } : {}) };
    default:
      return undefined;
  }
}

export function encodeControlMessage(m: ControlMessage): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(m));
}
