/**
 * SQLite store (better-sqlite3 12: synchronous, prebuilt-free build from source here, the
 * 13.x line needs Node 22). One file, WAL journal, synchronous=FULL: a commit returns only
 * after its WAL frames are fsync'ed, so an acknowledged upload survives a crash or power
 * loss (https://www.sqlite.org/pragma.html#pragma_synchronous).
 *
 * Group commit, pipelined: report inserts go to a writer thread with its own connection
 * (sqlite-writer-thread.ts). While it commits one batch (one transaction, one fsync), the
 * uploads that arrive meanwhile queue here and become the next batch, so the main thread
 * never waits for the disk and a batch is as large as the disk is slow. An upload is
 * acknowledged when its batch's commit has returned. `:memory:` (tests, no file) commits in
 * this thread. Everything else (surveys, mail, results) is rare and stays on the main
 * connection; WAL lets the two connections read while the other writes, and busy_timeout
 * covers the short writer lock. Measured in `npm run bench` (storage ingest).
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { WriteRequest, WriterReply } from './sqlite-writer-thread.ts';
import type { PutResult, StoredReportRow, SurveyStore } from './store.ts';

interface Pending {
  surveyId: string;
  r: Omit<StoredReportRow, 'seq' | 'receivedAt'>;
  now: number;
  resolve: (p: PutResult) => void;
  reject: (e: unknown) => void;
}

export function openSqliteStore(path: string): SurveyStore {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.exec(`
    CREATE TABLE IF NOT EXISTS surveys (
      id TEXT PRIMARY KEY, descriptor TEXT NOT NULL, opens_at INTEGER NOT NULL, closes_at INTEGER NOT NULL,
      closed_at INTEGER, token_hash TEXT NOT NULL, created_at INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS reports (
      seq INTEGER PRIMARY KEY AUTOINCREMENT, survey_id TEXT NOT NULL, report_id TEXT NOT NULL,
      public TEXT NOT NULL, sealed0 TEXT NOT NULL, sealed1 TEXT NOT NULL, digest TEXT NOT NULL,
      received_at INTEGER NOT NULL, UNIQUE (survey_id, report_id));
    CREATE TABLE IF NOT EXISTS mail (
      survey_id TEXT NOT NULL, to_agg INTEGER NOT NULL, seq INTEGER NOT NULL, body TEXT NOT NULL,
      PRIMARY KEY (survey_id, to_agg, seq));
    CREATE TABLE IF NOT EXISTS results (
      survey_id TEXT NOT NULL, aggregator INTEGER NOT NULL, body TEXT NOT NULL,
      PRIMARY KEY (survey_id, aggregator));
  `);
  const q = {
    createSurvey: db.prepare(
      'INSERT OR IGNORE INTO surveys (id, descriptor, opens_at, closes_at, closed_at, token_hash, created_at) VALUES (?, ?, ?, ?, NULL, ?, ?)',
    ),
    getSurvey: db.prepare('SELECT id, descriptor, opens_at, closes_at, closed_at, token_hash FROM surveys WHERE id = ?'),
    closeSurvey: db.prepare('UPDATE surveys SET closed_at = ? WHERE id = ? AND closed_at IS NULL'),
    insertReport: db.prepare(
      'INSERT OR IGNORE INTO reports (survey_id, report_id, public, sealed0, sealed1, digest, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    findReport: db.prepare('SELECT seq, digest, received_at FROM reports WHERE survey_id = ? AND report_id = ?'),
    count: db.prepare('SELECT COUNT(*) AS n FROM reports WHERE survey_id = ?'),
    list: db.prepare(
      'SELECT seq, report_id, public, sealed0, sealed1, digest, received_at FROM reports WHERE survey_id = ? AND seq > ? ORDER BY seq LIMIT ?',
    ),
    putMail: db.prepare('INSERT INTO mail (survey_id, to_agg, seq, body) VALUES (?, ?, ?, ?) ON CONFLICT (survey_id, to_agg, seq) DO UPDATE SET body = excluded.body'),
    getMail: db.prepare('SELECT body FROM mail WHERE survey_id = ? AND to_agg = ? AND seq = ?'),
    putResult: db.prepare('INSERT INTO results (survey_id, aggregator, body) VALUES (?, ?, ?) ON CONFLICT (survey_id, aggregator) DO UPDATE SET body = excluded.body'),
    getResults: db.prepare('SELECT body FROM results WHERE survey_id = ? ORDER BY aggregator'),
  };

  let queue: Pending[] = [];
  let scheduled = false;
  const commitHere = db.transaction((batch: Pending[]) =>
    batch.map(({ surveyId, r, now }): PutResult => {
      const info = q.insertReport.run(surveyId, r.id, r.public, r.sealed0, r.sealed1, r.digest, now);
      if (info.changes === 1) return { kind: 'stored', receipt: { id: r.id, seq: Number(info.lastInsertRowid), digest: r.digest, storedAt: now } };
      const old = q.findReport.get(surveyId, r.id) as { seq: number; digest: string; received_at: number };
      return { kind: 'duplicate', receipt: { id: r.id, seq: old.seq, digest: old.digest, storedAt: old.received_at } };
    }),
  );

  const writer = path === ':memory:' ? undefined : new Worker(new URL('./sqlite-writer.mjs', import.meta.url), { workerData: { path: resolve(path) } });
  let inFlight: Pending[] | undefined;
  let writerFailed: Error | undefined;
  let idle: (() => void) | undefined;
  writer?.unref();
  writer?.on('message', (m: WriterReply) => {
    const batch = inFlight ?? [];
    inFlight = undefined;
    if ('error' in m) for (const p of batch) p.reject(new Error(`storing reports failed: ${m.error}`));
    else batch.forEach((p, i) => p.resolve(m.results[i]));
    pump();
    if (!inFlight) writer.unref();
  });
  let closing = false;
  const fail = (why: string) => {
    writerFailed = new Error(`the report writer thread failed: ${why}`);
    for (const p of [...(inFlight ?? []), ...queue]) p.reject(writerFailed);
    inFlight = undefined;
    queue = [];
    idle?.();
  };
  writer?.on('error', (e) => fail(e.message));
  writer?.on('exit', (code) => {
    if (!closing && !writerFailed) fail(`it exited (${code})`);
  });

  /** Hand the queued uploads to the writer, one batch in flight at a time. */
  function pump() {
    scheduled = false;
    if (inFlight || queue.length === 0) {
      if (!inFlight) idle?.();
      return;
    }
    const batch = queue;
    queue = [];
    if (!writer) {
      try {
        const results = commitHere(batch);
        batch.forEach((p, i) => p.resolve(results[i]));
      } catch (e) {
        for (const p of batch) p.reject(e);
      }
      return;
    }
    inFlight = batch;
    writer.ref(); // a commit in progress keeps the process alive
    writer.postMessage({ batch: batch.map((p): WriteRequest => ({ surveyId: p.surveyId, ...p.r, now: p.now })) });
  }
  return {
    kind: 'sqlite',
    async createSurvey(row) {
      return q.createSurvey.run(row.id, row.descriptor, row.opensAt, row.closesAt, row.tokenHash, Date.now()).changes === 1;
    },
    async getSurvey(id) {
      const r = q.getSurvey.get(id) as { id: string; descriptor: string; opens_at: number; closes_at: number; closed_at: number | null; token_hash: string } | undefined;
      return r && { id: r.id, descriptor: r.descriptor, opensAt: r.opens_at, closesAt: r.closes_at, closedAt: r.closed_at, tokenHash: r.token_hash };
    },
    async closeSurvey(id, at) {
      q.closeSurvey.run(at, id);
    },
    putReport(surveyId, r, now) {
      return new Promise((resolve, reject) => {
        if (writerFailed) return reject(writerFailed);
        queue.push({ surveyId, r, now, resolve, reject });
        if (!scheduled && !inFlight) {
          scheduled = true;
          // uploads parsed in this event-loop turn join the same batch
          setImmediate(pump);
        }
      });
    },
    async countReports(surveyId) {
      return (q.count.get(surveyId) as { n: number }).n;
    },
    async listReports(surveyId, afterSeq, limit) {
      return (q.list.all(surveyId, afterSeq, limit) as { seq: number; report_id: string; public: string; sealed0: string; sealed1: string; digest: string; received_at: number }[]).map((r) => ({
        seq: r.seq,
        id: r.report_id,
        public: r.public,
        sealed0: r.sealed0,
        sealed1: r.sealed1,
        digest: r.digest,
        receivedAt: r.received_at,
      }));
    },
    async putMail(surveyId, to, seq, body) {
      q.putMail.run(surveyId, to, seq, body);
    },
    async getMail(surveyId, to, seq) {
      return (q.getMail.get(surveyId, to, seq) as { body: string } | undefined)?.body;
    },
    async putResult(surveyId, aggregator, body) {
      q.putResult.run(surveyId, aggregator, body);
    },
    async getResults(surveyId) {
      return (q.getResults.all(surveyId) as { body: string }[]).map((r) => r.body);
    },
    async close() {
      if (writer && !writerFailed) {
        if (inFlight || queue.length) {
          await new Promise<void>((done) => {
            idle = done;
            pump();
          });
        }
        closing = true;
        const exited = new Promise((done) => writer.once('exit', done));
        writer.postMessage({ close: true });
        await exited;
      } else pump();
      db.close();
    },
  };
}
