/**
 * The "fast" backend: the semi-honest engine of src/core/protocols behind the backend
 * interface (types.ts). Additive shares over Z_2^64, XOR shares bit-sliced in words,
 * Beaver multiplication and GMW AND gates on OT-generated triples (src/core/triples, no
 * dealer), A2B/compare/B2A circuits of a2b.ts, compare.ts, narrow-sign.ts, count.ts.
 *
 * Security: semi-honest, any coalition of up to N−1 parties that follows the protocol.
 * A participant running modified code can make the result wrong and, by choosing its
 * messages after seeing others', learn more than the output (issue 11): that is the
 * plain-words consequence the UI states for fast mode. Input bounds are checked by each
 * party on its own values and only the OR of the flags is opened (randomised secure sum,
 * one bit) — a self-reported check, honest only for an unmodified client.
 */
import { concatU64 } from '../codec.ts';
import { MpcError } from '../errors.ts';
import { randomBytes, randomU64 } from '../random.ts';
import { add, neg, sub } from '../ring.ts';
import { inputShares } from '../sharing.ts';
import { type PartyId, partyId } from '../session/channel.ts';
import { Protocol } from '../session/round.ts';
import type { Session } from '../session/session.ts';
import type { TripleSource } from '../triples/types.ts';
import { a2b } from '../protocols/a2b.ts';
import { b2a } from '../protocols/b2a.ts';
import { type BitShares, makeBitShares, notBits, selectBits, wordsFor, xorBits } from '../protocols/bit-shares.ts';
import { and, runCircuit } from '../protocols/boolean.ts';
import { eq, lt, ltz } from '../protocols/compare.ts';
import { countBits, popcountCircuit } from '../protocols/count.ts';
import { multiply } from '../protocols/multiply.ts';
import { narrowLtz } from '../protocols/narrow-sign.ts';
import { open, openBits, openBitsTo, openTo } from '../protocols/open.ts';
import { secureSum } from '../protocols/sum.ts';
import { checkWidth, truncateByBits } from './generic.ts';
import type { Backend, InputBounds, PublicOperand, Shared, SharedBits, WidthOption } from './types.ts';

export const OUT_OF_RANGE_MESSAGE = 'some input was out of range';

class FastShared {
  constructor(readonly v: BigUint64Array) {}
  get length(): number {
    return this.v.length;
  }
}

class FastBits {
  constructor(readonly b: BitShares) {}
  get count(): number {
    return this.b.count;
  }
  get bits(): number {
    return this.b.bits;
  }
}

const wrap = (v: BigUint64Array): Shared => new FastShared(v) as unknown as Shared;
const wrapBits = (b: BitShares): SharedBits => new FastBits(b) as unknown as SharedBits;

function val(x: Shared): BigUint64Array {
  const o: unknown = x;
  if (!(o instanceof FastShared)) throw new MpcError('INVALID_ARGUMENT', 'a Shared value from another backend was passed to the fast backend');
  return o.v;
}

function bitsOf(x: SharedBits): BitShares {
  const o: unknown = x;
  if (!(o instanceof FastBits)) throw new MpcError('INVALID_ARGUMENT', 'SharedBits from another backend were passed to the fast backend');
  return o.b;
}

const getBit = (w: Uint32Array, i: number): number => (w[i >>> 5] >>> (i & 31)) & 1;

function publicVector(c: PublicOperand, length: number): (i: number) => bigint {
  if (typeof c === 'bigint') {
    const k = BigInt.asUintN(64, c);
    return () => k;
  }
  if (c.length !== length) throw new MpcError('INVALID_ARGUMENT', `public operand has ${c.length} elements, expected ${length}`);
  return (i) => c[i];
}

function nonZeroRandom(): bigint {
  for (;;) {
    const r = randomU64(1)[0];
    if (r !== 0n) return r;
  }
}

/**
 * OR of every party's private flag by a randomised secure sum: party i inputs f_i·r_i,
 * r_i uniform non-zero; the sum is 0 iff no flag is set (miss probability ≤ 2^−64), and
 * beyond that bit it is (close to) uniform.
 */
export async function secureAny(s: Session, mine: boolean): Promise<boolean> {
  const [sum] = await secureSum(s, BigUint64Array.of(mine ? nonZeroRandom() : 0n));
  return sum !== 0n;
}

export class FastBackend implements Backend {
  readonly level = 'fast' as const;
  readonly n: number;
  readonly self: PartyId;

  constructor(
    private readonly s: Session,
    private readonly triples: TripleSource,
  ) {
    this.n = s.n;
    this.self = s.self;
  }

