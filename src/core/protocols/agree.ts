/**
 * Agreement on what is being computed, before any input is used (DESIGN §1 step 4).
 *
 * `specDigest` hashes the computation spec, the ordered roster (member id and identity key
 * of every party, in party order) and a session nonce with domain separation and a
 * canonical, length-prefixed encoding. `agreeOnDigest` is one round: every party sends its
 * 32-byte digest to every other party and compares what it receives with its own.
 *
 * Security: channels are pairwise and authenticated (each data channel is bound to the
 * peer's identity key, src/transport/identity.ts), so any two honest parties whose views
 * differ see each other's digest directly and abort, whatever a lying party tells them: a
 * creator showing different specs (or rosters) to different people cannot go unnoticed
 * between the people it fooled. With a single honest party there is nobody to disagree
 * with; the digest then only protects that party against a roster it did not see. Digests
 * are public (no input enters them). The nonce (e.g. the run id) keeps an agreement from one
 * run from being replayed into another.
 * References: round-based (Rust) for the one-round shape; RFC 8785 for canonical JSON
 * (we use its key-sorting idea, not the full scheme, since specs hold only plain values).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes } from '@noble/hashes/utils.js';
import { MpcError } from '../errors.ts';
import type { Session } from '../session/session.ts';
import { lengthPrefixed as lp } from '../codec.ts';

/**
 * Round-id protocol tag of the agreement. Outside the range of `Protocol` (session/round.ts)
 * so that it cannot collide with a tag appended there; move it into `Protocol` if preferred.
 */
export const AGREE_PROTOCOL = 0x7f01;
export const DIGEST_BYTES = 32;
const DOMAIN = 'parley/spec-digest/v1';

export interface RosterEntry {
  /** Member id (the mesh's peer id). */
  id: string;
  /** base64url Ed25519 identity key of this session. */
  publicKey: string;
}

/** JSON with object keys sorted at every level and no whitespace: one spelling per value. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new MpcError('INVALID_ARGUMENT', 'spec holds a non-finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  throw new MpcError('INVALID_ARGUMENT', `spec holds a value of type ${typeof value}`);
}

/**
 * SHA-256 over (domain, canonical spec, party count, each party's id and key in party order,
 * nonce). The spec is parsed and re-serialised canonically, so key order and whitespace
 * in `specJson` do not matter; the roster ORDER does (it fixes who is party i).
 */
export function specDigest(specJson: string, roster: readonly RosterEntry[], nonce: Uint8Array | string): Uint8Array {
  let spec: unknown;
  try {
    spec = JSON.parse(specJson);
  } catch {
    throw new MpcError('INVALID_ARGUMENT', 'spec is not valid JSON');
  }
  if (roster.length === 0) throw new MpcError('INVALID_ARGUMENT', 'roster is empty');
  const count = new Uint8Array(4);
  new DataView(count.buffer).setUint32(0, roster.length);
  const parties = roster.map((r) => concatBytes(lp(r.id), lp(r.publicKey)));
  return sha256(concatBytes(lp(DOMAIN), lp(canonicalJson(spec)), count, ...parties, lp(nonce)));
}

const hex = (b: Uint8Array) => Array.from(b.subarray(0, 4), (x) => x.toString(16).padStart(2, '0')).join('');

/**
 * One round: send our digest to all, receive theirs, compare. Throws SPEC_MISMATCH naming
 * the first party (lowest index) whose digest differs; a wrong length is MALFORMED_MESSAGE.
 */
export async function agreeOnDigest(s: Session, digest: Uint8Array): Promise<void> {
  if (digest.length !== DIGEST_BYTES) throw new MpcError('INVALID_ARGUMENT', `digest must be ${DIGEST_BYTES} bytes, got ${digest.length}`);
  // 1. everyone sends its digest to everyone
  const round = s.round(AGREE_PROTOCOL, s.nextInstance(AGREE_PROTOCOL), 0);
  const got = await s.exchange(round, () => digest, DIGEST_BYTES);
  // 2. compare (no secret is involved, so an early exit leaks nothing)
  for (const p of s.others) {
    const theirs = got.get(p)!;
    if (theirs.some((b, i) => b !== digest[i])) {
      throw new MpcError('SPEC_MISMATCH', `party ${p} holds a different computation or participant list (digest ${hex(theirs)}…, ours ${hex(digest)}…)`, p);
    }
  }
}
