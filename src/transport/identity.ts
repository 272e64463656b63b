/**
 * Per-session identity keys, the identity handshake on a fresh data channel, and the group
 * safety code (DESIGN §1 step 3).
 *
 * Every tab makes an Ed25519 key pair for its room session. Right after a data channel
 * opens, both ends run a two-flight handshake on a mesh-internal channel tag:
 *   flight 1  offer  = 0x01 ‖ nonce (32) ‖ commitment = SHA-256(COMMIT_DOMAIN ‖ publicKey) (32)
 *   flight 2  proof  = 0x02 ‖ publicKey (32) ‖ Ed25519 signature (64)
 * each end sending its proof only after the peer's offer arrived. The signature covers
 * (IDENTITY_DOMAIN, roomId, signer's own DTLS fingerprint, verifier's fingerprint, signer's
 * nonce, verifier's nonce), each field length-prefixed. The verifier checks the signature,
 * the commitment, and that the signed "own fingerprint" is the REMOTE fingerprint in the
 * SDP of this very connection. DTLS has already proven that the other end holds the
 * certificate of that fingerprint, so a valid proof binds "the holder of this key" to "the
 * other end of this channel": a relay in the middle (which must terminate DTLS with its
 * own certificate) cannot present the honest party's signature. Nonces make a proof
 * useless on any other connection.
 *
 * What this does NOT do alone: keys are not known in advance, so an insider holding the
 * room link can sit in the middle with keys of its own. That is what the safety code
 * catches: it is derived from the room id and the sorted public keys a tab sees, so two
 * people read the same words exactly when their tabs see the same set of keys.
 * Grinding: the commitment means a key is revealed only after the peer committed to its own,
 * and the code is a memory-hard scrypt output (≈ 40 ms in a browser), so searching for a
 * colliding pair of rosters within a connection timeout is out of reach. 6 words = 48 bits.
 *
 * References: RFC 8032 (Ed25519), RFC 8122 (SDP fingerprints), RFC 7914 (scrypt),
 * ZRTP RFC 6189 §4.4.1.1 (hash commitment before the key, short authentication string).
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { scrypt } from '@noble/hashes/scrypt.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, randomBytes } from '@noble/hashes/utils.js';
import { equalBytes } from '@noble/curves/utils.js';
import { MpcError } from '../core/errors.ts';
import { decodeBase64url, encodeBase64url } from './base64url.ts';
import { SAFETY_WORDS } from './safety-words.ts';
import { lengthPrefixed as lp } from '../core/codec.ts';

export const IDENTITY_DOMAIN = 'parley/identity/v1';
const COMMIT_DOMAIN = 'parley/identity/v1/commit';
export const SAFETY_CODE_DOMAIN = 'parley/safety-code/v1';
export const SAFETY_CODE_WORDS = 6;
/** scrypt cost of the safety code; part of the code's definition (changing it changes codes). */
const SAFETY_SCRYPT = { N: 1 << 13, r: 8, p: 1 } as const;

const OFFER = 1;
const PROOF = 2;
const NONCE_BYTES = 32;
const KEY_BYTES = 32;
const SIG_BYTES = 64;
export const OFFER_BYTES = 1 + NONCE_BYTES + 32;
export const PROOF_BYTES = 1 + KEY_BYTES + SIG_BYTES;

export interface IdentityKey {
  secretKey: Uint8Array;
  publicKey: Uint8Array;
}

export function newIdentityKey(): IdentityKey {
  return ed25519.keygen();
}

export type IdentityMessage =
  | { kind: 'offer'; nonce: Uint8Array; commitment: Uint8Array }
  | { kind: 'proof'; publicKey: Uint8Array; signature: Uint8Array };

/** Validate bytes from a peer; a string says what is wrong. Never throws. */
export function decodeIdentityMessage(b: unknown): IdentityMessage | string {
  if (!(b instanceof Uint8Array)) return 'identity message is not bytes';
  if (b[0] === OFFER && b.length === OFFER_BYTES) return { kind: 'offer', nonce: b.slice(1, 33), commitment: b.slice(33) };
  if (b[0] === PROOF && b.length === PROOF_BYTES) return { kind: 'proof', publicKey: b.slice(1, 33), signature: b.slice(33) };
  return `identity message of ${b.length} bytes with type ${b[0] ?? 'none'} (expected offer ${OFFER_BYTES} or proof ${PROOF_BYTES} bytes)`;
}

export function encodeIdentityMessage(m: IdentityMessage): Uint8Array {
  return m.kind === 'offer' ? concatBytes(Uint8Array.of(OFFER), m.nonce, m.commitment) : concatBytes(Uint8Array.of(PROOF), m.publicKey, m.signature);
}

/** "sha-256 ab:cd…" and "SHA-256 AB:CD…" are the same fingerprint (RFC 8122 §5). */
export function normalizeFingerprint(fp: string): string {
  const [alg, hex] = fp.trim().split(/\s+/);
  return `${(alg ?? '').toLowerCase()} ${(hex ?? '').toUpperCase()}`;
}

