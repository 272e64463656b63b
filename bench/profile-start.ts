/**
 * Where the seconds of one computation go (issue 19 part 1): runs `median` (or --kind) for
 * N parties × v values in this process over the in-memory network, and prints, for
 * party 0, the wall time inside each backend method and triple-source call, the number of
 * sequential message rounds (Lamport depth) and the base-OT setup time. Start under
 * `node --cpu-prof` for the CPU split.
 *
 *   npx tsx bench/profile-start.ts [--n 5] [--v 100] [--kind median] [--reps 3] [--dealer]
 */
import { createFastBackend } from '../src/core/backend/fast.ts';
import type { Backend } from '../src/core/backend/types.ts';
import { type ComputationKind, runComputation } from '../src/core/computations/index.ts';
import { randomU64 } from '../src/core/random.ts';
import type { MemoryNetwork } from '../src/core/session/memory-network.ts';
import { runParties } from '../src/core/session/simulate.ts';
import { dealerSources } from '../src/core/protocols/dealer.test-helpers.ts';
import { plannedTripleSource } from '../src/core/protocols/planned-triples.ts';
import { planTriples } from '../src/worker/plan-triples.ts';
import { createTripleSource } from '../src/core/triples/triple-source.ts';
import type { TripleSource } from '../src/core/triples/types.ts';

const arg = (k: string, d: string): string => {
  const i = process.argv.indexOf(`--${k}`);
  return i >= 0 ? process.argv[i + 1] : d;
};
const n = Number(arg('n', '5'));
const v = Number(arg('v', '100'));
const kind = arg('kind', 'median') as ComputationKind;
const reps = Number(arg('reps', '3'));
/** --dealer: triples from an in-process dealer (no rounds, no OT): what is left is the online phase. */
/** --plan: all of a run's triples in one batch (planned-triples.ts), the plan from a dry run (timed apart). */
const plan = process.argv.includes('--plan');
const dealer = process.argv.includes('--dealer') ? dealerSources(n).sources : undefined;
const spec = { kind, decimals: 2, lower: '-10000', upper: '10000', length: v };
const values = Array.from({ length: n }, () => Array.from(randomU64(v), (r) => -1_000_000n + (r % 2_000_001n)));
const counts = values.map((x) => x.length);

/** Wall ms per method name (party 0 only; nested calls counted in each). */
const spent = new Map<string, { ms: number; calls: number; rounds: number; units?: number }>();
function timed<T extends object>(label: string, obj: T): T {
  return new Proxy(obj, {
    get(target, prop, recv) {
      const f = Reflect.get(target, prop, recv) as unknown;
      if (typeof f !== 'function') return f;
      return (...a: unknown[]) => {
        const t0 = performance.now();
        const d0 = net?.depth[0] ?? 0;
        const out = (f as (...x: unknown[]) => unknown).apply(target, a);
        const add = (): void => {
          const k = `${label}.${String(prop)}`;
          const e = spent.get(k) ?? { ms: 0, calls: 0, rounds: 0 };
          e.ms += performance.now() - t0;
          e.rounds += (net?.depth[0] ?? 0) - d0;
          e.calls++;
          if (typeof a[0] === 'number') e.units = (e.units ?? 0) + a[0];
          spent.set(k, e);
        };
        if (out instanceof Promise) return out.finally(add);
        add();
        return out;
      };
    },
  });
}

let net: MemoryNetwork | undefined;
const rows: { setup: number; run: number; rounds: number }[] = [];
await runParties(
  n,
  async (s, i) => {
    const t: TripleSource & { setup?: () => Promise<void> } = dealer?.[i] ?? createTripleSource(s);
    const ts = i === 0 ? timed('triples', t) : t;
    const t0 = performance.now();
    await t.setup?.();
    const setup = performance.now() - t0;
    for (let r = 0; r < reps; r++) {
      if (i === 0) spent.clear();
      const d0 = net?.depth[i] ?? 0;
      const t1 = performance.now();
      const tp0 = performance.now();
      const p = plan ? await planTriples(spec, counts) : undefined;
      if (i === 0 && plan) console.log(`plan: ${(performance.now() - tp0).toFixed(0)} ms, ${p?.bits.length} bits requests, ${p?.arith.length} arith`);
      const b: Backend = createFastBackend(s, p ? plannedTripleSource(ts, p) : ts);
      await runComputation(i === 0 ? timed('backend', b) : b, spec, { values: values[i] }, counts);
      if (i === 0) {
        rows.push({ setup, run: performance.now() - t1, rounds: (net?.depth[i] ?? 0) - d0 });
        console.log(`rep ${r}: setup ${setup.toFixed(0)} ms, run ${(performance.now() - t1).toFixed(0)} ms, rounds ${(net?.depth[i] ?? 0) - d0}`);
      }
    }
  },
  { onNetwork: (nw) => (net = nw), timeoutMs: 600_000 },
);
console.log(`${kind} N=${n} v=${v}: time inside party 0's calls (last rep; nested calls count in each):`);
for (const [k, e] of [...spent].sort((a, b) => b[1].ms - a[1].ms)) console.log(`  ${k.padEnd(32)} ${e.ms.toFixed(0).padStart(7)} ms  ${String(e.calls).padStart(5)} calls ${String(e.rounds).padStart(5)} rounds${e.units === undefined ? '' : `  ${e.units} units`}`);
