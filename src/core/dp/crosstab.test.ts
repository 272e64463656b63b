// Cross-tab counts with ε and/or a minimum group size (table/run-table.ts → guardCounts), in
// the N-party simulation on OT triples, against plaintext oracles:
// 1. per-cell noise (noisy − exact count, 1024 or 256 cells) matches the mechanism's pmf
//    (chi-square), for N = 2, 3, 5; negative control: the same tables released at 4ε (noise
//    of the wrong scale for the declared ε) are rejected by the same threshold;
// 2. no coalition of N − 1 knows the noise: the noise each coalition predicts from its own
//    coin shares matches the real one no more often than an independent draw would; negative
//    control: a backend where party 0's coin shares are the coins (the others' are zero, i.e.
//    "one party adds the noise") is caught;
// 3. suppression without noise equals the oracle (count, sum, mean; hidden cells open nothing).
// The coins come from the crypto RNG (not seedable): thresholds are set for a false failure
// probability below 1e-9.
import { describe, expect, it } from 'vitest';
import { createFastBackend } from '../backend/fast.ts';
import type { Backend, SharedBits } from '../backend/types.ts';
import { runParties } from '../session/simulate.ts';
import { createTripleSource } from '../triples/triple-source.ts';
import { binomialCriticalCount, leakRng } from '../test-stats.test-helpers.ts';
import { parseSchemaText } from '../table/schema.ts';
import { readTable } from '../table/read-table.ts';
import { parseTableSpec } from '../table/table-spec.ts';
import { type ReadTable, type TableOutput, runTableComputation } from '../table/run-table.ts';
import { noiseCentre, noisePmf } from './accounting.ts';
import { planRelease } from './release.ts';
import { chiSquare, chiSquareCritical } from './noise-stats.test-helpers.ts';

const levels = (p: string, n: number) => Array.from({ length: n }, (_, i) => `${p}${i}`);
const SCHEMA = parseSchemaText(`a: category ${levels('a', 32).join(', ')}
b: category ${levels('b', 32).join(', ')}
c: category ${levels('c', 8).join(', ')}
g: category x, y, z
h: yes/no
v: number 0..100`);
if (!SCHEMA.ok) throw new Error('schema');
const schema = SCHEMA.schema;
const HEADER = ['a', 'b', 'c', 'g', 'h', 'v'];
const MAX_ROWS = 1000;

/** A seeded random file: one row per line of HEADER's columns. */
function file(seed: number, rows: number): string[][] {
  const rnd = leakRng(seed);
  const pick = (xs: string[]) => xs[Math.floor(rnd() * xs.length)];
  return Array.from({ length: rows }, () => [pick(levels('a', 32)), pick(levels('b', 32)), pick(levels('c', 8)), pick(['x', 'y', 'y', 'z', 'z', 'z']), rnd() < 0.2 ? 'yes' : 'no', String(Math.floor(rnd() * 101))]);
}

function read(rows: string[][]): ReadTable {
  const t = readTable([HEADER, ...rows], schema);
  if (!t.ok) throw new Error(t.error);
  return t;
}

/** Oracle: counts (and sums of v) per cell of groupBy, cells in row-major order. */
function oracle(files: string[][][], groupBy: string[]): { counts: number[]; sums: number[] } {
  const lv = groupBy.map((g) => (g === 'h' ? ['no', 'yes'] : schema.columns.find((c) => c.name === g)!.type === 'category' ? (schema.columns.find((c) => c.name === g) as { values: string[] }).values : []));
  const G = lv.reduce((p, l) => p * l.length, 1);
  const counts = new Array<number>(G).fill(0);
  const sums = new Array<number>(G).fill(0);
  for (const rows of files) {
    for (const r of rows) {
      let cell = 0;
      groupBy.forEach((g, i) => (cell = cell * lv[i].length + lv[i].indexOf(r[HEADER.indexOf(g)])));
      counts[cell]++;
      sums[cell] += Number(r[5]);
    }
  }
  return { counts, sums };
}

