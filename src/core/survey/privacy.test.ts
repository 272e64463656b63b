/**
 * What the server and one aggregator see of an answer:
 * - the server: the upload body (its length, keys and every field's length) is the same for
 *   every answer of every question kind (so size says nothing); negative control: a client
 *   that also seals the answer as typed is told apart by the same check;
 * - the aggregators' messages to each other: prep-privacy.test.ts;
 * - aggregator 1 (leader): its decrypted measurement share looks uniform whatever the
 *   answer — every bit position balanced over 300 reports of the all-ones encoding (answer
 *   255 of an 8-bit sum). Negative control: the same shares with one planted leaked bit per
 *   element (low bit := the answer's bit) fail the same check.
 * - aggregator 2 (helper) receives only XOF seeds (16-byte strings), by construction; and
 *   for both aggregators, the opened measurement share looks uniform for answer 0 and for
 *   answer 255 (what the server plus one aggregator see does not depend on the answer).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { b64urlDecode, b64urlEncode } from './b64';
import { openWith, sealTo } from './crypto';
import { decodeInputShare } from './prio3-codec';
import { makeReport, shareAad, shareInfo, type ReportUpload } from './report';
import { testSurvey } from './survey.test-helpers';
import { vdafsFor } from './vdaf';
import { bitBalanceOk } from '../test-stats.test-helpers';

/** What the server could tell uploads apart by, short of their time: body length, keys, each field's length. */
const profile = (u: ReportUpload) =>
  JSON.stringify([JSON.stringify(u).length, Object.keys(u), u.id.length, u.public.map((s) => s.length), u.sealed.map((l) => l.map((s) => s.length))]);

describe('survey privacy', () => {
  it('every answer of every question kind gives an upload of the same size and fields; a length leak is caught', { timeout: 60_000 }, async () => {
    // What the server receives is the JSON body of the upload: its length, each field's
    // length and its keys must not depend on the answer (ciphertexts of fixed-length Prio3
    // shares). Answers: the extremes and random ones (fixed seed), for each kind at once.
    const { d } = await testSurvey({
      questions: [
        { kind: 'number', label: 'n', min: -50, max: 1000, variance: true },
        { kind: 'choice', label: 'c', options: ['a', 'bb', 'a much longer option'] },
        { kind: 'numbers', label: 'l', length: 3, max: 99 },
      ],
    });
    const vdafs = vdafsFor(d);
    const answers = fc.sample(
      fc.tuple(fc.integer({ min: -50, max: 1000 }).map(String), fc.constantFrom('a', 'bb', 'a much longer option'), fc.array(fc.integer({ min: 0, max: 99 }), { minLength: 3, maxLength: 3 }).map((x) => x.join(','))),
      { numRuns: 20, seed: 20261203 },
    );
    answers.push(['-50', 'a', '0,0,0'], ['1000', 'a much longer option', '99,99,99']);
    const profiles = new Set<string>();
    for (const a of answers) profiles.add(profile(await makeReport(d, a, vdafs)));
    expect(profiles.size).toBe(1);
    // negative control: a client that also seals the answer as typed (a plausible "backup" copy)
    const leaky = async (a: string[]) => {
      const u = await makeReport(d, a, vdafs);
      const extra = await sealTo(d.aggregators[0].key, shareInfo(0), new Uint8Array(0), new TextEncoder().encode(a.join('|')));
      return profile({ ...u, sealed: [[...u.sealed[0], b64urlEncode(extra)], u.sealed[1]] });
    };
    const leaked = new Set<string>();
    for (const a of answers) leaked.add(await leaky(a));
    expect(leaked.size).toBeGreaterThan(1);
  });

  it("the leader's share of an answer looks uniform; a planted one-bit leak is caught", async () => {
    const { d, secrets } = await testSurvey({ questions: [{ kind: 'number', label: 'v', min: 0, max: 255 }] });
    const vdaf = vdafsFor(d)[0].vdaf;
    const low: bigint[] = [];
    for (let i = 0; i < 300; i++) {
      const u = await makeReport(d, ['255']);
      const id = b64urlDecode(u.id);
      const plain = await openWith(secrets[0], shareInfo(0), shareAad(d.id, id, 0, b64urlDecode(u.public[0])), b64urlDecode(u.sealed[0][0]));
      const share = await decodeInputShare(vdaf as never, 0, plain);
      for (const x of share.measurementShare) low.push(BigInt.asUintN(64, x));
    }
    const seen = BigUint64Array.from(low);
    expect(seen.length).toBe(300 * 8);
    expect(bitBalanceOk(seen)).toBe(true);
    // negative control: the answer's bit (1) leaks through bit 0 of every element
    const leaky = seen.map((x) => x | 1n);
    expect(bitBalanceOk(leaky)).toBe(false);
  });

  it("either aggregator's opened share, answer 0 or 255, looks uniform (7σ); an answer-dependent leak is caught", { timeout: 120_000 }, async () => {
    // The server holds both sealed shares; an aggregator colluding with it opens only its own.
    // Each aggregator's measurement share must look the same for the two extreme answers.
    // 7σ per bit: false failure < 64 bits × 4 checks × 2.6e-12 < 1e-9.
    const { d, secrets } = await testSurvey({ questions: [{ kind: 'number', label: 'v', min: 0, max: 255 }] });
    const vdaf = vdafsFor(d)[0].vdaf;
    const shares = async (agg: 0 | 1, answer: string) => {
      const out: bigint[] = [];
      for (let i = 0; i < 150; i++) {
        const u = await makeReport(d, [answer]);
        const id = b64urlDecode(u.id);
        const plain = await openWith(secrets[agg], shareInfo(agg), shareAad(d.id, id, 0, b64urlDecode(u.public[0])), b64urlDecode(u.sealed[agg][0]));
        const share = await decodeInputShare(vdaf as never, agg, plain);
        for (const x of share.measurementShare) out.push(BigInt.asUintN(64, x));
      }
      return BigUint64Array.from(out);
    };
    for (const agg of [0, 1] as const) {
      const zero = await shares(agg, '0');
      const full = await shares(agg, '255');
      expect(zero.length).toBe(150 * 8);
      expect(bitBalanceOk(zero, 7)).toBe(true);
      expect(bitBalanceOk(full, 7)).toBe(true);
      // negative control: bit 0 of every element := the answer's bit (0 for answer 0)
      expect(bitBalanceOk(zero.map((x) => x & ~1n), 7)).toBe(false);
    }
  });
});
