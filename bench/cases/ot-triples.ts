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
import { checkedRandomOtAll } from '../../src/core/ot/checked-extension.ts';
import { COPE_BYTES_PER_VALUE, copeAll, setupCope, type SessionCope } from '../../src/core/ot/cope.ts';
import { randomOtAll, setupOt, type OtSecurity, type SessionOt, type SoftSpokenK } from '../../src/core/ot/ot-setup.ts';
import { nobleEngine, x25519Engine } from '../../src/core/ot/x25519.ts';
import type { Session } from '../../src/core/session/session.ts';
import { createTripleSource } from '../../src/core/triples/triple-source.ts';
import { shapedNetwork } from '../../src/core/triples/shaped-network.test-helpers.ts';
import { type BenchCase, timeParties, timeSync } from '../harness.ts';

const DEFAULT_K = 2;
const noop = async (): Promise<void> => undefined;
/** The plaintext loops are microseconds long: repeat them for a readable timer. */
const PLAIN_REPEAT = 200;

/**
 * One setup = 128 base OTs in each direction. `legacy` is the noble ristretto255 pair the
 * X25519 twist OT replaced (Chou–Orlandi semi-honest, endemic MR19 malicious); the twist
 * OT runs on WebCrypto where available and on noble's x25519 as the fallback. Run
 * `--only "base OT"` for all of them side by side.
 */
function baseOt(security: OtSecurity, baseOt: 'twist' | 'legacy', engine?: 'noble'): BenchCase {
  const what = baseOt === 'legacy' ? (security === 'malicious' ? 'endemic MR19 ristretto, strict' : 'Chou-Orlandi ristretto, fast') : `X25519 twist MRR20, ${engine ?? 'webcrypto'}`;
  return {
    name: `base OT (${what}) N=2`,
    parties: 2,
    unit: 'OTs',
    async prepare() {
      const opts = { k: 1 as const, security, baseOt, engine: engine === 'noble' ? nobleEngine : await x25519Engine() };
      return { ops: 256, run: () => timeParties(2, noop, (s) => setupOt(s, opts)) };
    },
  };
}

/**
 * Random OTs per direction, semi-honest or checked (strict: KOS15/SoftSpoken check with
 * its coin toss and 192 sacrificed rows, ot/checked-extension.ts). Run the pairs side by
 * side (`--only "OT extension"`) for the cost of the check in time and bytes. `m` below
 * 2^18 shows the fixed cost per call (3 rounds, 192 rows) at batch sizes MAC generation uses.
 */
function extension(k: SoftSpokenK, security: OtSecurity = 'semi-honest', small = false): BenchCase {
  const checked = security === 'malicious';
  return {
    name: `OT extension N=2 k=${k}${k === 1 ? ' (IKNP)' : ' (SoftSpoken)'}${checked ? ' checked' : ''}${small ? ' m=4096' : ''}`,
    parties: 2,
    unit: 'OTs/direction',
    costModelBytes: 16,
    async prepare(quick) {
      const m = quick || small ? 1 << 12 : 1 << 18;
      const choices = new Uint32Array(randomBytes(m / 8).buffer);
      const ots = new Map<Session, SessionOt>();
      const warm = async (s: Session): Promise<void> => {
        ots.set(s, await setupOt(s, { k, security }));
      };
      const extend = checked ? checkedRandomOtAll : randomOtAll;
      return { ops: m, run: () => timeParties(2, warm, (s) => extend(s, ots.get(s)!, m, () => choices)) };
    },
  };
}

/** COPE over Z_2^128 (SPDZ2k MAC correlations, ot/cope.ts): values authenticated per second, both roles. */
const cope: BenchCase = {
  name: 'COPE Z_2^128 N=2 (strict MAC correlations)',
  parties: 2,
  unit: 'values',
  costModelBytes: COPE_BYTES_PER_VALUE,
  async prepare(quick) {
    const n = quick ? 64 : 4096;
    const x = new Uint32Array(randomBytes(16 * n).buffer);
    const copes = new Map<Session, SessionCope>();
    const warm = async (s: Session): Promise<void> => {
      copes.set(s, await setupCope(s, await setupOt(s, { security: 'malicious' })));
    };
    return { ops: n, run: () => timeParties(2, warm, (s) => copeAll(s, copes.get(s)!, x, n)) };
  },
};

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
  baseOt('semi-honest', 'twist'),
  baseOt('semi-honest', 'twist', 'noble'),
  baseOt('semi-honest', 'legacy'),
  baseOt('malicious', 'legacy'),
  extension(1),
  extension(1, 'malicious'),
  extension(2),
  extension(2, 'malicious'),
  extension(2, 'semi-honest', true),
  extension(2, 'malicious', true),
  extension(4),
  cope,
  ...[2, 3, 5].map((n) => arith(n)),
  arith(3, 1),
  arith(3, 4),
  ...[2, 3, 5].map((n) => and(n)),
  ...([1, 2, 4] as const).map((k) => arithShaped(3, k, 20, false)),
  arithShaped(3, 2, 20, true),
];
