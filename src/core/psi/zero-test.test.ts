import { describe, expect, it } from 'vitest';
import { randomU64 } from '../random.ts';
import { runParties } from '../session/simulate.ts';
import { dealerSources } from '../protocols/dealer.test-helpers.ts';
import { unsliceBits } from '../protocols/bit-shares.ts';
import { PSI_STAT_BITS, comparisonWidth, zeroTest } from './zero-test.ts';

/** XOR-share `words` among n parties (the last share makes them add up). */
function xorShares(words: BigUint64Array, n: number): BigUint64Array[] {
  const shares = Array.from({ length: n - 1 }, () => randomU64(words.length));
  const last = words.slice();
  for (const sh of shares) for (let i = 0; i < last.length; i++) last[i] ^= sh[i];
  return [...shares, last];
}

async function openedTest(words: BigUint64Array, n: number, width: number): Promise<number[]> {
  const shares = xorShares(words, n);
  const triples = dealerSources(n).sources;
  const out = await runParties(n, (s) => zeroTest(s, shares[s.self], triples[s.self], width));
  const bits = new Uint32Array(out[0].words.length);
  for (const o of out) for (let i = 0; i < bits.length; i++) bits[i] ^= o.words[i];
  return [...unsliceBits({ ...out[0], words: bits })].slice(0, words.length);
}

describe('PSI zero test width', () => {
  it('is 40 + ⌈log2 bins⌉ bits, capped at 64, so bins·2^-σ ≤ 2^-40', () => {
    expect(comparisonWidth(32)).toBe(45);
    expect(comparisonWidth(127_032)).toBe(57); // 100,000 leader items
    expect(comparisonWidth(1_270_032)).toBe(61); // 1,000,000
    for (const bins of [1, 2, 33, 1000, 127_032, 1 << 20, 2_540_032]) {
      const w = comparisonWidth(bins);
      expect(w).toBeLessThanOrEqual(64);
      expect(Math.log2(bins) - w).toBeLessThanOrEqual(-PSI_STAT_BITS);
    }
  });

  it('says 1 exactly when the low σ bits are zero (bits above σ are ignored), N = 2 and 3', async () => {
    const w = 45;
    const cases = [0n, 1n, 1n << 44n, 1n << 45n, (1n << 63n) | (1n << 50n), (1n << 64n) - 1n, 1n << 20n, 0xffff_e000_0000_0000n];
    const want = cases.map((x) => (BigInt.asUintN(w, x) === 0n ? 1 : 0));
    for (const n of [2, 3]) expect(await openedTest(BigUint64Array.from(cases), n, w)).toEqual(want);
    // full width: any set bit makes it 0 (the old test's behaviour)
    expect(await openedTest(BigUint64Array.from(cases), 2, 64)).toEqual(cases.map((x) => (x === 0n ? 1 : 0)));
  });
});