  get bytesSent(): number {
    return this.s.stats.sent.reduce((a, b) => a + b, 0);
  }

  async input(lengths: readonly number[], mine: readonly bigint[], bounds?: InputBounds): Promise<Shared[]> {
    const { s } = this;
    if (lengths.length !== s.n) throw new MpcError('INVALID_ARGUMENT', `expected one length per party (${s.n}), got ${lengths.length}`);
    if (mine.length !== lengths[s.self]) throw new MpcError('INVALID_ARGUMENT', `this party declared ${lengths[s.self]} values but supplied ${mine.length}`);
    if (bounds) {
      const bad = this.outOfRange(mine, bounds);
      if (await secureAny(s, bad)) throw new MpcError('INPUT_OUT_OF_RANGE', OUT_OF_RANGE_MESSAGE);
    }
    const enc = BigUint64Array.from(mine, (v) => BigInt.asUintN(64, v));
    const shares = await Promise.all(lengths.map((len, p) => inputShares(s, partyId(p), p === s.self ? enc : undefined, len)));
    return shares.map(wrap);
  }

  /** The self-reported range flag (semi-honest: a modified client can lie; attack tests override it). */
  protected outOfRange(mine: readonly bigint[], bounds: InputBounds): boolean {
    return mine.some((x) => x < bounds.lower || x > bounds.upper);
  }

  constant(values: readonly bigint[] | BigUint64Array): Shared {
    const v = new BigUint64Array(values.length);
    if (this.self === 0) for (let i = 0; i < v.length; i++) v[i] = BigInt.asUintN(64, values[i]);
    return wrap(v);
  }

  add(x: Shared, y: Shared): Shared {
    return wrap(add(val(x), val(y)));
  }
  sub(x: Shared, y: Shared): Shared {
    return wrap(sub(val(x), val(y)));
  }
  neg(x: Shared): Shared {
    return wrap(neg(val(x)));
  }
  addPublic(x: Shared, c: PublicOperand): Shared {
    const v = val(x).slice();
    if (this.self === 0) {
      const at = publicVector(c, v.length);
      for (let i = 0; i < v.length; i++) v[i] += at(i);
    }
    return wrap(v);
  }
  mulPublic(x: Shared, c: PublicOperand): Shared {
    const v = val(x);
    const at = publicVector(c, v.length);
    const out = new BigUint64Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = v[i] * at(i);
    return wrap(out);
  }
  slice(x: Shared, start: number, end: number): Shared {
    return wrap(val(x).slice(start, end));
  }
  concat(xs: readonly Shared[]): Shared {
    return wrap(concatU64(...xs.map(val)));
  }
  gather(x: Shared, idx: ArrayLike<number>): Shared {
    const v = val(x);
    const out = new BigUint64Array(idx.length);
    for (let j = 0; j < idx.length; j++) {
      const i = idx[j];
      if (!Number.isInteger(i) || i < 0 || i >= v.length) throw new MpcError('INVALID_ARGUMENT', `gather: index ${i} outside [0, ${v.length})`);
      out[j] = v[i];
    }
    return wrap(out);
  }
  sumGroups(x: Shared, groupSize: number): Shared {
    const v = val(x);
    if (!Number.isInteger(groupSize) || groupSize < 1 || v.length % groupSize !== 0) {
      throw new MpcError('INVALID_ARGUMENT', `sumGroups: ${v.length} elements do not split into groups of ${groupSize}`);
    }
    const out = new BigUint64Array(v.length / groupSize);
    for (let i = 0; i < v.length; i++) out[(i / groupSize) | 0] += v[i];
    return wrap(out);
  }

  async mul(x: Shared, y: Shared): Promise<Shared> {
    return wrap(await multiply(this.s, val(x), val(y), this.triples));
  }
  truncate(x: Shared, f: number, opts: WidthOption): Promise<Shared> {
    return truncateByBits(this, x, f, checkWidth(opts.width));
  }
  open(x: Shared): Promise<BigUint64Array> {
    return open(this.s, val(x));
  }
  openTo(owner: PartyId, x: Shared): Promise<BigUint64Array | null> {
    return openTo(this.s, owner, val(x));
  }

