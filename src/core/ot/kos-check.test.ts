/**
 * What the check tells a malicious extension sender about the receiver's choices: x =
 * Σ χ_j·x_j (kos-check.ts; t follows from x and the sender's own rows). With the 192
 * sacrificed rows x must look the same whatever the real choices are, even to a sender
 * that knows χ (one fixed χ per sample set: x is uniform given χ as soon as the sacrificed
 * rows' χ's span GF(2^128)). Two secrets (all real choices 0, all 1) compared bit by bit
 * with a two-sample z-test. Negative controls of the size claimed: a 2 % bias planted in
 * one bit of x (frequencies 0.48 vs 0.52), and the check without sacrificed rows (x = Σ χ_j
 * over the real choices), must fail.
 */
import { describe, expect, it } from 'vitest';
import { randomBytes } from '../random.ts';
import { CHECK_EXTRA_ROWS, checkChallenges, combineChoices } from './kos-check.ts';

const SAMPLES = 1 << 15; // × 128 bits each
const M = 64;

function views(secret: 0 | 1, extra: number, bias = 0): Uint32Array {
  const m = M + extra;
  const out = new Uint32Array(4 * SAMPLES);
  const chi = checkChallenges(randomBytes(32), 0, 1, 0, m);
  for (let n = 0; n < SAMPLES; n++) {
    const choice = new Uint32Array(m / 32);
    choice.fill(secret ? 0xffffffff : 0, 0, M / 32);
    if (extra) choice.set(new Uint32Array(randomBytes(extra / 8).buffer), M / 32);
    const x = combineChoices(choice, m, chi);
    // planted leak: with probability `bias` bit 0 of word 0 repeats the secret
    if (bias && Math.random() < bias * 2) x[0] = (x[0] & ~1) | secret;
    out.set(x, 4 * n);
  }
  return out;
}

/** Largest |z| over the 128 bit positions of the two samples' frequencies. */
function maxBitZ(a: Uint32Array, b: Uint32Array): number {
  let worst = 0;
  const n = a.length / 4;
  for (let i = 0; i < 128; i++) {
    let ca = 0, cb = 0;
    for (let s = 0; s < n; s++) {
      ca += (a[4 * s + (i >>> 5)] >>> (i & 31)) & 1;
      cb += (b[4 * s + (i >>> 5)] >>> (i & 31)) & 1;
    }
    const p = (ca + cb) / (2 * n);
    const z = Math.abs(ca - cb) / Math.sqrt(2 * n * p * (1 - p) || 1);
    worst = Math.max(worst, z);
  }
  return worst;
}

describe('the consistency check hides the receiver’s choices from the sender', () => {
  // 128 z-scores: 5.5σ bounds a false alarm at < 1e-5 overall. Frequencies 0.48 vs 0.52
  // in one bit give z ≈ 0.04·√n/√(2·0.25) ≈ 10 at n = 2^15 samples (caught w.p. ≫ 1 − 1e-6).
  it('x is distributed the same for real choices all 0 and all 1 (192 sacrificed rows)', () => {
    expect(maxBitZ(views(0, CHECK_EXTRA_ROWS), views(1, CHECK_EXTRA_ROWS))).toBeLessThan(5.5);
  });

  it('negative controls: a 2 % bias planted in x, and no sacrificed rows, are caught', () => {
    expect(maxBitZ(views(0, CHECK_EXTRA_ROWS, 0.02), views(1, CHECK_EXTRA_ROWS, 0.02))).toBeGreaterThan(5.5);
    expect(maxBitZ(views(0, 0), views(1, 0))).toBeGreaterThan(5.5);
  });
});
