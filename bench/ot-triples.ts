/**
 * Benchmarks for OT and triple generation (src/core/ot, src/core/triples), all parties in
 * this one Node thread over the in-memory network — so "per second" is the whole group's
 * throughput on one core; in the browser every party has its own worker.
 *
 * Run alone: npx tsx bench/ot-triples.ts [quick]
 */
import { randomBytes, randomU64 } from '../src/core/random.ts';
import { randomOtAll, setupOt, type SessionOt } from '../src/core/ot/ot-setup.ts';
import { runParties } from '../src/core/session/simulate.ts';
import type { Session } from '../src/core/session/session.ts';
import { createTripleSource } from '../src/core/triples/triple-source.ts';

export interface OtBenchResult {
  name: string;
  /** Operations per second (the unit is in the name). */
  perSecond: number;
  /** Bytes sent per party per operation (mean over parties), when meaningful. */
  bytesPerOp?: number;
  /** The DESIGN §3 cost model for bytesPerOp. */
  modelBytesPerOp?: number;
}

const totalSent = (s: Session): number => s.stats.sent.reduce((a, b) => a + b, 0);

/** Wall time of the slowest party for `work` after `warm` (not timed). */
async function timeParties(n: number, warm: (s: Session) => Promise<unknown>, work: (s: Session) => Promise<unknown>): Promise<{ ms: number; bytes: number }> {
  const res = await runParties(n, async (s) => {
    await warm(s);
    const b0 = totalSent(s);
    const t0 = performance.now();
    await work(s);
    return { ms: performance.now() - t0, bytes: totalSent(s) - b0 };
  });
  return { ms: Math.max(...res.map((r) => r.ms)), bytes: res.reduce((a, r) => a + r.bytes, 0) / n };
}

export async function benchBaseOt(): Promise<OtBenchResult> {
  await runParties(2, (s) => setupOt(s)); // JIT warm-up
  const { ms } = await timeParties(2, async () => undefined, (s) => setupOt(s));
  return { name: 'base OT (Chou–Orlandi, ristretto255), N=2, OTs/s', perSecond: (2 * 128 * 1000) / ms, bytesPerOp: (32 + 128 * 32 + 16) / 128 };
}

/** m random OTs per ordered pair; counts both directions. */
export async function benchOtExtension(m: number): Promise<OtBenchResult> {
  const choices = new Uint32Array(randomBytes(m / 8).buffer);
  const ots = new Map<Session, SessionOt>();
  const warm = async (s: Session): Promise<void> => {
    const ot = await setupOt(s);
    ots.set(s, ot);
    await randomOtAll(s, ot, m, () => choices);
  };
  const { ms, bytes } = await timeParties(2, warm, (s) => randomOtAll(s, ots.get(s)!, m, () => choices));
  return { name: `IKNP random OT (64-bit), N=2, m=${m}, OTs/s`, perSecond: (2 * m * 1000) / ms, bytesPerOp: bytes / m, modelBytesPerOp: 16 };
}

export async function benchArithTriples(n: number, count: number): Promise<OtBenchResult> {
  const sources = new Map<Session, ReturnType<typeof createTripleSource>>();
  const warm = async (s: Session): Promise<void> => {
    const src = createTripleSource(s);
    sources.set(s, src);
    await src.arith(256);
  };
  const { ms, bytes } = await timeParties(n, warm, (s) => sources.get(s)!.arith(count));
  return { name: `arithmetic triples (Gilboa/IKNP), N=${n}, triples/s`, perSecond: (count * 1000) / ms, bytesPerOp: bytes / count, modelBytesPerOp: ((n - 1) * (64 * 128 + 2080)) / 8 };
}

export async function benchAndTriples(n: number, words: number): Promise<OtBenchResult> {
  const sources = new Map<Session, ReturnType<typeof createTripleSource>>();
  const warm = async (s: Session): Promise<void> => {
    const src = createTripleSource(s);
    sources.set(s, src);
    await src.bits(64);
  };
  const { ms, bytes } = await timeParties(n, warm, (s) => sources.get(s)!.bits(words));
  return { name: `AND triples (ROT/IKNP), N=${n}, triples/s`, perSecond: (32 * words * 1000) / ms, bytesPerOp: bytes / (32 * words), modelBytesPerOp: ((n - 1) * 129) / 8 };
}

/** Plaintext baseline: the local products the triples stand in for. */
export function benchPlainMultiply(count: number): OtBenchResult {
  const a = randomU64(count), b = randomU64(count), c = new BigUint64Array(count);
  const run = (): number => {
    const t0 = performance.now();
    for (let i = 0; i < count; i++) c[i] = BigInt.asUintN(64, a[i] * b[i]);
    return performance.now() - t0;
  };
  run();
  return { name: 'plaintext u64 multiply (baseline), products/s', perSecond: (count * 1000) / run() };
}

export async function runOtTripleBenches(quick = false): Promise<OtBenchResult[]> {
  const out: OtBenchResult[] = [];
  out.push(await benchBaseOt());
  out.push(await benchOtExtension(quick ? 1 << 16 : 1 << 18));
  for (const n of [2, 3, 5]) out.push(await benchArithTriples(n, quick ? 1024 : n === 5 ? 4096 : 8192));
  for (const n of [2, 3, 5]) out.push(await benchAndTriples(n, quick ? 1024 : 8192));
  out.push(benchPlainMultiply(1 << 20));
  return out;
}

function format(r: OtBenchResult): string {
  const rate = r.perSecond >= 1e6 ? `${(r.perSecond / 1e6).toFixed(2)} M` : r.perSecond.toFixed(0);
  const bytes = r.bytesPerOp === undefined ? '' : `  ${r.bytesPerOp.toFixed(1)} B/party/op${r.modelBytesPerOp === undefined ? '' : ` (model ${r.modelBytesPerOp.toFixed(1)})`}`;
  return `${r.name.padEnd(58)} ${rate.padStart(10)}${bytes}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const results = await runOtTripleBenches(process.argv[2] === 'quick');
  for (const r of results) console.log(format(r));
}
