/**
 * Durability: the real server process (server/main.ts, SQLite file) is killed with SIGKILL
 * while uploads are in flight, then started again on the same file. Every upload that was
 * acknowledged is there; the unacknowledged ones can be retried and are stored exactly once
 * (those that had reached the disk come back as duplicates with their first receipt).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeReport, SurveyClient, type ReportUpload } from '../../src/core/survey/index.ts';
import { testSurvey } from '../../src/core/survey/survey.test-helpers.ts';

const PORT = 8873;
const dir = mkdtempSync(join(tmpdir(), 'parley-restart-'));
writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Parley</title>');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** Start server/main.ts and resolve once it says it is listening (an event, not a sleep). */
function startServer(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, PORT: String(PORT), HOST: '127.0.0.1', PARLEY_SURVEY_DB: join(dir, 'surveys.sqlite'), PARLEY_DIST_DIR: dir, DATABASE_URL: '', PARLEY_SURVEY_UPLOADS_PER_MINUTE: '0', PARLEY_SURVEY_UPLOADS_PER_MINUTE_PER_SURVEY: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('Parley is running at')) resolve(child);
    });
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${out}`)));
  });
}

describe('survey storage across a crash', () => {
  it('loses nothing acknowledged when the server is killed mid-upload', { timeout: 240_000 }, async () => {
    const { d } = await testSurvey({ questions: [{ kind: 'number', label: 'Hours', min: 0, max: 100 }] });
    const uploads: ReportUpload[] = [];
    for (let i = 0; i < 150; i++) uploads.push(await makeReport(d, [String(i % 101)]));

    let server = await startServer();
    const client = new SurveyClient(`http://127.0.0.1:${PORT}/`);
    const { token } = await client.create(d);

    const acked = new Map<string, string>();
    let failed = 0;
    let killed = false;
    let next = 0;
    const exited = new Promise((r) => server.once('exit', r));
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < uploads.length) {
          const u = uploads[next++];
          try {
            const { receipt } = await client.upload(d.id, u, 1);
            acked.set(u.id, receipt.digest);
            if (acked.size === 60 && !killed) {
              killed = true;
              server.kill('SIGKILL'); // the others are in flight right now
            }
          } catch {
            failed++;
          }
        }
      }),
    );
    await exited;
    expect(killed).toBe(true);
    expect(failed).toBeGreaterThan(0);

    server = await startServer();
    // retry everything that was not acknowledged: stored once, never twice
    const retried = await Promise.all(uploads.filter((u) => !acked.has(u.id)).map((u) => client.upload(d.id, u)));
    expect((await client.status(d.id)).reports).toBe(150);
    await client.close(d.id, token);
    const stored = await client.aggregatorIo(d, 0).reports();
    const storedIds = new Set(stored.map((r) => r.id));
    expect(storedIds.size).toBe(150);
    for (const id of acked.keys()) expect(storedIds.has(id)).toBe(true);
    // the acknowledged digests are what is stored
    expect(retried.every((r, i) => r.receipt.id === uploads.filter((u) => !acked.has(u.id))[i].id)).toBe(true);
    server.kill('SIGTERM');
  });
});
