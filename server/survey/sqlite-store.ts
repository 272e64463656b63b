/**
 * SQLite store (better-sqlite3 12: synchronous, prebuilt-free build from source here, the
 * 13.x line needs Node 22). One file, WAL journal, synchronous=FULL: a commit returns only
 * after its WAL frames are fsync'ed, so an acknowledged upload survives a crash or power
 * loss (https://www.sqlite.org/pragma.html#pragma_synchronous).
 *
 * Group commit: uploads arriving in the same event-loop turn are inserted in one
 * transaction (one fsync for all of them), then all are acknowledged. better-sqlite3 is
 * synchronous, so the insert itself blocks the loop briefly; that is the price of an
 * embedded database and is measured in `npm run bench` (storage ingest).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
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
  const commit = db.transaction((batch: Pending[]) =>
    batch.map(({ surveyId, r, now }): PutResult => {
      const info = q.insertReport.run(surveyId, r.id, r.public, r.sealed0, r.sealed1, r.digest, now);
      if (info.changes === 1) return { kind: 'stored', receipt: { id: r.id, seq: Number(info.lastInsertRowid), digest: r.digest, storedAt: now } };
      const old = q.findReport.get(surveyId, r.id) as { seq: number; digest: string; received_at: number };
      return { kind: 'duplicate', receipt: { id: r.id, seq: old.seq, digest: old.digest, storedAt: old.received_at } };
    }),
  );
  const flush = () => {
    scheduled = false;
    const batch = queue;
    queue = [];
    try {
      const results = commit(batch);
      batch.forEach((p, i) => p.resolve(results[i]));
    } catch (e) {
      for (const p of batch) p.reject(e);
    }
  };

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
        queue.push({ surveyId, r, now, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
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
      if (queue.length) flush();
      db.close();
    },
  };
}
