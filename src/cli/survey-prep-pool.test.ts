/**
 * The worker pool gives the single-thread result: both aggregators on a 2-thread pool over
 * valid and invalid reports equal the plaintext oracle and count the same rejections.
 */
import { describe, expect, it } from 'vitest';
import { combinePublications, makeReport, memoryAggregatorIo, runAggregator } from '../core/survey/index.ts';
import { maliciousReport, testSurvey } from '../core/survey/survey.test-helpers.ts';
import { prepPool } from './survey-prep-pool.ts';

describe('survey prep pool (worker threads)', () => {
  it('equals the plaintext oracle and rejects the invalid reports, chunks split over threads', async () => {
    const { d, secrets } = await testSurvey();
    const answers: [string, string][] = Array.from({ length: 23 }, (_, i) => [String((i * 53) % 256), ['red', 'green', 'blue'][i % 3]]);
    const uploads = await Promise.all(answers.map((a) => makeReport(d, a)));
    const bad = [await maliciousReport(d, 'sum-out-of-range'), await maliciousReport(d, 'two-hot'), await maliciousReport(d, 'corrupt-proof')];
    const { io, published } = memoryAggregatorIo([...uploads, ...bad]);
    const engine = prepPool(2);
    const [a, b] = await Promise.all([runAggregator(d, 0, secrets[0], io(0), { chunk: 9, engine }), runAggregator(d, 1, secrets[1], io(1), { chunk: 9, engine })]);
    expect(a.rejected).toEqual({ proof: 3 });
    expect(b.publication.invalid).toBe(3);
    const result = await combinePublications(d, published);
    const total = answers.reduce((s, [x]) => s + Number(x), 0);
    expect(result.count).toBe(23);
    expect(result.questions[0]).toEqual({ kind: 'number', label: 'Salary (k)', total, mean: total / 23 });
    expect(result.questions[1]).toMatchObject({ counts: ['red', 'green', 'blue'].map((option) => ({ option, count: answers.filter((x) => x[1] === option).length })) });
  }, 60_000);

  it('refuses a nonsense thread count', () => {
    expect(() => prepPool(0)).toThrow(/threads must be/);
  });
});
