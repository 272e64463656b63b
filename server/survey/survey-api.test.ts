/**
 * End to end in Node against the real server (HTTP, SQLite on disk): 1,000 simulated
 * contributors and 50 modified clients upload; two aggregator parties run the protocol
 * through the server's mailboxes; the published result equals the plaintext oracle and the
 * 50 invalid reports are counted, not included.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServer, type AppServer } from '../http.ts';
import { createSurveyApi } from './routes.ts';
import { openSqliteStore } from './sqlite-store.ts';
import { combinePublications, makeReport, runAggregator, SurveyClient, surveyFragment, parseSurveyFragment, verifyDescriptor, type ReportUpload } from '../../src/core/survey/index.ts';
import { maliciousReport, testSurvey } from '../../src/core/survey/survey.test-helpers.ts';

let app: AppServer;
let base: string;
const dir = mkdtempSync(join(tmpdir(), 'parley-survey-'));

beforeAll(async () => {
  app = await createAppServer({ surveys: createSurveyApi(openSqliteStore(join(dir, 's.sqlite'))) });
  base = await app.listen(0, '127.0.0.1');
});
afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

async function pool<T, R>(items: T[], width: number, f: (x: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await f(items[i], i);
      }
    }),
  );
  return out;
}

describe('survey over the real server', () => {
  it('1,000 contributors + 50 invalid reports: result = plaintext oracle, invalid counted', { timeout: 300_000 }, async () => {
    const { d, secrets } = await testSurvey();
    const client = new SurveyClient(base);
    const { token } = await client.create(d);
    // what a contributor's tab does with the link
    const link = parseSurveyFragment(surveyFragment(d))!;
    const fetched = verifyDescriptor((await client.status(d.id)).descriptor, link);
    expect(fetched).toEqual(d);

    const teams = ['red', 'green', 'blue'];
    const answers = Array.from({ length: 1000 }, (_, i) => [String((i * 7919) % 256), teams[(i * 31) % 3]]);
    const uploads = await pool(answers, 8, (a) => makeReport(fetched, a));
    const attacks = Array.from({ length: 50 }, (_, i) => (['sum-out-of-range', 'two-hot', 'corrupt-proof'] as const)[i % 3]);
    const bad = await pool(attacks, 8, (a) => maliciousReport(fetched, a));
    const all: ReportUpload[] = [...uploads, ...bad].sort(() => Math.random() - 0.5);
    const receipts = await pool(all, 16, (u) => client.upload(d.id, u));
    expect(receipts.every((r) => !r.duplicate)).toBe(true);
    // a retried upload (same report) is stored once and gets the same receipt
    const again = await client.upload(d.id, all[3]);
    expect(again).toEqual({ receipt: receipts[3].receipt, duplicate: true });
    expect((await client.status(d.id)).reports).toBe(1050);

    await expect(client.close(d.id, 'not-the-token')).rejects.toMatchObject({ status: 403 });
    await client.close(d.id, token);
    await expect(client.upload(d.id, await makeReport(fetched, ['1', 'red']))).rejects.toMatchObject({ status: 409 });

    const [a, b] = await Promise.all([
      runAggregator(fetched, 0, secrets[0], client.aggregatorIo(fetched, 0)),
      runAggregator(fetched, 1, secrets[1], client.aggregatorIo(fetched, 1)),
    ]);
    expect(a.rejected).toEqual({ proof: 50 });
    expect(b.publication.count).toBe(1000);

    const result = await combinePublications(fetched, (await client.status(d.id)).results);
    const total = answers.reduce((s, [x]) => s + Number(x), 0);
    expect(result.count).toBe(1000);
    expect(result.invalid).toBe(50);
    expect(result.questions[0]).toEqual({ kind: 'number', label: 'Salary (k)', total, mean: total / 1000 });
    expect(result.questions[1]).toMatchObject({ counts: teams.map((option) => ({ option, count: answers.filter((x) => x[1] === option).length })) });
  });

  it('refuses malformed uploads and descriptors with a message', async () => {
    const { d } = await testSurvey();
    const client = new SurveyClient(base);
    await client.create(d);
    const good = await makeReport(d, ['1', 'red']);
    const short = { ...good, sealed: [good.sealed[0], [good.sealed[1][0].slice(4), good.sealed[1][1]]] };
    await expect(client.upload(d.id, short as ReportUpload)).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/share 1 for aggregator 2/) });
    await expect(client.upload(d.id, { id: 'x' } as unknown as ReportUpload)).rejects.toMatchObject({ status: 400 });
    await expect(client.create({ ...d, aggregators: [d.aggregators[0], d.aggregators[0]] })).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/different keys/) });
    // a server that swaps an aggregator key is caught by the link's digest
    const link = parseSurveyFragment(surveyFragment(d))!;
    const { d: other } = await testSurvey();
    const swapped = { ...d, aggregators: [d.aggregators[0], other.aggregators[1]] };
    expect(() => verifyDescriptor(swapped, link)).toThrow(/does not match this link/);
  });

  it('a request target that is not a path (`//`, `//x:y`) gets 404, and the server keeps answering', async () => {
    // before the fix, new URL('//', base) threw inside the request listener and ended the process
    const { port } = new URL(base);
    const status = (path: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: Number(port), path }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    for (const path of ['//', '//x:y', '//api/surveys']) expect(await status(path)).toBe(404);
    expect(await status('/healthz')).toBe(200);
  });
});
