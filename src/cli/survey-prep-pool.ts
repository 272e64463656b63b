/**
 * The Node aggregator's worker pool for Prio3 preparation: a `PrepEngine` (prep-engine.ts)
 * that splits each chunk into one contiguous slice per worker thread and runs the same
 * `localPrepEngine` functions there. Reports are independent, so the results are those of
 * one thread in the same order; only the wall-clock time changes (≤ threads×, on 2 cores ≤ 2×).
 *
 * The threads start once per pool, on first use, and serve every run and both aggregators of
 * this process (each run registers its setup, and drops it on close): starting a thread and
 * loading the survey code into it took longer than preparing a thousand reports. An idle
 * thread does not keep the process alive (it is ref'd only while a call waits on it).
 *
 * Security: the secret (non-extractable CryptoKeys) is cloned to threads of this process
 * only; nothing leaves it. Leader states come back by structured clone (the library's Buffer
 * arrives as a Uint8Array, which Prio3's `prepareNext` accepts: it calls `Buffer.equals` on
 * the message's side; survey-prep-pool.test.ts covers it with histogram joint randomness).
 */
import { Worker } from 'node:worker_threads';
import type { HelperStep, LeaderInit, PrepEngine, PrepEngineFactory, PrepSetup, StoredShare } from '../core/survey/index.ts';

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string };
type Op = 'setup' | 'drop' | 'leaderInit' | 'helperStep';

function slices(n: number, parts: number): [number, number][] {
  const out: [number, number][] = [];
  const size = Math.ceil(n / parts);
  for (let i = 0; i < n; i += size) out.push([i, Math.min(n, i + size)]);
  return out;
}

class ThreadLink {
  private next = 0;
  private waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private failed: Error | undefined;
  constructor(readonly worker: Worker) {
    worker.unref();
    worker.on('message', (r: Reply) => {
      const w = this.waiting.get(r.id);
      this.waiting.delete(r.id);
      if (this.waiting.size === 0) worker.unref();
      if (r.ok) w?.resolve(r.value);
      else w?.reject(new Error(`survey prep thread: ${r.message}`));
    });
    const fail = (e: Error) => {
      this.failed = e;
      for (const w of this.waiting.values()) w.reject(e);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`survey prep thread exited (${code})`)));
  }
  call(op: Op, args: unknown[]): Promise<unknown> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.next++;
    return new Promise((resolve, reject) => {
      if (this.waiting.size === 0) this.worker.ref();
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, op, args });
    });
  }
}

/** A pool of `threads` worker threads (the caller picks, e.g. os.availableParallelism()). */
export function prepPool(threads: number): PrepEngineFactory {
  if (!Number.isSafeInteger(threads) || threads < 1 || threads > 256) throw new RangeError(`threads must be 1..256, got ${threads}`);
  let links: ThreadLink[] | undefined;
  let runs = 0;
  return async (setup: PrepSetup): Promise<PrepEngine> => {
    const entry = new URL('./survey-prep-thread.mjs', import.meta.url);
    links ??= Array.from({ length: threads }, () => new ThreadLink(new Worker(entry)));
    const pool = links;
    const run = runs++;
    await Promise.all(pool.map((l) => l.call('setup', [run, setup])));
    const spread = async <T>(op: 'leaderInit' | 'helperStep', n: number, args: (a: number, b: number) => unknown[]): Promise<T[]> => {
      const parts = slices(n, pool.length);
      const results = await Promise.all(parts.map(([a, b], i) => pool[i].call(op, [run, ...args(a, b)]) as Promise<T[]>));
      return results.flat();
    };
    return {
      leaderInit(reports: readonly (StoredShare | undefined)[]) {
        return spread<LeaderInit>('leaderInit', reports.length, (a, b) => [reports.slice(a, b)]);
      },
      helperStep(reports: readonly (StoredShare | undefined)[], leaderShares: readonly unknown[]) {
        return spread<HelperStep>('helperStep', reports.length, (a, b) => [reports.slice(a, b), leaderShares.slice(a, b)]);
      },
      async close() {
        await Promise.all(pool.map((l) => l.call('drop', [run]).catch(() => undefined)));
      },
    };
  };
}
