/**
 * The computations of issue 4 (src/core/computations) end to end: one `runComputation`
 * per timed run, from the first party starting to the last one holding its result, with
 * all preprocessing (OT-extension triples) included. Only the base OTs, once per session,
 * are untimed: each case keeps one N-party simulation alive across its repetitions (a
 * party pool), so they run once per case instead of once per repetition (the ot-triples
 * cases measure them). Unit: one computation, so "per second" is 1 / (start-to-result
 * time) and "B/party/op" the bytes one party sends.
 *
 * N = 3 and 5, values per party 1, 100 and 10,000 (`v=`; sum and mean use vectors of that
 * length, federated-averaging style). rank takes exactly one value per party, so it runs
 * with v=1 only (its prepare prints a note). Inputs: 2 decimals within ±10,000.00
 * (21-bit domain: 5 search steps of 31 comparisons for the order statistics).
 */
import { createFastBackend } from '../../src/core/backend/fast.ts';
import { StrictBackend } from '../../src/core/backend/strict/strict.ts';
import type { Backend, ProtectionLevel } from '../../src/core/backend/types.ts';
import { randomU64 } from '../../src/core/random.ts';
import type { Session } from '../../src/core/session/session.ts';
import { createTripleSource } from '../../src/core/triples/triple-source.ts';
import type { TripleSource } from '../../src/core/triples/types.ts';
import { type ComputationKind, type ComputationSpec, runComputation } from '../../src/core/computations/index.ts';
import { runParties } from '../../src/core/session/simulate.ts';
import { plannedTripleSource, type TriplePlan } from '../../src/core/protocols/planned-triples.ts';
import { planTriples } from '../../src/worker/plan-triples.ts';
import type { BenchCase, Sample } from '../harness.ts';

const BOUND = 1_000_000n; // ±10,000.00 scaled by 10^2
const SIZES = [
  { label: 1, full: 1, quick: 1 },
  { label: 100, full: 100, quick: 10 },
  { label: 10_000, full: 10_000, quick: 100 },
];

function specFor(kind: ComputationKind, length: number): ComputationSpec {
  const base = { kind, decimals: 2, lower: '-10000', upper: '10000', length };
  switch (kind) {
    case 'percentile':
      return { ...base, p: '90' };
    case 'histogram':
      return { ...base, edges: ['-5000', '-1000', '0', '1000', '5000'] };
    case 'threshold':
      return { ...base, threshold: '0' };
    case 'weighted-mean':
      return { ...base, maxWeight: '100' };
    default:
      return base;
  }
}

const randomValues = (len: number, bound: bigint, min = -bound): bigint[] => Array.from(randomU64(len), (r) => min + (r % (bound - min + 1n)));

/** Kinds that consume triples (the others are secure sums and need no OT). */
const NEEDS_OT: ReadonlySet<ComputationKind> = new Set(['weighted-mean', 'min', 'max', 'median', 'percentile', 'rank', 'threshold']);

export type Job = (s: Session, triples: TripleSource) => Promise<unknown>;
const totalSent = (s: Session): number => s.stats.sent.reduce((a, b) => a + b, 0);

/**
 * n parties that stay connected between timed runs: each waits for a job, runs it, and
 * reports its start/end times and the bytes it sent for it.
 */
export class PartyPool {
  private readonly inbox: ((job: Job | null) => void)[][] = [];
  private readonly queued: (Job | null)[][] = [];
  private readonly done: ((r: { t0: number; t1: number; bytes: number }) => void)[][] = [];
  readonly finished: Promise<unknown>;

  constructor(readonly n: number, setupOt: boolean) {
    for (let i = 0; i < n; i++) {
      this.inbox.push([]);
      this.queued.push([]);
      this.done.push([]);
    }
    this.finished = runParties(
      n,
      async (s, i) => {
        const triples = createTripleSource(s);
        if (setupOt) await triples.setup();
        for (;;) {
          const job = await this.next(i);
          if (!job) return;
          const b0 = totalSent(s);
          const t0 = performance.now();
          await job(s, triples);
          (this.done[i].shift() as (r: { t0: number; t1: number; bytes: number }) => void)({ t0, t1: performance.now(), bytes: totalSent(s) - b0 });
        }
      },
      { timeoutMs: 600_000 },
    );
  }

