/**
 * Upload rate limits over real HTTP (createAppServer + SQLite on disk), with an injected
 * clock so refills are exact and nothing sleeps: the per-address bucket answers 429 with
 * Retry-After and stores nothing past the limit, refills with time, counts addresses behind a
 * trusted proxy header separately; the per-survey bucket caps all addresses together and
 * leaves other surveys alone. Deterministic (no randomness decides an assertion).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppServer, type AppServer } from '../http.ts';
import { createSurveyApi } from './routes.ts';
import { openSqliteStore } from './sqlite-store.ts';
import { uploadLimitsFromEnv, type UploadLimitOptions } from './upload-limits.ts';
import { makeReport, SurveyClient } from '../../src/core/survey/index.ts';
import { testSurvey } from '../../src/core/survey/survey.test-helpers.ts';

let app: AppServer | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await app?.close();
  app = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function start(limits: UploadLimitOptions) {
  const dir = mkdtempSync(join(tmpdir(), 'parley-limits-'));
  dirs.push(dir);
  app = await createAppServer({ surveys: createSurveyApi(openSqliteStore(join(dir, 's.sqlite')), Date.now, limits) });
  return app.listen(0, '127.0.0.1');
}

function post(base: string, path: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; retryAfter?: string; error?: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, base);
    const req = http.request(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], error: (JSON.parse(text || '{}') as { error?: string }).error }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function setup(base: string) {
  const { d } = await testSurvey();
  await new SurveyClient(base).create(d);
  const upload = async (headers?: Record<string, string>) => post(base, `/api/surveys/${d.id}/reports`, JSON.stringify(await makeReport(d, ['7', 'red'])), headers);
  return { d, upload, count: async () => (await new SurveyClient(base).status(d.id)).reports };
}

describe('survey upload limits', () => {
  it('per address: the 6th upload in a minute gets 429 with Retry-After and is not stored; time refills the bucket', async () => {
    let t = 0;
    const base = await start({ perAddressPerMinute: 5, perSurveyPerMinute: 0, clock: () => t });
    const s = await setup(base);
    for (let i = 0; i < 5; i++) expect((await s.upload()).status).toBe(201);
    const refused = await s.upload();
    expect(refused).toMatchObject({ status: 429, retryAfter: '12' });
    expect(refused.error).toMatch(/too many uploads from your address \(at most 5 a minute\); your report was not stored, try again in 12 s/);
    expect(await s.count()).toBe(5);
    t += 11_999; // just short of one token
    expect((await s.upload()).status).toBe(429);
    t += 1;
    expect((await s.upload()).status).toBe(201);
    expect(await s.count()).toBe(6);
  });

  it('behind a trusted proxy header, each client address has its own bucket; a missing header is refused', async () => {
    const base = await start({ perAddressPerMinute: 2, perSurveyPerMinute: 0, trustedProxyHeader: 'x-forwarded-for', clock: () => 0 });
    const s = await setup(base);
    const from = (ip: string) => ({ 'X-Forwarded-For': ip });
    expect((await s.upload(from('203.0.113.7'))).status).toBe(201);
    expect((await s.upload(from('203.0.113.7'))).status).toBe(201);
    expect((await s.upload(from('203.0.113.7'))).status).toBe(429);
    expect((await s.upload(from('198.51.100.2'))).status).toBe(201);
    expect(await s.upload()).toMatchObject({ status: 400, error: expect.stringMatching(/x-forwarded-for is missing/) });
  });

  it('per survey: all addresses together are capped; another survey still accepts', async () => {
    const base = await start({ perAddressPerMinute: 0, perSurveyPerMinute: 3, trustedProxyHeader: 'x-forwarded-for', clock: () => 0 });
    const a = await setup(base);
    const b = await setup(base);
    for (let i = 0; i < 3; i++) expect((await a.upload({ 'X-Forwarded-For': `192.0.2.${i + 1}` })).status).toBe(201);
    const refused = await a.upload({ 'X-Forwarded-For': '192.0.2.99' });
    expect(refused).toMatchObject({ status: 429, retryAfter: '20', error: expect.stringMatching(/this survey is receiving too many uploads/) });
    expect((await b.upload({ 'X-Forwarded-For': '192.0.2.99' })).status).toBe(201);
    expect(await a.count()).toBe(3);
  });

  it('reads its environment, with 0 for off and a clear error for nonsense', () => {
    expect(uploadLimitsFromEnv({})).toEqual({ perAddressPerMinute: 60, perSurveyPerMinute: 30_000 });
    expect(uploadLimitsFromEnv({ PARLEY_SURVEY_UPLOADS_PER_MINUTE: '0', PARLEY_SURVEY_UPLOADS_PER_MINUTE_PER_SURVEY: '100' }, 'x-real-ip')).toEqual({
      perAddressPerMinute: 0,
      perSurveyPerMinute: 100,
      trustedProxyHeader: 'x-real-ip',
    });
    expect(() => uploadLimitsFromEnv({ PARLEY_SURVEY_UPLOADS_PER_MINUTE: 'lots' })).toThrow(/PARLEY_SURVEY_UPLOADS_PER_MINUTE must be a whole number/);
  });
});
