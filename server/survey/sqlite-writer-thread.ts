/**
 * The SQLite report writer, in its own thread: it owns a second connection to the survey
 * file and commits each batch of uploads the main thread hands it in one transaction
 * (WAL, synchronous=FULL: the commit returns after the fsync), then answers with one
 * receipt per upload. The main thread keeps parsing requests while this thread waits for
 * the disk (≈ 7 ms a commit here), which the single-threaded store could not: its fsync
 * stopped the event loop. Messages: `{ batch: WriteRequest[] }` → `{ results }` or `{ error }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { PutResult } from './store.ts';

export interface WriteRequest {
  surveyId: string;
  id: string;
  public: string;
  sealed0: string;
  sealed1: string;
  digest: string;
  now: number;
}
export type WriterReply = { results: PutResult[] } | { error: string };

const db = new Database((workerData as { path: string }).path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 5000');
const insert = db.prepare(
  'INSERT OR IGNORE INTO reports (survey_id, report_id, public, sealed0, sealed1, digest, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
);
const find = db.prepare('SELECT seq, digest, received_at FROM reports WHERE survey_id = ? AND report_id = ?');
const commit = db.transaction((batch: WriteRequest[]) =>
  batch.map((r): PutResult => {
    const info = insert.run(r.surveyId, r.id, r.public, r.sealed0, r.sealed1, r.digest, r.now);
    if (info.changes === 1) return { kind: 'stored', receipt: { id: r.id, seq: Number(info.lastInsertRowid), digest: r.digest, storedAt: r.now } };
    const old = find.get(r.surveyId, r.id) as { seq: number; digest: string; received_at: number };
    return { kind: 'duplicate', receipt: { id: r.id, seq: old.seq, digest: old.digest, storedAt: old.received_at } };
  }),
);

parentPort!.on('message', (m: { batch: WriteRequest[] } | { close: true }) => {
  if ('close' in m) {
    db.close();
    parentPort!.close();
    return;
  }
  let reply: WriterReply;
  try {
    reply = { results: commit(m.batch) };
  } catch (e) {
    reply = { error: e instanceof Error ? e.message : String(e) };
  }
  parentPort!.postMessage(reply);
});
