/**
 * Statistical checks for "looks uniform" tests. Thresholds sit at 6 standard deviations
 * (chi-square: mean + 6 sd, a ~5σ tail), so a correct generator fails one check with
 * probability < 10^-6 even summed over bits, while a stuck bit or a
 * dependence between two vectors fails with near certainty at the sample sizes we use.
 */

/** Every one of the 64 bit positions is 1 in about half of the elements (|z| < sigmas). */
export function bitBalanceOk(v: BigUint64Array, sigmas = 6): boolean {
  const n = v.length;
  // Histogram each of the 8 byte positions (little-endian), then count 1s per bit from the
  // histograms: 8 steps per element instead of 64.
  const bytes = new Uint8Array(v.buffer, v.byteOffset, n * 8);
  const hist = new Float64Array(8 * 256);
  for (let i = 0; i < bytes.length; i += 8) {
    for (let k = 0; k < 8; k++) hist[256 * k + bytes[i + k]]++;
  }
  const ones = new Array<number>(64).fill(0);
  for (let k = 0; k < 8; k++) {
    for (let x = 0; x < 256; x++) {
      const c = hist[256 * k + x];
      if (c !== 0) for (let b = 0; b < 8; b++) if ((x >>> b) & 1) ones[8 * k + b] += c;
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
  // Low 32-bit halves (little-endian): no BigInt in the loop.
  const wa = new Uint32Array(a.buffer, a.byteOffset, 2 * n);
  const wb = new Uint32Array(b.buffer, b.byteOffset, 2 * n);
  for (let i = 0; i < n; i++) cells[((wa[2 * i] & 15) << 4) | (wb[2 * i] & 15)]++;
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

/**
 * The per-bit bias (p − 1/2) bitBalanceOk(·, sigmas) catches at n samples with probability
 * ≥ 1 − Φ(−power): the count's z under the bias is ≥ 2·bias·√n in null standard deviations
 * (the alternative's deviation is smaller), so bias = (sigmas + power)/(2√n). The default
 * power 4.9 is a miss probability of 5·10^-7.
 */
export function detectableBias(n: number, sigmas = 6, power = 4.9): number {
  return (sigmas + power) / (2 * Math.sqrt(n));
}

/*
 * For tests on data drawn from real (unseeded) randomness, FLAKINESS IS FORBIDDEN: a false
 * failure must be rarer than 10^-9 per test run. RANDOM_SIGMAS = 7.5: one 64-bit balance
 * check fails a uniform sample with probability ≤ 128·Φ(−7.5) ≈ 4·10^-12, so even a test
 * making 100 such checks stays below 10^-9. RANDOM_POWER = 6.2: a planted leak of the
 * claimed size is missed with probability Φ(−6.2) ≈ 3·10^-10.
 */
export const RANDOM_SIGMAS = 7.5;
export const RANDOM_POWER = 6.2;

/** Samples a bitBalanceOk test needs so that a per-bit `bias` is caught (inverse of detectableBias). */
export function samplesToDetectBias(bias: number, sigmas = RANDOM_SIGMAS, power = RANDOM_POWER): number {
  return Math.ceil(((sigmas + power) / (2 * bias)) ** 2);
}

/** A copy of `v` in which bit `b` of each element is forced to 1 with probability 2·bias, so P(bit = 1) = 1/2 + bias. */
export function plantBitBias(v: BigUint64Array, b: number, bias: number, rng: () => number): BigUint64Array {
  const out = v.slice();
  const w = new Uint32Array(out.buffer, out.byteOffset, 2 * out.length);
  const half = b >>> 5;
  const m = 1 << (b & 31);
  for (let i = 0; i < out.length; i++) if (rng() < 2 * bias) w[2 * i + half] |= m;
  return out;
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

/** 64-bit lanes of a share vector: BigUint64 values as they are, 32-bit words in pairs (an odd last word is left out). */
function lanes(v: BigUint64Array | Uint32Array): BigUint64Array {
  if (v instanceof BigUint64Array) return v;
  return new BigUint64Array(v.slice(0, v.length & ~1).buffer);
}

const ALL_ONES = (1n << 64n) - 1n;

/**
 * Why a batch of triples is not what a triple source must hand out, although it may satisfy
 * c = a·b (issue 10 part 4: a source returning all-zero, constant, reused or a = b triples
 * passes every correctness check, and leaks every input it masks). `parties[i]` holds party
 * i's shares of each call's a, b, c; `reconstruct` recombines one component across parties.
 * Flags, reading values as 64-bit lanes (bit triples: words in pairs):
 *   - any party's share of a or b, or the recombined a or b, with a lane equal to 0 or
 *     2^64 − 1; any of these or a party's share of c with a lane repeated anywhere in its
 *     calls (constant or reused triples; parties left with zero shares);
 *   - a recombined lane with a = b.
 * A uniform source trips it with probability ≤ Σ (L²/2^60 + 3L/2^64) over its 3N+2 checked
 * vectors of L lanes (2^60, not 2^65: a lone party's c = a·b or a & b is not uniform, its
 * collision probability per pair stays below 2^-60): below 10^-9 for L ≤ 4,000 lanes per
 * vector at N ≤ 5.
 * Returns undefined when the batch looks random.
 */
export function triplesNotRandom<T extends BigUint64Array | Uint32Array>(
  parties: readonly (readonly { a: T; b: T; c: T }[])[],
  reconstruct: (shares: readonly T[]) => T,
): string | undefined {
  const check = (what: string, vectors: readonly T[], extremes = true): string | undefined => {
    const seen = new Set<bigint>();
    for (const v of vectors) {
      for (const x of lanes(v)) {
        if (extremes && (x === 0n || x === ALL_ONES)) return `${what} has a lane ${x === 0n ? '0' : '2^64 − 1'}`;
        if (seen.has(x)) return `${what} repeats the lane 0x${x.toString(16)} (constant or reused triples)`;
        seen.add(x);
      }
    }
    return undefined;
  };
  for (const [i, calls] of parties.entries()) {
    for (const k of ['a', 'b', 'c'] as const) {
      // A lone party's c = a & b is 0 in a lane with probability (3/4)^64: c gets the repeat check only.
      const bad = check(`party ${i}'s share of ${k}`, calls.map((t) => t[k]), k !== 'c');
      if (bad) return bad;
    }
  }
  const calls = parties[0]?.length ?? 0;
  const whole = (k: 'a' | 'b') => Array.from({ length: calls }, (_, j) => reconstruct(parties.map((p) => p[j][k])));
  const [a, b] = [whole('a'), whole('b')];
  const bad = check('the recombined a', a) ?? check('the recombined b', b);
  if (bad) return bad;
  for (let j = 0; j < calls; j++) {
    const la = lanes(a[j]);
    const lb = lanes(b[j]);
    for (let t = 0; t < la.length; t++) if (la[t] === lb[t]) return `call ${j}: a = b in lane ${t}`;
  }
  return undefined;
}