const crosstabSpec = (groupBy: string[], extra: Record<string, unknown>) => parseTableSpec({ kind: 'crosstab', schema, where: [], maxRows: MAX_ROWS, groupBy, ...extra });

type Crosstab = Extract<TableOutput, { kind: 'crosstab' }>;

/** Runs each spec on every party's table; records every party's coin shares of the last run's noise when asked. */
async function run(files: string[][][], specs: ReturnType<typeof crosstabSpec>[], opts: { coinsOf?: number; plantOneParty?: boolean } = {}) {
  const tables = files.map(read);
  return runParties(
    files.length,
    async (s, i) => {
      const b = createFastBackend(s, createTripleSource(s));
      let coins: Uint32Array | undefined;
      const original = b.randomBooleanBits.bind(b);
      (b as Backend).randomBooleanBits = async (count: number): Promise<SharedBits> => {
        const x = await original(count);
        const words = (x as unknown as { b: { words: Uint32Array } }).b.words;
        if (count === opts.coinsOf) {
          // negative control: party 0's shares are the coins, everybody else contributes 0
          if (opts.plantOneParty && i !== 0) words.fill(0);
          coins = words.slice();
        }
        return x;
      };
      const out: Crosstab[] = [];
      for (const spec of specs) out.push((await runTableComputation(b, spec, tables[i])) as Crosstab);
      return { out, coins };
    },
    { timeoutMs: 280_000 },
  );
}

describe('cross-tab noise matches the mechanism', () => {
  // [N, groupBy, rows per party]
  const cases: [number, string[], number][] = [
    [2, ['a', 'b'], 300],
    [3, ['a', 'b'], 200],
    [5, ['a', 'c'], 60],
  ];
  for (const [n, groupBy, rows] of cases) {
    it(`N=${n}: ${groupBy.join('×')} counts at ε = 1 pass chi-square; the same run at ε = 4 fails it`, { timeout: 300_000 }, async () => {
      const files = Array.from({ length: n }, (_, p) => file(1400 + 10 * n + p, rows));
      const exact = oracle(files, groupBy).counts;
      const out = await run(files, [crosstabSpec(groupBy, { epsilon: '1' }), crosstabSpec(groupBy, { epsilon: '4' })]);
      for (let p = 1; p < n; p++) expect(out[p].out).toEqual(out[0].out);
      const [right, wrong] = out[0].out;
      const plan = planRelease({ epsilon: 1, delta: 1e-6, sensitivity: 1n, coordinates: 2, bound: BigInt(n * MAX_ROWS) }, exact.length);
      expect(right.dp).toEqual({ epsilon: '1', delta: '0.000001', halfWidth: String(plan.halfWidth) });
      expect(right.value.length).toBe(exact.length);
      const noise = right.value.map((c, j) => c.count - exact[j]);
      const fit = chiSquare(noise, plan.shape);
      expect(fit.chi).toBeLessThan(chiSquareCritical(fit.df, 1e-10)); // false failure ≤ 1e-10
      // negative control: noise of the scale of ε = 4 is not that of ε = 1
      const bad = chiSquare(wrong.value.map((c, j) => c.count - exact[j]), plan.shape);
      expect(bad.chi).toBeGreaterThan(chiSquareCritical(bad.df, 1e-10));
    });
  }
});

