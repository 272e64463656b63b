/**
 * Benchmark harness: a registry of cases (bench/cases/*.ts), each measured as the median of
 * several repetitions after a warm-up, printed as a table or as JSON lines. Protocol cases
 * run all parties in this one Node thread over the in-memory network, so "per second" is
 * the whole group's throughput on one core (in the browser each party has its own worker).
 */
import type { Session } from '../src/core/session/session.ts';
import type { MemoryNetwork } from '../src/core/session/memory-network.ts';
import { type SimulationOptions, runParties } from '../src/core/session/simulate.ts';

/** One timed batch: `ms` for `ops` operations, and the mean bytes each party sent for them. */
export interface Sample {
  ms: number;
  bytesPerParty?: number;
  /** Sequential message rounds of the timed work (longest chain of dependent frames; memory-network.ts depth). */
  rounds?: number;
  /** The same work on a baseline (e.g. strict vs fast mode), timed in the same repetition. */
  baseline?: { ms: number; bytesPerParty?: number };
}

export interface Runner {
  /** Operations done by one `run()` (elements, triples, OTs…: see the case's `unit`). */
  ops: number;
  run(): Promise<Sample>;
  /** Time in ms for the same `ops` done in plaintext by one party (optional baseline). */
  plaintext?(): number;
  /** Release what prepare() started (servers, files); called once after the last sample. */
  dispose?(): Promise<void>;
}

export interface BenchCase {
  /** Unique; `--only` matches a substring of it. */
  name: string;
  parties: number;
  /** What one operation is, e.g. "elements". */
  unit: string;
  /** DESIGN §3 cost model: bytes each party sends per operation. */
  costModelBytes?: number;
  /** Build inputs, warm up sessions (not timed). `quick` asks for small sizes (tests, CI). */
  prepare(quick: boolean): Promise<Runner>;
}

export interface BenchResult {
  name: string;
  parties: number;
  unit: string;
  perSecond: number;
  bytesPerParty: number | null;
  costModelBytes: number | null;
  /** Median sequential rounds of one run() (all `ops` together), where the case measures it. */
  rounds: number | null;
  plaintextPerSecond: number | null;
  /** Median over repetitions of this case's time and bytes divided by its baseline's. */
  vsBaseline: { time: number; bytes: number | null } | null;
  reps: number;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export interface RunOptions {
  reps?: number;
  quick?: boolean;
}

export async function runCase(c: BenchCase, opts: RunOptions = {}): Promise<BenchResult> {
  const reps = opts.reps ?? 5;
  const runner = await c.prepare(opts.quick ?? false);
  await runner.run(); // warm-up: JIT, lazy setup
  const samples: Sample[] = [];
  for (let i = 0; i < reps; i++) samples.push(await runner.run());
  const ms = median(samples.map((s) => s.ms));
  const bytes = samples.map((s) => s.bytesPerParty).filter((b): b is number => b !== undefined);
  const rounds = samples.map((s) => s.rounds).filter((x): x is number => x !== undefined);
  let plaintextPerSecond: number | null = null;
  if (runner.plaintext) {
    runner.plaintext();
    const pms = median(Array.from({ length: reps }, () => (runner.plaintext as () => number)()));
    plaintextPerSecond = (runner.ops * 1000) / Math.max(pms, 1e-3);
  }
  await runner.dispose?.();
  const based = samples.filter((s) => s.baseline !== undefined);
  const byteRatios = based.filter((s) => s.bytesPerParty !== undefined && s.baseline?.bytesPerParty).map((s) => (s.bytesPerParty as number) / (s.baseline?.bytesPerParty as number));
  const vsBaseline = based.length ? { time: median(based.map((s) => s.ms / Math.max(s.baseline?.ms ?? 0, 1e-3))), bytes: byteRatios.length ? median(byteRatios) : null } : null;
  return {
    name: c.name,
    parties: c.parties,
    unit: c.unit,
    perSecond: (runner.ops * 1000) / ms,
    bytesPerParty: bytes.length ? median(bytes) / runner.ops : null,
    costModelBytes: c.costModelBytes ?? null,
    rounds: rounds.length ? median(rounds) : null,
    plaintextPerSecond,
    vsBaseline,
    reps,
  };
}

/** Case-insensitive substring filter; no patterns selects everything. */
export function selectCases(cases: readonly BenchCase[], only: readonly string[]): BenchCase[] {
  if (only.length === 0) return [...cases];
  const pats = only.map((o) => o.toLowerCase());
  return cases.filter((c) => pats.some((p) => c.name.toLowerCase().includes(p)));
}

export function checkUniqueNames(cases: readonly BenchCase[]): void {
  const seen = new Set<string>();
  for (const c of cases) {
    if (seen.has(c.name)) throw new Error(`duplicate benchmark case name: ${c.name}`);
    seen.add(c.name);
  }
}

const rate = (x: number | null): string =>
  x === null ? '' : x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)} k` : x.toFixed(1);
const num = (x: number | null): string => (x === null ? '' : x.toFixed(x < 10 ? 2 : 1));

export function formatTable(results: readonly BenchResult[]): string {
  const head = ['case', 'N', 'per second', 'unit', 'B/party/op', 'model', 'rounds/run', 'plaintext/s', '× baseline t/B'];
  const ratio = (r: BenchResult): string => (r.vsBaseline ? `${r.vsBaseline.time.toFixed(1)} / ${r.vsBaseline.bytes === null ? '–' : r.vsBaseline.bytes.toFixed(1)}` : '');
  const rows = results.map((r) => [r.name, String(r.parties), rate(r.perSecond), r.unit, num(r.bytesPerParty), num(r.costModelBytes), r.rounds === null ? '' : String(r.rounds), rate(r.plaintextPerSecond), ratio(r)]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 || i === 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export const toJsonLine = (r: BenchResult): string => JSON.stringify(r);

// --- helpers for protocol cases ---

const totalSent = (s: Session): number => s.stats.sent.reduce((a, b) => a + b, 0);

/**
 * Run `work` on every party of an n-party simulation after `warm` (untimed). Returns the
 * span from the first party starting `work` to the last one finishing, and the mean bytes a
 * party sent during `work`.
 */
export async function timeParties(
  n: number,
  warm: (s: Session) => Promise<unknown>,
  work: (s: Session) => Promise<unknown>,
  opts: SimulationOptions = {},
): Promise<Sample> {
  let net: MemoryNetwork | undefined;
  const res = await runParties(
    n,
    async (s, i) => {
      await warm(s);
      const b0 = totalSent(s);
      const d0 = net?.depth[i] ?? 0;
      const t0 = performance.now();
      await work(s);
      return { t0, t1: performance.now(), bytes: totalSent(s) - b0, d0, d1: net?.depth[i] ?? 0 };
    },
    { ...opts, onNetwork: (nw) => ((net = nw), opts.onNetwork?.(nw)) },
  );
  return {
    ms: Math.max(...res.map((r) => r.t1)) - Math.min(...res.map((r) => r.t0)),
    bytesPerParty: res.reduce((a, r) => a + r.bytes, 0) / n,
    rounds: Math.max(...res.map((r) => r.d1)) - Math.max(...res.map((r) => r.d0)),
  };
}

/** Wall time of a synchronous function, in ms. */
export function timeSync(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}
