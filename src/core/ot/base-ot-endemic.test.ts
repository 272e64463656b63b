import { ristretto255 } from '@noble/curves/ed25519.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesEqual } from '../codec.ts';
import { MpcError } from '../errors.ts';
import { ENDEMIC_OT_BYTES, ENDEMIC_POINT_BYTES, endemicReceive, endemicReceiverKeys, endemicSenderKeys, endemicSenderStart } from './base-ot-endemic.ts';

const ctx = { instance: 3, sender: 0, receiver: 1 };
const err = (f: () => unknown): MpcError => {
  try {
    f();
  } catch (e) {
    return e as MpcError;
  }
  throw new Error('no error');
};

describe('base OT (Masny–Rindal endemic OT over ristretto255)', () => {
  it('property: the receiver gets exactly k_c, never k_{1−c}, for any choice vector', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 12, max: 1 }), (choices) => {
        const sec = endemicSenderStart();
        const st = endemicReceive(ctx, choices);
        expect(st.message.length).toBe(choices.length * ENDEMIC_OT_BYTES);
        const keys = endemicReceiverKeys(ctx, st, sec.A);
        const { k0, k1 } = endemicSenderKeys(ctx, sec, st.message, choices.length);
        choices.forEach((c, i) => {
          expect(bytesEqual(keys[i], c ? k1[i] : k0[i])).toBe(true);
          expect(bytesEqual(keys[i], c ? k0[i] : k1[i])).toBe(false);
        });
      }),
      { numRuns: 12 },
    );
  });

  it('property: both halves of the receiver message are valid points whatever the choice (nothing marks r_c)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1 }), (c) => {
        const st = endemicReceive(ctx, new Uint8Array([c]));
        for (const half of [st.message.subarray(0, ENDEMIC_POINT_BYTES), st.message.subarray(ENDEMIC_POINT_BYTES)]) {
          expect(ristretto255.Point.fromBytes(half).is0()).toBe(false);
        }
      }),
      { numRuns: 10 },
    );
  });

  it('keys are bound to the instance and the ordered pair', () => {
    const sec = endemicSenderStart();
    const st = endemicReceive(ctx, new Uint8Array([0]));
    const key = endemicReceiverKeys(ctx, st, sec.A)[0];
    expect(bytesEqual(key, endemicSenderKeys(ctx, sec, st.message, 1).k0[0])).toBe(true);
    expect(bytesEqual(key, endemicSenderKeys({ ...ctx, instance: 4 }, sec, st.message, 1).k0[0])).toBe(false);
    expect(bytesEqual(key, endemicSenderKeys({ ...ctx, receiver: 2 }, sec, st.message, 1).k0[0])).toBe(false);
  });

  it('a receiver that sends points of known discrete log (r_0 = b_0·G, r_1 = b_1·G) gets neither key', () => {
    // The obvious cheat: with r_x = b_x·G it would hope M_x = r_x, but the sender uses
    // M_0 = r_0 + H(r_1) and M_1 = r_1 + H(r_0), whose logs it does not know.
    const sec = endemicSenderStart();
    const honest = endemicReceive(ctx, new Uint8Array([0]));
    const b0 = 12345n, b1 = 67890n;
    const msg = new Uint8Array(ENDEMIC_OT_BYTES);
    msg.set(ristretto255.Point.BASE.multiply(b0).toBytes(), 0);
    msg.set(ristretto255.Point.BASE.multiply(b1).toBytes(), ENDEMIC_POINT_BYTES);
    const { k0, k1 } = endemicSenderKeys(ctx, sec, msg, 1);
    const guesses = endemicReceiverKeys(ctx, { b: [b0], message: msg }, sec.A).concat(endemicReceiverKeys(ctx, { b: [b1], message: msg }, sec.A));
    for (const g of guesses) for (const k of [k0[0], k1[0]]) expect(bytesEqual(g, k)).toBe(false);
    expect(honest.message.length).toBe(ENDEMIC_OT_BYTES);
  });

  it('invalid or identity points and wrong lengths are MALFORMED_MESSAGE blaming the peer', () => {
    const sec = endemicSenderStart();
    const st = endemicReceive(ctx, new Uint8Array([1]));
    const bad = new Uint8Array(ENDEMIC_OT_BYTES).fill(0xff);
    expect(err(() => endemicReceiverKeys(ctx, st, new Uint8Array(ENDEMIC_POINT_BYTES)))).toMatchObject({ code: 'MALFORMED_MESSAGE', party: 0 });
    expect(err(() => endemicReceiverKeys(ctx, st, bad.subarray(0, 32)))).toMatchObject({ code: 'MALFORMED_MESSAGE', party: 0 });
    expect(err(() => endemicSenderKeys(ctx, sec, bad, 1))).toMatchObject({ code: 'MALFORMED_MESSAGE', party: 1 });
    expect(err(() => endemicSenderKeys(ctx, sec, new Uint8Array(ENDEMIC_OT_BYTES), 1))).toMatchObject({ code: 'MALFORMED_MESSAGE', party: 1 });
    expect(err(() => endemicSenderKeys(ctx, sec, st.message.subarray(1), 1))).toMatchObject({ code: 'MALFORMED_MESSAGE', party: 1 });
  });
});