  async ltz(x: Shared, opts: WidthOption = {}): Promise<SharedBits> {
    const w = checkWidth(opts.width);
    const v = val(x);
    return wrapBits(w < 64 ? await narrowLtz(this.s, v, w, this.triples) : await ltz(this.s, v, this.triples));
  }
  async lt(x: Shared, y: Shared, opts: WidthOption = {}): Promise<SharedBits> {
    if (opts.width === undefined) return wrapBits(await lt(this.s, val(x), val(y), this.triples));
    return this.ltz(this.sub(x, y), opts);
  }
  async eq(x: Shared, y: Shared): Promise<SharedBits> {
    return wrapBits(await eq(this.s, val(x), val(y), this.triples));
  }
  async decompose(x: Shared, width: number): Promise<SharedBits> {
    const w = checkWidth(width);
    return wrapBits(await a2b(this.s, val(x), this.triples, w));
  }

  xor(a: SharedBits, b: SharedBits): Promise<SharedBits> {
    return Promise.resolve(wrapBits(xorBits(bitsOf(a), bitsOf(b))));
  }
  xorDisjoint(a: SharedBits, b: SharedBits): SharedBits {
    return wrapBits(xorBits(bitsOf(a), bitsOf(b)));
  }
  xorSubset(a: SharedBits, b: SharedBits): SharedBits {
    return wrapBits(xorBits(bitsOf(a), bitsOf(b)));
  }
  xorPublic(a: SharedBits, bits: ArrayLike<number>): SharedBits {
    const x = bitsOf(a);
    if (bits.length !== x.count) throw new MpcError('INVALID_ARGUMENT', `xorPublic: ${bits.length} bits for ${x.count} elements`);
    const out = x.words.slice();
    if (this.self === 0) {
      const w = wordsFor(x.count);
      const mask = new Uint32Array(w);
      for (let j = 0; j < x.count; j++) if (bits[j] & 1) mask[j >>> 5] |= 1 << (j & 31);
      for (let k = 0; k < x.bits; k++) for (let i = 0; i < w; i++) out[k * w + i] ^= mask[i];
    }
    return wrapBits({ count: x.count, bits: x.bits, words: out });
  }
  not(a: SharedBits): SharedBits {
    const x = bitsOf(a);
    const y = notBits(this.self, x);
    // keep the padding bits zero so that the layout stays canonical
    const w = wordsFor(x.count);
    const tail = x.count & 31;
    if (tail) for (let k = 0; k < x.bits; k++) y.words[k * w + w - 1] &= (1 << tail) - 1;
    return wrapBits(y);
  }
  async and(a: SharedBits, b: SharedBits): Promise<SharedBits> {
    return wrapBits(await and(this.s, bitsOf(a), bitsOf(b), this.triples));
  }
  plane(a: SharedBits, k: number): SharedBits {
    const x = bitsOf(a);
    if (!Number.isInteger(k) || k < 0 || k >= x.bits) throw new MpcError('INVALID_ARGUMENT', `plane ${k} outside 0..${x.bits - 1}`);
    const w = wordsFor(x.count);
    return wrapBits({ count: x.count, bits: 1, words: x.words.slice(k * w, (k + 1) * w) });
  }
  stackPlanes(planes: readonly SharedBits[]): SharedBits {
    const ps = planes.map(bitsOf);
    if (ps.length === 0) throw new MpcError('INVALID_ARGUMENT', 'stackPlanes needs at least one plane');
    const count = ps[0].count;
    for (const p of ps) if (p.bits !== 1 || p.count !== count) throw new MpcError('INVALID_ARGUMENT', `stackPlanes: planes must be one-plane vectors of ${count} elements`);
    const w = wordsFor(count);
    const out = new Uint32Array(ps.length * w);
    ps.forEach((p, k) => out.set(p.words, k * w));
    return wrapBits({ count, bits: ps.length, words: out });
  }
  concatBits(xs: readonly SharedBits[]): SharedBits {
    const ps = xs.map(bitsOf);
    if (ps.length === 0) throw new MpcError('INVALID_ARGUMENT', 'concatBits needs at least one vector');
    const bits = ps[0].bits;
    for (const p of ps) if (p.bits !== bits) throw new MpcError('INVALID_ARGUMENT', `concatBits: plane counts differ (${p.bits} vs ${bits})`);
    const count = ps.reduce((a, p) => a + p.count, 0);
    const out = makeBitShares(count, bits);
    const w = wordsFor(count);
    let base = 0;
    for (const p of ps) {
      const pw = wordsFor(p.count);
      if ((base & 31) === 0) {
        // padding bits beyond p.count may hold garbage shares: clear them in the copy
        const tail = p.count & 31;
        for (let k = 0; k < bits; k++) {
          const at = k * w + (base >>> 5);
          out.words.set(p.words.subarray(k * pw, (k + 1) * pw), at);
          if (tail) out.words[at + pw - 1] &= (1 << tail) - 1;
        }
      } else {
        for (let k = 0; k < bits; k++) {
          const src = p.words.subarray(k * pw, (k + 1) * pw);
          for (let j = 0; j < p.count; j++) {
            const e = base + j;
            out.words[k * w + (e >>> 5)] |= getBit(src, j) << (e & 31);
          }
        }
      }
      base += p.count;
    }
    return wrapBits(out);
  }
  gatherBits(a: SharedBits, idx: ArrayLike<number>): SharedBits {
    return wrapBits(selectBits(bitsOf(a), idx));
  }
  andPublic(a: SharedBits, bits: ArrayLike<number>): SharedBits {
    const x = bitsOf(a);
    if (bits.length !== x.count) throw new MpcError('INVALID_ARGUMENT', `andPublic: ${bits.length} bits for ${x.count} elements`);
    const w = wordsFor(x.count);
    const mask = new Uint32Array(w);
    for (let j = 0; j < x.count; j++) if (bits[j] & 1) mask[j >>> 5] |= 1 << (j & 31);
    const out = x.words.slice();
    for (let k = 0; k < x.bits; k++) for (let i = 0; i < w; i++) out[k * w + i] &= mask[i];
    return wrapBits({ count: x.count, bits: x.bits, words: out });
  }
  async countOnesBits(a: SharedBits, groupSize: number): Promise<SharedBits> {
    const x = bitsOf(a);
    if (x.bits !== 1) throw new MpcError('INVALID_ARGUMENT', `countOnesBits needs one plane, got ${x.bits}`);
    if (!Number.isInteger(groupSize) || groupSize < 1 || x.count % groupSize !== 0) {
      throw new MpcError('INVALID_ARGUMENT', `countOnesBits: ${x.count} bits do not split into groups of ${groupSize}`);
    }
    const groups = x.count / groupSize;
    const w = wordsFor(groups);
    const width = groupSize.toString(2).length;
    const operands = Array.from({ length: groupSize }, (_, j) => selectBits(x, Array.from({ length: groups }, (_, g) => g * groupSize + j)).words);
    const cols = await runCircuit(this.s, Protocol.A2B, this.triples, (c) => popcountCircuit(c, operands, w));
    const out = new Uint32Array(width * w);
    for (let k = 0; k < width; k++) if (cols[k]) out.set(cols[k] as Uint32Array, k * w);
    return wrapBits({ count: groups, bits: width, words: out });
  }
  constantBits(bits: ArrayLike<number>): SharedBits {
    const x = makeBitShares(bits.length, 1);
    if (this.self === 0) for (let j = 0; j < bits.length; j++) if (bits[j] & 1) x.words[j >>> 5] |= 1 << (j & 31);
    return wrapBits(x);
  }

