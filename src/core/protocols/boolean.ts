/**
 * Gates on XOR-shared, bit-sliced vectors: XOR and NOT are local, AND uses one Beaver
 * triple over GF(2) per bit [Bea91] (as in GMW with preprocessed AND triples, [DSZ15]).
 * One round evaluates a whole circuit layer: `BoolCircuit.and` takes every AND of the
 * layer as two flat word arrays.
 *
 * A circuit first runs in counting mode (no session, no triples, dummy zero shares) to
 * learn how many AND-triple words and rounds it needs; the caller fetches exactly that
 * many triples in one preprocessing call, then runs the circuit for real. The count can
 * therefore never drift from the circuit.
 *
 * Security (semi-honest): with a fresh triple (a, b, c = a∧b), the opened d = x ⊕ a and
 * e = y ⊕ b are uniform and independent of x, y. Cost per AND: 2·(N−1) bits sent per party.
 *
 * [Bea91] Beaver. Efficient Multiparty Protocols Using Circuit Randomization. CRYPTO 1991.
 * [DSZ15] Demmler, Schneider, Zohner. ABY. NDSS 2015.
 */
import { MpcError } from '../errors.ts';
import { Protocol, type RoundId } from '../session/round.ts';
import type { Session } from '../session/session.ts';
import type { BitTriples, TripleSource } from '../triples/types.ts';
import { type BitShares, wordsFor } from './bit-shares.ts';
import { openWordsInRound } from './open.ts';
import { BitTripleCursor } from './triple-cursor.ts';

export { notBits, xorBits } from './bit-shares.ts';

/** z = x ∧ y on word shares in `round`, consuming triples t (same length). One round. */
export async function andInRound(s: Session, round: RoundId, x: Uint32Array, y: Uint32Array, t: BitTriples): Promise<Uint32Array> {
  const m = x.length;
  if (y.length !== m || t.a.length !== m) throw new MpcError('INVALID_ARGUMENT', `AND: ${x.length}/${y.length} words with ${t.a.length} triple words`);
  // 1. open d = x ⊕ a and e = y ⊕ b together
  const masked = new Uint32Array(2 * m);
  for (let i = 0; i < m; i++) {
    masked[i] = x[i] ^ t.a[i];
    masked[m + i] = y[i] ^ t.b[i];
  }
  const de = await openWordsInRound(s, round, masked);
  // 2. z = c ⊕ (d∧b) ⊕ (e∧a) ⊕ (d∧e), the public d∧e term by party 0 only
  const z = new Uint32Array(m);
  const { a, b, c } = t;
  if (s.self === 0) {
    for (let i = 0; i < m; i++) {
      const d = de[i];
      const e = de[m + i];
      z[i] = c[i] ^ (d & b[i]) ^ (e & a[i]) ^ (d & e);
    }
  } else {
    for (let i = 0; i < m; i++) z[i] = c[i] ^ (de[i] & b[i]) ^ (de[m + i] & a[i]);
  }
  return z;
}

/**
 * Evaluation context of one boolean circuit: its rounds are steps 0, 1, … of one instance
 * of `protocol`. In counting mode (`session` null) ANDs return zero shares and are tallied.
 */
export class BoolCircuit {
  private step = 0;
  private andWords = 0;

  private constructor(
    private readonly session: Session | null,
    readonly self: number,
    private readonly protocol: number,
    private readonly instance: number,
    private readonly triples: BitTripleCursor | null,
  ) {}

  static counting(self = 0): BoolCircuit {
    return new BoolCircuit(null, self, 0, 0, null);
  }

  static live(s: Session, protocol: number, triples: BitTriples): BoolCircuit {
    return new BoolCircuit(s, s.self, protocol, s.nextInstance(protocol), new BitTripleCursor(triples));
  }

  /** Rounds and AND-triple words used so far. */
  get cost(): { rounds: number; andWords: number } {
    return { rounds: this.step, andWords: this.andWords };
  }

  /** Triple words not consumed (0 after a correctly counted circuit). */
  get leftover(): number {
    return this.triples?.remaining ?? 0;
  }

  /** All ANDs of one layer: z[i] = x[i] ∧ y[i]. One round. */
  async and(x: Uint32Array, y: Uint32Array): Promise<Uint32Array> {
    const step = this.step++;
    this.andWords += x.length;
    if (!this.session || !this.triples) return new Uint32Array(x.length);
    return andInRound(this.session, this.session.round(this.protocol, this.instance, step), x, y, this.triples.take(x.length));
  }
}

/**
 * Run `circuit` once in counting mode, fetch its AND triples in one preprocessing call,
 * then run it for real under a fresh instance of `protocol`.
 */
export async function runCircuit<T>(s: Session, protocol: number, triples: TripleSource, circuit: (c: BoolCircuit) => Promise<T>): Promise<T> {
  const counter = BoolCircuit.counting(s.self);
  await circuit(counter);
  const t = await triples.bits(counter.cost.andWords);
  const live = BoolCircuit.live(s, protocol, t);
  const out = await circuit(live);
  if (live.leftover !== 0) throw new MpcError('INVALID_ARGUMENT', `circuit left ${live.leftover} AND-triple words unused (count drift)`);
  return out;
}

function sameShape(x: BitShares, y: BitShares): void {
  if (x.count !== y.count || x.bits !== y.bits) {
    throw new MpcError('INVALID_ARGUMENT', `AND: shapes differ (${x.count}×${x.bits} vs ${y.count}×${y.bits})`);
  }
}

/** Bitwise AND of two XOR-shared vectors (every plane). One online round. */
export async function and(s: Session, x: BitShares, y: BitShares, triples: TripleSource): Promise<BitShares> {
  sameShape(x, y);
  const words = await runCircuit(s, Protocol.And, triples, (c) => c.and(x.words, y.words));
  return { count: x.count, bits: x.bits, words };
}

/** Number of AND-triple words for `planes` planes of `count` elements (for planning). */
export const andWordsFor = (count: number, planes: number): number => planes * wordsFor(count);
