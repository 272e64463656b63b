/**
 * Per-session identity keys and the identity handshake on a fresh data channel (DESIGN §1
 * step 3). The group safety code is in safety-exchange.ts.
 *
 * Every tab makes an Ed25519 key pair for its room session (separate from any long-term
 * key that names the host in the link). Right after a data channel
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
 * room link can sit in the middle with keys of her own. That is what the group safety code
 * catches (safety-exchange.ts: a short authentication string over a commit-then-reveal
 * exchange that runs on the same channel right after this handshake). The commitment to
 * the key in flight 1 only stops a peer from choosing its key after seeing ours on this
 * one connection; the code's resistance to grinding comes from the exchange, not from it.
 *
 * References: RFC 8032 (Ed25519), RFC 8122 (SDP fingerprints), ZRTP RFC 6189 §4.4.1.1
 * (hash commitment before the key).
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, randomBytes } from '@noble/hashes/utils.js';
import { equalBytes } from '@noble/curves/utils.js';
import { MpcError } from '../core/errors.ts';
import { encodeBase64url } from './base64url.ts';
import { lengthPrefixed as lp } from '../core/codec.ts';

export const IDENTITY_DOMAIN = 'parley/identity/v1';
const COMMIT_DOMAIN = 'parley/identity/v1/commit';

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
