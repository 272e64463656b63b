/**
 * Room secret and the keys derived from it (DESIGN §1, steps 1–2).
 *
 * The secret is 16 random bytes written as 22 base64url characters in the URL fragment
 * `#/room/<secret>`; browsers never send a fragment to the server. From it every member
 * derives
 *   roomId    = base64url(SHA-256("parley/room" ‖ secret))   (43 chars, told to the server)
 *   signalKey = HKDF-SHA256(ikm = secret, salt = none, info = "parley/signal", 32 bytes)
 *
 * Security assumption: the secret has 128 bits of entropy and only reaches people the
 * creator shares the link with. The server learns roomId, which is a one-way function of
 * the secret and independent of signalKey (different domain-separation labels), so it can
 * neither read nor forge sealed envelopes (src/transport/envelope.ts).
 * References: RFC 5869 (HKDF), RFC 4648 §5 (base64url).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { concatBytes, randomBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { ROOM_ID_PATTERN } from '../shared/signaling.ts';
import { decodeBase64url, encodeBase64url } from './base64url.ts';

export const ROOM_SECRET_BYTES = 16;
/** 16 bytes in base64url without padding: 22 characters, the last one in [AQgw]. */
export const ROOM_SECRET_PATTERN = /^[A-Za-z0-9_-]{21}[AQgw]$/;

/** A validated room secret (22 base64url characters). */
export type RoomSecret = string & { readonly __brand: 'RoomSecret' };

export interface RoomKeys {
  /** base64url(SHA-256("parley/room" ‖ secret)), 43 characters; what the server sees. */
  roomId: string;
  /** 32-byte key that seals signaling envelopes. */
  signalKey: Uint8Array;
}

export function newRoomSecret(): RoomSecret {
  return encodeBase64url(randomBytes(ROOM_SECRET_BYTES)) as RoomSecret;
}

/** Validate untrusted text (URL fragment part); `undefined` if it is not a canonical secret. */
export function parseRoomSecret(text: unknown): RoomSecret | undefined {
  if (typeof text !== 'string' || !ROOM_SECRET_PATTERN.test(text)) return undefined;
  const bytes = decodeBase64url(text);
  return bytes?.length === ROOM_SECRET_BYTES ? (text as RoomSecret) : undefined;
}

/** `#/room/<secret>` for a room link. */
export function roomFragment(secret: RoomSecret): string {
  return `#/room/${secret}`;
}

/** The secret in a location hash such as `#/room/<secret>`, or `undefined`. */
export function parseRoomFragment(hash: string): RoomSecret | undefined {
  const m = /^#\/room\/([^/?#]*)$/.exec(hash);
  return m ? parseRoomSecret(m[1]) : undefined;
}

export function deriveRoomKeys(secret: RoomSecret): RoomKeys {
  const bytes = decodeBase64url(secret);
  if (!bytes || bytes.length !== ROOM_SECRET_BYTES) throw new TypeError('deriveRoomKeys: expected a parsed RoomSecret');
  const roomId = encodeBase64url(sha256(concatBytes(utf8ToBytes('parley/room'), bytes)));
  if (!ROOM_ID_PATTERN.test(roomId)) throw new Error('deriveRoomKeys: room id does not match the wire pattern');
  const signalKey = hkdf(sha256, bytes, undefined, utf8ToBytes('parley/signal'), 32);
  return { roomId, signalKey };
}
