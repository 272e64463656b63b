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