describe('cross-tab noisy sums (ε with a value column)', () => {
  // v: number 0..100, decimals 0 → Δ = max(hi − lo, |lo|, |hi|) = 100; counts and sums each
  // get ε/4 per cell (four coordinates per row); the sum noise Z is recovered exactly from the
  // coarsened release: noisy = (⌊s / 2^f⌋ + Z)·2^f + 2^f/2.
  it('N=3: a×c counts and sums at ε = 1 pass chi-square against their own plans; the same run at ε = 4 fails both', { timeout: 300_000 }, async () => {
    const n = 3;
    const groupBy = ['a', 'c']; // 256 cells (a×b's 1024 took > 300 s at load 18)
    const files = Array.from({ length: n }, (_, p) => file(1800 + p, 200));
    const { counts, sums } = oracle(files, groupBy);
    const out = await run(files, [crosstabSpec(groupBy, { epsilon: '1', value: 'v' }), crosstabSpec(groupBy, { epsilon: '4', value: 'v' })]);
    for (let p = 1; p < n; p++) expect(out[p].out).toEqual(out[0].out);
    const countPlan = planRelease({ epsilon: 1, delta: 1e-6, sensitivity: 1n, coordinates: 4, bound: BigInt(n * MAX_ROWS) }, counts.length);
    const sumPlan = planRelease({ epsilon: 1, delta: 1e-6, sensitivity: 100n, coordinates: 4, bound: BigInt(n * MAX_ROWS * 100) }, counts.length);
    expect(sumPlan.f).toBeGreaterThan(0); // the coarsening path is exercised
    const step = 2 ** sumPlan.f;
    const sumNoise = (o: Crosstab) => o.value.map((c, j) => (Number(c.sum) - step / 2) / step - Math.floor(sums[j] / step));
    const [right, wrong] = out[0].out;
    expect(right.dp).toEqual({ epsilon: '1', delta: '0.000001', halfWidth: String(countPlan.halfWidth), sumHalfWidth: String(sumPlan.halfWidth) });
    for (const c of right.value) expect(c.mean).toEqual(c.count <= 0 ? null : expect.any(String));
    for (const [noise, shape] of [[right.value.map((c, j) => c.count - counts[j]), countPlan.shape], [sumNoise(right), sumPlan.shape]] as const) {
      expect(noise.every(Number.isInteger)).toBe(true);
      const fit = chiSquare(noise, shape);
      expect(fit.chi).toBeLessThan(chiSquareCritical(fit.df, 1e-10)); // false failure ≤ 1e-10
    }
    // negative control: the scale of ε = 4 is rejected by the ε = 1 pmfs, for counts and sums
    for (const [noise, shape] of [[wrong.value.map((c, j) => c.count - counts[j]), countPlan.shape], [sumNoise(wrong), sumPlan.shape]] as const) {
      const bad = chiSquare(noise, shape);
      expect(bad.chi).toBeGreaterThan(chiSquareCritical(bad.df, 1e-10));
    }
  });

  it('N=2: with k the hidden cells open no sum, the kept sums lie within the noise support', { timeout: 300_000 }, async () => {
    const files = Array.from({ length: 2 }, (_, p) => file(1850 + p, 30));
    const groupBy = ['g', 'h'];
    const { counts, sums } = oracle(files, groupBy);
    const [out] = await run(files, [crosstabSpec(groupBy, { epsilon: '2', value: 'v', minGroup: 4 })]);
    const o = out.out[0];
    const sumPlan = planRelease({ epsilon: 2, delta: 1e-6, sensitivity: 100n, coordinates: 4, bound: BigInt(2 * MAX_ROWS * 100) }, 1);
    const countPlan = planRelease({ epsilon: 2, delta: 1e-6, sensitivity: 1n, coordinates: 4, bound: BigInt(2 * MAX_ROWS) }, 1);
    const step = 2 ** sumPlan.f;
    o.value.forEach((c, j) => {
      if (c.suppressed) expect(c).toEqual({ group: c.group, count: 0, suppressed: true, mean: null });
      else {
        expect(c.count).toBeGreaterThanOrEqual(4); // judged on the noisy count
        expect(Math.abs(c.count - counts[j])).toBeLessThanOrEqual(noiseCentre(countPlan.shape));
        expect(Math.abs(Number(c.sum) - sums[j])).toBeLessThanOrEqual(noiseCentre(sumPlan.shape) * step + step);
      }
    });
  });
});

