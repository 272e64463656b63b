/**
 * Variance of a number question, derived from two Prio3Sums (v and v², v = x − min) run
 * through the real two-aggregator protocol, against a plaintext oracle; what a modified
 * client can and cannot do to it; and the descriptor field's effect on the link digest.
 * Deterministic: fixed answers, no statistical assertion.
 */
import { describe, expect, it } from 'vitest';
import { combinePublications, runAggregator } from './aggregator';
import { canonicalDescriptor, descriptorDigest, parseDescriptor } from './descriptor';
import { memoryAggregatorIo } from './memory-io';
import { makeReport, shardAndSeal, type ReportUpload } from './report';
import { testSurvey } from './survey.test-helpers';
import { spreadOf, vdafsFor } from './vdaf';

const question = { kind: 'number' as const, label: 'Hours', min: -50, max: 200, variance: true as const };

function oracle(xs: number[]) {
  const n = xs.length;
  const mean = xs.reduce((s, x) => s + x, 0) / n;
  const ss = xs.reduce((s, x) => s + (x - mean) ** 2, 0);
  return { total: xs.reduce((s, x) => s + x, 0), mean, population: ss / n, sample: ss / (n - 1) };
}

async function aggregate(d: Awaited<ReturnType<typeof testSurvey>>['d'], secrets: Awaited<ReturnType<typeof testSurvey>>['secrets'], uploads: ReportUpload[]) {
  const { io, published } = memoryAggregatorIo(uploads);
  const [a] = await Promise.all([runAggregator(d, 0, secrets[0], io(0), { chunk: 8 }), runAggregator(d, 1, secrets[1], io(1), { chunk: 8 })]);
  return { a, result: await combinePublications(d, published) };
}

describe('survey variance', () => {
  it('equals the plaintext mean, population and sample variance', async () => {
    const { d, secrets } = await testSurvey({ questions: [question, { kind: 'choice', label: 'Team', options: ['a', 'b'] }] });
    const xs = Array.from({ length: 23 }, (_, i) => ((i * 71) % 251) - 50);
    const uploads = await Promise.all(xs.map((x, i) => makeReport(d, [String(x), i % 2 ? 'a' : 'b'])));
    const { result } = await aggregate(d, secrets, uploads);
    const want = oracle(xs);
    const q = result.questions[0];
    expect(q.kind === 'number' && q.total).toBe(want.total);
    expect(q.kind === 'number' && q.mean).toBeCloseTo(want.mean, 9);
    expect(q.kind === 'number' && q.variance?.population).toBeCloseTo(want.population, 6);
    expect(q.kind === 'number' && q.variance?.sample).toBeCloseTo(want.sample, 6);
    expect(q.kind === 'number' && q.variance?.sampleStddev).toBeCloseTo(Math.sqrt(want.sample), 6);
    // the choice question after it still reads its own part
    expect(result.questions[1]).toMatchObject({ counts: [{ option: 'a', count: 11 }, { option: 'b', count: 12 }] });
  });

  it('a client lying about its square moves the variance by at most the stated bound, never the total; an out-of-range square is rejected', async () => {
    const { d, secrets } = await testSurvey({ questions: [question] });
    const xs = [10, 20, 30, 40, 50, 60];
    const honest = await Promise.all(xs.map((x) => makeReport(d, [String(x)])));
    const vdafs = vdafsFor(d);
    const bits = (vdafs[1].vdaf as unknown as { bits: number }).bits;
    // claims x = 10 (v = 60) but sends the largest square its proof allows
    const liar = await shardAndSeal(d, crypto.getRandomValues(new Uint8Array(16)), [60n, 2n ** BigInt(bits) - 1n], vdafs);
    // a square past 2^bits: the range proof fails
    const flp = vdafs[1].vdaf.flp as unknown as { encode(m: unknown): bigint[] };
    const encode = flp.encode.bind(flp);
    flp.encode = () => new Array<bigint>(bits).fill(3n);
    const outOfRange = await shardAndSeal(d, crypto.getRandomValues(new Uint8Array(16)), [60n, 0n], vdafs);
    flp.encode = encode;
    const { a, result } = await aggregate(d, secrets, [...honest, liar, outOfRange]);
    expect(a.rejected).toEqual({ proof: 1 });
    const all = [...xs, 10];
    const want = oracle(all);
    const q = result.questions[0];
    if (q.kind !== 'number' || !q.variance) throw new Error('no variance');
    expect(q.total).toBe(want.total);
    expect(q.mean).toBeCloseTo(want.mean, 9);
    expect(q.variance.squareBound).toBe(2 ** bits - 1);
    const moved = Math.abs(q.variance.population! - want.population);
    expect(moved).toBeGreaterThan(0);
    expect(moved).toBeLessThanOrEqual(q.variance.squareBound / all.length);
  });

  it('spreadOf: no report, one report, and a negative n·Σv² − (Σv)² clamped to 0', () => {
    expect(spreadOf(0, 0n, 0n, 4)).toMatchObject({ population: null, sample: null, sampleStddev: null, squareBound: 255 });
    expect(spreadOf(1, 7n, 49n, 4)).toMatchObject({ population: 0, sample: null });
    expect(spreadOf(2, 10n, 0n, 4)).toMatchObject({ population: 0, sample: 0, sampleStddev: 0 });
    // 2^60-scale sums stay exact up to the division: values 0 and 2^30
    expect(spreadOf(2, 2n ** 30n, 2n ** 60n, 31).population).toBe(2 ** 58);
  });

  it('adds `variance` to the digest only when asked for, so older links keep verifying', async () => {
    const { d } = await testSurvey({ questions: [{ kind: 'number', label: 'Hours', min: 0, max: 10 }] });
    expect(canonicalDescriptor(d)).not.toContain('variance');
    const withVar = parseDescriptor({ ...d, questions: [{ ...d.questions[0], variance: true }] });
    expect(canonicalDescriptor(withVar)).toContain('"variance":true');
    expect(descriptorDigest(withVar)).not.toBe(descriptorDigest(d));
    expect(parseDescriptor({ ...d, questions: [{ ...d.questions[0], variance: false }] })).toEqual(d);
    expect(() => parseDescriptor({ ...d, questions: [{ ...d.questions[0], variance: 'yes' }] })).toThrow(/variance must be true or false/);
  });
});
