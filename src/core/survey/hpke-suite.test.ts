/**
 * The survey HPKE suite against RFC 9180 Appendix A.1.1 (DHKEM(X25519, HKDF-SHA256),
 * HKDF-SHA256, AES-128-GCM, base mode, sequence 0) and against stock @hpke/core both ways:
 * the adapters replace the KDF and AEAD, so any slip there changes every byte. Both variants:
 * portable (WebCrypto X25519, @noble HKDF and AES-GCM, as in the browser) and native
 * (node:crypto, as in the Node aggregator).
 */
import { Aes128Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/core';
import { describe, expect, it } from 'vitest';
import { nodeCrypto, surveyHpkeSuite } from './hpke-suite';

const surveyNative = (native: boolean) => surveyHpkeSuite({ native });
const hex = (s: string) => Uint8Array.from(s.match(/../g)!.map((b) => parseInt(b, 16)));
const toHex = (b: ArrayBuffer | Uint8Array) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, '0')).join('');
const buf = (u: Uint8Array) => u.slice().buffer;

const A11 = {
  info: '4f6465206f6e2061204772656369616e2055726e',
  ikmE: '7268600d403fce431561aef583ee1613527cff655c1343f29812e66706df3234',
  pkRm: '3948cfe0ad1ddb695d780e59077195da6c56506b027329794ab02bca80815c4d',
  skRm: '4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8',
  enc: '37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431',
  pt: '4265617574792069732074727574682c20747275746820626561757479',
  aad: '436f756e742d30',
  ct: 'f938558b5d72f1a23810b4be2ab4f84331acc02fc97babc53a52ae8218a355a96d8770ac83d07bea87e13c512a',
};

describe.each([false, true])('survey HPKE suite (native %s)', (native) => {
  const surveyHpkeSuite = () => surveyNative(native);
  it('seals exactly RFC 9180 A.1.1 (sequence 0) from its ephemeral key', async () => {
    const suite = surveyHpkeSuite();
    const pkR = await suite.kem.deserializePublicKey(buf(hex(A11.pkRm)));
    const { enc, ct } = await suite.seal({ recipientPublicKey: pkR, info: buf(hex(A11.info)), ekm: buf(hex(A11.ikmE)) }, buf(hex(A11.pt)), buf(hex(A11.aad)));
    expect(toHex(enc)).toBe(A11.enc);
    expect(toHex(ct)).toBe(A11.ct);
  });

  it('opens RFC 9180 A.1.1 with the recipient key, and refuses a flipped bit', async () => {
    const suite = surveyHpkeSuite();
    const skR = await suite.kem.importKey('raw', buf(hex(A11.skRm)), false);
    const pkR = await suite.kem.deserializePublicKey(buf(hex(A11.pkRm)));
    const recipientKey = { privateKey: skR, publicKey: pkR };
    const pt = await suite.open({ recipientKey, enc: buf(hex(A11.enc)), info: buf(hex(A11.info)) }, buf(hex(A11.ct)), buf(hex(A11.aad)));
    expect(toHex(pt)).toBe(A11.pt);
    const bad = hex(A11.ct);
    bad[3] ^= 1;
    await expect(suite.open({ recipientKey, enc: buf(hex(A11.enc)), info: buf(hex(A11.info)) }, buf(bad), buf(hex(A11.aad)))).rejects.toThrow();
  });

  it('interoperates with stock @hpke/core in both directions', async () => {
    const ours = surveyHpkeSuite();
    const other = surveyNative(!native);
    const stock = new CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new HkdfSha256(), aead: new Aes128Gcm() });
    const keys = (await crypto.subtle.generateKey({ name: 'X25519' }, false, ['deriveBits'])) as CryptoKeyPair;
    const info = buf(new TextEncoder().encode('parley test'));
    const aad = buf(Uint8Array.of(1, 2, 3));
    for (const [from, to] of [
      [ours, stock],
      [stock, ours],
      [ours, other],
      [other, ours],
    ] as const) {
      const msg = crypto.getRandomValues(new Uint8Array(77));
      const { enc, ct } = await from.seal({ recipientPublicKey: keys.publicKey, info }, buf(msg), aad);
      expect(toHex(await to.open({ recipientKey: keys, enc, info }, ct, aad))).toBe(toHex(msg));
    }
  });
});

describe('survey HPKE suite, native', () => {
  it('is the default in Node, and refuses a low-order encapsulated key as WebCrypto does', async () => {
    expect(nodeCrypto).toBeDefined();
    const keys = (await crypto.subtle.generateKey({ name: 'X25519' }, false, ['deriveBits'])) as CryptoKeyPair;
    const zero = buf(new Uint8Array(32)); // the point 0: every shared secret with it is zero
    const ct = buf(new Uint8Array(40));
    for (const native of [true, false]) {
      await expect(surveyHpkeSuite({ native }).open({ recipientKey: keys, enc: zero, info: buf(Uint8Array.of(1)) }, ct)).rejects.toThrow();
    }
  });
});