describe('no coalition of N − 1 knows the cross-tab noise', () => {
  const n = 3;
  const groupBy = ['a', 'b'];
  const files = Array.from({ length: n }, (_, p) => file(1700 + p, 150));
  const exact = oracle(files, groupBy).counts;
  const G = exact.length;
  const plan = planRelease({ epsilon: 1, delta: 1e-6, sensitivity: 1n, coordinates: 2, bound: BigInt(n * MAX_ROWS) }, G);
  const { w, k } = plan.shape;
  const mu = noiseCentre(plan.shape);
  // an independent draw equals the noise with probability Σ p²
  const collision = noisePmf(plan.shape).reduce((a, p) => a + p * p, 0);
  const limit = binomialCriticalCount(G, collision, 1e-10);

  /** Per coalition (all but `honest`), in how many cells its predicted noise equals the real one. */
  async function matches(plantOneParty: boolean): Promise<number[]> {
    const out = await run(files, [crosstabSpec(groupBy, { epsilon: '1' })], { coinsOf: G * w * k, plantOneParty });
    const noise = out[0].out[0].value.map((c, j) => c.count - exact[j]);
    return Array.from({ length: n }, (_, honest) => {
      const xor = new Uint32Array(out[0].coins!.length);
      for (let p = 0; p < n; p++) if (p !== honest) out[p].coins!.forEach((x, i) => (xor[i] ^= x));
      const coin = (i: number) => (xor[i >>> 5] >>> (i & 31)) & 1;
      let hit = 0;
      for (let i = 0; i < G; i++) {
        let z = -mu;
        for (let j = 0; j < w; j++) for (let t = 0; t < k; t++) z += coin((i * w + j) * k + t) << j; // noise.ts: coin (i, j, t) at (i·w + j)·k + t
        if (z === noise[i]) hit++;
      }
      return hit;
    });
  }

  it(`N=${n}: every coalition predicts the noise of ${G} cells no better than chance; one party's noise is caught`, { timeout: 300_000 }, async () => {
    expect(limit).toBeLessThan(G / 2); // the test has room to catch a leak
    for (const hit of await matches(false)) expect(hit).toBeLessThan(limit);
    const planted = await matches(true);
    // coalitions containing party 0 know all its coins: every cell predicted
    expect(planted[1]).toBe(G);
    expect(planted[2]).toBe(G);
    expect(Math.max(...planted)).toBeGreaterThanOrEqual(limit);
  });
});

describe('cross-tab small-group guard', () => {
  for (const n of [2, 3]) {
    it(`N=${n}: cells below k are hidden exactly as the plaintext oracle says; the rest are exact`, { timeout: 300_000 }, async () => {
      const files = Array.from({ length: n }, (_, p) => file(1900 + 10 * n + p, 12));
      const groupBy = ['g', 'h'];
      const { counts, sums } = oracle(files, groupBy);
      const ks = [2, 3, 6];
      const out = await run(files, ks.map((minGroup) => crosstabSpec(groupBy, { value: 'v', minGroup })));
      for (let p = 1; p < n; p++) expect(out[p].out).toEqual(out[0].out);
      ks.forEach((k, s) => {
        const cells = out[0].out[s].value;
        expect(out[0].out[s].dp).toBeUndefined();
        expect(cells.map((c) => c.suppressed)).toEqual(counts.map((c) => c < k));
        cells.forEach((c, j) => {
          if (counts[j] < k) expect(c).toEqual({ group: c.group, count: 0, suppressed: true, mean: null });
          else {
            expect(c.count).toBe(counts[j]);
            expect(Number(c.sum)).toBe(sums[j]);
            expect(Number(c.mean)).toBeCloseTo(sums[j] / counts[j], 2);
          }
        });
      });
      // the suppression is not vacuous: some cell hidden and some shown for k = 3
      const hidden = counts.filter((c) => c < 3).length;
      expect(hidden).toBeGreaterThan(0);
      expect(hidden).toBeLessThan(counts.length);
    });
  }
});

describe('cross-tab DP fields', () => {
  it.each([
    [{ epsilon: '0' }, /above 0/],
    [{ minGroup: 1 }, /minGroup must be/],
    [{ delta: '0.0001' }, /needs epsilon/],
  ])('refuses %j', (extra, why) => {
    expect(() => crosstabSpec(['g'], extra)).toThrow(why);
  });
  it('keeps ε, budget and k in the agreed spec', () => {
    expect(crosstabSpec(['g'], { epsilon: '0.5', budget: '2', minGroup: 5 })).toMatchObject({ epsilon: '0.5', budget: '2', minGroup: 5 });
  });
});