  async b2a(a: SharedBits): Promise<Shared> {
    return wrap(await b2a(this.s, bitsOf(a), this.triples));
  }
  async countOnes(a: SharedBits, groupSize: number): Promise<Shared> {
    return wrap(await countBits(this.s, bitsOf(a), groupSize, this.triples));
  }
  async randomBits(count: number): Promise<{ arith: Shared; bits: SharedBits }> {
    const bits = await this.randomBooleanBits(count);
    return { arith: await this.b2a(bits), bits };
  }
  randomBooleanBits(count: number): Promise<SharedBits> {
    if (!Number.isInteger(count) || count < 0) throw new MpcError('INVALID_ARGUMENT', `randomBooleanBits needs a count ≥ 0, got ${count}`);
    // every party's share is uniform, so the XOR is uniform and unknown to any N−1
    const x = makeBitShares(count, 1, new Uint32Array(randomBytes(4 * wordsFor(count)).buffer));
    const tail = count & 31;
    if (tail) x.words[x.words.length - 1] &= (1 << tail) - 1;
    return Promise.resolve(wrapBits(x));
  }
  async openBits(a: SharedBits): Promise<Uint8Array> {
    return unpack(await openBits(this.s, bitsOf(a)));
  }
  async openBitsTo(owner: PartyId, a: SharedBits): Promise<Uint8Array | null> {
    const got = await openBitsTo(this.s, owner, bitsOf(a));
    return got ? unpack(got) : null;
  }
}

function unpack(x: BitShares): Uint8Array {
  const w = wordsFor(x.count);
  const out = new Uint8Array(x.count * x.bits);
  for (let k = 0; k < x.bits; k++) for (let j = 0; j < x.count; j++) out[k * x.count + j] = getBit(x.words.subarray(k * w, (k + 1) * w), j);
  return out;
}

export function createFastBackend(s: Session, triples: TripleSource): Backend {
  return new FastBackend(s, triples);
}
