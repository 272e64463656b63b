/**
 * Aggregator identities and the two primitives surveys need:
 * - HPKE (RFC 9180) base mode, DHKEM(X25519, HKDF-SHA256) / HKDF-SHA256 / AES-128-GCM, the
 *   suite DAP uses, from @hpke/core with a synchronous HKDF/AEAD (hpke-suite.ts): contributors seal each input share to
 *   one aggregator; aggregators seal their messages to each other.
 * - Ed25519 signatures (WebCrypto): an aggregator signs what it sends the other aggregator
 *   and the aggregate share it publishes, so the relaying server can neither forge nor
 *   reorder them.
 *
 * Both private keys are generated in the aggregator's tab as non-extractable CryptoKeys and
 * kept in that tab's IndexedDB (src/ui/features/survey/key-store.ts): the browser itself
 * refuses to export them. The public half is the 64-byte aggregator key the creator puts in
 * the descriptor; the link pins the descriptor (descriptor.ts).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { b64urlDecode, b64urlEncode } from './b64';
import { AGGREGATOR_KEY_BYTES } from './descriptor';
import { SurveyError } from './errors';
import { surveyHpkeSuite } from './hpke-suite';

const suite = surveyHpkeSuite();
/** Encapsulated key length of DHKEM(X25519): it precedes every ciphertext. */
export const HPKE_ENC_BYTES = 32;
/** AES-128-GCM tag. */
export const HPKE_TAG_BYTES = 16;

export interface AggregatorSecret {
  hpke: CryptoKeyPair;
  sign: CryptoKeyPair;
  /** The public aggregator key (base64url of X25519 ‖ Ed25519 public keys). */
  publicKey: string;
}

export async function generateAggregatorSecret(): Promise<AggregatorSecret> {
  const hpke = (await crypto.subtle.generateKey({ name: 'X25519' }, false, ['deriveBits'])) as CryptoKeyPair;
  const sign = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])) as CryptoKeyPair;
  const x = new Uint8Array(await crypto.subtle.exportKey('raw', hpke.publicKey));
  const e = new Uint8Array(await crypto.subtle.exportKey('raw', sign.publicKey));
  const both = new Uint8Array(AGGREGATOR_KEY_BYTES);
  both.set(x, 0);
  both.set(e, 32);
  return { hpke, sign, publicKey: b64urlEncode(both) };
}

/** A short, speakable fingerprint of an aggregator key to compare out of band. */
export function keyFingerprint(key: string): string {
  const h = sha256(b64urlDecode(key));
  return Array.from(h.subarray(0, 8), (b) => b.toString(16).padStart(2, '0'))
    .join('')
    .replace(/(.{4})(?!$)/g, '$1-');
}

interface PublicParts {
  hpke: CryptoKey;
  verify: CryptoKey;
}
const imported = new Map<string, Promise<PublicParts>>();

function publicParts(key: string): Promise<PublicParts> {
  let p = imported.get(key);
  if (!p) {
    const bytes = b64urlDecode(key);
    if (bytes.length !== AGGREGATOR_KEY_BYTES) throw new SurveyError('BAD_DESCRIPTOR', 'aggregator key has the wrong length');
    p = (async () => ({
      hpke: await suite.kem.deserializePublicKey(bytes.slice(0, 32).buffer),
      verify: await crypto.subtle.importKey('raw', bytes.slice(32), { name: 'Ed25519' }, false, ['verify']),
    }))();
    imported.set(key, p);
    if (imported.size > 64) imported.delete(imported.keys().next().value as string);
  }
  return p;
}

const buf = (u: Uint8Array): ArrayBuffer => u.slice().buffer;

/** HPKE SealBase: returns enc ‖ ciphertext. */
export async function sealTo(key: string, info: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Promise<Uint8Array> {
  const { hpke } = await publicParts(key);
  const { enc, ct } = await suite.seal({ recipientPublicKey: hpke, info: buf(info) }, buf(plaintext), buf(aad));
  const out = new Uint8Array(enc.byteLength + ct.byteLength);
  out.set(new Uint8Array(enc), 0);
  out.set(new Uint8Array(ct), enc.byteLength);
  return out;
}

/** HPKE OpenBase; throws BAD_REPORT (never a raw library error) when it does not open. */
export async function openWith(secret: AggregatorSecret, info: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Promise<Uint8Array> {
  if (sealed.length < HPKE_ENC_BYTES + HPKE_TAG_BYTES) throw new SurveyError('BAD_REPORT', 'sealed share too short');
  try {
    const pt = await suite.open(
      { recipientKey: secret.hpke, enc: buf(sealed.subarray(0, HPKE_ENC_BYTES)), info: buf(info) },
      buf(sealed.subarray(HPKE_ENC_BYTES)),
      buf(aad),
    );
    return new Uint8Array(pt);
  } catch {
    throw new SurveyError('BAD_REPORT', 'sealed share does not open with this aggregator key');
  }
}

export async function signWith(secret: AggregatorSecret, message: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign('Ed25519', secret.sign.privateKey, buf(message)));
}

export async function verifyFrom(key: string, signature: Uint8Array, message: Uint8Array): Promise<boolean> {
  const { verify } = await publicParts(key);
  if (signature.length !== 64) return false;
  return crypto.subtle.verify('Ed25519', verify, buf(signature), buf(message));
}
