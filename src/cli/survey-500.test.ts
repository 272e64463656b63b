/**
 * A survey at the scale issue 17 states, end to end on this machine: 500 contributors make
 * their reports with the browser's own code (vdafsFor + makeReport + SurveyClient.upload,
 * as survey-page.tsx does) and upload them over HTTP to the real server (createAppServer,
 * SQLite in a temporary directory). Some contributors upload again (a lost answer, a second
 * click): stored once, the same receipt. Half-way the server is shut down and started again
 * on the same file: every acknowledged report is there and collection goes on. Six modified
 * clients send invalid reports. After the close, two `parley survey-aggregate` child
 * processes (one with a worker pool, one on its main thread) check every proof with each
 * other and both print the plaintext oracle's result: counts, totals, means, variance.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runParley } from './survey-process.test-helpers.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { createAppServer, type AppServer } from '../../server/http.ts';
import { createSurveyApi } from '../../server/survey/routes.ts';
import { openSqliteStore } from '../../server/survey/sqlite-store.ts';
import { makeReport, newAggregatorKeyFile, parseDescriptor, SurveyClient, surveyFragment, uploadDigest, vdafsFor, type Receipt, type ReportUpload } from '../core/survey/index.ts';
import { b64urlEncode } from '../core/survey/b64.ts';
import { maliciousReport, type Attack } from '../core/survey/survey.test-helpers.ts';

const CONTRIBUTORS = 500;
const DUPLICATES = 40;
const TEAMS = ['sales', 'engineering', 'support', 'finance', 'legal'];
const dir = mkdtempSync(join(tmpdir(), 'parley-survey-500-'));
const dbFile = join(dir, 'surveys.sqlite');
let app: AppServer | undefined;
afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function startServer(port: number): Promise<string> {
  app = await createAppServer({ surveys: createSurveyApi(openSqliteStore(dbFile)) });
  return app.listen(port, '127.0.0.1');
}

const parley = (args: string[]) => runParley(dir, args);

/** mulberry32: the contributors' answers are reproducible from the seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Run `work` over `items`, `width` at a time (contributors arrive concurrently). */
async function pool<T, R>(items: readonly T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await work(items[i]);
      }
    }),
  );
  return out;
}

