/**
 * Strict (SPDZ2k, issue 11) against fast (semi-honest) mode on the same computation, timed
 * in the same repetition: `× baseline t/B` is the median of strict/fast in time and in
 * bytes per party. Each run is a fresh N-party session from the first message to the
 * result, setup included (base OTs, MAC keys, checked extension) on both sides, as a
 * Start → result in the room would be.
 *
 * `model` is the DESIGN §3 cost model for the authenticated triples the strict run used:
 * (N−1)·(64·128/k + 2080) bits per triple with SoftSpoken k = 2, i.e. what the same
 * triples would cost as plain (semi-honest) arithmetic triples; B/party/op over model is
 * strict's factor over that model (MACs, sacrifice, 128-bit ring, checks).
 *
 * Inputs: 2 decimals within ±10,000.00 (21-bit domain), as in computations.ts.
 */
import { createFastBackend } from '../../src/core/backend/fast.ts';
import { StrictBackend } from '../../src/core/backend/strict/strict.ts';
import { type ComputationKind, type ComputationSpec, runComputation } from '../../src/core/computations/index.ts';
import { randomU64 } from '../../src/core/random.ts';
import type { Session } from '../../src/core/session/session.ts';
import { runParties } from '../../src/core/session/simulate.ts';
import { createTripleSource } from '../../src/core/triples/triple-source.ts';
import type { BenchCase, Sample } from '../harness.ts';

const BOUND = 1_000_000n;
const SOFTSPOKEN_K = 2;
const tripleModelBytes = (n: number): number => ((n - 1) * ((64 * 128) / SOFTSPOKEN_K + 2080)) / 8;
const totalSent = (s: Session): number => s.stats.sent.reduce((a, b) => a + b, 0);

async function once(n: number, level: 'strict' | 'fast', spec: ComputationSpec, values: bigint[][]): Promise<{ ms: number; bytesPerParty: number; triples: number }> {
  const res = await runParties(
    n,
    async (s) => {
      const t0 = performance.now();
      const b = level === 'strict' ? new StrictBackend(s) : createFastBackend(s, createTripleSource(s));
      await runComputation(b, spec, { values: values[s.self] }, values.map((v) => v.length));
      return { t0, t1: performance.now(), bytes: totalSent(s), triples: b instanceof StrictBackend ? b.triplesUsed : 0 };
    },
    { timeoutMs: 1_800_000 },
  );
  return {
    ms: Math.max(...res.map((r) => r.t1)) - Math.min(...res.map((r) => r.t0)),
    bytesPerParty: res.reduce((a, r) => a + r.bytes, 0) / n,
    triples: res[0].triples,
  };
}

function strictCase(kind: ComputationKind, n: number, len: number, quickLen: number): BenchCase {
  let model: number | undefined;
  return {
    name: `strict vs fast ${kind} N=${n} v=${len}`,
    parties: n,
    unit: 'computations',
    get costModelBytes() {
      return model;
    },
    async prepare(quick) {
      const l = kind === 'rank' ? 1 : quick ? quickLen : len;
      const spec: ComputationSpec = { kind, decimals: 2, lower: '-10000', upper: '10000', length: l };
      const values = Array.from({ length: n }, () => Array.from(randomU64(l), (r) => (r % (2n * BOUND + 1n)) - BOUND));
      return {
        ops: 1,
        async run(): Promise<Sample> {
          const fast = await once(n, 'fast', spec, values);
          const strict = await once(n, 'strict', spec, values);
          model = strict.triples * tripleModelBytes(n);
          return { ms: strict.ms, bytesPerParty: strict.bytesPerParty, baseline: { ms: fast.ms, bytesPerParty: fast.bytesPerParty } };
        },
      };
    },
  };
}

/** `npm run bench -- --only "strict vs fast" --reps 3` (minutes per case under load). */
export const cases: BenchCase[] = [
  strictCase('sum', 3, 100, 10),
  strictCase('median', 3, 10, 2),
  strictCase('median', 3, 100, 2),
  strictCase('rank', 3, 1, 1),
  strictCase('rank', 8, 1, 1),
];
