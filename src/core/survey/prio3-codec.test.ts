/**
 * The fast decoders of prio3-codec.ts against the library's own (the vector tests cover the
 * real fields on the draft's bytes; these cover random bytes, out-of-range elements and the
 * XOF rejection branch, which Field64/Field128 hit with probability ≈ 2^-32 / 2^-62 only).
 * Seeded by fast-check's default reproducible runs; no assertion depends on chance.
 */
import { Buffer } from 'buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Prio3Count, Prio3Sum } from '@divviup/prio3';
import { decodeElements, expandIntoVec } from './prio3-codec';

// the library's Field64 (Prio3Count) and Field128 (Prio3Sum) and its TurboSHAKE XOF, reached
// through instances so the test imports only the package Parley depends on
const count = new Prio3Count({ shares: 2 });
const sum = new Prio3Sum({ shares: 2, bits: 8 });
const XOF = sum.xof;

describe('prio3 codec fast paths', () => {
  for (const field of [count.flp.field, sum.flp.field]) {
    it(`decodeElements equals Field.decode (${field.encodedSize * 8}-bit), and refuses what it refuses`, () => {
      fc.assert(
        fc.property(fc.uint8Array({ minLength: 0, maxLength: field.encodedSize * 6 }), (bytes) => {
          let want: bigint[] | undefined;
          try {
            want = field.decode(bytes);
          } catch {
            want = undefined;
          }
          expect(decodeElements(field.modulus, field.encodedSize, bytes)).toEqual(want);
        }),
        { seed: 17, numRuns: 300 },
      );
      // an element equal to the modulus is refused
      const top = new Uint8Array(field.encodedSize);
      let m = field.modulus;
      for (let i = 0; i < top.length; i++, m >>= 8n) top[i] = Number(m & 255n);
      expect(decodeElements(field.modulus, field.encodedSize, top)).toBeUndefined();
    });
  }

  it('expandIntoVec equals Xof.expandIntoVec, including rejections', async () => {
    // a modulus just above 2^63 rejects about half the 64-bit samples
    const fields = [count.flp.field, sum.flp.field, { modulus: 2n ** 63n + 25n, encodedSize: 8 }];
    for (const field of fields) {
      for (let k = 0; k < 6; k++) {
        const seed = Buffer.alloc(16, k * 7 + 1);
        const dst = Buffer.from([1, 2, 3, k]);
        const binder = Buffer.from([k]);
        const want = await XOF.expandIntoVec(field as typeof count.flp.field, seed, dst, binder, 5 + k * 9);
        const got = await expandIntoVec({ xof: XOF, flp: { field } }, seed, dst, binder, 5 + k * 9);
        expect(got).toEqual(want);
      }
    }
  });
});
