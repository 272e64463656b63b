/**
 * The Node aggregator as an organisation runs it: `src/cli/parley.mjs survey-key` and
 * `survey-aggregate` in child processes against the real server (HTTP, SQLite on disk).
 * Two Node aggregators compute a survey of 30 contributors and 2 modified clients; both
 * print the plaintext oracle's result. The refusals (foreign key, a link whose digest does not
 * match, a survey still open) exit with their documented codes.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runParley } from './survey-process.test-helpers.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServer, type AppServer } from '../../server/http.ts';
import { createSurveyApi } from '../../server/survey/routes.ts';
import { openSqliteStore } from '../../server/survey/sqlite-store.ts';
import { makeReport, readAggregatorKeyFile, SurveyClient, surveyFragment } from '../core/survey/index.ts';
import { maliciousReport, testSurvey } from '../core/survey/survey.test-helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'parley-survey-cli-'));
let app: AppServer;
let base: string;

beforeAll(async () => {
  app = await createAppServer({ surveys: createSurveyApi(openSqliteStore(join(dir, 's.sqlite'))) });
  base = await app.listen(0, '127.0.0.1');
});
afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

const parley = (args: string[]) => runParley(dir, args);

describe('parley survey-key / survey-aggregate', { timeout: 240_000 }, () => {
  it('two Node aggregators compute the oracle result; refusals exit with their codes', async () => {
    const keys = await Promise.all(['a.key', 'b.key', 'stranger.key'].map((f) => parley(['survey-key', f])));
    for (const k of keys) expect(k.code).toBe(0);
    expect(statSync(join(dir, 'a.key')).mode & 0o777).toBe(0o600);
    expect((await parley(['survey-key', 'a.key'])).code).toBe(2); // never overwrites a key
    const [pubA, pubB] = keys.map((k) => k.stdout.trim());
    expect((await readAggregatorKeyFile(readFileSync(join(dir, 'a.key'), 'utf8'))).publicKey).toBe(pubA);

    const { d } = await testSurvey({ aggregators: [{ name: 'Org A', key: pubA }, { name: 'Org B', key: pubB }] });
    const client = new SurveyClient(base);
    const { token } = await client.create(d);
    const link = `${base.replace(/\/$/, '')}/#/survey/${surveyFragment(d)}`;
    const answers: [string, string][] = Array.from({ length: 30 }, (_, i) => [String((i * 53) % 256), ['red', 'green', 'blue'][i % 3]]);
    for (const a of answers) await client.upload(d.id, await makeReport(d, a));
    await client.upload(d.id, await maliciousReport(d, 'sum-out-of-range'));
    await client.upload(d.id, await maliciousReport(d, 'two-hot'));

    const open = await parley(['survey-aggregate', link, '--key', 'a.key']);
    expect(open.code).toBe(4);
    expect(open.stderr).toMatch(/survey is open until .* add --wait/);
    const stranger = await parley(['survey-aggregate', link, '--key', 'stranger.key']);
    expect(stranger.code).toBe(6);
    const wrongDigest = link.slice(0, -3) + (link.endsWith('AAA') ? 'BBB' : 'AAA');
    const mismatch = await parley(['survey-aggregate', wrongDigest, '--key', 'a.key']);
    expect(mismatch.code).toBe(4);
    expect(mismatch.stderr).toMatch(/does not match this link/);

    // both wait for the close, which comes after they started
    const runs = [parley(['survey-aggregate', link, '--key', 'a.key', '--wait', '--poll', '0.2']), parley(['survey-aggregate', link, '--key', 'b.key', '--wait', '--poll', '0.2'])];
    await client.close(d.id, token);
    const done = await Promise.all(runs);
    const total = answers.reduce((s, [x]) => s + Number(x), 0);
    for (const r of done) {
      expect(r.code, r.stderr).toBe(0);
      const result = JSON.parse(r.stdout) as { count: number; invalid: number; questions: unknown[] };
      expect(result).toMatchObject({ computation: 'survey', count: 30, invalid: 2 });
      expect(result.questions[0]).toEqual({ kind: 'number', label: 'Salary (k)', total, mean: total / 30 });
      expect(result.questions[1]).toMatchObject({ counts: ['red', 'green', 'blue'].map((option) => ({ option, count: 10 })) });
    }
  });
});
