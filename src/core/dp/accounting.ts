/**
 * Privacy accounting for the noise of src/core/dp/noise.ts: how much noise a release of
 * privacy (ε, δ) needs, and how wide its 95 % interval is. Pure numbers, no MPC.
 *
 * The noise. Z = U₁ + … + U_k − μ, where the U_i are independent uniform integers on
 * {0, …, 2^w − 1} and μ = k·(2^w − 1)/2 (k even, so μ is an integer). For w = 1 this is
 * exactly the binomial mechanism of Dwork, Kenthapadi, McSherry, Mironov, Naor, "Our Data,
 * Ourselves: Privacy via Distributed Noise Generation" (EUROCRYPT 2006): Z + m/2 ~ Bin(m, ½),
 * made of m = k fair coins. Wider w spends far fewer coins for the same spread (variance
 * k·(4^w − 1)/12 from k·w coins instead of k/4 from k), which is what keeps the noise cheap
 * inside the MPC; the coins are the only random input either way (noise.ts).
 *
 * The accounting is exact, not a bound from a theorem with loose constants: a mechanism
 * M(D) = f(D) + Z with integer f and integer noise is (ε, δ)-DP for neighbours whose f
 * differ by a shift t (|t| ≤ Δ) iff the hockey-stick divergence
 *     δ_Z(ε, t) = Σ_j max(0, P[Z = j] − e^ε · P[Z = j − t])
 * is ≤ δ for every such t (Z is symmetric, so ±t agree). We compute P[Z = j] by exact
 * convolution (sums of non-negative terms only, so floating point keeps full relative
 * precision even in the far tails) and the divergence term by term, for every shift
 * 1 … Δ. This is the "privacy profile" view of Balle & Wang, "Improving the Gaussian
 * Mechanism for Differential Privacy: Analytical Calibration and Optimal Denoising"
 * (ICML 2018) and of Meiser & Mohammadi, "Tight on Budget? Tight Bounds for r-Fold
 * Approximate Differential Privacy" (CCS 2018), applied to a finite distribution.
 *
 * Vectors. A record that can move `coordinates` outputs by at most Δ each is covered by
 * giving every coordinate (ε/c, δ/c) and basic composition (Dwork & Roth, "The Algorithmic
 * Foundations of Differential Privacy", Thm 3.16): a histogram bucket count moves by 1 in
 * two buckets when one record changes bucket (c = 2); a sum of vectors where one party's
 * vector is one record moves all L coordinates (c = L).
 *
 * Neighbouring datasets: one record replaced by another (the number of values each party
 * brings is public in Parley, so "added or removed" would be visible anyway).
 */

/** Noise shape: k uniform integers of w bits (k even). */
export interface NoiseShape {
  readonly w: number;
  readonly k: number;
}

/** The most coins one noise sample may use (bench/cases/dp.ts measures their MPC cost). */
export const MAX_COINS_PER_SAMPLE = 1024;
/** Widest uniform tried; also the largest shift (sensitivity in noise units) accepted. */
const MAX_W = 6;
export const MAX_SHIFT = 16;

/** pmf of U₁+…+U_k on {0, …, k(2^w − 1)} by direct convolution (no cancellation). */
export function noisePmf(shape: NoiseShape): Float64Array {
  const { w, k } = shape;
  const q = 2 ** w;
  let p = new Float64Array([1]);
  for (let i = 0; i < k; i++) {
    const next = new Float64Array(p.length + q - 1);
    for (let j = 0; j < p.length; j++) {
      const v = p[j] / q;
      if (v === 0) continue;
      for (let u = 0; u < q; u++) next[j + u] += v;
    }
    p = next;
  }
  return p;
}

/** Centre μ = k(2^w − 1)/2 (an integer: k is even). */
export const noiseCentre = (shape: NoiseShape): number => (shape.k * (2 ** shape.w - 1)) / 2;

