/**
 * OT and triple generation (src/core/ot, src/core/triples): base OTs, OT extension per
 * SoftSpokenOT parameter k (k=1 is IKNP), arithmetic and AND triples for N = 2, 3, 5, with
 * bytes per party beside the DESIGN §3 model (which assumes IKNP: 64·128+2080 bits per
 * arithmetic triple and 129 bits per AND triple, per peer) and a plaintext baseline (the
 * local products the triples stand in for).
 *
 * Setup (base OTs, SoftSpoken trees) is once per session and runs in the untimed warm-up.
 * The `@20MB/s` cases shape every link like a WebRTC data channel (DESIGN §5) to show the
 * k trade-off and the effect of pipelining batches.
 */
import { randomBytes, randomU64 } from '../../src/core/random.ts';
import { randomOtAll, setupOt, type SessionOt, type SoftSpokenK } from '../../src/core/ot/ot-setup.ts';
import type { Session } from '../../src/core/session/session.ts';
import { createTripleSource } from '../../src/core/triples/triple-source.ts';
import { shapedNetwork } from '../../src/core/triples/shaped-network.test-helpers.ts';
import { type BenchCase, timeParties, timeSync } from '../harness.ts';

const DEFAULT_K = 2;
const noop = async (): Promise<void> => undefined;
/** The plaintext loops are microseconds long: repeat them for a readable timer. */
const PLAIN_REPEAT = 200;

const baseOt: BenchCase = {
  name: 'base OT (Chou-Orlandi) N=2',
  parties: 2,
  unit: 'OTs',
  async prepare() {
    // One setup = 128 OTs in each direction.
    return { ops: 256, run: () => timeParties(2, noop, (s) => setupOt(s, { k: 1 })) };
  },
};

function extension(k: SoftSpokenK): BenchCase {
  return {
    name: `OT extension N=2 k=${k}${k === 1 ? ' (IKNP)' : ' (SoftSpoken)'}`,
    parties: 2,
    unit: 'OTs/direction',
    costModelBytes: 16,
    async prepare(quick) {
      const m = quick ? 1 << 12 : 1 << 18;
      const choices = new Uint32Array(randomBytes(m / 8).buffer);
      const ots = new Map<Session, SessionOt>();
      const warm = async (s: Session): Promise<void> => {
        ots.set(s, await setupOt(s, { k }));
      };
      return { ops: m, run: () => timeParties(2, warm, (s) => randomOtAll(s, ots.get(s)!, m, () => choices)) };
    },
  };
}

function arith(n: number, k: SoftSpokenK = DEFAULT_K): BenchCase {
  return {
    name: `arith triples N=${n} k=${k}`,
    parties: n,
    unit: 'triples',
    costModelBytes: ((n - 1) * (64 * 128 + 2080)) / 8,
    async prepare(quick) {
      const count = quick ? 256 : n === 5 ? 4096 : 8192;
      const a = randomU64(count), b = randomU64(count), c = new BigUint64Array(count);
      const sources = new Map<Session, ReturnType<typeof createTripleSource>>();
      const warm = async (s: Session): Promise<void> => {
        const src = createTripleSource(s, { otK: k });
        sources.set(s, src);
        await src.setup();
      };
      return {
        ops: count,
        run: () => timeParties(n, warm, (s) => sources.get(s)!.arith(count)),
        plaintext: () =>
          timeSync(() => {
            for (let r = 0; r < PLAIN_REPEAT; r++) for (let i = 0; i < count; i++) c[i] = BigInt.asUintN(64, a[i] * b[i]);
          }) / PLAIN_REPEAT,
      };
    },
  };
}

function and(n: number, k: SoftSpokenK = DEFAULT_K): BenchCase {
  return {
    name: `AND triples N=${n} k=${k}`,
    parties: n,
    unit: 'triples',
    costModelBytes: ((n - 1) * 129) / 8,
    async prepare(quick) {
      const words = quick ? 64 : 8192;
      const a = new Uint32Array(randomBytes(4 * words).buffer), b = a.slice().reverse(), c = new Uint32Array(words);
      const sources = new Map<Session, ReturnType<typeof createTripleSource>>();
      const warm = async (s: Session): Promise<void> => {
        const src = createTripleSource(s, { otK: k });
        sources.set(s, src);
        await src.setup();
      };
      return {
        ops: 32 * words,
        run: () => timeParties(n, warm, (s) => sources.get(s)!.bits(words)),
        plaintext: () =>
          timeSync(() => {
            for (let r = 0; r < PLAIN_REPEAT; r++) for (let i = 0; i < words; i++) c[i] = (a[i] & b[i]) ^ r;
          }) / PLAIN_REPEAT,
      };
    },
  };
}

/** Arithmetic triples over shaped links; `sequential` issues one batch per call (no pipelining). */
function arithShaped(n: number, k: SoftSpokenK, mbPerS: number, sequential: boolean): BenchCase {
  return {
    name: `arith triples N=${n} k=${k} @${mbPerS}MB/s${sequential ? ' unpipelined' : ''}`,
    parties: n,
    unit: 'triples',
    costModelBytes: ((n - 1) * (64 * 128 + 2080)) / 8,
    async prepare(quick) {
      const chunk = 1024, count = quick ? 2 * chunk : 8 * chunk;
      const sources = new Map<Session, ReturnType<typeof createTripleSource>>();
      const warm = async (s: Session): Promise<void> => {
        const src = createTripleSource(s, { otK: k, arithChunk: chunk });
        sources.set(s, src);
        await src.setup();
      };
      return {
        ops: count,
        run: () => {
          const shaper = shapedNetwork(mbPerS * 1000, 0.25);
          const work = async (s: Session): Promise<void> => {
            const src = sources.get(s)!;
            if (sequential) for (let i = 0; i < count; i += chunk) await src.arith(chunk);
            else await src.arith(count);
            await shaper.idle(s.self);
          };
          return timeParties(n, warm, work, shaper.opts);
        },
      };
    },
  };
}

export const cases: BenchCase[] = [
  baseOt,
  extension(1),
  extension(2),
  extension(4),
  ...[2, 3, 5].map((n) => arith(n)),
  arith(3, 1),
  arith(3, 4),
  ...[2, 3, 5].map((n) => and(n)),
  ...([1, 2, 4] as const).map((k) => arithShaped(3, k, 20, false)),
  arithShaped(3, 2, 20, true),
];
