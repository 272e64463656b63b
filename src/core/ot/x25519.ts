/**
 * X25519 (RFC 7748) scalar multiplication at native speed where the platform offers it:
 * WebCrypto's X25519 (Node ≥ 20, Chromium ≥ 133, Firefox, Safari), with @noble/curves as
 * the fallback. Both compute exactly the same function (clamped scalar, top bit of u
 * ignored, all-zero output refused), so two parties may use different engines in one run.
 *
 * Measured beside each other by `npm run bench -- --only "base OT"` (see base-ot-twist.ts).
 */
import { x25519 as nobleX25519 } from '@noble/curves/ed25519.js';
import { randomBytes } from '../random.ts';

/** An X25519 private scalar held by one engine (a CryptoKey or raw bytes). */
export interface X25519Secret {
  /** x(k·9): the public key. */
  readonly publicKey: Uint8Array;
}

export interface X25519Engine {
  readonly name: 'webcrypto' | 'noble';
  generate(): Promise<X25519Secret>;
  /** x(k·u), 32 bytes; rejects when the result is all zero (u of small order). */
  multiply(k: X25519Secret, u: Uint8Array): Promise<Uint8Array>;
}

interface NobleSecret extends X25519Secret {
  readonly bytes: Uint8Array;
}

export const nobleEngine: X25519Engine = {
  name: 'noble',
  async generate() {
    const bytes = randomBytes(32);
    const s: NobleSecret = { bytes, publicKey: nobleX25519.getPublicKey(bytes) };
    return s;
  },
  async multiply(k, u) {
    return nobleX25519.getSharedSecret((k as NobleSecret).bytes, u);
  },
};

interface WebSecret extends X25519Secret {
  readonly key: CryptoKey;
}

function webEngine(subtle: SubtleCrypto): X25519Engine {
  const alg = { name: 'X25519' } as const;
  return {
    name: 'webcrypto',
    async generate() {
      const pair = (await subtle.generateKey(alg, false, ['deriveBits'])) as CryptoKeyPair;
      const s: WebSecret = { key: pair.privateKey, publicKey: new Uint8Array(await subtle.exportKey('raw', pair.publicKey)) };
      return s;
    },
    async multiply(k, u) {
      const pub = await subtle.importKey('raw', u as Uint8Array<ArrayBuffer>, alg, false, []);
      return new Uint8Array(await subtle.deriveBits({ name: 'X25519', public: pub }, (k as WebSecret).key, 256));
    },
  };
}

let chosen: Promise<X25519Engine> | undefined;

/**
 * WebCrypto when it works here (checked once against noble on a known-answer pair, so a
 * platform whose X25519 differs is never used), else noble.
 */
export function x25519Engine(): Promise<X25519Engine> {
  return (chosen ??= (async () => {
    const subtle = globalThis.crypto?.subtle;
    if (!subtle) return nobleEngine;
    try {
      const web = webEngine(subtle);
      const a = await web.generate();
      const b = await nobleEngine.generate();
      const ab = await web.multiply(a, b.publicKey);
      const ba = await nobleEngine.multiply(b, a.publicKey);
      if (ab.length !== 32 || ab.some((x, i) => x !== ba[i])) return nobleEngine;
      return web;
    } catch {
      return nobleEngine;
    }
  })());
}