  private next(i: number): Promise<Job | null> {
    const q = this.queued[i];
    if (q.length > 0) return Promise.resolve(q.shift() as Job | null);
    return new Promise((resolve) => this.inbox[i].push(resolve));
  }

  private post(i: number, job: Job | null): void {
    const waiter = this.inbox[i].shift();
    if (waiter) waiter(job);
    else this.queued[i].push(job);
  }

  async run(job: Job): Promise<Sample> {
    const results = Array.from({ length: this.n }, (_, i) => {
      const p = new Promise<{ t0: number; t1: number; bytes: number }>((resolve) => this.done[i].push(resolve));
      this.post(i, job);
      return p;
    });
    const res = await Promise.race([Promise.all(results), this.finished.then(() => Promise.reject(new Error('party pool ended')))]);
    return {
      ms: Math.max(...res.map((r) => r.t1)) - Math.min(...res.map((r) => r.t0)),
      bytesPerParty: res.reduce((a, r) => a + r.bytes, 0) / this.n,
    };
  }

  close(): void {
    for (let i = 0; i < this.n; i++) this.post(i, null);
  }
}

/** The pool of the case being measured; closed when the next case prepares. */
let active: PartyPool | undefined;

/** One strict backend per session, kept across repetitions so its setup (base OTs, MAC key) runs once. */
const strictBackends = new WeakMap<Session, Backend>();
function backendFor(level: ProtectionLevel, s: Session, t: TripleSource, plan?: TriplePlan): Backend {
  if (level === 'fast') return createFastBackend(s, plan ? plannedTripleSource(t, plan) : t);
  let b = strictBackends.get(s);
  if (!b) strictBackends.set(s, (b = new StrictBackend(s)));
  return b;
}

function computationCase(kind: ComputationKind, n: number, size: (typeof SIZES)[number], level: ProtectionLevel = 'fast'): BenchCase {
  return {
    name: `${level === 'strict' ? 'strict ' : ''}${kind} N=${n} v=${size.label}`,
    parties: n,
    unit: 'computations',
    async prepare(quick) {
      const len = quick ? size.quick : size.full;
      if (kind === 'rank') console.error('  note: rank takes one value per party; v=100 and v=10000 are not applicable');
      const spec = specFor(kind, len);
      const values = Array.from({ length: n }, () => randomValues(len, BOUND));
      const weights = Array.from({ length: n }, () => randomValues(len, 10_000n, 1n));
      const counts = values.map((v) => v.length);
      active?.close();
      const pool = new PartyPool(n, NEEDS_OT.has(kind));
      active = pool;
      // as the worker does (run-job.ts): all of a run's triples in one batch; the dry run is cached there too
      const plan = level === 'fast' ? await planTriples(spec, counts) : undefined;
      return {
        ops: 1,
        run: () => pool.run((s, t) => runComputation(backendFor(level, s, t, plan), spec, { values: values[s.self], weights: weights[s.self] }, counts)),
      };
    },
  };
}

const KINDS: ComputationKind[] = ['sum', 'mean', 'count', 'stats', 'weighted-mean', 'min', 'max', 'median', 'percentile', 'rank', 'histogram', 'threshold'];

/**
 * Strict mode (issue 11) beside the same fast cases: `strict <kind> N=3 v=1` for every kind,
 * plus sum N=5 v=100; compare each with the fast case of the same name for the ratio.
 * The first repetition includes the strict session setup (endemic base OTs, MAC key).
 */
const STRICT_CASES: BenchCase[] = [
  ...KINDS.map((kind) => computationCase(kind, 3, SIZES[0], 'strict')),
  computationCase('sum', 5, SIZES[1], 'strict'),
];

export const cases: BenchCase[] = [
  ...[3, 5].flatMap((n) => KINDS.flatMap((kind) => (kind === 'rank' ? SIZES.slice(0, 1) : SIZES).map((size) => computationCase(kind, n, size)))),
  ...STRICT_CASES,
];
