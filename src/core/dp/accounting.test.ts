// The accounting against independent computations: the binomial pmf by its closed form,
// the hockey-stick divergence by its definition on exact rationals, and calibration's
// minimality (the next smaller shape fails). Deterministic (no randomness).
import { describe, expect, it } from 'vitest';
import { calibrateNoise, hockeyStick, noiseCentre, noiseDelta, noiseHalfWidth, noisePmf, noiseVariance } from './accounting.ts';

function binomialPmf(m: number): number[] {
  const out: number[] = [];
  let c = 1; // C(m, j)
  for (let j = 0; j <= m; j++) {
    out.push(c / 2 ** m);
    c = (c * (m - j)) / (j + 1);
  }
  return out;
}

describe('noise pmf', () => {
  it('w = 1 is the binomial Bin(k, 1/2) of Dwork et al. 2006', () => {
    const p = noisePmf({ w: 1, k: 40 });
    binomialPmf(40).forEach((q, j) => expect(p[j]).toBeCloseTo(q, 15));
  });
  it('w = 3, k = 2 is the triangle of two uniforms on 0..7', () => {
    const p = noisePmf({ w: 3, k: 2 });
    expect(Array.from(p, (v) => Math.round(v * 64))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(noiseCentre({ w: 3, k: 2 })).toBe(7);
  });
  it('sums to 1 and has the stated variance', () => {
    for (const shape of [{ w: 1, k: 80 }, { w: 4, k: 6 }, { w: 6, k: 4 }]) {
      const p = noisePmf(shape);
      const mu = noiseCentre(shape);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      expect(p.reduce((a, q, j) => a + q * (j - mu) ** 2, 0)).toBeCloseTo(noiseVariance(shape), 8);
    }
  });
});

describe('hockey-stick divergence', () => {
  it('matches its definition on exact rationals (two coins, shift 1)', () => {
    // Z ∈ {0,1,2} w.p. 1/4, 1/2, 1/4; against Z+1: Σ max(0, p_j − e^ε p_{j−1})
    const eps = 0.5;
    const e = Math.exp(eps);
    const want = 0.25 + Math.max(0, 0.5 - e * 0.25) + Math.max(0, 0.25 - e * 0.5) + 0;
    expect(hockeyStick(noisePmf({ w: 1, k: 2 }), eps, 1)).toBeCloseTo(want, 15);
  });
  it('is 1 − e^ε·0 for disjoint supports and falls with more noise', () => {
    expect(hockeyStick(new Float64Array([1]), 1, 1)).toBe(1);
    expect(noiseDelta({ w: 1, k: 200 }, 1, 1)).toBeLessThan(noiseDelta({ w: 1, k: 100 }, 1, 1));
  });
});

describe('calibration', () => {
  for (const [eps, delta, shift] of [[1, 1e-6, 1], [0.5, 5e-7, 1], [1, 1e-6, 4], [0.25, 2.5e-7, 1], [3, 1e-9, 2]] as const) {
    it(`ε=${eps}, δ=${delta}, shift ${shift}: passes, and the same w with k − 2 fails`, () => {
      const s = calibrateNoise(eps, delta, shift);
      expect(noiseDelta(s, eps, shift)).toBeLessThanOrEqual(delta);
      if (s.k > 2) expect(noiseDelta({ w: s.w, k: s.k - 2 }, eps, shift)).toBeGreaterThan(delta);
      // the 95 % half-width: P[|Z| ≤ h] ≥ 0.95 > P[|Z| ≤ h − 1]
      const p = noisePmf(s);
      const mu = noiseCentre(s);
      const h = noiseHalfWidth(s);
      const within = (r: number) => p.reduce((a, q, j) => a + (Math.abs(j - mu) <= r ? q : 0), 0);
      expect(within(h)).toBeGreaterThanOrEqual(0.95);
      expect(within(h - 1)).toBeLessThan(0.95);
    });
  }
  it('refuses what needs too many coins, and nonsense', () => {
    expect(() => calibrateNoise(0.01, 1e-9, 1)).toThrow(/random bits/);
    expect(() => calibrateNoise(0, 1e-6, 1)).toThrow(RangeError);
    expect(() => calibrateNoise(1, 0, 1)).toThrow(RangeError);
  });
});
