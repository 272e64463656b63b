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
