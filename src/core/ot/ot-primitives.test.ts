import { blake3 } from '@noble/hashes/blake3.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MpcError } from '../errors.ts';
import { randomBytes } from '../random.ts';
import { KEY_BYTES, POINT_BYTES, baseOtReceive, baseOtSenderKeys, baseOtSenderStart } from './base-ot.ts';
import { columnsToRows, rowsToColumns, transpose32 } from './bit-transpose.ts';
import { hashRows, keyWords } from './cr-hash.ts';
import { iknpReceive, iknpSend, type IknpReceiver, type IknpSender } from './iknp.ts';

const bit = (a: Uint32Array, i: number): number => (a[i >>> 5] >>> (i & 31)) & 1;
const words = (n: number): Uint32Array => new Uint32Array(randomBytes(4 * n).buffer);
const eq = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

describe('cr-hash', () => {
  it('equals keyed BLAKE3 of row ⊕ mask ‖ le64(tweak), truncated to 8 bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 48, maxLength: 48 }), fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.integer({ min: 0, max: 2 ** 40 }), (key, rowBytes, maskBytes, tweak0) => {
        const rows = new Uint32Array(rowBytes.slice().buffer);
        const mask = new Uint32Array(maskBytes.slice().buffer);
        const out = new Uint32Array(6);
        hashRows(keyWords(key), rows, 3, tweak0, mask, out);
        for (let j = 0; j < 3; j++) {
          const msg = new Uint8Array(24);
          const m = new Uint32Array(msg.buffer);
          for (let k = 0; k < 4; k++) m[k] = rows[4 * j + k] ^ mask[k];
          const t = tweak0 + j;
          m[4] = t >>> 0;
          m[5] = Math.floor(t / 2 ** 32);
          expect(new Uint32Array(blake3(msg, { key, dkLen: 8 }).buffer)).toEqual(out.subarray(2 * j, 2 * j + 2));
        }
      }),
      { numRuns: 50 },
    );
  });

  it('8-word form equals keyed BLAKE3 with dkLen 32, and its first 2 words the short form', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.integer({ min: 0, max: 2 ** 40 }), (key, rowBytes, tweak0) => {
        const rows = new Uint32Array(rowBytes.slice().buffer);
        const wide = new Uint32Array(16), short = new Uint32Array(4);
        hashRows(keyWords(key), rows, 2, tweak0, new Uint32Array(4), wide, 8);
        hashRows(keyWords(key), rows, 2, tweak0, new Uint32Array(4), short);
        for (let j = 0; j < 2; j++) {
          const msg = new Uint8Array(24);
          const m = new Uint32Array(msg.buffer);
          m.set(rows.subarray(4 * j, 4 * j + 4));
          const t = tweak0 + j;
          m[4] = t >>> 0;
          m[5] = Math.floor(t / 2 ** 32);
          expect(new Uint32Array(blake3(msg, { key, dkLen: 32 }).buffer)).toEqual(wide.subarray(8 * j, 8 * j + 8));
          expect(short.subarray(2 * j, 2 * j + 2)).toEqual(wide.subarray(8 * j, 8 * j + 2));
        }
      }),
      { numRuns: 30 },
    );
  });

  it('tweak crossing 2^32 carries into the high word', () => {
    const key = keyWords(new Uint8Array(32).fill(9));
    const rows = new Uint32Array(8), out = new Uint32Array(4), ref = new Uint32Array(2);
    hashRows(key, rows, 2, 2 ** 32 - 1, new Uint32Array(4), out);
    hashRows(key, rows, 1, 2 ** 32, new Uint32Array(4), ref);
    expect(out.subarray(2, 4)).toEqual(ref);
  });
});

describe('bit-transpose', () => {
  it('transpose32 matches the definition and is an involution', () => {
    const a = words(32), b = a.slice();
    transpose32(b);
    for (let r = 0; r < 32; r++) for (let c = 0; c < 32; c++) expect(bit(b, 32 * c + r)).toBe(bit(a, 32 * r + c));
    transpose32(b);
    expect(b).toEqual(a);
  });

  it('columnsToRows: row j bit i = column i bit j; rowsToColumns inverts it', () => {
    for (const m of [32, 96, 256]) {
      const cols = words(4 * m);
      const rows = columnsToRows(cols, m);
      for (let i = 0; i < 128; i++) for (let j = 0; j < m; j++) if (bit(rows, 128 * j + i) !== bit(cols, i * m + j)) throw new Error(`mismatch at ${i},${j}`);
      expect(rowsToColumns(rows, m)).toEqual(cols);
    }
  });

  it('rejects m not a multiple of 32', () => {
    expect(() => columnsToRows(new Uint32Array(4 * 40), 40)).toThrow(RangeError);
  });
});