describe(`a survey of ${CONTRIBUTORS} contributors, end to end`, { timeout: 180_000 }, () => {
  it('server restart and duplicates lose or double nothing; two Node aggregators print the oracle result', async () => {
    const keys = await Promise.all([newAggregatorKeyFile(), newAggregatorKeyFile()]);
    keys.forEach((k, i) => writeFileSync(join(dir, `agg${i}.key`), k.text, { mode: 0o600 }));
    const d = parseDescriptor({
      version: 1,
      id: b64urlEncode(crypto.getRandomValues(new Uint8Array(16))),
      title: 'Pay equity 2026',
      questions: [
        { kind: 'number', label: 'Salary (k)', min: 20, max: 300, variance: true },
        { kind: 'choice', label: 'Team', options: TEAMS },
        { kind: 'numbers', label: 'Hours per weekday', length: 5, max: 16 },
      ],
      opensAt: Date.now() - 1000,
      closesAt: Date.now() + 3_600_000,
      aggregators: [
        { name: 'Org A', key: keys[0].publicKey },
        { name: 'Org B', key: keys[1].publicKey },
      ],
    });

    let base = await startServer(0);
    const port = Number(new URL(base).port);
    const creator = new SurveyClient(base);
    const { token } = await creator.create(d);

    const random = rng(17);
    const answers = Array.from({ length: CONTRIBUTORS }, () => [
      String(20 + Math.floor(random() * 281)),
      TEAMS[Math.floor(random() * TEAMS.length)],
      Array.from({ length: 5 }, () => String(Math.floor(random() * 17))).join(', '),
    ]);
    // the page builds its Prio3 instances once (survey-page.tsx); each contributor is one page
    const vdafs = vdafsFor(d);
    const receipts = new Map<string, Receipt>();
    const uploads: ReportUpload[] = [];
    const contribute = async (a: string[]) => {
      const report = await makeReport(d, a, vdafs);
      const { receipt, duplicate } = await new SurveyClient(base).upload(d.id, report);
      expect(duplicate).toBe(false);
      expect(receipt.digest).toBe(uploadDigest(report)); // the receipt the page shows is for what it sent
      receipts.set(report.id, receipt);
      uploads.push(report);
    };
    const half = CONTRIBUTORS / 2;
    await pool(answers.slice(0, half), 8, contribute);
    expect((await creator.status(d.id)).reports).toBe(half);

    // restart: the process goes away, a new one opens the same database file on the same port
    await app!.close();
    app = undefined;
    base = await startServer(port);
    expect((await creator.status(d.id)).reports).toBe(half);

    const invalid: Attack[] = ['sum-out-of-range', 'two-hot', 'corrupt-proof', 'sum-out-of-range', 'two-hot', 'corrupt-proof'];
    await pool(answers.slice(half), 8, contribute);
    for (const attack of invalid) await creator.upload(d.id, await maliciousReport(d, attack));

    // re-uploads from before and after the restart: acknowledged as duplicates with the first receipt
    const again = Array.from({ length: DUPLICATES }, (_, i) => uploads[(i * 97) % uploads.length]);
    expect(again.some((u) => receipts.get(u.id)!.seq <= half) && again.some((u) => receipts.get(u.id)!.seq > half)).toBe(true);
    for (const u of again) {
      const { receipt, duplicate } = await creator.upload(d.id, u);
      expect(duplicate).toBe(true);
      expect(receipt).toEqual(receipts.get(u.id));
    }
    expect((await creator.status(d.id)).reports).toBe(CONTRIBUTORS + invalid.length);
    await creator.close(d.id, token);

    const link = `${base.replace(/\/$/, '')}/#/survey/${surveyFragment(d)}`;
    const started = performance.now();
    const runs = await Promise.all([
      parley(['survey-aggregate', link, '--key', 'agg0.key', '--threads', '2']),
      parley(['survey-aggregate', link, '--key', 'agg1.key', '--threads', '1']),
    ]);
    const seconds = (performance.now() - started) / 1000;
    console.log(`survey-500: two aggregators checked ${CONTRIBUTORS + invalid.length} reports in ${seconds.toFixed(1)} s`);

    // the plaintext oracle
    const salaries = answers.map((a) => Number(a[0]));
    const total = salaries.reduce((s, x) => s + x, 0);
    const mean = total / CONTRIBUTORS;
    const sq = salaries.reduce((s, x) => s + (x - mean) ** 2, 0);
    const hours = answers.map((a) => a[2].split(', ').map(Number));
    const hourTotals = [0, 1, 2, 3, 4].map((k) => hours.reduce((s, h) => s + h[k], 0));
    for (const r of runs) {
      expect(r.code, r.stderr).toBe(0);
      const result = JSON.parse(r.stdout) as { count: number; invalid: number; questions: Record<string, unknown>[] };
      expect(result).toMatchObject({ computation: 'survey', count: CONTRIBUTORS, invalid: invalid.length });
      const [salary, team, perDay] = result.questions as [
        { total: number; mean: number; variance: { population: number; sample: number } },
        { counts: { option: string; count: number }[] },
        { totals: number[]; means: number[] },
      ];
      expect(salary.total).toBe(total);
      expect(salary.mean).toBeCloseTo(mean, 9);
      expect(salary.variance.population).toBeCloseTo(sq / CONTRIBUTORS, 6);
      expect(salary.variance.sample).toBeCloseTo(sq / (CONTRIBUTORS - 1), 6);
      expect(team.counts).toEqual(TEAMS.map((option) => ({ option, count: answers.filter((a) => a[1] === option).length })));
      expect(perDay.totals).toEqual(hourTotals);
      expect(perDay.means).toEqual(hourTotals.map((t) => t / CONTRIBUTORS));
    }
    expect(runs[0].stderr).toMatch(/Published: 500 valid, 6 invalid \(6 proof\)/);
  });
});
