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
 *
 * In Node (the `parley survey-aggregate` process, its prep threads, the bench), the same three
 * primitives come from node:crypto (OpenSSL), synchronously: X25519 `diffieHellman` on the
 * same non-extractable CryptoKey (`KeyObject.from`, no export), the peer's 32-byte key as a
 * KeyObject, HMAC-SHA-256 and AES-128-GCM. Why: after the Prio3 work (fast-sum.ts) HPKE was the
 * largest part of an aggregator's time, and a third of it was WebCrypto's per-call machinery
 * (importKey of each encapsulated key, a thread-pool job per deriveBits) and JavaScript AES.
 * The browser keeps WebCrypto and @noble (node:crypto is looked up at run time, never imported).
 * The tests run both variants against the RFC vector and stock @hpke/core.
 */
import type * as NodeCrypto from 'node:crypto';
import { gcm } from '@noble/ciphers/aes.js';
import { extract as hkdfExtract, expand as hkdfExpand } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes as concat } from '../codec';
import { AeadId, CipherSuite, DhkemX25519HkdfSha256, KdfId, type AeadEncryptionContext, type AeadInterface, type KdfInterface } from '@hpke/core';

type Bytes = ArrayBufferLike | ArrayBufferView;
const u8 = (b: Bytes): Uint8Array => (ArrayBuffer.isView(b) ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : new Uint8Array(b));
/** A fresh ArrayBuffer holding exactly these bytes (the library's interfaces return ArrayBuffer). */
const ab = (b: Uint8Array): ArrayBuffer => new Uint8Array(b).buffer; // a copy (Buffer#slice would share the pool)

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

/** node:crypto when this runs in Node (process.getBuiltinModule, Node ≥ 20.16), else undefined. */
export const nodeCrypto: typeof NodeCrypto | undefined = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.('node:crypto') as
  | typeof NodeCrypto
  | undefined;

/** HKDF-SHA256 (RFC 5869) on node:crypto's HMAC, with the same labelled forms. */
class NodeHkdfSha256 extends NobleHkdfSha256 {
  constructor(private readonly node: typeof NodeCrypto) {
    super();
  }
  override async extract(salt: Bytes, ikm: Bytes): Promise<ArrayBuffer> {
    const s = u8(salt);
    return ab(this.node.createHmac('sha256', s.length ? s : new Uint8Array(32)).update(u8(ikm)).digest());
  }
  override async expand(prk: Bytes, info: Bytes, len: number): Promise<ArrayBuffer> {
    if (len > 255 * 32) throw new Error('HKDF-Expand: output too long');
    const out = new Uint8Array(len);
    let t: Uint8Array = new Uint8Array(0);
    for (let i = 1, o = 0; o < len; i++, o += 32) {
      t = this.node.createHmac('sha256', u8(prk)).update(t).update(u8(info)).update(Uint8Array.of(i)).digest();
      out.set(t.subarray(0, Math.min(32, len - o)), o);
    }
    return ab(out);
  }
}

class NodeAes128Gcm implements AeadInterface {
  readonly id = AeadId.Aes128Gcm;
  readonly keySize = 16;
  readonly nonceSize = 12;
  readonly tagSize = 16;
  constructor(private readonly node: typeof NodeCrypto) {}
  createEncryptionContext(key: Bytes): AeadEncryptionContext {
    const k = u8(key).slice();
    const node = this.node;
    return {
      seal: async (iv, data, aad) => {
        const c = node.createCipheriv('aes-128-gcm', k, u8(iv));
        c.setAAD(u8(aad));
        return ab(concat(c.update(u8(data)), c.final(), c.getAuthTag()));
      },
      open: async (iv, data, aad) => {
        const d = u8(data);
        if (d.length < 16) throw new Error('ciphertext shorter than the tag');
        const c = node.createDecipheriv('aes-128-gcm', k, u8(iv));
        c.setAAD(u8(aad));
        c.setAuthTag(d.subarray(d.length - 16));
        return ab(concat(c.update(d.subarray(0, d.length - 16)), c.final()));
      },
    };
  }
}

/** DHKEM(X25519, HKDF-SHA256) with WebCrypto's X25519 (or node:crypto's) and the synchronous HKDF. */
class DhkemX25519NobleHkdf extends DhkemX25519HkdfSha256 {
  constructor(node?: typeof NodeCrypto) {
    super();
    const kdf = node ? new NodeHkdfSha256(node) : new NobleHkdfSha256();
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
    if (node) this._prim = nodeX25519(node, this._prim);
  }
}

/**
 * The KEM's X25519 on node:crypto: public keys as KeyObjects (from the 32 raw bytes), CryptoKeys
 * (the aggregator's own, WebCrypto's ephemeral ones) used through KeyObject.from, and the
 * all-zero shared secret refused as WebCrypto refuses it (RFC 9180 §7.1.4).
 */
function nodeX25519<T extends DhkemX25519HkdfSha256['_prim']>(node: typeof NodeCrypto, prim: T): T {
  const objects = new WeakMap<object, NodeCrypto.KeyObject>();
  const keyObject = (k: unknown): NodeCrypto.KeyObject => {
    if (k instanceof node.KeyObject) return k;
    let o = objects.get(k as object);
    if (!o) {
      o = node.KeyObject.from(k as CryptoKey);
      objects.set(k as object, o);
    }
    return o;
  };
  return Object.assign(Object.create(prim) as T, {
    async deserializePublicKey(raw: ArrayBuffer): Promise<NodeCrypto.KeyObject> {
      if (raw.byteLength !== 32) throw new Error('X25519 public key must be 32 bytes');
      // a JWK, not SPKI DER: OpenSSL 3's DER decoder took 125 µs per key here, the JWK path 17 µs
      return node.createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: Buffer.from(raw).toString('base64url') }, format: 'jwk' });
    },
    async serializePublicKey(key: unknown): Promise<ArrayBuffer> {
      if (key instanceof node.KeyObject) return ab(Buffer.from(String(key.export({ format: 'jwk' }).x), 'base64url'));
      return prim.serializePublicKey(key as CryptoKey);
    },
    async dh(sk: unknown, pk: unknown): Promise<ArrayBuffer> {
      const z = node.diffieHellman({ privateKey: keyObject(sk), publicKey: keyObject(pk) });
      if (z.every((b) => b === 0)) throw new Error('X25519: all-zero shared secret');
      return ab(z);
    },
  });
}

/** The suite; `native` (default: when node:crypto is there) takes X25519, HMAC and AES-GCM from node:crypto. */
export function surveyHpkeSuite({ native = nodeCrypto !== undefined }: { native?: boolean } = {}): CipherSuite {
  const node = native ? nodeCrypto : undefined;
  if (native && !node) throw new Error('surveyHpkeSuite: node:crypto is not available here');
  return new CipherSuite({
    kem: new DhkemX25519NobleHkdf(node),
    kdf: node ? new NodeHkdfSha256(node) : new NobleHkdfSha256(),
    aead: node ? new NodeAes128Gcm(node) : new NobleAes128Gcm(),
  });
}