export function keyCommitment(publicKey: Uint8Array): Uint8Array {
  return sha256(concatBytes(lp(COMMIT_DOMAIN), publicKey));
}

/** What a signer signs; the verifier rebuilds it from its own view of the connection. */
export function identityTranscript(roomId: string, signerFingerprint: string, verifierFingerprint: string, signerNonce: Uint8Array, verifierNonce: Uint8Array): Uint8Array {
  return concatBytes(
    lp(IDENTITY_DOMAIN),
    lp(roomId),
    lp(normalizeFingerprint(signerFingerprint)),
    lp(normalizeFingerprint(verifierFingerprint)),
    lp(signerNonce),
    lp(verifierNonce),
  );
}

export type HandshakeStep = { ok: true; reply?: Uint8Array; verified?: Uint8Array } | { ok: false; error: string };

/**
 * One end of the handshake on one connection. `start()` once the channel is open (returns
 * our offer), then `receive()` every identity frame from the peer: it returns our proof to
 * send after the peer's offer, and the peer's verified public key after its proof.
 */
export class IdentityHandshake {
  private readonly nonce = randomBytes(NONCE_BYTES);
  private peerOffer: { nonce: Uint8Array; commitment: Uint8Array } | undefined;
  private state: 'new' | 'offered' | 'proved' | 'done' | 'failed' = 'new';

  constructor(
    private readonly key: IdentityKey,
    private readonly roomId: string,
    /** DTLS fingerprints of this connection from the local and remote SDP. */
    private readonly fingerprints: () => { local: string; remote: string } | undefined,
  ) {}

  get done(): boolean {
    return this.state === 'done';
  }

  start(): Uint8Array {
    if (this.state !== 'new') throw new MpcError('INVALID_ARGUMENT', 'identity handshake already started');
    this.state = 'offered';
    return encodeIdentityMessage({ kind: 'offer', nonce: this.nonce, commitment: keyCommitment(this.key.publicKey) });
  }

  receive(bytes: Uint8Array): HandshakeStep {
    const r = this.step(bytes);
    if (!r.ok) this.state = 'failed';
    return r;
  }

  private step(bytes: Uint8Array): HandshakeStep {
    if (this.state === 'new' || this.state === 'failed') return { ok: false, error: 'identity message out of order' };
    if (this.state === 'done') return { ok: false, error: 'identity message after the handshake' };
    const m = decodeIdentityMessage(bytes);
    if (typeof m === 'string') return { ok: false, error: m };
    const fps = this.fingerprints();
    if (!fps) return { ok: false, error: 'no DTLS fingerprints in the session descriptions' };
    if (m.kind === 'offer') {
      if (this.peerOffer) return { ok: false, error: 'second identity offer' };
      this.peerOffer = m;
      this.state = 'proved';
      const signature = ed25519.sign(identityTranscript(this.roomId, fps.local, fps.remote, this.nonce, m.nonce), this.key.secretKey);
      return { ok: true, reply: encodeIdentityMessage({ kind: 'proof', publicKey: this.key.publicKey, signature }) };
    }
    if (!this.peerOffer) return { ok: false, error: 'identity proof before the offer' };
    if (!equalBytes(keyCommitment(m.publicKey), this.peerOffer.commitment)) return { ok: false, error: 'public key does not match its commitment' };
    if (equalBytes(m.publicKey, this.key.publicKey)) return { ok: false, error: 'peer presented our own public key' };
    // The peer signed ITS local fingerprint; it must be the remote one WE see on this connection.
    const transcript = identityTranscript(this.roomId, fps.remote, fps.local, this.peerOffer.nonce, this.nonce);
    let valid: boolean;
    try {
      valid = ed25519.verify(m.signature, transcript, m.publicKey);
    } catch {
      valid = false;
    }
    if (!valid) return { ok: false, error: 'identity signature does not match the DTLS fingerprint of this connection' };
    this.state = 'done';
    return { ok: true, verified: m.publicKey };
  }
}

export const encodePublicKey = (k: Uint8Array): string => encodeBase64url(k);

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/**
 * The group safety code: 6 words from the room id and every participant's public key
 * (base64url, self included, any order). Same words on two screens ⇔ same room and the
 * same set of keys (up to a 2^-48 chance). Throws INVALID_ARGUMENT on a malformed key.
 */
export function safetyCode(roomId: string, publicKeys: readonly string[]): string {
  const keys = publicKeys.map((k) => {
    const b = decodeBase64url(k);
    if (!b || b.length !== KEY_BYTES) throw new MpcError('INVALID_ARGUMENT', `public key ${JSON.stringify(k.slice(0, 50))} is not 32 bytes of base64url`);
    return b;
  });
  keys.sort(compareBytes);
  const count = new Uint8Array(4);
  new DataView(count.buffer).setUint32(0, keys.length);
  const input = concatBytes(lp(SAFETY_CODE_DOMAIN), lp(roomId), count, ...keys);
  const out = scrypt(input, SAFETY_CODE_DOMAIN, { ...SAFETY_SCRYPT, dkLen: SAFETY_CODE_WORDS });
  return Array.from(out, (b) => SAFETY_WORDS[b]).join(' ');
}
