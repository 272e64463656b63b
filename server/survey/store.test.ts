/**
 * The store contract (store.ts) against both real databases: SQLite in a temporary file
 * and PostgreSQL in a throwaway cluster (skipped, with the reason, where it cannot start).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from './postgres-store.ts';
import { openSqliteStore } from './sqlite-store.ts';
import type { SurveyStore } from './store.ts';
import { pgUnavailable, startPgCluster, type PgCluster } from './pg-cluster.test-helpers.ts';

const PG_PORT = 8879;

function contract(name: string, open: () => Promise<SurveyStore>, reopen: () => Promise<SurveyStore>) {
  describe(name, () => {
    const row = { id: 'AAAAAAAAAAAAAAAAAAAAAA', descriptor: '{}', opensAt: 1, closesAt: 2, closedAt: null, tokenHash: 'h' };
    const rep = (i: number) => ({ id: `r${i}`, public: '["p"]', sealed0: `["a${i}"]`, sealed1: `["b${i}"]`, digest: `d${i}` });

    it('stores a report once, answers a duplicate with the first receipt, keeps order', async () => {
      const s = await open();
      expect(await s.createSurvey(row)).toBe(true);
      expect(await s.createSurvey(row)).toBe(false);
      const puts = await Promise.all([0, 1, 2, 3, 4].map((i) => s.putReport(row.id, rep(i), 100 + i)));
      expect(puts.map((p) => p.kind)).toEqual(['stored', 'stored', 'stored', 'stored', 'stored']);
      const again = await s.putReport(row.id, rep(2), 999);
      expect(again).toEqual({ kind: 'duplicate', receipt: puts[2].receipt });
      expect(await s.countReports(row.id)).toBe(5);
      // arrival order = the order of the receipts' sequence numbers (concurrent inserts may commit in any order)
      const byArrival = puts.map((p) => p.receipt).sort((a, b) => a.seq - b.seq).map((r) => r.id);
      const list = await s.listReports(row.id, 0, 3);
      expect(list.map((r) => r.id)).toEqual(byArrival.slice(0, 3));
      const rest = await s.listReports(row.id, list[2].seq, 10);
      expect(rest.map((r) => r.id)).toEqual(byArrival.slice(3));
      await s.putMail(row.id, 1, 0, 'm0');
      expect(await s.getMail(row.id, 1, 0)).toBe('m0');
      expect(await s.getMail(row.id, 0, 0)).toBeUndefined();
      await s.putResult(row.id, 1, '{"b":1}');
      await s.putResult(row.id, 0, '{"a":1}');
      expect(await s.getResults(row.id)).toEqual(['{"a":1}', '{"b":1}']);
      await s.closeSurvey(row.id, 50);
      await s.close();
    });

    it('keeps everything across a reopen', async () => {
      const s = await reopen();
      expect((await s.getSurvey(row.id))?.closedAt).toBe(50);
      expect(await s.countReports(row.id)).toBe(5);
      expect((await s.listReports(row.id, 0, 10)).map((r) => r.sealed1).sort()).toEqual([0, 1, 2, 3, 4].map((i) => `["b${i}"]`));
      await s.close();
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'parley-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 's.sqlite');
contract('SQLite store', async () => openSqliteStore(file), async () => openSqliteStore(file));

const skip = pgUnavailable();
if (skip) {
  describe('PostgreSQL store', () => {
    it.skip(skip, () => {});
  });
} else {
  let cluster: PgCluster;
  beforeAll(async () => {
    cluster = await startPgCluster(PG_PORT);
  });
  afterAll(async () => cluster?.stop());
  contract('PostgreSQL store', async () => openPostgresStore(cluster.url), async () => openPostgresStore(cluster.url));
}
