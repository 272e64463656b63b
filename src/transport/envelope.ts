/**
 * Sealed signaling envelopes: what browsers send each other through the untrusted
 * signaling server (SDP offers/answers and ICE candidates).
 *
 * Wire form: base64url( version (1 byte) ‖ nonce (24 bytes) ‖ XChaCha20-Poly1305 ciphertext )
 * under the room's signalKey (room-keys.ts), with associated data
 * "parley/envelope/v1" ‖ roomId ‖ sender member id ‖ recipient member id, so the server can
 * neither read an envelope nor move it to another room, sender or recipient.
 *
 * Plaintext: JSON `{ sid, seq, kind: 'hello' }` or `{ sid, seq, kind: 'signal', to, data }`.
 * `sid` is a random 16-byte session nonce of the sender's tab, `seq` counts up from 0 per
 * sender session. Freshness (against a server replaying envelopes recorded earlier, even
 * if it hands out the same member ids again): every party announces its own sid in a
 * `hello`; a `signal` names the recipient's sid in `to`, and the recipient refuses any
 * other. Within a session the recipient keeps the highest seq per (sender, sid) and
 * refuses seq ≤ last. A replayed or forged `hello` can at most make signals fail (denial
 * of service, which the server can cause anyway by dropping messages).
 *
 * Security assumption: only people holding the room link know signalKey. Everyone who
 * holds it can seal as any member id: this layer keeps the server out, not insiders
 * (DESIGN §1 step 3 adds per-party identity keys for that).
 * References: RFC 8439 (ChaCha20-Poly1305); draft-irtf-cfrg-xchacha (XChaCha20).
 */
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { bytesToUtf8, concatBytes, randomBytes, utf8ToBytes } from '@noble/ciphers/utils.js';
import { LIMITS } from '../shared/signaling.ts';
import { decodeBase64url, encodeBase64url } from './base64url.ts';

export const ENVELOPE_VERSION = 1;
const NONCE_BYTES = 24;
const TAG_BYTES = 16;
const SID_PATTERN = /^[A-Za-z0-9_-]{21}[AQgw]$/;

/** The subset of simple-peer's signal messages a data-channel-only link emits. */
export type SignalData =
  | { type: 'offer' | 'answer' | 'pranswer' | 'rollback'; sdp: string }
  | { type: 'candidate'; candidate: IceCandidateData }
  | { type: 'renegotiate'; renegotiate: true };

export interface IceCandidateData {
  candidate: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
  usernameFragment?: string | null;
}

export type EnvelopeBody = { kind: 'hello' } | { kind: 'signal'; /** recipient's sid */ to: string; data: SignalData };
export type EnvelopePlain = EnvelopeBody & { sid: string; seq: number };

/** Who sends to whom, in which room: bound into the AEAD as associated data. */
export interface EnvelopeAddress {
  roomId: string;
  from: string;
  to: string;
}

export type EnvelopeRejection =
  | 'MALFORMED' // not base64url, too short, too long, unknown version
  | 'AUTH_FAILED' // wrong key, tampered, or sealed for another room/sender/recipient
  | 'BAD_PAYLOAD' // authentic but not a valid plaintext (a key holder sent nonsense)
  | 'WRONG_SESSION' // addressed to an earlier session of ours (replay across sessions)
  | 'REPLAY'; // seq not above the last one seen from that sender session

export type OpenResult = { ok: true; value: EnvelopePlain } | { ok: false; reason: EnvelopeRejection; message: string };

const reject = (reason: EnvelopeRejection, message: string): OpenResult => ({ ok: false, reason, message });

function associatedData(a: EnvelopeAddress): Uint8Array {
  // The three fields are fixed-length base64url ids, so joining with '\n' is unambiguous.
  return utf8ToBytes(`parley/envelope/v${ENVELOPE_VERSION}\n${a.roomId}\n${a.from}\n${a.to}`);
}

/** Seal one plaintext. Throws RangeError if the result would exceed LIMITS.maxEnvelopeChars. */
export function sealEnvelope(key: Uint8Array, address: EnvelopeAddress, plain: EnvelopePlain): string {
  const nonce = randomBytes(NONCE_BYTES);
  const ct = xchacha20poly1305(key, nonce, associatedData(address)).encrypt(utf8ToBytes(JSON.stringify(plain)));
  const out = encodeBase64url(concatBytes(Uint8Array.of(ENVELOPE_VERSION), nonce, ct));
  if (out.length > LIMITS.maxEnvelopeChars) throw new RangeError(`sealed envelope of ${out.length} chars exceeds ${LIMITS.maxEnvelopeChars}`);
  return out;
}

