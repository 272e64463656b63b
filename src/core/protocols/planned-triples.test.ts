import { describe, expect, it } from 'vitest';
import type { BitTriples, TripleSource } from '../triples/types.ts';
import { plannedTripleSource, pooledTripleSource, recordingTripleSource } from './planned-triples.ts';

/** An inner source whose words are their own position in its output stream (1, 2, 3, …), recording calls. */
function countingSource(): { source: TripleSource; calls: string[] } {
  const calls: string[] = [];
  let nextWord = 1;
  let nextArith = 1n;
  const seq = (n: number): Uint32Array => Uint32Array.from({ length: n }, () => nextWord++);
  return {
    calls,
    source: {
      bits: async (w) => (calls.push(`bits ${w}`), { a: seq(w), b: seq(w), c: seq(w) }),
      arith: async (c) => {
        calls.push(`arith ${c}`);
        const s = (): BigUint64Array => BigUint64Array.from({ length: c }, () => nextArith++);
        return { a: s(), b: s(), c: s() };
      },
    },
  };
}

const words = (t: BitTriples): number[] => [...t.a];

describe('plannedTripleSource', () => {
  it('serves a planned run from one inner call per kind, consecutive slices, nothing twice', async () => {
    const inner = countingSource();
    const src = plannedTripleSource(inner.source, { bits: [3, 5, 2], arith: [4] });
    const t1 = await src.bits(3);
    const a1 = await src.arith(4);
    const t2 = await src.bits(5);
    const t3 = await src.bits(2);
    expect(inner.calls).toEqual(['bits 10', 'arith 4']);
    const all = [...words(t1), ...words(t2), ...words(t3)];
    expect(all).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]); // the pool's a-words in order: disjoint, complete
    expect(new Set(all).size).toBe(all.length);
    expect([...a1.a]).toEqual([1n, 2n, 3n, 4n]);
  });

  it('goes to the inner source for good once a request leaves the plan', async () => {
    const inner = countingSource();
    const src = plannedTripleSource(inner.source, { bits: [3, 5], arith: [] });
    await src.bits(3);
    const off = await src.bits(4); // plan said 5
    await src.bits(5); // would have matched, but the plan is off for this kind now
    expect(inner.calls).toEqual(['bits 8', 'bits 4', 'bits 5']);
    expect(words(off)).toEqual([25, 26, 27, 28]); // fresh words after the pool's 3 × 8
  });

  it('records the requests of a dry run and hands out valid all-zero triples', async () => {
    const r = recordingTripleSource();
    const t = await r.source.bits(2);
    await r.source.arith(3);
    await r.source.bits(1);
    expect(r.plan).toEqual({ bits: [2, 1], arith: [3] });
    expect([...t.a, ...t.b, ...t.c]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('refuses a malformed plan', () => {
    expect(() => plannedTripleSource(countingSource().source, { bits: [-1], arith: [] })).toThrow(/non-negative/);
  });

  it('pooledTripleSource: the pool first, the rest of a request fresh, nothing twice', async () => {
    const inner = countingSource();
    const w = (xs: number[]) => ({ a: Uint32Array.from(xs), b: Uint32Array.from(xs), c: Uint32Array.from(xs) });
    const src = pooledTripleSource(inner.source, { bits: w([101, 102, 103, 104]) });
    expect(words(await src.bits(3))).toEqual([101, 102, 103]);
    expect(words(await src.bits(3))).toEqual([104, 1, 2]); // last pooled word, then two fresh ones
    expect(words(await src.bits(2))).toEqual([7, 8]);
    expect(inner.calls).toEqual(['bits 2', 'bits 2']);
    await src.arith(1); // no arithmetic pool
    expect(inner.calls).toEqual(['bits 2', 'bits 2', 'arith 1']);
  });
});