describe('base OT (Chou–Orlandi)', () => {
  const pair = { instance: 0, sender: 0, receiver: 1 };
  it('receiver learns exactly the chosen key', () => {
    const choices = new Uint8Array(16).map((_, i) => (i * 5) & 1);
    const sec = baseOtSenderStart();
    const r = baseOtReceive(pair, sec.A, choices);
    const k = baseOtSenderKeys(pair, sec, r.message, 16);
    for (let i = 0; i < 16; i++) {
      expect(r.keys[i].length).toBe(KEY_BYTES);
      expect(eq(r.keys[i], choices[i] ? k.k1[i] : k.k0[i])).toBe(true);
      expect(eq(r.keys[i], choices[i] ? k.k0[i] : k.k1[i])).toBe(false);
    }
  });

  it('keys depend on the ordered pair and the instance (domain separation)', () => {
    const sec = baseOtSenderStart();
    const r = baseOtReceive(pair, sec.A, new Uint8Array([0]));
    expect(eq(r.keys[0], baseOtSenderKeys(pair, sec, r.message, 1).k0[0])).toBe(true);
    expect(eq(r.keys[0], baseOtSenderKeys({ ...pair, receiver: 2 }, sec, r.message, 1).k0[0])).toBe(false);
    expect(eq(r.keys[0], baseOtSenderKeys({ ...pair, instance: 1 }, sec, r.message, 1).k0[0])).toBe(false);
  });

  it('invalid points and lengths are MALFORMED_MESSAGE blaming the peer', () => {
    const sec = baseOtSenderStart();
    const bad = new Uint8Array(POINT_BYTES).fill(0xff);
    const err = (f: () => unknown): MpcError => {
      try {
        f();
      } catch (e) {
        return e as MpcError;
      }
      throw new Error('no error');
    };
    expect(err(() => baseOtReceive(pair, bad, new Uint8Array(1)))).toMatchObject({ code: 'MALFORMED_MESSAGE', party: 0 });
    expect(err(() => baseOtReceive(pair, new Uint8Array(POINT_BYTES), new Uint8Array(1)))).toMatchObject({ code: 'MALFORMED_MESSAGE', party: 0 });
    expect(err(() => baseOtSenderKeys(pair, sec, bad, 1))).toMatchObject({ code: 'MALFORMED_MESSAGE', party: 1 });
    expect(err(() => baseOtSenderKeys(pair, sec, new Uint8Array(31), 1))).toMatchObject({ code: 'MALFORMED_MESSAGE', party: 1 });
  });
});

describe('IKNP', () => {
  it('q_j = t_j ⊕ r_j·Δ for every row, fresh across calls', () => {
    // Base OTs replaced by their ideal functionality: the sender gets k_i^{Δ_i}.
    const keys0 = Array.from({ length: 128 }, () => randomBytes(32));
    const keys1 = Array.from({ length: 128 }, () => randomBytes(32));
    const delta = words(4);
    const recv: IknpReceiver = { keys0, keys1, calls: 0 };
    const send: IknpSender = { delta, keys: keys0.map((k, i) => (bit(delta, i) ? keys1[i] : k)), calls: 0 };
    let prevT: Uint32Array | undefined;
    for (const m of [64, 320]) {
      const r = words(m / 32);
      const { u, t } = iknpReceive(recv, r, m);
      const { q } = iknpSend(send, u, m, 1);
      for (let j = 0; j < m; j++) for (let w = 0; w < 4; w++) expect(q[4 * j + w]).toBe((t[4 * j + w] ^ (bit(r, j) ? delta[w] : 0)) >>> 0);
      if (prevT) expect(t.subarray(0, 8)).not.toEqual(prevT.subarray(0, 8));
      prevT = t;
    }
  });

  it('wrong column length is MALFORMED_MESSAGE', () => {
    const send: IknpSender = { delta: words(4), keys: Array.from({ length: 128 }, () => randomBytes(32)), calls: 0 };
    expect(() => iknpSend(send, new Uint8Array(100), 32, 3)).toThrow(expect.objectContaining({ code: 'MALFORMED_MESSAGE', party: 3 }));
  });
});
