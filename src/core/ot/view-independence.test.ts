/**
 * View independence of the OT-extension messages (issue 10 part 4): the extension sender
 * (the observer: it holds Δ and one key of every base-OT pair) sees the receiver's message u
 * and derives its rows q. Both must look the same whatever the receiver's choice bits are.
 * Each test runs the real IKNP / SoftSpokenOT code on two different secrets (all choices 0,
 * all choices 1) and compares the observer's views with the two-sample tests of
 * test-stats.test-helpers.ts. Each comes with negative controls of the size it claims to
 * catch: a 1 % bias planted in the message, and a receiver that masks two of its columns
 * with a key the observer knows (the real code with a mis-built key pair, or the mask left
 * off), which must fail the same test.
 *
 * Sample size: 2^20 words of u per secret, so a bit-frequency difference of
 * detectableBitDifference(2^20, 7.5) ≈ 0.86 % is caught with probability ≥ 1 − 10^-6; the
 * planted 1 % leaks sit ≈ 14σ out, missed with probability < 10^-11.
 * Unseeded (the code under test draws its own GGM seeds), so the threshold is RANDOM_SIGMAS
 * = 7.5: per comparison a false failure has probability ≤ 64·Φ(−7.5) ≈ 2·10^-12 (bit z) +
 * P[χ²₂₅₅ > 255 + 7.5·√510] ≈ 1.4·10^-10 (byte χ²); four comparisons: < 6·10^-10 a run.
 */
import { describe, expect, it } from 'vitest';
import { concatWords } from '../codec.ts';
import { randomBytes } from '../random.ts';
import { detectableBitDifference, leakRng, plantWordLeak, RANDOM_SIGMAS, sameDistributionOk, twoSampleBitZ, twoSampleByteChiZ } from '../test-stats.test-helpers.ts';
import { iknpReceive, iknpSend, KAPPA } from './iknp.ts';
import { softSpokenReceive, softSpokenReceiverSetup, softSpokenSend, softSpokenSenderSetup } from './softspoken.ts';

const WORDS = 1 << 20;
const BIAS = 0.01;

const bit = (a: Uint32Array, i: number): number => (a[i >>> 5] >>> (i & 31)) & 1;

function idealBaseOts() {
  const keys0 = Array.from({ length: KAPPA }, () => randomBytes(32));
  const keys1 = Array.from({ length: KAPPA }, () => randomBytes(32));
  const delta = new Uint32Array(randomBytes(16).buffer);
  return { keys0, keys1, delta, chosen: keys0.map((k, i) => (bit(delta, i) ? keys1[i] : k)) };
}

const choices = (secret: 0 | 1, m: number) => new Uint32Array(m / 32).fill(secret ? 0xffffffff : 0);

/** Concatenate `calls` extension calls' worth of observer views. */
function collect(calls: number, one: () => { u: Uint32Array; q: Uint32Array }) {
  const us: Uint32Array[] = [];
  const qs: Uint32Array[] = [];
  for (let c = 0; c < calls; c++) {
    const v = one();
    us.push(v.u);
    qs.push(v.q);
  }
  return { u: concatWords(us), q: concatWords(qs) };
}

/** Computed once, on first use (the honest views serve the test and its controls). */
function memo<T>(f: () => T): () => T {
  let v: T | undefined;
  return () => (v ??= f());
}

const words32 = (b: Uint8Array) => new Uint32Array(b.buffer, b.byteOffset, b.byteLength / 4);

function expectIndependent(a: Uint32Array, b: Uint32Array) {
  expect(a.length).toBeGreaterThanOrEqual(WORDS);
  expect({ bitZ: twoSampleBitZ(a, b) < RANDOM_SIGMAS, chiZ: twoSampleByteChiZ(a, b) < RANDOM_SIGMAS }).toEqual({ bitZ: true, chiZ: true });
}

describe('view independence of IKNP (observer: the extension sender)', () => {
  const M = 8192; // u has 128·M/32 = 32768 words per call
  const CALLS = WORDS / ((KAPPA * M) / 32);

  const views = (secret: 0 | 1, leakyColumns = 0) => {
    const base = idealBaseOts();
    // The planted leak: the receiver's key pair of a column is (k0, k0), so that column of u is
    // G(k0) ⊕ G(k0) ⊕ choices — masked by nothing the observer does not know.
    const keys1 = base.keys1.map((k, i) => (i < leakyColumns ? base.keys0[i] : k));
    const receiver = { keys0: base.keys0, keys1, calls: 0 };
    const sender = { delta: base.delta, keys: base.keys0.map((k, i) => (bit(base.delta, i) ? keys1[i] : k)), calls: 0 };
    return collect(CALLS, () => {
      const r = iknpReceive(receiver, choices(secret, M), M);
      return { u: words32(r.u), q: iknpSend(sender, r.u, M, 1).q };
    });
  };

  const honest = memo(() => [views(0), views(1)] as const);

  it('u and the sender rows q look the same for choices all 0 and all 1', () => {
    const [v0, v1] = honest();
    expectIndependent(v0.u, v1.u);
    expectIndependent(v0.q, v1.q);
  });

  it(`negative controls: a ${BIAS * 100} % bias in u, and 2 of 128 columns masked by a key the observer holds, are caught`, () => {
    const [v0, v1] = honest();
    const rng = leakRng(1);
    expect(BIAS).toBeGreaterThan(detectableBitDifference(WORDS, RANDOM_SIGMAS));
    expect(sameDistributionOk(plantWordLeak(v0.u, 0, BIAS, rng), plantWordLeak(v1.u, 0xffffffff, BIAS, rng), RANDOM_SIGMAS)).toBe(false);
    expect(sameDistributionOk(views(0, 2).u, views(1, 2).u, RANDOM_SIGMAS)).toBe(false);
  });
});

describe('view independence of SoftSpokenOT k=2 (observer: the extension sender)', () => {
  const K = 2;
  const M = 16384; // u has (128/k)·M/32 = 32768 words per call
  const CALLS = WORDS / (((KAPPA / K) * M) / 32);

  const views = (secret: 0 | 1, unmaskedBlocks = 0) => {
    const base = idealBaseOts();
    const r = softSpokenReceiverSetup(K, base.keys0, base.keys1);
    const s = softSpokenSenderSetup(K, base.delta, base.chosen, r.message, 1);
    return collect(CALLS, () => {
      const ch = choices(secret, M);
      const got = softSpokenReceive(r.state, ch, M);
      const u = words32(got.u).slice();
      // The planted leak: a receiver that leaves the PRG mask off some correction columns.
      for (let b = 0; b < unmaskedBlocks; b++) u.set(ch, b * (M / 32));
      return { u, q: softSpokenSend(s, new Uint8Array(u.buffer), M, 1).q };
    });
  };

  const honest = memo(() => [views(0), views(1)] as const);

  it('u and the sender rows q look the same for choices all 0 and all 1', () => {
    const [v0, v1] = honest();
    expectIndependent(v0.u, v1.u);
    expectIndependent(v0.q, v1.q);
  });

  it(`negative controls: a ${BIAS * 100} % bias in u, and 2 of 64 columns left unmasked, are caught`, () => {
    const [v0, v1] = honest();
    const rng = leakRng(2);
    expect(sameDistributionOk(plantWordLeak(v0.u, 0, BIAS, rng), plantWordLeak(v1.u, 0xffffffff, BIAS, rng), RANDOM_SIGMAS)).toBe(false);
    expect(sameDistributionOk(views(0, 2).u, views(1, 2).u, RANDOM_SIGMAS)).toBe(false);
  });
});
