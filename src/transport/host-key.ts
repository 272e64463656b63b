/**
 * The host of a room, pinned by its link (DESIGN §2: "the host is pinned by the link, not by
 * who claims first").
 *
 * The creator makes a long-term Ed25519 key for the room (its *host key*, separate from the
 * per-session identity keys of identity.ts) and puts a fingerprint of it next to the secret:
 *   `#/room/<secret>.<fingerprint>`, fingerprint = base64url(first 16 bytes of
 *   SHA-256(lp(HOST_FP_DOMAIN) ‖ hostPublicKey))   (22 characters)
 * Whoever holds the link (a forwarded link too) therefore knows which key the real host
 * holds. On every new connection the host sends a *host statement*: its host public key and
 * an Ed25519 signature by it over (HOST_STATEMENT_DOMAIN, roomId, the host's per-session
 * identity key). A joiner accepts a member as host only if the key matches the link's
 * fingerprint and the signed session key is exactly the key that member proved over this
 * very connection (identity.ts). So an insider holding the link cannot claim host: it has no
 * matching key, and replaying the real host's statement names a session key it cannot prove.
 *
 * Security assumption: SHA-256 second-preimage resistance at 128 bits (an insider would
 * have to find a key of its own with the same 16-byte fingerprint), Ed25519 unforgeability,
 * and the identity handshake binding session keys to connections. The host's secret key
 * stays in the creator's browser storage for this room only (see the UI's room memory).
 * References: RFC 8032 (Ed25519); the design follows "self-certifying names" (SFS,
 * Mazières 1999): the name (link) carries the hash of the key that speaks for it.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes } from '@noble/hashes/utils.js';
import { lengthPrefixed as lp } from '../core/codec.ts';
import { decodeBase64url, encodeBase64url } from './base64url.ts';
import { parseRoomSecret, type RoomSecret } from './room-keys.ts';

const HOST_FP_DOMAIN = 'parley/host-key/v1';
const HOST_STATEMENT_DOMAIN = 'parley/host-statement/v1';
const FINGERPRINT_BYTES = 16;
export const HOST_FINGERPRINT_PATTERN = /^[A-Za-z0-9_-]{21}[AQgw]$/;

/** A validated host fingerprint (22 base64url characters). */
export type HostFingerprint = string & { readonly __brand: 'HostFingerprint' };

export interface HostKey {
  secretKey: Uint8Array;
  publicKey: Uint8Array;
}

/** What a room link names: the secret (for keys) and the host's fingerprint. */
export interface RoomLink {
  secret: RoomSecret;
  host: HostFingerprint;
}

/** A host statement as it travels in the `hello` control message (base64url fields). */
export interface HostStatement {
  key: string;
  sig: string;
}

export function newHostKey(): HostKey {
  return ed25519.keygen();
}

/** The host key from its 32-byte secret (as stored), or undefined if malformed. */
export function hostKeyFromSecret(secretKey: Uint8Array): HostKey | undefined {
  if (secretKey.length !== 32) return undefined;
  return { secretKey, publicKey: ed25519.getPublicKey(secretKey) };
}

export function hostFingerprint(publicKey: Uint8Array): HostFingerprint {
  return encodeBase64url(sha256(concatBytes(lp(HOST_FP_DOMAIN), publicKey)).slice(0, FINGERPRINT_BYTES)) as HostFingerprint;
}

/** `<secret>.<fingerprint>`, the part of the link after `#/room/`. */
export function roomLinkPath(link: RoomLink): string {
  return `${link.secret}.${link.host}`;
}

/** Validate the untrusted part after `#/room/`; undefined unless it is `<secret>.<fingerprint>`. */
export function parseRoomLinkPath(text: unknown): RoomLink | undefined {
  if (typeof text !== 'string') return undefined;
  const [s, h, ...rest] = text.split('.');
  if (rest.length || h === undefined || !HOST_FINGERPRINT_PATTERN.test(h)) return undefined;
  const secret = parseRoomSecret(s);
  const bytes = decodeBase64url(h);
  if (!secret || bytes?.length !== FINGERPRINT_BYTES) return undefined;
  return { secret, host: h as HostFingerprint };
}

function statementBytes(roomId: string, sessionKey: string): Uint8Array {
  return concatBytes(lp(HOST_STATEMENT_DOMAIN), lp(roomId), lp(sessionKey));
}

/** The host's statement "my session key in room `roomId` is `sessionKey`" (base64url key). */
export function signHostStatement(host: HostKey, roomId: string, sessionKey: string): HostStatement {
  return { key: encodeBase64url(host.publicKey), sig: encodeBase64url(ed25519.sign(statementBytes(roomId, sessionKey), host.secretKey)) };
}

export type HostCheck = { ok: true } | { ok: false; reason: 'malformed' | 'wrong-key' | 'bad-signature' };

/**
 * Is `statement` the pinned host speaking for the peer whose proven session key is
 * `peerSessionKey`? Untrusted input; never throws.
 */
export function verifyHostStatement(statement: unknown, pinned: HostFingerprint, roomId: string, peerSessionKey: string): HostCheck {
  if (typeof statement !== 'object' || statement === null) return { ok: false, reason: 'malformed' };
  const { key, sig } = statement as Record<string, unknown>;
  const pub = typeof key === 'string' ? decodeBase64url(key) : undefined;
  const signature = typeof sig === 'string' ? decodeBase64url(sig) : undefined;
  if (pub?.length !== 32 || signature?.length !== 64) return { ok: false, reason: 'malformed' };
  if (hostFingerprint(pub) !== pinned) return { ok: false, reason: 'wrong-key' };
  try {
    return ed25519.verify(signature, statementBytes(roomId, peerSessionKey), pub) ? { ok: true } : { ok: false, reason: 'bad-signature' };
  } catch {
    return { ok: false, reason: 'bad-signature' };
  }
}

/** Parse a stored or transmitted statement shape without checking it (for the control protocol). */
export function parseHostStatement(v: unknown): HostStatement | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  if (typeof o.key !== 'string' || typeof o.sig !== 'string' || o.key.length !== 43 || o.sig.length !== 86) return undefined;
  if (Object.keys(o).some((k) => k !== 'key' && k !== 'sig')) return undefined;
  return { key: o.key, sig: o.sig };
}
