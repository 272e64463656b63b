/**
 * PostgreSQL store (`DATABASE_URL`), through `pg`. Each upload is one INSERT … ON CONFLICT
 * DO NOTHING in autocommit, acknowledged after the server's commit, which with the default
 * synchronous_commit=on means the WAL is flushed. Several Parley processes may share one
 * database: ids are unique in the schema, not in memory.
 */
import pg from 'pg';
import type { PutResult, StoredReportRow, SurveyRow, SurveyStore } from './store.ts';

export async function openPostgresStore(url: string): Promise<SurveyStore> {
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  // An idle connection the database drops (restart, failover) must not crash the process;
  // the pool replaces it and the next query reports any real outage.
  pool.on('error', (e) => console.error(`Parley: PostgreSQL connection lost: ${e.message}`));
  await pool.query(`
    CREATE TABLE IF NOT EXISTS parley_surveys (
      id TEXT PRIMARY KEY, descriptor TEXT NOT NULL, opens_at BIGINT NOT NULL, closes_at BIGINT NOT NULL,
      closed_at BIGINT, token_hash TEXT NOT NULL, created_at BIGINT NOT NULL);
    CREATE TABLE IF NOT EXISTS parley_reports (
      seq BIGSERIAL PRIMARY KEY, survey_id TEXT NOT NULL, report_id TEXT NOT NULL,
      public TEXT NOT NULL, sealed0 TEXT NOT NULL, sealed1 TEXT NOT NULL, digest TEXT NOT NULL,
      received_at BIGINT NOT NULL, UNIQUE (survey_id, report_id));
    CREATE TABLE IF NOT EXISTS parley_mail (
      survey_id TEXT NOT NULL, to_agg INTEGER NOT NULL, seq INTEGER NOT NULL, body TEXT NOT NULL,
      PRIMARY KEY (survey_id, to_agg, seq));
    CREATE TABLE IF NOT EXISTS parley_results (
      survey_id TEXT NOT NULL, aggregator INTEGER NOT NULL, body TEXT NOT NULL,
      PRIMARY KEY (survey_id, aggregator));
  `);
  const n = (v: unknown) => Number(v);
  return {
    kind: 'postgres',
    async createSurvey(row: SurveyRow) {
      const r = await pool.query(
        'INSERT INTO parley_surveys (id, descriptor, opens_at, closes_at, closed_at, token_hash, created_at) VALUES ($1, $2, $3, $4, NULL, $5, $6) ON CONFLICT (id) DO NOTHING',
        [row.id, row.descriptor, row.opensAt, row.closesAt, row.tokenHash, Date.now()],
      );
      return r.rowCount === 1;
    },
    async getSurvey(id) {
      const r = await pool.query('SELECT id, descriptor, opens_at, closes_at, closed_at, token_hash FROM parley_surveys WHERE id = $1', [id]);
      const x = r.rows[0] as { id: string; descriptor: string; opens_at: string; closes_at: string; closed_at: string | null; token_hash: string } | undefined;
      return x && { id: x.id, descriptor: x.descriptor, opensAt: n(x.opens_at), closesAt: n(x.closes_at), closedAt: x.closed_at === null ? null : n(x.closed_at), tokenHash: x.token_hash };
    },
    async closeSurvey(id, at) {
      await pool.query('UPDATE parley_surveys SET closed_at = $1 WHERE id = $2 AND closed_at IS NULL', [at, id]);
    },
    async putReport(surveyId, r, now): Promise<PutResult> {
      const ins = await pool.query(
        'INSERT INTO parley_reports (survey_id, report_id, public, sealed0, sealed1, digest, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (survey_id, report_id) DO NOTHING RETURNING seq',
        [surveyId, r.id, r.public, r.sealed0, r.sealed1, r.digest, now],
      );
      if (ins.rowCount === 1) return { kind: 'stored', receipt: { id: r.id, seq: n((ins.rows[0] as { seq: string }).seq), digest: r.digest, storedAt: now } };
      const old = (await pool.query('SELECT seq, digest, received_at FROM parley_reports WHERE survey_id = $1 AND report_id = $2', [surveyId, r.id])).rows[0] as { seq: string; digest: string; received_at: string };
      return { kind: 'duplicate', receipt: { id: r.id, seq: n(old.seq), digest: old.digest, storedAt: n(old.received_at) } };
    },
    async countReports(surveyId) {
      return n((await pool.query('SELECT COUNT(*) AS n FROM parley_reports WHERE survey_id = $1', [surveyId])).rows[0].n);
    },
    async listReports(surveyId, afterSeq, limit): Promise<StoredReportRow[]> {
      const r = await pool.query(
        'SELECT seq, report_id, public, sealed0, sealed1, digest, received_at FROM parley_reports WHERE survey_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
        [surveyId, afterSeq, limit],
      );
      return (r.rows as { seq: string; report_id: string; public: string; sealed0: string; sealed1: string; digest: string; received_at: string }[]).map((x) => ({
        seq: n(x.seq),
        id: x.report_id,
        public: x.public,
        sealed0: x.sealed0,
        sealed1: x.sealed1,
        digest: x.digest,
        receivedAt: n(x.received_at),
      }));
    },
    async putMail(surveyId, to, seq, body) {
      await pool.query(
        'INSERT INTO parley_mail (survey_id, to_agg, seq, body) VALUES ($1, $2, $3, $4) ON CONFLICT (survey_id, to_agg, seq) DO UPDATE SET body = EXCLUDED.body',
        [surveyId, to, seq, body],
      );
    },
    async getMail(surveyId, to, seq) {
      return ((await pool.query('SELECT body FROM parley_mail WHERE survey_id = $1 AND to_agg = $2 AND seq = $3', [surveyId, to, seq])).rows[0] as { body: string } | undefined)?.body;
    },
    async putResult(surveyId, aggregator, body) {
      await pool.query(
        'INSERT INTO parley_results (survey_id, aggregator, body) VALUES ($1, $2, $3) ON CONFLICT (survey_id, aggregator) DO UPDATE SET body = EXCLUDED.body',
        [surveyId, aggregator, body],
      );
    },
    async getResults(surveyId) {
      return ((await pool.query('SELECT body FROM parley_results WHERE survey_id = $1 ORDER BY aggregator', [surveyId])).rows as { body: string }[]).map((r) => r.body);
    },
    async close() {
      await pool.end();
    },
  };
}
