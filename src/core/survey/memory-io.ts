/**
 * Two aggregators in one process with a mailbox between them (as session/memory-network.ts
 * is for rooms): the tests and the benchmarks run the real protocol over it. `tamper` lets
 * a test play the relaying server that alters envelopes.
 */
import type { AggregatorIo, Publication, StoredShare } from './aggregator';
import type { ReportUpload } from './report';

export function memoryAggregatorIo(uploads: readonly ReportUpload[], tamper?: (from: number, seq: number, envelope: string) => string) {
  const boxes = [new Map<number, string>(), new Map<number, string>()];
  const waiters = [new Map<number, (s: string) => void>(), new Map<number, (s: string) => void>()];
  const published: Publication[] = [];
  const io = (me: 0 | 1): AggregatorIo => ({
    reports: async (): Promise<StoredShare[]> => uploads.map((u) => ({ id: u.id, public: u.public, sealed: u.sealed[me] })),
    send: async (seq, env) => {
      const to = 1 - me;
      const e = tamper ? tamper(me, seq, env) : env;
      const w = waiters[to].get(seq);
      if (w) {
        waiters[to].delete(seq);
        w(e);
      } else boxes[to].set(seq, e);
    },
    receive: (seq) =>
      new Promise((resolve) => {
        const e = boxes[me].get(seq);
        if (e !== undefined) {
          boxes[me].delete(seq);
          resolve(e);
        } else waiters[me].set(seq, resolve);
      }),
    publish: async (p) => void published.push(p),
  });
  return { io, published };
}