/** max over shifts t = 1..maxShift of δ_Z(ε, t) (pmf given, symmetric). */
export function hockeyStick(pmf: Float64Array, epsilon: number, maxShift: number): number {
  const e = Math.exp(epsilon);
  let worst = 0;
  for (let t = 1; t <= maxShift; t++) {
    let d = 0;
    for (let j = 0; j < pmf.length + t; j++) {
      const a = j < pmf.length ? pmf[j] : 0;
      const b = j - t >= 0 && j - t < pmf.length ? pmf[j - t] : 0;
      const term = a - e * b;
      if (term > 0) d += term;
    }
    worst = Math.max(worst, d);
  }
  return worst;
}

export const noiseDelta = (shape: NoiseShape, epsilon: number, maxShift: number): number => hockeyStick(noisePmf(shape), epsilon, maxShift);

export const noiseVariance = (shape: NoiseShape): number => (shape.k * (4 ** shape.w - 1)) / 12;

/**
 * Smallest h with P[|Z| ≤ h] ≥ level (Z centred): the noisy value lies within ± h of the
 * exact one with probability ≥ level (95 % by default).
 */
export function noiseHalfWidth(shape: NoiseShape, level = 0.95): number {
  const p = noisePmf(shape);
  const mu = noiseCentre(shape);
  let mass = p[mu];
  let h = 0;
  while (mass < level && h < mu) {
    h++;
    mass += p[mu - h] + p[mu + h];
  }
  return h;
}

/**
 * The most accurate shape (least variance) within MAX_COINS_PER_SAMPLE coins whose every
 * coordinate is (ε, δ)-DP for shifts up to `maxShift`. For each w the pmf is grown one
 * uniform at a time and tested at every even k, so the first k that passes is the least
 * one. Throws RangeError when no shape within the coin limit suffices.
 */
export function calibrateNoise(epsilon: number, delta: number, maxShift: number): NoiseShape {
  if (!(epsilon > 0) || !(delta > 0) || delta >= 1 || !Number.isInteger(maxShift) || maxShift < 1 || maxShift > MAX_SHIFT) {
    throw new RangeError(`calibrateNoise needs ε > 0, 0 < δ < 1 and an integer shift in 1..${MAX_SHIFT}; got ε=${epsilon}, δ=${delta}, shift=${maxShift}`);
  }
  const key = `${epsilon}/${delta}/${maxShift}`;
  const memo = calibrated.get(key);
  if (memo) return memo;
  let best: NoiseShape | undefined;
  for (let w = 1; w <= MAX_W; w++) {
    const q = 2 ** w;
    const maxK = Math.floor(MAX_COINS_PER_SAMPLE / w);
    let p = new Float64Array([1]);
    for (let k = 1; k <= maxK; k++) {
      const next = new Float64Array(p.length + q - 1);
      for (let j = 0; j < p.length; j++) {
        const v = p[j] / q;
        for (let u = 0; u < q; u++) next[j + u] += v;
      }
      p = next;
      if (k % 2 === 0 && hockeyStick(p, epsilon, maxShift) <= delta) {
        if (!best || noiseVariance({ w, k }) < noiseVariance(best)) best = { w, k };
        break;
      }
      // Already noisier than the best found: a larger k only adds variance.
      if (best && noiseVariance({ w, k }) >= noiseVariance(best)) break;
    }
  }
  if (!best) throw new RangeError(`ε = ${epsilon} with δ = ${delta} needs more than ${MAX_COINS_PER_SAMPLE} random bits per value: choose a larger ε or δ`);
  calibrated.set(key, best);
  return best;
}

const calibrated = new Map<string, NoiseShape>();

/** One coordinate's share of a release over `coordinates` coordinates (basic composition). */
export const perCoordinate = (epsilon: number, delta: number, coordinates: number): { epsilon: number; delta: number } => ({
  epsilon: epsilon / coordinates,
  delta: delta / coordinates,
});
