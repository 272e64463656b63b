/**
 * Remembers, per tab (sessionStorage), that this tab is in a room and under which name and
 * role, so a refresh or a phone waking up rejoins the same room in one step. Nothing
 * private is stored: no input values, no results. Leaving the room forgets it.
 */
import { decodeBase64url as decodeBase64urlBytes, encodeBase64url as encodeBase64urlBytes, hostFingerprint, hostKeyFromSecret, type HostKey, type RoomLink } from '../../../transport';
import { parseSpec, type RoomSpec } from './room-protocol';

export interface Membership {
  name: string;
  creator: boolean;
  spec?: RoomSpec;
  /** A run was in progress when this was written (a reload then stopped it). */
  running?: boolean;
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
    return { name: v.name, creator: v.creator, spec: v.spec === undefined ? undefined : parseSpec(v.spec), ...(v.running === true ? { running: true } : {}) };
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

/**
 * The creator's host key for one room (host-key.ts), in localStorage so that the host comes
 * back as host after closing the tab, for this room only: the entry is keyed by the room
 * secret and must match the fingerprint in the link. Also the name and spec it hosted with.
 * Anyone with access to this browser profile could host this room: the same trust as the
 * open tab itself. Leaving the room forgets it.
 */
export interface HostMemory {
  key: HostKey;
  name: string;
  spec?: RoomSpec;
}

const hostKeyName = (secret: string) => `parley/host/${secret}`;

export function rememberHost(link: RoomLink, m: HostMemory): void {
  try {
    localStorage.setItem(hostKeyName(link.secret), JSON.stringify({ sk: encodeBase64urlBytes(m.key.secretKey), fp: link.host, name: m.name, spec: m.spec }));
  } catch {
    // Storage disabled: the host can still host from this tab, but not after closing it.
  }
}

export function recallHost(link: RoomLink): HostMemory | undefined {
  try {
    const raw = localStorage.getItem(hostKeyName(link.secret));
    if (!raw) return undefined;
    const v = JSON.parse(raw) as Record<string, unknown>;
    if (v.fp !== link.host || typeof v.sk !== 'string' || typeof v.name !== 'string') return undefined;
    const bytes = decodeBase64urlBytes(v.sk);
    const key = bytes && hostKeyFromSecret(bytes);
    if (!key || hostFingerprint(key.publicKey) !== link.host) return undefined;
    return { key, name: v.name, spec: v.spec === undefined ? undefined : parseSpec(v.spec) };
  } catch {
    return undefined;
  }
}

export function forgetHost(secret: string): void {
  try {
    localStorage.removeItem(hostKeyName(secret));
  } catch {
    // Nothing to forget.
  }
}
