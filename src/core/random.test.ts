import { describe, expect, it } from 'vitest';
import { chacha20 } from '@noble/ciphers/chacha.js';
import { Prg, nonceFor, prg, prgU64, randomBytes, randomU64 } from './random.ts';

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

describe('random', () => {
  it('randomBytes fills more than one 64 KiB chunk', () => {
    const b = randomBytes(200_000);
    expect(b.length).toBe(200_000);
    // the last chunk is not left zero (probability 2^-(8*3392) of a false failure)
    expect(b.subarray(196_608).some((x) => x !== 0)).toBe(true);
    expect(randomU64(3).length).toBe(3);
  });

  it('prg is the ChaCha20 keystream (RFC 8439 §2.4.2 key/nonce, block counter 0)', () => {
    const key = Uint8Array.from({ length: 32 }, (_, i) => i);
    const nonce = Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0x4a, 0, 0, 0, 0]);
    // RFC 8439 §2.3.2 block function test vector is for counter 1; compare to noble at counter 1
    const ks = prg(key, 128, nonce);
    expect(hex(ks.subarray(64, 80))).toBe(hex(chacha20(key, nonce, new Uint8Array(16), undefined, 1)));
    expect(hex(ks.subarray(64, 80))).toBe('224f51f3401bd9e12fde276fb8631ded');
  });

  it('Prg pieces equal one long keystream', () => {
    const seed = randomBytes(32);
    const nonce = nonceFor(1, 2, 3);
    const whole = prg(seed, 300, nonce);
    const g = new Prg(seed, nonce);
    const parts = [g.bytes(5), g.bytes(64), g.bytes(71), g.bytes(160)];
    expect(hex(Uint8Array.from(parts.flatMap((p) => Array.from(p))))).toBe(hex(whole));
    expect(prgU64(seed, 2, nonce)[0]).toBe(new BigUint64Array(whole.slice(0, 16).buffer)[0]);
  });

  it('checks seed and nonce lengths', () => {
    expect(() => prg(new Uint8Array(16), 1)).toThrow(/32 bytes/);
  });
});
