/**
 * The HPKE suite surveys use (RFC 9180 base mode, DHKEM(X25519, HKDF-SHA256) / HKDF-SHA256 /
 * AES-128-GCM, DAP's suite), built from @hpke/core's own CipherSuite and KEM with two of its
 * documented extension points filled differently: the KDF and the AEAD.
 *
 * Why: @hpke/core runs every HMAC of HKDF through WebCrypto (import a key, sign, await), about
 * 25 asynchronous WebCrypto calls per open. An aggregator opens one share per report, and those
 * calls were a third of its time (≈ 2.5–3.8 ms per open at load 10, against 155 µs for the
 * X25519 itself). HMAC-SHA-256 and AES-GCM from @noble/hashes and @noble/ciphers (audited,
 * already Parley's primitives) run synchronously on a few dozen bytes. The X25519 stays
 * WebCrypto's, so aggregator private keys stay non-extractable CryptoKeys.
 *
 * What stays the library's: the KEM (encap/decap, ExtractAndExpand, the kem_context), the key
 * schedule (labels, suite ids, key_schedule_context) and the nonce sequence. What is ours: the
 * eight-line HKDF and AEAD adapters below. hpke-suite.test.ts checks the whole construction
 * against RFC 9180 Appendix A.1.1 and against stock @hpke/core in both directions.
 */
import { gcm } from '@noble/ciphers/aes.js';
import { extract as hkdfExtract, expand as hkdfExpand } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes as concat } from '../codec';
import { AeadId, CipherSuite, DhkemX25519HkdfSha256, KdfId, type AeadEncryptionContext, type AeadInterface, type KdfInterface } from '@hpke/core';

type Bytes = ArrayBufferLike | ArrayBufferView;
const u8 = (b: Bytes): Uint8Array => (ArrayBuffer.isView(b) ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : new Uint8Array(b));
/** A fresh ArrayBuffer holding exactly these bytes (the library's interfaces return ArrayBuffer). */
const ab = (b: Uint8Array): ArrayBuffer => b.slice().buffer;

const HPKE_V1 = new TextEncoder().encode('HPKE-v1');

/** HKDF-SHA256 with RFC 9180's labelled forms (§4), synchronous inside. */
class NobleHkdfSha256 implements KdfInterface {
  readonly id = KdfId.HkdfSha256;
  readonly hashSize = 32;
  private suiteId = new Uint8Array(0);

  init(suiteId: Uint8Array): void {
    this.suiteId = suiteId.slice();
  }
  buildLabeledIkm(label: Uint8Array, ikm: Uint8Array): Uint8Array {
    return concat(HPKE_V1, this.suiteId, label, ikm);
  }
  buildLabeledInfo(label: Uint8Array, info: Uint8Array, len: number): Uint8Array {
    return concat(Uint8Array.of(len >>> 8, len & 255), HPKE_V1, this.suiteId, label, info);
  }
  async extract(salt: Bytes, ikm: Bytes): Promise<ArrayBuffer> {
    // RFC 5869: an empty salt is hashSize zero bytes, which noble does itself
    return ab(hkdfExtract(sha256, u8(ikm), u8(salt).length ? u8(salt) : undefined));
  }
  async expand(prk: Bytes, info: Bytes, len: number): Promise<ArrayBuffer> {
    return ab(hkdfExpand(sha256, u8(prk), u8(info), len));
  }
  async extractAndExpand(salt: Bytes, ikm: Bytes, info: Bytes, len: number): Promise<ArrayBuffer> {
    return this.expand(await this.extract(salt, ikm), info, len);
  }
  async labeledExtract(salt: Bytes, label: Uint8Array, ikm: Uint8Array): Promise<ArrayBuffer> {
    return this.extract(salt, this.buildLabeledIkm(label, ikm));
  }
  async labeledExpand(prk: Bytes, label: Uint8Array, info: Uint8Array, len: number): Promise<ArrayBuffer> {
    return this.expand(prk, this.buildLabeledInfo(label, info, len), len);
  }
}

class NobleAes128Gcm implements AeadInterface {
  readonly id = AeadId.Aes128Gcm;
  readonly keySize = 16;
  readonly nonceSize = 12;
  readonly tagSize = 16;
  createEncryptionContext(key: Bytes): AeadEncryptionContext {
    const k = u8(key).slice();
    return {
      seal: async (iv, data, aad) => ab(gcm(k, u8(iv), u8(aad)).encrypt(u8(data))),
      open: async (iv, data, aad) => ab(gcm(k, u8(iv), u8(aad)).decrypt(u8(data))),
    };
  }
}

/** DHKEM(X25519, HKDF-SHA256) with WebCrypto's X25519 and the synchronous HKDF. */
class DhkemX25519NobleHkdf extends DhkemX25519HkdfSha256 {
  constructor() {
    super();
    const kdf = new NobleHkdfSha256();
    // suite_id = "KEM" ‖ I2OSP(kem_id, 2), as the base class gave its own KDF (RFC 9180 §4.1)
    kdf.init(concat(new TextEncoder().encode('KEM'), Uint8Array.of(0x00, 0x20)));
    this._kdf = kdf;
    // decap serialises the recipient's own public key on every open (a WebCrypto export);
    // an aggregator opens thousands of shares to the same key, so remember it per CryptoKey
    const prim = this._prim;
    const serialized = new WeakMap<CryptoKey, Promise<ArrayBuffer>>();
    this._prim = Object.assign(Object.create(prim) as typeof prim, {
      serializePublicKey(key: CryptoKey): Promise<ArrayBuffer> {
        let p = serialized.get(key);
        if (!p) {
          p = prim.serializePublicKey(key);
          serialized.set(key, p);
          p.catch(() => serialized.delete(key));
        }
        return p.then((b) => b.slice(0));
      },
    });
  }
}

export function surveyHpkeSuite(): CipherSuite {
  return new CipherSuite({ kem: new DhkemX25519NobleHkdf(), kdf: new NobleHkdfSha256(), aead: new NobleAes128Gcm() });
}
