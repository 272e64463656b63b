// Goodness-of-fit of observed noise against the mechanism's exact pmf (accounting.ts), and a
// seeded plaintext sampler for negative controls: shared by the noise and release tests.
import { leakRng } from '../test-stats.test-helpers.ts';
import { type NoiseShape, noiseCentre, noisePmf } from './accounting.ts';

/**
 * Chernoff bound for the chi-square upper tail, P[χ²_df ≥ x] ≤ (x/df · e^{1 − x/df})^{df/2}:
 * the least x (step 0.5) where the bound is ≤ alpha.
 */
export function chiSquareCritical(df: number, alpha: number): number {
  let x = df;
  while ((df / 2) * (Math.log(x / df) + 1 - x / df) > Math.log(alpha)) x += 0.5;
  return x;
}

/** Pearson chi-square of observed noise values against shape's pmf (cells with expectation < 5 pooled into the tails). */
export function chiSquare(noise: number[], shape: NoiseShape): { chi: number; df: number } {
  const p = noisePmf(shape);
  const mu = noiseCentre(shape);
  const n = noise.length;
  let lo = 0;
  let hi = p.length - 1;
  let tailLo = 0;
  let tailHi = 0;
  while (lo < mu && (tailLo + p[lo]) * n < 5) tailLo += p[lo++];
  while (hi > mu && (tailHi + p[hi]) * n < 5) tailHi += p[hi--];
  // cells: [.., lo] pooled, lo+1..hi−1, [hi, ..] pooled
  const cells = hi - lo + 1;
  const expected = Array.from({ length: cells }, (_, i) => p[lo + i]);
  expected[0] += tailLo;
  expected[cells - 1] += tailHi;
  const observed = new Array<number>(cells).fill(0);
  let outside = 0;
  for (const z of noise) {
    const j = z + mu;
    if (j < 0 || j >= p.length) outside++;
    else observed[Math.min(cells - 1, Math.max(0, j - lo))]++;
  }
  if (outside) return { chi: Infinity, df: cells - 1 };
  return { chi: observed.reduce((a, o, i) => a + (o - n * expected[i]) ** 2 / (n * expected[i]), 0), df: cells - 1 };
}

/** A plaintext sampler of the noise of `shape`, seeded (for the negative controls). */
export function seededNoise(shape: NoiseShape, samples: number, seed: number): number[] {
  const rng = leakRng(seed);
  const q = 2 ** shape.w;
  return Array.from({ length: samples }, () => {
    let z = -noiseCentre(shape);
    for (let t = 0; t < shape.k; t++) z += Math.floor(rng() * q);
    return z;
  });
}
