// The joint noise in the N-party simulation on OT triples (no dealer):
// 1. its distribution matches the theory (chi-square against noisePmf) for N = 2, 3, 5, with a
//    negative control: as many (seeded) samples of half the variance fail;
// 2. the view of every coalition of N − 1 parties (the sum of their shares of each sample) is
//    independent of the noise, with a planted-leak control of the size the test claims to catch.
// The coins come from the crypto RNG (not seedable), so every threshold is set for a false
// failure probability below 1e-9 (see each one).
import { describe, expect, it } from 'vitest';
import { createFastBackend } from '../backend/fast.ts';
import type { Shared } from '../backend/types.ts';
import { runParties } from '../session/simulate.ts';
import { createTripleSource } from '../triples/triple-source.ts';
import { detectableBitDifference, leakRng, plantWordLeak, sameDistributionOk } from '../test-stats.test-helpers.ts';
import type { NoiseShape } from './accounting.ts';
import { chiSquare, chiSquareCritical, seededNoise } from './noise-stats.test-helpers.ts';
import { jointNoise } from './noise.ts';

/** The fast backend's own share vector (test-only peek: the coalition's view). */
const shareOf = (x: Shared): BigUint64Array => (x as unknown as { v: BigUint64Array }).v;

/** Every party's shares of `samples` noise values and the opened noise. */
async function sampleNoise(n: number, samples: number, shape: NoiseShape): Promise<{ shares: BigUint64Array[]; noise: number[] }> {
  const out = await runParties(
    n,
    async (s) => {
      const b = createFastBackend(s, createTripleSource(s));
      const z = await jointNoise(b, samples, shape);
      const share = shareOf(z).slice();
      return { share, opened: Array.from(await b.open(z), (u) => Number(BigInt.asIntN(64, u))) };
    },
    { timeoutMs: 240_000 },
  );
  return { shares: out.map((o) => o.share), noise: out[0].opened };
}

describe('joint noise matches its distribution', () => {
  // [N, shape, samples]; N = 5 uses fewer, cheaper samples (its b2a layers dominate the time)
  const cases: [number, NoiseShape, number][] = [
    [2, { w: 2, k: 4 }, 1500],
    [2, { w: 1, k: 16 }, 1500],
    [3, { w: 2, k: 4 }, 800],
    [5, { w: 1, k: 8 }, 500],
  ];
  for (const [n, shape, samples] of cases) {
    it(`N=${n}, w=${shape.w}, k=${shape.k}: chi-square passes; noise of half the variance fails`, { timeout: 300_000 }, async () => {
      const { noise } = await sampleNoise(n, samples, shape);
      expect(noise.length).toBe(samples);
      const right = chiSquare(noise, shape);
      // false failure ≤ 1e-10 (Chernoff bound on the chi-square tail)
      expect(right.chi).toBeLessThan(chiSquareCritical(right.df, 1e-10));
      // negative control (fixed seed, deterministic): as many samples of a mechanism whose
      // variance is half the stated one (same support) are rejected by the same threshold
      const wrong = chiSquare(seededNoise({ w: shape.w, k: shape.k / 2 }, samples, 1400 + n), shape);
      expect(wrong.chi).toBeGreaterThan(chiSquareCritical(wrong.df, 1e-10));
      // and the correct plaintext sampler passes it (the test is not simply strict)
      const control = chiSquare(seededNoise(shape, samples, 1500 + n), shape);
      expect(control.chi).toBeLessThan(chiSquareCritical(control.df, 1e-10));
    });
  }
});

describe('the view of N − 1 parties is independent of the noise', () => {
  for (const n of [2, 3]) {
    it(`N=${n}: every coalition's shares are uniform whatever the noise; a planted leak is caught`, { timeout: 300_000 }, async () => {
      // Z ∈ {−1, 0, 1}; compare the coalition's view when Z = −1 with its view when Z = +1
      const { shares, noise } = await sampleNoise(n, n === 2 ? 6000 : 3000, { w: 1, k: 2 });
      const sigmas = 8; // sameDistributionOk fails a correct protocol with probability < 1e-10 at 8σ (32 bit z-tests and one chi-square)
      for (let honest = 0; honest < n; honest++) {
        const view = noise.map((_, i) => {
          let v = 0n;
          for (let p = 0; p < n; p++) if (p !== honest) v += shares[p][i];
          return Number(BigInt.asUintN(32, v));
        });
        const a = Uint32Array.from(view.filter((_, i) => noise[i] === -1));
        const c = Uint32Array.from(view.filter((_, i) => noise[i] === 1));
        expect(Math.min(a.length, c.length)).toBeGreaterThan(n === 2 ? 1200 : 600); // Bin(6000, 1/4) < 1200 and Bin(3000, 1/4) < 600 have probability < 1e-9
        expect(sameDistributionOk(a, c, sigmas)).toBe(true);
        // negative control: a view that shows the noise in a fraction of the samples, of the
        // size the test claims to detect (with probability ≥ 1 − 1e-6)
        const m = Math.min(a.length, c.length);
        const rate = detectableBitDifference(m, sigmas);
        const rng = leakRng(77 + honest);
        expect(sameDistributionOk(plantWordLeak(a.subarray(0, m), 0xffffffff, rate, rng), plantWordLeak(c.subarray(0, m), 1, rate, rng), sigmas)).toBe(false);
      }
    });
  }
});