/** Decrypt and validate one envelope (no replay check; see EnvelopeSession). Never throws. */
export function openEnvelope(key: Uint8Array, address: EnvelopeAddress, data: unknown): OpenResult {
  if (typeof data !== 'string') return reject('MALFORMED', 'envelope is not a string');
  if (data.length > LIMITS.maxEnvelopeChars) return reject('MALFORMED', `envelope of ${data.length} chars exceeds ${LIMITS.maxEnvelopeChars}`);
  const bytes = decodeBase64url(data);
  if (!bytes) return reject('MALFORMED', 'envelope is not canonical base64url');
  if (bytes.length < 1 + NONCE_BYTES + TAG_BYTES) return reject('MALFORMED', `envelope of ${bytes.length} bytes is too short`);
  if (bytes[0] !== ENVELOPE_VERSION) return reject('MALFORMED', `envelope version ${bytes[0]}, expected ${ENVELOPE_VERSION}`);
  let pt: Uint8Array;
  try {
    pt = xchacha20poly1305(key, bytes.subarray(1, 1 + NONCE_BYTES), associatedData(address)).decrypt(bytes.subarray(1 + NONCE_BYTES));
  } catch {
    return reject('AUTH_FAILED', 'envelope failed authentication (wrong key, tampered, or re-addressed)');
  }
  let json: unknown;
  try {
    json = JSON.parse(bytesToUtf8(pt));
  } catch {
    return reject('BAD_PAYLOAD', 'envelope plaintext is not JSON');
  }
  const plain = parsePlain(json);
  return typeof plain === 'string' ? reject('BAD_PAYLOAD', plain) : { ok: true, value: plain };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isSid = (v: unknown): v is string => typeof v === 'string' && SID_PATTERN.test(v);
const isOptString = (v: unknown) => v === undefined || v === null || typeof v === 'string';

function parsePlain(o: unknown): EnvelopePlain | string {
  if (!isObject(o)) return 'plaintext is not an object';
  if (!isSid(o.sid)) return 'plaintext: bad sid';
  if (typeof o.seq !== 'number' || !Number.isSafeInteger(o.seq) || o.seq < 0) return 'plaintext: bad seq';
  const { sid, seq } = o;
  if (o.kind === 'hello') return { sid, seq, kind: 'hello' };
  if (o.kind !== 'signal') return `plaintext: unknown kind ${JSON.stringify(o.kind)}`;
  if (!isSid(o.to)) return 'signal: bad recipient sid';
  const data = parseSignalData(o.data);
  return typeof data === 'string' ? `signal: ${data}` : { sid, seq, kind: 'signal', to: o.to, data };
}

/** Validate and rebuild a simple-peer signal (extra fields dropped). */
export function parseSignalData(d: unknown): SignalData | string {
  if (!isObject(d)) return 'data is not an object';
  switch (d.type) {
    case 'offer':
    case 'answer':
    case 'pranswer':
    case 'rollback':
      if (typeof d.sdp !== 'string') return `${d.type}: sdp must be a string`;
      return { type: d.type, sdp: d.sdp };
    case 'candidate': {
      const c = d.candidate;
      if (!isObject(c) || typeof c.candidate !== 'string') return 'candidate: malformed';
      if (!isOptString(c.sdpMid) || !isOptString(c.usernameFragment)) return 'candidate: malformed';
      const idx = c.sdpMLineIndex;
      if (!(idx === undefined || idx === null || (Number.isInteger(idx) && (idx as number) >= 0 && (idx as number) < 1024))) return 'candidate: bad sdpMLineIndex';
      const candidate: IceCandidateData = { candidate: c.candidate };
      if (c.sdpMid !== undefined) candidate.sdpMid = c.sdpMid as string | null;
      if (idx !== undefined) candidate.sdpMLineIndex = idx as number | null;
      if (c.usernameFragment !== undefined) candidate.usernameFragment = c.usernameFragment as string | null;
      return { type: 'candidate', candidate };
    }
    case 'renegotiate':
      if (d.renegotiate !== true) return 'renegotiate: malformed';
      return { type: 'renegotiate', renegotiate: true };
    default:
      return `unknown signal type ${JSON.stringify(d.type)}`;
  }
}

/** Sender sessions remembered for replay checks; beyond this, new ones are refused (fail closed). */
const MAX_TRACKED_SESSIONS = 4096;

/**
 * One tab's envelope state: its own sid and seq counter, and the replay window for what it
 * receives. Member ids come from the server (welcome / relay `from`).
 */
export class EnvelopeSession {
  readonly sid = encodeBase64url(randomBytes(16));
  private seq = 0;
  private readonly lastSeq = new Map<string, number>();

  constructor(
    private readonly key: Uint8Array,
    private readonly roomId: string,
  ) {}

  seal(from: string, to: string, body: EnvelopeBody): string {
    const plain: EnvelopePlain = { ...body, sid: this.sid, seq: this.seq++ };
    return sealEnvelope(this.key, { roomId: this.roomId, from, to }, plain);
  }

  /** Open an envelope relayed `from` a member to us (`self`), with freshness checks. */
  open(from: string, self: string, data: unknown): OpenResult {
    const r = openEnvelope(this.key, { roomId: this.roomId, from, to: self }, data);
    if (!r.ok) return r;
    const p = r.value;
    if (p.kind === 'signal' && p.to !== this.sid) return reject('WRONG_SESSION', 'signal addressed to another session of this member');
    const k = `${from}/${p.sid}`;
    const last = this.lastSeq.get(k);
    if (last !== undefined && p.seq <= last) return reject('REPLAY', `seq ${p.seq} not above ${last}`);
    if (last === undefined && this.lastSeq.size >= MAX_TRACKED_SESSIONS) return reject('REPLAY', 'too many sender sessions');
    this.lastSeq.set(k, p.seq);
    return r;
  }
}
