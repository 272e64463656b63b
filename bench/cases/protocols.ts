/**
 * Online protocols (src/core/protocols): Beaver multiplications and 64-bit comparisons per
 * second for the whole group, end to end *including* OT-based triple generation (the base
 * OTs are once per session and run in the untimed warm-up), plus "online" cases that
 * replay real OT triples generated in the warm-up, to separate the two costs.
 *
 * Cost models (DESIGN §3, bytes each party sends per operation):
 *   multiplication: arithmetic triple (N−1)·(64·128+2080)/8 + online 16·(N−1);
 *   comparison: (N+1)·64 ANDs × ((N−1)·129 bits of triple + 2·(N−1) bits online) / 8.
 * Full-range `lt` is ≈ 3× that model by design (see compare.ts); `lt bounded` matches it.
 */
import { randomU64 } from '../../src/core/random.ts';
import type { Session } from '../../src/core/session/session.ts';
import { createTripleSource } from '../../src/core/triples/triple-source.ts';
import type { ArithTriples, BitTriples, TripleSource } from '../../src/core/triples/types.ts';
import type { CarryMode } from '../../src/core/protocols/a2b.ts';
import { eq, lt } from '../../src/core/protocols/compare.ts';
import { multiply } from '../../src/core/protocols/multiply.ts';
import { type BenchCase, timeParties, timeSync } from '../harness.ts';

const PARTIES = [2, 3, 5];
const mulModel = (n: number): number => ((n - 1) * (64 * 128 + 2080)) / 8 + 16 * (n - 1);
const cmpModel = (n: number): number => ((n + 1) * 64 * (n - 1) * (129 + 2)) / 8;

/** Serves the triples recorded during the warm-up, in the same order (real OT triples). */
class Replay implements TripleSource {
  private arithQ: ArithTriples[] = [];
  private bitQ: BitTriples[] = [];
  private ai = 0;
  private bi = 0;
  constructor(private readonly src: TripleSource) {}
  async record(work: (t: TripleSource) => Promise<unknown>): Promise<void> {
    await work({
      arith: async (c) => {
        const t = await this.src.arith(c);
        this.arithQ.push(t);
        return t;
      },
      bits: async (w) => {
        const t = await this.src.bits(w);
        this.bitQ.push(t);
        return t;
      },
    });
  }
  rewind(): void {
    this.ai = 0;
    this.bi = 0;
  }
  async arith(): Promise<ArithTriples> {
    return this.arithQ[this.ai++];
  }
  async bits(): Promise<BitTriples> {
    return this.bitQ[this.bi++];
  }
}

type Op = (s: Session, x: BigUint64Array, y: BigUint64Array, t: TripleSource) => Promise<unknown>;

function protocolCase(name: string, n: number, unit: string, model: number, size: (quick: boolean) => number, op: Op, plain: (x: BigUint64Array, y: BigUint64Array) => void, online: boolean): BenchCase {
  return {
    name: `${name}${online ? ' online' : ''} N=${n}`,
    parties: n,
    unit,
    costModelBytes: online ? undefined : model,
    async prepare(quick) {
      const len = size(quick);
      const xs = Array.from({ length: n }, () => randomU64(len));
      const ys = Array.from({ length: n }, () => randomU64(len));
      const plainX = randomU64(len);
      const plainY = randomU64(len);
      return {
        ops: len,
        run: () => {
          const sources = new Map<Session, TripleSource>();
          const warm = async (s: Session): Promise<void> => {
            const src = createTripleSource(s);
            await src.setup();
            if (!online) {
              sources.set(s, src);
              return;
            }
            const replay = new Replay(src);
            await replay.record((t) => op(s, xs[s.self], ys[s.self], t));
            replay.rewind();
            sources.set(s, replay);
          };
          return timeParties(n, warm, (s) => op(s, xs[s.self], ys[s.self], sources.get(s) as TripleSource), { timeoutMs: 600_000 });
        },
        plaintext: () => timeSync(() => plain(plainX, plainY)),
      };
    },
  };
}

// Results go to a module-level sink so the JIT cannot drop the loops as dead code.
let sink = 0n;
function plainMul(x: BigUint64Array, y: BigUint64Array): void {
  let acc = 0n;
  for (let i = 0; i < x.length; i++) acc ^= BigInt.asUintN(64, x[i] * y[i]);
  sink ^= acc;
}
function plainLt(x: BigUint64Array, y: BigUint64Array): void {
  let acc = 0;
  for (let i = 0; i < x.length; i++) acc += BigInt.asIntN(64, x[i]) < BigInt.asIntN(64, y[i]) ? 1 : 0;
  sink ^= BigInt(acc);
}
function plainEq(x: BigUint64Array, y: BigUint64Array): void {
  let acc = 0;
  for (let i = 0; i < x.length; i++) acc += x[i] === y[i] ? 1 : 0;
  sink ^= BigInt(acc);
}
/** Read the sink once so it is observable. */
export const plaintextSink = (): bigint => sink;

const ltOp = (bounded: boolean, carry: CarryMode): Op => (s, x, y, t) => lt(s, x, y, t, { bounded, carry });
const cmpSize = (n: number) => (quick: boolean): number => (quick ? 64 : n >= 5 ? 256 : 1024);

export const cases: BenchCase[] = PARTIES.flatMap((n) => [
  protocolCase('multiply', n, 'multiplications', mulModel(n), (q) => (q ? 256 : 8192), (s, x, y, t) => multiply(s, x, y, t), plainMul, false),
  protocolCase('multiply', n, 'multiplications', mulModel(n), (q) => (q ? 256 : 16384), (s, x, y, t) => multiply(s, x, y, t), plainMul, true),
  protocolCase('lt', n, 'comparisons', cmpModel(n), cmpSize(n), ltOp(false, 'tree'), plainLt, false),
  protocolCase('lt bounded', n, 'comparisons', cmpModel(n), cmpSize(n), ltOp(true, 'tree'), plainLt, false),
  protocolCase('lt bounded ripple', n, 'comparisons', cmpModel(n), cmpSize(n), ltOp(true, 'ripple'), plainLt, false),
  protocolCase('lt', n, 'comparisons', cmpModel(n), (q) => (q ? 64 : 2048), ltOp(false, 'tree'), plainLt, true),
  protocolCase('eq', n, 'comparisons', cmpModel(n), cmpSize(n), (s, x, y, t) => eq(s, x, y, t), plainEq, false),
]);
