/**
 * All of a run's triples in one preprocessing call (issue 19): a computation fetches AND
 * triples circuit by circuit, each fetch a collective OT-extension run of 2+ rounds before
 * the circuit's first gate, so a median of 5 × 100 spent ~218 of its 448 rounds waiting for
 * triples. The sizes of those fetches depend only on public data (spec, roster size, the
 * declared counts), never on inputs or opened values, for the kinds listed in
 * `PLANNABLE_KINDS` (see plan-triples.ts in src/worker, which learns them by a dry run).
 * Given that list, `plannedTripleSource` generates the sum of all boolean requests, then the
 * sum of all arithmetic ones, on the first request, and hands out consecutive slices in the
 * order planned: one pipelined batch (2 rounds + one per chunk) instead of one per circuit.
 *
 * Fallback: a request that does not match the next planned one (a count drift; the same on
 * every party, because the plan and the requests are functions of public data) and every
 * later request of that kind go to the inner source unchanged. Nothing is ever handed out
 * twice (the cursors only move forward).
 *
 * Security: as the inner source — the same triples, generated earlier and in one batch;
 * which slice serves which gate is public, as before. The same holds for
 * `pooledTripleSource` (triples prepared before Start).
 */
import { MpcError } from '../errors.ts';
import type { ArithTriples, BitTriples, TripleSource } from '../triples/types.ts';
import { ArithTripleCursor, BitTripleCursor } from './triple-cursor.ts';

/** The requests of one run, in order: AND-triple words per `bits` call, triples per `arith` call. */
export interface TriplePlan {
  bits: number[];
  arith: number[];
}

const sum = (xs: readonly number[]): number => xs.reduce((a, x) => a + x, 0);

/**
 * A source of all-zero triples (a valid triple: 0 ∧ 0 = 0, 0·0 = 0) that records every
 * request: for a dry run on dummy inputs, which only needs the shapes. Never for real data.
 */
export function recordingTripleSource(): { source: TripleSource; plan: TriplePlan } {
  const plan: TriplePlan = { bits: [], arith: [] };
  return {
    plan,
    source: {
      bits: async (words) => (plan.bits.push(words), { a: new Uint32Array(words), b: new Uint32Array(words), c: new Uint32Array(words) }),
      arith: async (count) => (plan.arith.push(count), { a: new BigUint64Array(count), b: new BigUint64Array(count), c: new BigUint64Array(count) }),
    },
  };
}

/** Serves one kind's planned requests from one pool; off plan, delegates for good. */
class PlannedKind<T> {
  private next = 0;
  private off = false;
  private pool?: Promise<{ take(n: number): T }>;

  constructor(
    private readonly plan: readonly number[],
    private readonly fetch: (n: number) => Promise<T>,
    private readonly cursor: (t: T) => { take(n: number): T },
  ) {}

  /** Starts the pool's generation (queued on the inner source in call order). */
  start(): void {
    const total = sum(this.plan);
    if (total > 0) this.pool ??= this.fetch(total).then(this.cursor);
  }

  async take(n: number): Promise<T> {
    if (!this.off && this.pool && this.next < this.plan.length && this.plan[this.next] === n) {
      this.next++;
      return (await this.pool).take(n);
    }
    this.off = true;
    return this.fetch(n);
  }
}

export function plannedTripleSource(inner: TripleSource, plan: TriplePlan): TripleSource {
  for (const n of [...plan.bits, ...plan.arith]) {
    if (!Number.isSafeInteger(n) || n < 0) throw new MpcError('INVALID_ARGUMENT', `a triple plan holds non-negative integers, got ${n}`);
  }
  const bits = new PlannedKind<BitTriples>(plan.bits, (n) => inner.bits(n), (t) => new BitTripleCursor(t));
  const arith = new PlannedKind<ArithTriples>(plan.arith, (n) => inner.arith(n), (t) => new ArithTripleCursor(t));
  let started = false;
  // both pools in a fixed order on the first request of either kind, so every party queues the same calls
  const start = (): void => {
    if (started) return;
    started = true;
    bits.start();
    arith.start();
  };
  return {
    bits: (words) => (start(), bits.take(words)),
    arith: (count) => (start(), arith.take(count)),
  };
}

/**
 * Triples made before Start (prepared-ot.ts) first: a request takes what is left of the
 * pool, up to its size, and only the rest comes from the inner source (one batch, appended).
 * Every party holds a pool of the same size (agreed in the prep) and makes the same requests,
 * so all split them the same way. Slices only move forward: nothing is handed out twice.
 */
export function pooledTripleSource(inner: TripleSource, pool: { bits?: BitTriples; arith?: ArithTriples }): TripleSource {
  const bits = pool.bits ? new BitTripleCursor(pool.bits) : undefined;
  const arith = pool.arith ? new ArithTripleCursor(pool.arith) : undefined;
  const cat32 = (x: Uint32Array, y: Uint32Array): Uint32Array => {
    const out = new Uint32Array(x.length + y.length);
    out.set(x);
    out.set(y, x.length);
    return out;
  };
  const cat64 = (x: BigUint64Array, y: BigUint64Array): BigUint64Array => {
    const out = new BigUint64Array(x.length + y.length);
    out.set(x);
    out.set(y, x.length);
    return out;
  };
  return {
    bits: (words) => fromPool(words, bits, (n) => inner.bits(n), (h, t) => ({ a: cat32(h.a, t.a), b: cat32(h.b, t.b), c: cat32(h.c, t.c) })),
    arith: (count) => fromPool(count, arith, (n) => inner.arith(n), (h, t) => ({ a: cat64(h.a, t.a), b: cat64(h.b, t.b), c: cat64(h.c, t.c) })),
  };
}

async function fromPool<T>(n: number, cursor: { readonly remaining: number; take(k: number): T } | undefined, fetch: (k: number) => Promise<T>, join: (head: T, tail: T) => T): Promise<T> {
  const have = Math.min(n, cursor?.remaining ?? 0);
  if (!cursor || have === 0) return fetch(n);
  if (have === n) return cursor.take(n);
  const head = cursor.take(have);
  return join(head, await fetch(n - have));
}
