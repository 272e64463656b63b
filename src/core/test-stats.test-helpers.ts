/**
 * Statistical checks for "looks uniform" tests. Thresholds sit at 6 standard deviations
 * (chi-square: mean + 6 sd, a ~5σ tail), so a correct generator fails one check with
 * probability < 10^-6 even summed over bits, while a stuck bit or a
 * dependence between two vectors fails with near certainty at the sample sizes we use.
 */

/** Every one of the 64 bit positions is 1 in about half of the elements (|z| < sigmas). */
export function bitBalanceOk(v: BigUint64Array, sigmas = 6): boolean {
  const n = v.length;
  const ones = new Array<number>(64).fill(0);
  const w = new Uint32Array(v.buffer, v.byteOffset, n * 2);
  for (let i = 0; i < n; i++) {
    const lo = w[2 * i];
    const hi = w[2 * i + 1];
    for (let b = 0; b < 32; b++) {
      ones[b] += (lo >>> b) & 1;
      ones[32 + b] += (hi >>> b) & 1;
    }
  }
  const sd = Math.sqrt(n) / 2;
  return ones.every((k) => Math.abs(k - n / 2) < sigmas * sd);
}

/**
 * Chi-square test on the joint distribution of (low nibble of a[i], low nibble of b[i]):
 * 256 cells, 255 degrees of freedom, threshold mean + sigmas·sd. Detects dependence.
 */
export function chiSquareNibblePairsOk(a: BigUint64Array, b: BigUint64Array, sigmas = 6): boolean {
  const n = a.length;
  const cells = new Array<number>(256).fill(0);
  for (let i = 0; i < n; i++) cells[(Number(a[i] & 15n) << 4) | Number(b[i] & 15n)]++;
  const e = n / 256;
  const chi = cells.reduce((s, c) => s + ((c - e) * (c - e)) / e, 0);
  return chi < 255 + sigmas * Math.sqrt(2 * 255);
}

/** ln C(n, k) via lgamma-free summation (exact enough for n ≤ 10^6). */
function logChoose(n: number, k: number): number {
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log(n - k + i) - Math.log(i);
  return s;
}

/** P[X ≥ k] for X ~ Binomial(n, p), summed term by term (k small relative to n is fine). */
export function binomialUpperTail(n: number, p: number, k: number): number {
  if (k <= 0) return 1;
  let tail = 0;
  for (let j = k; j <= n; j++) {
    const term = Math.exp(logChoose(n, j) + j * Math.log(p) + (n - j) * Math.log1p(-p));
    tail += term;
    if (term < tail * 1e-17) break;
  }
  return Math.min(1, tail);
}

/**
 * The smallest count k with P[X ≥ k] ≤ alpha for X ~ Binomial(n, p): a test that asserts
 * "count < k" fails a correct system with probability at most alpha.
 */
export function binomialCriticalCount(n: number, p: number, alpha = 1e-6): number {
  let k = Math.ceil(n * p);
  while (binomialUpperTail(n, p, k) > alpha) k++;
  return k;
}

/*
 * Two-sample tests for view independence: an observer's view of a protocol message under
 * secret s0 and under secret s1 (32-bit words, same count) must look the same.
 *   - per bit position (32): two-proportion z of the frequency of 1s, max |z| < sigmas;
 *   - low byte: chi-square homogeneity of the two 256-cell histograms (255 df),
 *     (chi − 255)/√510 < sigmas.
 * With a correct protocol each check fails with probability < 10^-7. Power: a difference d
 * in one bit's frequency gives z ≈ d·√(2n), so with n words per side a difference of
 * detectableBitDifference(n) is caught with probability ≥ 1 − 10^-6 (z ≥ sigmas + 4.9).
 */

function bitCounts(v: Uint32Array): number[] {
  const ones = new Array<number>(32).fill(0);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    for (let b = 0; b < 32; b++) ones[b] += (x >>> b) & 1;
  }
  return ones;
}

/** Max over the 32 bit positions of |z| comparing the frequency of 1s in a and in b. */
export function twoSampleBitZ(a: Uint32Array, b: Uint32Array): number {
  const ca = bitCounts(a);
  const cb = bitCounts(b);
  let max = 0;
  for (let i = 0; i < 32; i++) {
    const pa = ca[i] / a.length;
    const pb = cb[i] / b.length;
    const p = (ca[i] + cb[i]) / (a.length + b.length);
    const se = Math.sqrt(p * (1 - p) * (1 / a.length + 1 / b.length));
    // A bit constant in both samples but different between them is an infinite z.
    const z = se === 0 ? (pa === pb ? 0 : Infinity) : Math.abs(pa - pb) / se;
    max = Math.max(max, z);
  }
  return max;
}

/** Chi-square homogeneity of the low-byte histograms of a and b, in standard deviations above its mean. */
export function twoSampleByteChiZ(a: Uint32Array, b: Uint32Array): number {
  const ha = new Float64Array(256);
  const hb = new Float64Array(256);
  for (let i = 0; i < a.length; i++) ha[a[i] & 255]++;
  for (let i = 0; i < b.length; i++) hb[b[i] & 255]++;
  const na = a.length;
  const nb = b.length;
  let chi = 0;
  for (let c = 0; c < 256; c++) {
    const tot = ha[c] + hb[c];
    if (tot === 0) continue;
    const ea = (tot * na) / (na + nb);
    const eb = (tot * nb) / (na + nb);
    chi += ((ha[c] - ea) ** 2) / ea + ((hb[c] - eb) ** 2) / eb;
  }
  return (chi - 255) / Math.sqrt(2 * 255);
}

/** Views a (secret s0) and b (secret s1) are indistinguishable by both tests. */
export function sameDistributionOk(a: Uint32Array, b: Uint32Array, sigmas = 6): boolean {
  return twoSampleBitZ(a, b) < sigmas && twoSampleByteChiZ(a, b) < sigmas;
}

/** The bit-frequency difference sameDistributionOk catches with probability ≥ 1 − 10^-6 at n words per side. */
export function detectableBitDifference(n: number, sigmas = 6): number {
  return (sigmas + 4.9) / Math.sqrt(2 * n);
}

/** Bits of a 64-bit bias test at n samples: the per-bit bias (p − 1/2) bitBalanceOk catches with probability ≥ 1 − 10^-6. */
export function detectableBias(n: number, sigmas = 6): number {
  return (sigmas + 4.9) / (2 * Math.sqrt(n));
}

/** A small seeded PRNG for planting leaks reproducibly (xorshift32; not for keys). */
export function leakRng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 2 ** 32;
  };
}

/**
 * Planted leak "a bias of size `rate`": a copy of `view` in which each word is, with
 * probability `rate`, replaced by `secretWord` (so against a view with a different secret
 * word, every bit where the two secret words differ shifts in frequency by `rate`).
 */
export function plantWordLeak(view: Uint32Array, secretWord: number, rate: number, rng: () => number): Uint32Array {
  const out = view.slice();
  for (let i = 0; i < out.length; i++) if (rng() < rate) out[i] = secretWord;
  return out;
}
