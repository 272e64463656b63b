/**
 * Remembers, per tab (sessionStorage), that this tab is in a room and under which name and
 * role, so a refresh or a phone waking up rejoins the same room in one step. Nothing
 * private is stored: no input values, no results. Leaving the room forgets it.
 */
import { parseSpec, type RoomSpec } from './room-protocol';

export interface Membership {
  name: string;
  creator: boolean;
  spec?: RoomSpec;
}

const key = (secret: string) => `parley/room/${secret}`;

export function rememberMembership(secret: string, m: Membership): void {
  try {
    sessionStorage.setItem(key(secret), JSON.stringify(m));
  } catch {
    // Storage disabled: rejoining after a refresh will ask for the name again.
  }
}

export function recallMembership(secret: string): Membership | undefined {
  try {
    const raw = sessionStorage.getItem(key(secret));
    if (!raw) return undefined;
    const v = JSON.parse(raw) as Record<string, unknown>;
    if (typeof v.name !== 'string' || typeof v.creator !== 'boolean') return undefined;
    return { name: v.name, creator: v.creator, spec: v.spec === undefined ? undefined : parseSpec(v.spec) };
  } catch {
    return undefined;
  }
}

export function forgetMembership(secret: string): void {
  try {
    sessionStorage.removeItem(key(secret));
  } catch {
    // Nothing to forget.
  }
}
