/**
 * The aggregator protocol in memory (two aggregators, a mailbox in between): the result
 * equals the plaintext oracle; every kind of invalid report is rejected and counted; a relay
 * that alters a message or a publication is caught.
 */
import { describe, expect, it } from 'vitest';
import { combinePublications, runAggregator } from './aggregator';
import { memoryAggregatorIo } from './memory-io';
import type { SurveyDescriptor } from './descriptor';
import { makeReport, type ReportUpload } from './report';
import { maliciousReport, testSurvey } from './survey.test-helpers';

async function runBoth(d: SurveyDescriptor, secrets: Awaited<ReturnType<typeof testSurvey>>['secrets'], uploads: ReportUpload[], tamper?: Parameters<typeof memoryAggregatorIo>[1]) {
  const { io, published } = memoryAggregatorIo(uploads, tamper);
  const [a, b] = await Promise.all([runAggregator(d, 0, secrets[0], io(0), { chunk: 7 }), runAggregator(d, 1, secrets[1], io(1), { chunk: 7 })]);
  return { a, b, published };
}

describe('survey aggregation', () => {
  it('equals the plaintext oracle and counts every invalid report', async () => {
    const { d, secrets } = await testSurvey();
    const answers: [string, string][] = Array.from({ length: 20 }, (_, i) => [String((i * 37) % 256), ['red', 'green', 'blue'][i % 3]]);
    const uploads = await Promise.all(answers.map((a) => makeReport(d, a)));
    const bad = [
      await maliciousReport(d, 'sum-out-of-range'),
      await maliciousReport(d, 'two-hot'),
      await maliciousReport(d, 'corrupt-proof'),
      // a share sealed for another survey does not open
      { ...uploads[0], id: (await makeReport(d, ['1', 'red'])).id },
    ];
    const { a, b, published } = await runBoth(d, secrets, [...uploads, ...bad]);
    expect(a.publication.count).toBe(20);
    expect(b.publication.invalid).toBe(4);
    expect(a.rejected).toEqual({ proof: 3, undecryptable: 1 });
    const result = await combinePublications(d, published);
    const total = answers.reduce((s, [x]) => s + Number(x), 0);
    expect(result.count).toBe(20);
    expect(result.invalid).toBe(4);
    expect(result.questions[0]).toEqual({ kind: 'number', label: 'Salary (k)', total, mean: total / 20 });
    expect(result.questions[1]).toMatchObject({ counts: ['red', 'green', 'blue'].map((option) => ({ option, count: answers.filter((x) => x[1] === option).length })) });
  });

  it('refuses a message the relay altered', async () => {
    const { d, secrets } = await testSurvey();
    const uploads = await Promise.all([makeReport(d, ['3', 'red']), makeReport(d, ['4', 'blue'])]);
    const flip = (from: number, seq: number, env: string) => {
      if (from !== 0 || seq !== 1) return env;
      const e = JSON.parse(env) as { body: string };
      e.body = (e.body[0] === 'A' ? 'B' : 'A') + e.body.slice(1);
      return JSON.stringify(e);
    };
    await expect(runBoth(d, secrets, uploads, flip)).rejects.toMatchObject({ code: 'BAD_MESSAGE' });
  });

  it('refuses a message replayed from an earlier attempt (stale mailbox), never mixing runs', async () => {
    const { d, secrets } = await testSurvey();
    const uploads = await Promise.all([makeReport(d, ['3', 'red']), makeReport(d, ['4', 'blue'])]);
    let old: string | undefined;
    await runBoth(d, secrets, uploads, (from, seq, env) => {
      if (from === 0 && seq === 1) old = env;
      return env;
    });
    expect(old).toBeDefined();
    // second attempt: the relay hands the helper the first attempt's chunk (validly signed, same seq)
    const replay = (from: number, seq: number, env: string) => (from === 0 && seq === 1 ? old! : env);
    await expect(runBoth(d, secrets, uploads, replay)).rejects.toMatchObject({ code: 'BAD_MESSAGE', message: expect.stringMatching(/another attempt/) });
  });

  it('refuses a publication the server altered', async () => {
    const { d, secrets } = await testSurvey();
    const uploads = await Promise.all([makeReport(d, ['3', 'red'])]);
    const { published } = await runBoth(d, secrets, uploads);
    const forged = published.map((p) => (p.aggregator === 0 ? { ...p, count: p.count + 1 } : p));
    await expect(combinePublications(d, forged)).rejects.toMatchObject({ code: 'RESULT_MISMATCH' });
    await expect(combinePublications(d, published)).resolves.toMatchObject({ count: 1 });
  });
});
