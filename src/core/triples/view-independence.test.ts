/**
 * View independence of the triple messages (issue 10 part 4): the OT receiver (the
 * observer: it holds its choice bits and the one hashed OT output of each pair) sees the
 * sender's Gilboa corrections d_k and AND-OT bits d_j. They must look the same whatever the
 * sender's secret is. Each test runs the real gilboaSend / andSend on two different secrets
 * (all-zero and all-one inputs) over ideal random OTs (uniform hashed rows: what the
 * correlation-robust hash is assumed to give; the extension messages themselves are tested in
 * src/core/ot/view-independence.test.ts) and compares the observer's views with the
 * two-sample tests of test-stats.test-helpers.ts. Negative controls of the size each test
 * claims to catch: a planted bias, and a sender whose mask is a value the observer knows
 * (both hashed rows equal, i.e. an OT the observer can open either way) on a small fraction
 * of the products.
 *
 * Unseeded data, so the threshold is RANDOM_SIGMAS = 7.5: per comparison a false failure
 * has probability ≤ 64·Φ(−7.5) ≈ 2·10^-12 (bit z) + P[χ²₂₅₅ > 255 + 7.5·√510] ≈ 1.4·10^-10
 * (byte χ²); two comparisons: < 3·10^-10 a run. The planted 1 % / 2 % leaks sit ≈ 14σ out
 * (missed with probability < 10^-11).
 */
import { describe, expect, it } from 'vitest';
import { randomBytes, randomU64 } from '../random.ts';
import { detectableBitDifference, leakRng, plantWordLeak, RANDOM_SIGMAS, sameDistributionOk, twoSampleBitZ, twoSampleByteChiZ } from '../test-stats.test-helpers.ts';
import { andSend } from './and-ot.ts';
import { gilboaSend, GILBOA_BYTES_PER_PRODUCT } from './gilboa.ts';

function memo<T>(f: () => T): () => T {
  let v: T | undefined;
  return () => (v ??= f());
}

function expectIndependent(a: Uint32Array, b: Uint32Array, min: number) {
  expect(a.length).toBeGreaterThanOrEqual(min);
  expect({ bitZ: twoSampleBitZ(a, b) < RANDOM_SIGMAS, chiZ: twoSampleByteChiZ(a, b) < RANDOM_SIGMAS }).toEqual({ bitZ: true, chiZ: true });
}

describe('view independence of Gilboa OLE (observer: the OT receiver)', () => {
  // 65 words per product: 2^20 words of messages per secret.
  const PRODUCTS = Math.ceil((1 << 20) / (GILBOA_BYTES_PER_PRODUCT / 4));
  const BIAS = 0.01;

  /** `knownMaskEvery`: every n-th product uses h1 = h0 (its corrections are x in the clear). */
  const view = (secret: 0 | 1, knownMaskEvery = 0) => {
    const x = new BigUint64Array(PRODUCTS).fill(secret ? (1n << 64n) - 1n : 0n);
    const h0 = randomU64(64 * PRODUCTS);
    const h1 = randomU64(64 * PRODUCTS);
    if (knownMaskEvery) for (let t = 0; t < PRODUCTS; t += knownMaskEvery) h1.set(h0.subarray(64 * t, 64 * t + 64), 64 * t);
    const { message } = gilboaSend(x, h0, h1);
    return new Uint32Array(message.buffer, message.byteOffset, message.byteLength / 4);
  };
  const honest = memo(() => [view(0), view(1)] as const);

  it('the corrections look the same for x = 0 and x = 2^64 − 1', () => {
    const [v0, v1] = honest();
    expectIndependent(v0, v1, 1 << 20);
  });

  it('negative controls: a 1 % bias, and 1 product in 32 masked by a value the observer knows, are caught', () => {
    const [v0, v1] = honest();
    const rng = leakRng(3);
    expect(BIAS).toBeGreaterThan(detectableBitDifference(v0.length, RANDOM_SIGMAS));
    expect(sameDistributionOk(plantWordLeak(v0, 0, BIAS, rng), plantWordLeak(v1, 0xffffffff, BIAS, rng), RANDOM_SIGMAS)).toBe(false);
    expect(sameDistributionOk(view(0, 32), view(1, 32), RANDOM_SIGMAS)).toBe(false);
  });
});

describe('view independence of AND triples from random OT (observer: the OT receiver)', () => {
  // One message bit per AND: 2^18 words (8 M ANDs) per secret, in chunks to bound memory.
  const WORDS = 1 << 18;
  const CHUNK = 1 << 15;
  const BIAS = 0.02;

  const view = (secret: 0 | 1, knownMaskEvery = 0) => {
    const out = new Uint32Array(WORDS);
    for (let o = 0; o < WORDS; o += CHUNK) {
      const a = new Uint32Array(CHUNK).fill(secret ? 0xffffffff : 0);
      const h0 = new Uint32Array(randomBytes(4 * 64 * CHUNK).buffer);
      const h1 = new Uint32Array(randomBytes(4 * 64 * CHUNK).buffer);
      if (knownMaskEvery) for (let w = 0; w < CHUNK; w += knownMaskEvery) h1.set(h0.subarray(64 * w, 64 * w + 64), 64 * w);
      out.set(andSend(a, h0, h1).message, o);
    }
    return out;
  };
  const honest = memo(() => [view(0), view(1)] as const);

  it('the bits d_j look the same for a = 0 and a = 1', () => {
    const [v0, v1] = honest();
    expectIndependent(v0, v1, WORDS);
  });

  it('negative controls: a 2 % bias, and 1 word in 16 masked by a value the observer knows, are caught', () => {
    const [v0, v1] = honest();
    const rng = leakRng(4);
    expect(BIAS).toBeGreaterThan(detectableBitDifference(WORDS, RANDOM_SIGMAS));
    expect(sameDistributionOk(plantWordLeak(v0, 0, BIAS, rng), plantWordLeak(v1, 0xffffffff, BIAS, rng), RANDOM_SIGMAS)).toBe(false);
    expect(sameDistributionOk(view(0, 16), view(1, 16), RANDOM_SIGMAS)).toBe(false);
  });
});
