/**
 * The survey HTTP API under /api/surveys (JSON). The server is untrusted by design: it
 * stores descriptors, sealed reports, sealed+signed aggregator envelopes and signed
 * aggregate shares, and checks only what it can check (shapes, sizes, times, duplicates).
 *
 *   POST /api/surveys                          {descriptor}        → 201 {token}
 *   GET  /api/surveys/:id                                          → {descriptor, state, reports, results}
 *   POST /api/surveys/:id/reports              ReportUpload        → 201 {receipt} | 200 {receipt, duplicate} | 429 (upload-limits.ts)
 *   POST /api/surveys/:id/close                {token}             → 200
 *   GET  /api/surveys/:id/reports?aggregator=0|1&after=&limit=     → {reports, next} (closed surveys only)
 *   PUT  /api/surveys/:id/mail/:to/:seq        envelope            → 204
 *   GET  /api/surveys/:id/mail/:to/:seq?wait=ms                    → 200 envelope | 204 not yet
 *   PUT  /api/surveys/:id/results/:aggregator  Publication         → 204
 *
 * An upload is answered 201 only after the store has committed it durably (store.ts).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { canonicalDescriptor, isSurveyId, parseDescriptor, parseUpload, reportShape, uploadDigest, type SurveyDescriptor } from '../../src/core/survey/index.ts';
import { securityHeaders } from '../static-files.ts';
import type { SurveyRow, SurveyStore } from './store.ts';
import { UploadLimiter, type UploadLimitOptions } from './upload-limits.ts';

const MAX_DESCRIPTOR = 64 * 1024;
const MAX_UPLOAD = 2 * 1024 * 1024;
const MAX_MAIL = 32 * 1024 * 1024;
const MAX_RESULT = 1024 * 1024;
const MAX_WAIT_MS = 25_000;
const LIST_LIMIT = 2000;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

function sendJson(req: IncomingMessage, res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { ...securityHeaders(req), 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)), 'Cache-Control': 'no-store', ...extra });
  res.end(text);
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) return reject(new HttpError(413, `body larger than ${limit} bytes`));
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new HttpError(413, `body larger than ${limit} bytes`));
        req.destroy();
      } else parts.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const text = await readBody(req, limit);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'body is not JSON');
  }
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('base64url');

type SurveyState = 'scheduled' | 'open' | 'closed';
function stateOf(row: { opensAt: number; closesAt: number; closedAt: number | null }, now: number): SurveyState {
  if (row.closedAt !== null || now >= row.closesAt) return 'closed';
  return now < row.opensAt ? 'scheduled' : 'open';
}

export interface SurveyApi {
  /** Handles /api/surveys…; returns false for other paths. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  close(): Promise<void>;
}

/** `limits` omitted: no upload limits (tests, embedding); server/main.ts passes uploadLimitsFromEnv. */
export function createSurveyApi(store: SurveyStore, now: () => number = Date.now, limits?: UploadLimitOptions): SurveyApi {
  const limiter = limits && new UploadLimiter(limits);
  const waiters = new Map<string, Set<() => void>>();
  let closing = false;

  /**
   * The survey row and parsed descriptor, read from the store at most once per
   * ROW_TTL_MS per survey: every upload needs them, and a database read per upload was a
   * tenth of ingest. Only `closedAt` can change; a close through this instance drops the
   * entry at once, a close through another instance (several servers on one PostgreSQL) is
   * seen within ROW_TTL_MS. Reports a late upload adds are stored but not aggregated: the
   * aggregators agree on the leader's list of ids (aggregator.ts).
   */
  const ROW_TTL_MS = 1000;
  const rows = new Map<string, { row: SurveyRow; d: SurveyDescriptor; at: number }>();
  async function survey(id: string) {
    if (!isSurveyId(id)) throw new HttpError(404, 'no such survey');
    const cached = rows.get(id);
    if (cached && performance.now() - cached.at < ROW_TTL_MS) return cached;
    const row = await store.getSurvey(id);
    if (!row) throw new HttpError(404, 'no such survey');
    const entry = { row, d: cached?.d ?? parseDescriptor(JSON.parse(row.descriptor)), at: performance.now() };
    rows.delete(id);
    rows.set(id, entry);
    if (rows.size > 1000) rows.delete(rows.keys().next().value as string);
    return entry;
  }

  function notify(key: string) {
    const set = waiters.get(key);
    if (!set) return;
    waiters.delete(key);
    for (const w of set) w();
  }

  async function waitFor(key: string, ms: number, check: () => Promise<string | undefined>): Promise<string | undefined> {
    const first = await check();
    if (first !== undefined || ms <= 0 || closing) return first;
    await new Promise<void>((resolve) => {
      const set = waiters.get(key) ?? new Set();
      waiters.set(key, set);
      const done = () => {
        clearTimeout(t);
        set.delete(done);
        resolve();
      };
      const t = setTimeout(done, ms);
      set.add(done);
    });
    return check();
  }

  async function route(req: IncomingMessage, res: ServerResponse, path: string[], query: URLSearchParams): Promise<void> {
    const m = req.method ?? 'GET';
    if (path.length === 0) {
      if (m !== 'POST') throw new HttpError(405, 'use POST to create a survey');
      const body = (await readJson(req, MAX_DESCRIPTOR)) as { descriptor?: unknown };
      let d: SurveyDescriptor;
      try {
        d = parseDescriptor(body?.descriptor);
      } catch (e) {
        throw new HttpError(400, e instanceof Error ? e.message : 'bad descriptor');
      }
      if (d.closesAt <= now()) throw new HttpError(400, 'the closing time is in the past');
      const token = randomBytes(16).toString('base64url');
      const created = await store.createSurvey({ id: d.id, descriptor: canonicalDescriptor(d), opensAt: d.opensAt, closesAt: d.closesAt, closedAt: null, tokenHash: sha256(token) });
      if (!created) throw new HttpError(409, 'a survey with this id exists');
      return sendJson(req, res, 201, { id: d.id, token });
    }
    const { row, d } = await survey(path[0]);
    const state = stateOf(row, now());
    const rest = path.slice(1);
    if (rest.length === 0 && m === 'GET') {
      const [reports, results] = await Promise.all([store.countReports(d.id), store.getResults(d.id)]);
      return sendJson(req, res, 200, { descriptor: JSON.parse(row.descriptor) as unknown, state, reports, results: results.map((r) => JSON.parse(r) as unknown) });
    }
    if (rest[0] === 'reports' && rest.length === 1 && m === 'POST') {
      if (state !== 'open') throw new HttpError(409, state === 'closed' ? 'this survey is closed' : 'this survey is not open yet');
      const verdict = limiter?.check(req, d.id);
      if (verdict && !verdict.ok) throw new HttpError(verdict.status, verdict.message, verdict.retryAfterSeconds);
      const raw = await readJson(req, MAX_UPLOAD);
      let upload;
      try {
        upload = parseUpload(raw, await reportShape(d));
      } catch (e) {
        throw new HttpError(400, e instanceof Error ? e.message : 'bad report');
      }
      const digest = uploadDigest(upload);
      const put = await store.putReport(d.id, { id: upload.id, public: JSON.stringify(upload.public), sealed0: JSON.stringify(upload.sealed[0]), sealed1: JSON.stringify(upload.sealed[1]), digest }, now());
      if (put.kind === 'duplicate' && put.receipt.digest !== digest) throw new HttpError(409, 'a different report with this id is already stored');
      return sendJson(req, res, put.kind === 'stored' ? 201 : 200, { receipt: put.receipt, duplicate: put.kind === 'duplicate' });
    }
    if (rest[0] === 'reports' && rest.length === 1 && m === 'GET') {
      if (state !== 'closed') throw new HttpError(409, 'reports are handed out only after the survey closes');
      const agg = query.get('aggregator');
      if (agg !== '0' && agg !== '1') throw new HttpError(400, 'aggregator must be 0 or 1');
      const after = Math.max(0, Math.floor(Number(query.get('after') ?? 0)) || 0);
      const limit = Math.min(LIST_LIMIT, Math.max(1, Math.floor(Number(query.get('limit') ?? LIST_LIMIT)) || LIST_LIMIT));
      const rows = await store.listReports(d.id, after, limit);
      const reports = rows.map((r) => ({ seq: r.seq, id: r.id, public: JSON.parse(r.public) as unknown, sealed: JSON.parse(agg === '0' ? r.sealed0 : r.sealed1) as unknown }));
      return sendJson(req, res, 200, { reports, next: rows.length === limit ? rows[rows.length - 1].seq : null });
    }
    if (rest[0] === 'close' && rest.length === 1 && m === 'POST') {
      const body = (await readJson(req, 4096)) as { token?: unknown };
      const given = Buffer.from(sha256(String(body?.token ?? '')));
      const want = Buffer.from(row.tokenHash);
      if (given.length !== want.length || !timingSafeEqual(given, want)) throw new HttpError(403, 'only the creator of this survey can close it early');
      await store.closeSurvey(d.id, now());
      rows.delete(d.id);
      return sendJson(req, res, 200, { state: 'closed' });
    }
    if (rest[0] === 'mail' && rest.length === 3) {
      const to = Number(rest[1]);
      const seq = Number(rest[2]);
      if ((to !== 0 && to !== 1) || !Number.isSafeInteger(seq) || seq < 0 || seq > 1e6) throw new HttpError(400, 'bad mailbox address');
      const key = `${d.id}/${to}/${seq}`;
      if (m === 'PUT') {
        if (state !== 'closed') throw new HttpError(409, 'aggregation starts after the survey closes');
        await store.putMail(d.id, to, seq, await readBody(req, MAX_MAIL));
        notify(key);
        return sendJson(req, res, 204, undefined);
      }
      if (m === 'GET') {
        const wait = Math.min(MAX_WAIT_MS, Math.max(0, Number(query.get('wait') ?? 0) || 0));
        const body = await waitFor(key, wait, () => store.getMail(d.id, to, seq));
        if (body === undefined) return sendJson(req, res, 204, undefined);
        res.writeHead(200, { ...securityHeaders(req), 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)), 'Cache-Control': 'no-store' });
        res.end(body);
        return;
      }
    }
    if (rest[0] === 'results' && rest.length === 2 && m === 'PUT') {
      const agg = Number(rest[1]);
      if (agg !== 0 && agg !== 1) throw new HttpError(400, 'aggregator must be 0 or 1');
      if (state !== 'closed') throw new HttpError(409, 'results are published after the survey closes');
      const body = await readJson(req, MAX_RESULT);
      if (typeof body !== 'object' || body === null || (body as { aggregator?: unknown }).aggregator !== agg) throw new HttpError(400, 'publication names another aggregator');
      await store.putResult(d.id, agg, JSON.stringify(body));
      return sendJson(req, res, 204, undefined);
    }
    throw new HttpError(404, 'no such survey endpoint');
  }

  return {
    handle(req, res) {
      // A request target such as `//` or `//x:y` is not a path relative to a base (WHATWG URL
      // reads it as a host), so new URL throws; thrown here, in the server's request
      // listener, it would end the whole process. Such a target is never ours.
      let url: URL;
      try {
        url = new URL(req.url ?? '/', 'http://x');
      } catch {
        return false;
      }
      if (url.pathname !== '/api/surveys' && !url.pathname.startsWith('/api/surveys/')) return false;
      const path = url.pathname.slice('/api/surveys'.length).split('/').filter((s) => s.length > 0);
      route(req, res, path, url.searchParams).catch((e: unknown) => {
        if (res.headersSent) return void res.destroy();
        if (e instanceof HttpError) return sendJson(req, res, e.status, { error: e.message }, e.retryAfterSeconds ? { 'Retry-After': String(e.retryAfterSeconds) } : {});
        console.error('Parley: survey API error:', e);
        sendJson(req, res, 500, { error: 'internal error' });
      });
      return true;
    },
    async close() {
      closing = true;
      for (const key of [...waiters.keys()]) notify(key);
      await store.close();
    },
  };
}
