/**
 * An aggregator's key for the Node aggregator (`parley survey-key`, `parley survey-aggregate`):
 * the same two key pairs as a tab's (X25519 for HPKE, Ed25519 for signatures), written as a
 * small JSON text the CLI stores with mode 0600. A tab keeps its keys non-extractable in
 * IndexedDB; a terminal has no such store, so the file is the secret: whoever reads it can
 * open this aggregator's shares. After reading, the keys are imported non-extractable again.
 */
import { b64urlDecode, b64urlEncode } from './b64';
import type { AggregatorSecret } from './crypto';
import { AGGREGATOR_KEY_BYTES } from './descriptor';
import { SurveyError } from './errors';

const KIND = 'parley survey aggregator key';
const buf = (u: Uint8Array): ArrayBuffer => u.slice().buffer;

interface KeyFileJson {
  kind: typeof KIND;
  version: 1;
  /** PKCS#8 of the X25519 private key, base64url. */
  hpke: string;
  /** PKCS#8 of the Ed25519 private key, base64url. */
  sign: string;
  /** The public aggregator key to give the survey's creator. */
  publicKey: string;
}

/** A new aggregator key as file text and its public key. */
export async function newAggregatorKeyFile(): Promise<{ text: string; publicKey: string }> {
  const hpke = (await crypto.subtle.generateKey({ name: 'X25519' }, true, ['deriveBits'])) as CryptoKeyPair;
  const sign = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const pub = new Uint8Array(AGGREGATOR_KEY_BYTES);
  pub.set(new Uint8Array(await crypto.subtle.exportKey('raw', hpke.publicKey)), 0);
  pub.set(new Uint8Array(await crypto.subtle.exportKey('raw', sign.publicKey)), 32);
  const body: KeyFileJson = {
    kind: KIND,
    version: 1,
    hpke: b64urlEncode(new Uint8Array(await crypto.subtle.exportKey('pkcs8', hpke.privateKey))),
    sign: b64urlEncode(new Uint8Array(await crypto.subtle.exportKey('pkcs8', sign.privateKey))),
    publicKey: b64urlEncode(pub),
  };
  return { text: `${JSON.stringify(body, null, 2)}\n`, publicKey: body.publicKey };
}

const bad = (why: string) => new SurveyError('BAD_KEY', `not a Parley aggregator key file: ${why}`);

/** Read a key file's text back into the secret runAggregator takes (keys non-extractable). */
export async function readAggregatorKeyFile(text: string): Promise<AggregatorSecret> {
  let o: Partial<KeyFileJson>;
  try {
    o = JSON.parse(text) as Partial<KeyFileJson>;
  } catch {
    throw bad('it is not JSON');
  }
  if (o?.kind !== KIND || o.version !== 1 || typeof o.hpke !== 'string' || typeof o.sign !== 'string' || typeof o.publicKey !== 'string') throw bad('fields missing');
  let pub: Uint8Array;
  let hpkePriv: CryptoKey;
  let signPriv: CryptoKey;
  try {
    pub = b64urlDecode(o.publicKey);
    hpkePriv = await crypto.subtle.importKey('pkcs8', buf(b64urlDecode(o.hpke)), { name: 'X25519' }, false, ['deriveBits']);
    signPriv = await crypto.subtle.importKey('pkcs8', buf(b64urlDecode(o.sign)), { name: 'Ed25519' }, false, ['sign']);
  } catch {
    throw bad('a key does not decode');
  }
  if (pub.length !== AGGREGATOR_KEY_BYTES) throw bad('the public key has the wrong length');
  const hpkePub = await crypto.subtle.importKey('raw', buf(pub.subarray(0, 32)), { name: 'X25519' }, true, []);
  const signPub = await crypto.subtle.importKey('raw', buf(pub.subarray(32)), { name: 'Ed25519' }, true, ['verify']);
  // the public half must belong to the private half: sign and verify once, and one DH both ways
  const probe = new TextEncoder().encode(KIND);
  const sig = await crypto.subtle.sign('Ed25519', signPriv, probe);
  if (!(await crypto.subtle.verify('Ed25519', signPub, sig, probe))) throw bad('its signing key does not match its public key');
  const eph = (await crypto.subtle.generateKey({ name: 'X25519' }, false, ['deriveBits'])) as CryptoKeyPair;
  const a = new Uint8Array(await crypto.subtle.deriveBits({ name: 'X25519', public: hpkePub }, eph.privateKey, 256));
  const b = new Uint8Array(await crypto.subtle.deriveBits({ name: 'X25519', public: eph.publicKey }, hpkePriv, 256));
  if (b64urlEncode(a) !== b64urlEncode(b)) throw bad('its encryption key does not match its public key');
  return { hpke: { privateKey: hpkePriv, publicKey: hpkePub }, sign: { privateKey: signPriv, publicKey: signPub }, publicKey: b64urlEncode(pub) };
}
