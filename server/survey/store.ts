/**
 * Durable storage of surveys, their sealed reports, the aggregators' mailboxes and the
 * published aggregate shares. Two implementations behind one interface: SQLite (embedded
 * default, better-sqlite3) and PostgreSQL (`DATABASE_URL`, pg). The server stores only what
 * it is given: descriptors (public to link holders), ciphertexts, signed envelopes.
 *
 * Contract every implementation keeps (store.contract.ts runs against both):
 * - `putReport` resolves only after the report is committed durably (SQLite: WAL with
 *   synchronous=FULL, so the commit is fsync'ed; PostgreSQL: synchronous_commit=on, default);
 * - the same report id twice is stored once; the second call returns the first receipt;
 * - `listReports` returns reports in arrival order (`seq`), each id once.
 */
export interface SurveyRow {
  id: string;
  descriptor: string;
  opensAt: number;
  closesAt: number;
  closedAt: number | null;
  tokenHash: string;
}

export interface StoredReportRow {
  seq: number;
  id: string;
  public: string;
  sealed0: string;
  sealed1: string;
  digest: string;
  receivedAt: number;
}

export interface Receipt {
  id: string;
  seq: number;
  digest: string;
  storedAt: number;
}

export type PutResult = { kind: 'stored'; receipt: Receipt } | { kind: 'duplicate'; receipt: Receipt };

export interface SurveyStore {
  readonly kind: 'sqlite' | 'postgres';
  createSurvey(row: SurveyRow): Promise<boolean>;
  getSurvey(id: string): Promise<SurveyRow | undefined>;
  closeSurvey(id: string, at: number): Promise<void>;
  putReport(surveyId: string, r: Omit<StoredReportRow, 'seq' | 'receivedAt'>, now: number): Promise<PutResult>;
  countReports(surveyId: string): Promise<number>;
  listReports(surveyId: string, afterSeq: number, limit: number): Promise<StoredReportRow[]>;
  putMail(surveyId: string, to: number, seq: number, body: string): Promise<void>;
  getMail(surveyId: string, to: number, seq: number): Promise<string | undefined>;
  putResult(surveyId: string, aggregator: number, body: string): Promise<void>;
  getResults(surveyId: string): Promise<string[]>;
  close(): Promise<void>;
}
