/**
 * The "strict" backend: security with abort against any coalition of up to N−1 malicious
 * parties, behind the same interface as the fast one (../types.ts). SPDZ2k [CDE+18] with
 * k = s = 64: every value is an additive sharing over Z_2^128 together with an additive
 * sharing of its MAC α·x, α = Σ α_i a session key nobody knows (cope.ts).
 *
 * - input: each party authenticates its own vector (COPE; its value share is the value,
 *   the others' are 0). Bounds are enforced inside the MPC: the owner also commits the B
 *   bits of x − lower (and of upper − x unless upper − lower + 1 is a power of two); every
 *   bit is checked to be a bit (b² − b opens to 0) and the bits to recompose the value
 *   (opens to 0), so a value outside the bounds cannot pass whatever the owner sends.
 *   A first, semi-honest flag round lets an honest but out-of-range party abort with
 *   INPUT_OUT_OF_RANGE instead of "deviated".
 * - linear operations are local (MAC shares follow; public constants use α_i·c).
 * - mul: Beaver with authenticated, sacrificed triples (triples.ts), one round.
 * - opening: shares are broadcast and the value joins a batch of pending openings; before
 *   any output is returned, the batch is MAC-checked: a coin-tossed χ (commit, then
 *   reveal), σ_i = Σ χ_j·m_{j,i} − α_i·Σ χ_j·v_j committed, then revealed, Σσ_i must be 0
 *   [CDE+18 §3]. Outputs are opened as x + 2^64·ρ for a fresh authenticated random ρ, so
 *   the slack bits reveal nothing; openTo(p) opens x + r for an r that p committed.
 *   A failed check throws ABORTED "a participant deviated from the protocol", blaming nobody.
 * - bits are authenticated arithmetic 0/1 values (the arithmetic-only bit layer of SPDZ
 *   style MPC): AND = mul, XOR = a + b − 2ab, NOT/public ops local, b2a and counting free.
 *   Random bits: the XOR of one committed random bit per party (N−1 products per bit),
 *   checked to be bits (r² − r opens to 0: one more product per bit).
 *   decompose: open c = x + r (r from random bits, plus 2^w·ρ above), then bits of
 *   c − r by a ripple subtractor with public c (one product per bit) [CdH10; DFK+06].
 *
 * [CDE+18] Cramer, Damgård, Escudero, Scholl, Xing. SPDZ2k. CRYPTO 2018.
 * [CdH10]  Catrina, de Hoogh. Improved Primitives for Secure Multiparty Integer Computation. SCN 2010.
 * [DFK+06] Damgård, Fitzi, Kiltz, Nielsen, Toft. Unconditionally Secure Constant-Rounds
 *          Multi-party Computation for Equality, Comparison, Bits and Exponentiation. TCC 2006.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesEqual, concatBytes } from '../../codec.ts';
import { MpcError } from '../../errors.ts';
import { COMMIT_BYTES, SEED_BYTES, coinShare, coinValue } from '../../ot/coin-toss.ts';
import { type SessionOt, setupOt } from '../../ot/ot-setup.ts';
import { prg, randomBytes } from '../../random.ts';
import type { PartyId } from '../../session/channel.ts';
import { Protocol } from '../../session/round.ts';
import type { Session } from '../../session/session.ts';
import { secureAny, OUT_OF_RANGE_MESSAGE } from '../fast.ts';
import { checkWidth, truncateByBits } from '../generic.ts';
import { type Backend, DEVIATION_MESSAGE, type InputBounds, type PublicOperand, type Shared, type SharedBits, type WidthOption } from '../types.ts';
import { type CopeState, authenticate, copeSetup } from './cope.ts';
import { type AuthTriples, type AuthVec, productShares } from './triples.ts';
import { ELEMENT_BYTES, fromBytes, mod, toBytes } from './z2k.ts';

class StrictShared {
  constructor(readonly x: AuthVec) {}
  get length(): number {
    return this.x.v.length;
  }
}

class StrictBits {
  constructor(
    readonly count: number,
    readonly bits: number,
    readonly x: AuthVec, // plane-major: plane k at [k·count, (k+1)·count)
  ) {}
}

const wrap = (x: AuthVec): Shared => new StrictShared(x) as unknown as Shared;
const wrapBits = (count: number, bits: number, x: AuthVec): SharedBits => new StrictBits(count, bits, x) as unknown as SharedBits;

function val(x: Shared): AuthVec {
  const o: unknown = x;
  if (!(o instanceof StrictShared)) throw new MpcError('INVALID_ARGUMENT', 'a Shared value from another backend was passed to the strict backend');
  return o.x;
}
function bitsOf(x: SharedBits): StrictBits {
  const o: unknown = x;
  if (!(o instanceof StrictBits)) throw new MpcError('INVALID_ARGUMENT', 'SharedBits from another backend were passed to the strict backend');
  return o;
}

const deviation = (): MpcError => new MpcError('MALICIOUS_ABORT', DEVIATION_MESSAGE);
const bitLen = (v: bigint): number => (v <= 0n ? 0 : v.toString(2).length);

function pick(x: AuthVec, idx: ArrayLike<number>): AuthVec {
  const v = new Array<bigint>(idx.length);
  const m = new Array<bigint>(idx.length);
  for (let j = 0; j < idx.length; j++) {
    const i = idx[j];
    if (!Number.isInteger(i) || i < 0 || i >= x.v.length) throw new MpcError('INVALID_ARGUMENT', `gather: index ${i} outside [0, ${x.v.length})`);
    v[j] = x.v[i];
    m[j] = x.m[i];
  }
  return { v, m };
}
const cat = (xs: readonly AuthVec[]): AuthVec => ({ v: xs.flatMap((x) => x.v), m: xs.flatMap((x) => x.m) });
/** Smallest number of triples generated at once (see `triples`). */
const TRIPLE_BATCH = 256;
const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

export class StrictBackend implements Backend {
  readonly level = 'strict' as const;
  readonly n: number;
  readonly self: PartyId;
  private setup: Promise<{ cope: CopeState; ot: SessionOt }> | null = null;
  private pending: { v: bigint[]; m: bigint[] } = { v: [], m: [] };

  constructor(
    private readonly s: Session,
    /** A malicious-secure OT setup prepared before Start (ot/prepared-ot.ts), used instead of running setupOt. */
    private readonly prepared?: SessionOt,
  ) {
    this.n = s.n;
    this.self = s.self;
  }

  get bytesSent(): number {
    return this.s.stats.sent.reduce((a, b) => a + b, 0);
  }

  /** Session setup on first use (collective: every party's first call is the same). */
  private ready(): Promise<{ cope: CopeState; ot: SessionOt }> {
    this.setup ??= (async () => {
      const ot = this.prepared ?? (await setupOt(this.s, { security: 'malicious' }));
      const cope = await copeSetup(this.s, ot);
      this.alphaKnown = cope.alpha;
      return { cope, ot };
    })();
    return this.setup;
  }
  private async alpha(): Promise<bigint> {
    return (await this.ready()).cope.alpha;
  }

  // ── linear algebra on authenticated shares ─────────────────────────────────────
  private addVec(x: AuthVec, y: AuthVec, sign = 1n): AuthVec {
    if (x.v.length !== y.v.length) throw new MpcError('INVALID_ARGUMENT', `vector lengths differ: ${x.v.length} vs ${y.v.length}`);
    return { v: x.v.map((a, i) => mod(a + sign * y.v[i])), m: x.m.map((a, i) => mod(a + sign * y.m[i])) };
  }
  /** x + c for public c (party 0 adds to its value share; every party adds α_i·c to its MAC share). */
  private addConst(x: AuthVec, c: (i: number) => bigint, alpha: bigint): AuthVec {
    return { v: x.v.map((a, i) => (this.self === 0 ? mod(a + c(i)) : a)), m: x.m.map((a, i) => mod(a + alpha * c(i))) };
  }
  private scale(x: AuthVec, c: (i: number) => bigint): AuthVec {
    return { v: x.v.map((a, i) => mod(a * c(i))), m: x.m.map((a, i) => mod(a * c(i))) };
  }
  private alphaSync(): bigint {
    // linear operations are local; they need α only after setup, which every collective call awaits first
    if (this.alphaKnown === null) throw new MpcError('INVALID_ARGUMENT', 'strict backend: a public constant was used before any collective call set up the session');
    return this.alphaKnown;
  }
  private alphaKnown: bigint | null = null;

  // ── checked opening ─────────────────────────────────────────────────────────────
  /** Partial opening: broadcast value shares, reconstruct; the value joins the pending MAC check. */
  private async partialOpen(x: AuthVec): Promise<bigint[]> {
    const instance = this.s.nextInstance(Protocol.Spdz2k);
    const round = this.s.round(Protocol.Spdz2k, instance, 0);
    const mine = toBytes(this.sharesToSend(x.v));
    const got = await this.s.exchange(round, () => mine, mine.length);
    const out = x.v.slice();
    for (const [p, bytes] of got) {
      const y = fromBytes(bytes, x.v.length, p);
      for (let i = 0; i < out.length; i++) out[i] = mod(out[i] + y[i]);
    }
    this.pending.v.push(...out);
    this.pending.m.push(...x.m);
    return out;
  }

  /**
   * The value shares this party broadcasts in an opening: its own. Attack tests override
   * this (and `macShareToSend`, `outOfRange`, `tripleShares`) to model a participant
   * running modified code; honest parties never depend on what a peer does here.
   */
  protected sharesToSend(v: readonly bigint[]): readonly bigint[] {
    return v;
  }
  protected macShareToSend(sigma: bigint): bigint {
    return sigma;
  }
  protected tripleShares(t: { a: bigint[]; ah: bigint[]; b: bigint[]; c: bigint[]; ch: bigint[] }): typeof t {
    return t;
  }

  /** A coin every party agrees on and nobody could choose: commit, then reveal. Two rounds. */
  private async coin(): Promise<Uint8Array> {
    const s = this.s;
    const instance = s.nextInstance(Protocol.Spdz2k);
    const mine = coinShare(instance, s.self);
    const commitments = await s.exchange(s.round(Protocol.Spdz2k, instance, 0), () => mine.commitment, COMMIT_BYTES);
    const seeds = await s.exchange(s.round(Protocol.Spdz2k, instance, 1), () => mine.seed, SEED_BYTES);
    const all = (m: Map<PartyId, Uint8Array>, own: Uint8Array) => Array.from({ length: s.n }, (_, p) => (p === s.self ? own : (m.get(p as PartyId) as Uint8Array)));
    try {
      return coinValue(instance, all(seeds, mine.seed), all(commitments, mine.commitment), s.self);
    } catch {
      throw deviation();
    }
  }

  /** Batched MAC check of every pending opening [CDE+18]: 4 rounds; throws ABORTED on failure. */
  private async macCheck(): Promise<void> {
    const { v, m } = this.pending;
    this.pending = { v: [], m: [] };
    if (v.length === 0) return;
    const alpha = await this.alpha();
    const chiBytes = prg(await this.coin(), 8 * v.length, new Uint8Array(12));
    const chi = new BigUint64Array(chiBytes.buffer);
    let y = 0n;
    let sigma = 0n;
    for (let j = 0; j < v.length; j++) {
      y = mod(y + chi[j] * v[j]);
      sigma = mod(sigma + chi[j] * m[j]);
    }
    sigma = mod(sigma - alpha * y);
    const s = this.s;
    const instance = s.nextInstance(Protocol.Spdz2k);
    const nonce = randomBytes(32);
    const opening = concatBytes(toBytes([this.macShareToSend(sigma)]), nonce);
    const commitments = await s.exchange(s.round(Protocol.Spdz2k, instance, 0), () => sha256(opening), 32);
    const openings = await s.exchange(s.round(Protocol.Spdz2k, instance, 1), () => opening, ELEMENT_BYTES + 32);
    let total = fromBytes(opening.subarray(0, ELEMENT_BYTES), 1)[0];
    for (const [p, o] of openings) {
      if (!bytesEqual(sha256(o), commitments.get(p) as Uint8Array)) throw deviation();
      total = mod(total + fromBytes(o.subarray(0, ELEMENT_BYTES), 1, p)[0]);
    }
    if (total !== 0n) throw deviation();
  }

  /** Authenticated random values nobody knows (every party contributes a uniform share). */
  private async randomShared(count: number): Promise<AuthVec> {
    const { cope } = await this.ready();
    const mine = fromBytes(randomBytes(count * ELEMENT_BYTES), count);
    const macs = await authenticate(this.s, cope, new Array<number>(this.n).fill(count), mine);
    const m = new Array<bigint>(count).fill(0n);
    for (const mp of macs) for (let i = 0; i < count; i++) m[i] = mod(m[i] + mp[i]);
    return { v: mine, m };
  }

  /**
   * `count` triples [a], [b], [ab] from the pool of checked triples, refilled in batches of
   * at least TRIPLE_BATCH: sequential small layers (a comparison's bit-by-bit circuit) then
   * share one generation (9 rounds, one OT check) instead of paying it per layer. At most
   * TRIPLE_BATCH − 1 triples are left unused at the end of a run.
   */
  private async triples(count: number): Promise<AuthTriples> {
    await this.ready();
    this.triplesUsed += count;
    if (this.pool.a.v.length < count) {
      const fresh = await this.freshTriples(Math.max(count - this.pool.a.v.length, TRIPLE_BATCH));
      this.pool = { a: cat([this.pool.a, fresh.a]), b: cat([this.pool.b, fresh.b]), c: cat([this.pool.c, fresh.c]) };
    }
    const take = (x: AuthVec): AuthVec => ({ v: x.v.slice(0, count), m: x.m.slice(0, count) });
    const rest = (x: AuthVec): AuthVec => ({ v: x.v.slice(count), m: x.m.slice(count) });
    const out = { a: take(this.pool.a), b: take(this.pool.b), c: take(this.pool.c) };
    this.pool = { a: rest(this.pool.a), b: rest(this.pool.b), c: rest(this.pool.c) };
    return out;
  }
  /** Authenticated triples consumed so far (for benchmarks: the cost model counts them). */
  triplesUsed = 0;
  private pool: AuthTriples = { a: { v: [], m: [] }, b: { v: [], m: [] }, c: { v: [], m: [] } };

  /** Fresh triples, authenticated and sacrificed (triples.ts). */
  private async freshTriples(count: number): Promise<AuthTriples> {
    const { cope, ot } = await this.ready();
    if (count === 0) return { a: { v: [], m: [] }, b: { v: [], m: [] }, c: { v: [], m: [] } };
    const raw = this.tripleShares(await productShares(this.s, ot, count));
    const all = [...raw.a, ...raw.b, ...raw.c, ...raw.ah, ...raw.ch];
    const macs = await authenticate(this.s, cope, new Array<number>(this.n).fill(all.length), all);
    const m = new Array<bigint>(all.length).fill(0n);
    for (const mp of macs) for (let i = 0; i < all.length; i++) m[i] = mod(m[i] + mp[i]);
    const part = (k: number): AuthVec => ({ v: all.slice(k * count, (k + 1) * count), m: m.slice(k * count, (k + 1) * count) });
    const [a, b, c, ah, ch] = [0, 1, 2, 3, 4].map(part);
    const t = new BigUint64Array(prg(await this.coin(), 8 * count, new Uint8Array(12)).buffer);
    const rho = await this.partialOpen(this.addVec(this.scale(a, (i) => t[i]), ah, -1n));
    // t·c − ĉ − ρ·b must open to 0 in all k + s bits, not only the low k: an error e = 2^v·e′
    // (e′ odd, v < k) in c passes a mod-2^k check with probability 2^−(k−v) — 1/2 for v = 63 —
    // but a mod-2^(k+s) check only with ≈ 2^−(s−log s) (triples.ts, step 3). Honest z is 0
    // in every bit, so opening all of it reveals nothing.
    const z = this.addVec(this.addVec(this.scale(c, (i) => t[i]), ch, -1n), this.scale(b, (i) => rho[i]), -1n);
    const opened = await this.partialOpen(z);
    if (opened.some((x) => x !== 0n)) throw deviation();
    return { a, b, c };
  }

  private async beaver(x: AuthVec, y: AuthVec, t: AuthTriples): Promise<AuthVec> {
    const alpha = await this.alpha();
    const len = x.v.length;
    const de = await this.partialOpen(cat([this.addVec(x, t.a, -1n), this.addVec(y, t.b, -1n)]));
    const d = de.slice(0, len);
    const e = de.slice(len);
    const z = this.addVec(this.addVec(t.c, this.scale(t.b, (i) => d[i])), this.scale(t.a, (i) => e[i]));
    return this.addConst(z, (i) => mod(d[i] * e[i]), alpha);
  }

  private async mulVec(x: AuthVec, y: AuthVec): Promise<AuthVec> {
    if (x.v.length !== y.v.length) throw new MpcError('INVALID_ARGUMENT', `multiply: vector lengths differ (${x.v.length} vs ${y.v.length})`);
    return this.beaver(x, y, await this.triples(x.v.length));
  }

  /** Open with a mask on the slack bits, MAC-check everything pending, return values mod 2^64. */
  private async openChecked(x: AuthVec): Promise<BigUint64Array> {
    const rho = await this.randomShared(x.v.length);
    const masked = this.addVec(x, this.scale(rho, () => 1n << 64n));
    const v = await this.partialOpen(masked);
    await this.macCheck();
    return BigUint64Array.from(v, (e) => BigInt.asUintN(64, e));
  }

  private async openToChecked(owner: PartyId, x: AuthVec): Promise<BigUint64Array | null> {
    const { cope } = await this.ready();
    const L = x.v.length;
    const lengths = new Array<number>(this.n).fill(0);
    lengths[owner] = L;
    const r = owner === this.self ? fromBytes(randomBytes(L * ELEMENT_BYTES), L) : [];
    const macs = await authenticate(this.s, cope, lengths, r);
    const rv: AuthVec = { v: owner === this.self ? r : new Array<bigint>(L).fill(0n), m: macs[owner] };
    const v = await this.partialOpen(this.addVec(x, rv));
    await this.macCheck();
    if (owner !== this.self) return null;
    return BigUint64Array.from(v, (e, i) => BigInt.asUintN(64, e - r[i]));
  }

  // ── the interface ─────────────────────────────────────────────────────────────────
  async input(lengths: readonly number[], mine: readonly bigint[], bounds?: InputBounds): Promise<Shared[]> {
    const s = this.s;
    if (lengths.length !== s.n) throw new MpcError('INVALID_ARGUMENT', `expected one length per party (${s.n}), got ${lengths.length}`);
    if (mine.length !== lengths[s.self]) throw new MpcError('INVALID_ARGUMENT', `this party declared ${lengths[s.self]} values but supplied ${mine.length}`);
    const { cope } = await this.ready();
    if (bounds && (await secureAny(s, this.outOfRange(mine, bounds)))) throw new MpcError('INPUT_OUT_OF_RANGE', OUT_OF_RANGE_MESSAGE);
    const D = bounds ? bounds.upper - bounds.lower : 0n;
    const B = bitLen(D);
    const twoSided = bounds !== undefined && (D + 1n) !== 1n << BigInt(B);
    const per = bounds ? 1 + B * (twoSided ? 2 : 1) : 1;
    // our vector: the values, then the bits of x − lower (and of upper − x) per value
    const vec: bigint[] = mine.map((x) => mod(x));
    if (bounds) {
      const bitsOfNum = (y: bigint) => Array.from({ length: B }, (_, k) => (y >> BigInt(k)) & 1n);
      for (const x of mine) vec.push(...bitsOfNum(x - bounds.lower));
      if (twoSided) for (const x of mine) vec.push(...bitsOfNum(bounds.upper - x));
    }
    const lens = lengths.map((l) => l * per);
    const macs = await authenticate(s, cope, lens, vec);
    const committed = lengths.map((L, p): AuthVec => ({ v: p === s.self ? vec : new Array<bigint>(L * per).fill(0n), m: macs[p] }));
    if (bounds) await this.checkBits(committed, lengths, bounds, B, twoSided);
    return committed.map((c, p) => wrap({ v: c.v.slice(0, lengths[p]), m: c.m.slice(0, lengths[p]) }));
  }

  /**
   * The self-reported flag of the first range round (lets an honest party's bad input abort
   * as INPUT_OUT_OF_RANGE). Security does not rest on it: the attack tests override it to
   * model a modified client, and the committed-bit check below still aborts.
   */
  protected outOfRange(mine: readonly bigint[], bounds: InputBounds): boolean {
    return mine.some((x) => x < bounds.lower || x > bounds.upper);
  }

  /** Every committed bit is a bit and the bits recompose x − lower (and upper − x): all open to 0. */
  private async checkBits(committed: AuthVec[], lengths: readonly number[], bounds: InputBounds, B: number, twoSided: boolean): Promise<void> {
    const alpha = this.alphaSync();
    const zeros: AuthVec[] = [];
    const bitsAll: AuthVec[] = [];
    committed.forEach((c, p) => {
      const L = lengths[p];
      if (L === 0) return;
      const x: AuthVec = { v: c.v.slice(0, L), m: c.m.slice(0, L) };
      const groups = twoSided ? 2 : 1;
      for (let g = 0; g < groups; g++) {
        const base = L + g * L * B;
        const bits: AuthVec = { v: c.v.slice(base, base + L * B), m: c.m.slice(base, base + L * B) };
        bitsAll.push(bits);
        // Σ 2^k b_k for every value
        const idx = range(0, L * B);
        const weighted = this.scale(pick(bits, idx), (i) => 1n << BigInt(i % B));
        const recomposed: AuthVec = { v: new Array<bigint>(L).fill(0n), m: new Array<bigint>(L).fill(0n) };
        for (let i = 0; i < L * B; i++) {
          const t = Math.floor(i / B);
          recomposed.v[t] = mod(recomposed.v[t] + weighted.v[i]);
          recomposed.m[t] = mod(recomposed.m[t] + weighted.m[i]);
        }
        // g = 0: Σ − (x − lower); g = 1: Σ − (upper − x)
        const target = g === 0 ? this.addConst(x, () => mod(-bounds.lower), alpha) : this.addConst(this.scale(x, () => mod(-1n)), () => mod(bounds.upper), alpha);
        zeros.push(this.addVec(recomposed, target, -1n));
      }
    });
    if (B > 0 && bitsAll.length > 0) {
      const bits = cat(bitsAll);
      const sq = await this.mulVec(bits, bits);
      zeros.push(this.addVec(sq, bits, -1n)); // b² − b
    }
    if (zeros.length === 0) return;
    const opened = await this.openChecked(cat(zeros));
    if (opened.some((z) => z !== 0n)) throw deviation();
  }

  constant(values: readonly bigint[] | BigUint64Array): Shared {
    const alpha = this.alphaSync();
    const c = Array.from(values, (v) => mod(BigInt(v)));
    return wrap(this.addConst({ v: c.map(() => 0n), m: c.map(() => 0n) }, (i) => c[i], alpha));
  }
  add(x: Shared, y: Shared): Shared {
    return wrap(this.addVec(val(x), val(y)));
  }
  sub(x: Shared, y: Shared): Shared {
    return wrap(this.addVec(val(x), val(y), -1n));
  }
  neg(x: Shared): Shared {
    return wrap(this.scale(val(x), () => mod(-1n)));
  }
  private publicAt(c: PublicOperand, length: number): (i: number) => bigint {
    if (typeof c === 'bigint') {
      const k = BigInt.asUintN(64, c);
      return () => k;
    }
    if (c.length !== length) throw new MpcError('INVALID_ARGUMENT', `public operand has ${c.length} elements, expected ${length}`);
    return (i) => c[i];
  }
  addPublic(x: Shared, c: PublicOperand): Shared {
    const v = val(x);
    return wrap(this.addConst(v, this.publicAt(c, v.v.length), this.alphaSync()));
  }
  mulPublic(x: Shared, c: PublicOperand): Shared {
    const v = val(x);
    return wrap(this.scale(v, this.publicAt(c, v.v.length)));
  }
  slice(x: Shared, start: number, end: number): Shared {
    const v = val(x);
    return wrap({ v: v.v.slice(start, end), m: v.m.slice(start, end) });
  }
  concat(xs: readonly Shared[]): Shared {
    return wrap(cat(xs.map(val)));
  }
  gather(x: Shared, idx: ArrayLike<number>): Shared {
    return wrap(pick(val(x), idx));
  }
  sumGroups(x: Shared, groupSize: number): Shared {
    const v = val(x);
    if (!Number.isInteger(groupSize) || groupSize < 1 || v.v.length % groupSize !== 0) {
      throw new MpcError('INVALID_ARGUMENT', `sumGroups: ${v.v.length} elements do not split into groups of ${groupSize}`);
    }
    const g = v.v.length / groupSize;
    const out: AuthVec = { v: new Array<bigint>(g).fill(0n), m: new Array<bigint>(g).fill(0n) };
    for (let i = 0; i < v.v.length; i++) {
      const t = Math.floor(i / groupSize);
      out.v[t] = mod(out.v[t] + v.v[i]);
      out.m[t] = mod(out.m[t] + v.m[i]);
    }
    return wrap(out);
  }

  async mul(x: Shared, y: Shared): Promise<Shared> {
    return wrap(await this.mulVec(val(x), val(y)));
  }
  truncate(x: Shared, f: number, opts: WidthOption): Promise<Shared> {
    return truncateByBits(this, x, f, checkWidth(opts.width));
  }
  open(x: Shared): Promise<BigUint64Array> {
    return this.openChecked(val(x));
  }
  openTo(owner: PartyId, x: Shared): Promise<BigUint64Array | null> {
    return this.openToChecked(owner, val(x));
  }

  // ── bits as authenticated 0/1 ring elements ───────────────────────────────────────
  /**
   * `count` authenticated random bits nobody knows: the XOR of one committed random bit per
   * party (N−1 products per bit), then checked to be bits: r² − r opens to 0 for every r
   * (one product per bit). Without that check a party committing a non-bit u makes every
   * "bit" f(u, h) = u + h − 2uh of the XOR a non-bit whatever the honest h, and
   * decompositions, comparisons and the search built on them silently wrong; with it the
   * run aborts, and since f(u, h) ∈ {0, 1} for some h only when u ∈ {0, 1}, the abort does
   * not depend on the honest parties' bits (nothing leaks; the bits are not used before).
   */
  private async randomBitVec(count: number): Promise<AuthVec> {
    const r = await this.xorOfContributions(count);
    if (count === 0) return r;
    const zeros = this.addVec(await this.mulVec(r, r), r, -1n);
    // joins the batched MAC check (before any output): a share shifted to fake the 0s aborts there
    const opened = await this.partialOpen(zeros);
    if (opened.some((z) => BigInt.asUintN(64, z) !== 0n)) throw deviation();
    return r;
  }

  /** This party's random bits for `randomBitVec` (attack tests override it). */
  protected randomBitContribution(count: number): bigint[] {
    return Array.from(randomBytes(count), (b) => BigInt(b & 1));
  }

  private async xorOfContributions(count: number): Promise<AuthVec> {
    const { cope } = await this.ready();
    const mine = this.randomBitContribution(count);
    const macs = await authenticate(this.s, cope, new Array<number>(this.n).fill(count), mine);
    let ops: AuthVec[] = macs.map((m, p) => ({ v: p === this.self ? mine : new Array<bigint>(count).fill(0n), m }));
    const t = await this.triples((this.n - 1) * count);
    let used = 0;
    while (ops.length > 1) {
      const pairs = ops.length >>> 1;
      const left = cat(ops.filter((_, i) => i < 2 * pairs && i % 2 === 0));
      const right = cat(ops.filter((_, i) => i < 2 * pairs && i % 2 === 1));
      const sl = (x: AuthVec) => ({ v: x.v.slice(used, used + pairs * count), m: x.m.slice(used, used + pairs * count) });
      const uv = await this.beaver(left, right, { a: sl(t.a), b: sl(t.b), c: sl(t.c) });
      used += pairs * count;
      const xor = this.addVec(this.addVec(left, right), this.scale(uv, () => mod(-2n))); // u ⊕ v = u + v − 2uv
      const next: AuthVec[] = range(0, pairs).map((j) => ({ v: xor.v.slice(j * count, (j + 1) * count), m: xor.m.slice(j * count, (j + 1) * count) }));
      if (ops.length & 1) next.push(ops[ops.length - 1]);
      ops = next;
    }
    return ops[0];
  }

  /** Bits 0..width−1 of x (plane-major AuthVec of width·L elements). */
  private async decomposeVec(x: AuthVec, width: number): Promise<AuthVec> {
    const alpha = await this.alpha();
    const L = x.v.length;
    if (L === 0) return { v: [], m: [] };
    const r = await this.randomBitVec(L * width);
    const rho = await this.randomShared(L);
    let masked = this.addVec(x, this.scale(rho, () => 1n << BigInt(width)));
    for (let k = 0; k < width; k++) masked = this.addVec(masked, this.scale({ v: r.v.slice(k * L, (k + 1) * L), m: r.m.slice(k * L, (k + 1) * L) }, () => 1n << BigInt(k)));
    const c = await this.partialOpen(masked);
    const t = await this.triples(L * Math.max(0, width - 1));
    const planes: AuthVec[] = [];
    let borrow: AuthVec = { v: new Array<bigint>(L).fill(0n), m: new Array<bigint>(L).fill(0n) };
    for (let k = 0; k < width; k++) {
      const rk: AuthVec = { v: r.v.slice(k * L, (k + 1) * L), m: r.m.slice(k * L, (k + 1) * L) };
      const ck = (i: number) => (c[i] >> BigInt(k)) & 1n;
      const prod: AuthVec =
        k === 0
          ? { v: new Array<bigint>(L).fill(0n), m: new Array<bigint>(L).fill(0n) }
          : await this.beaver(rk, borrow, {
              a: { v: t.a.v.slice((k - 1) * L, k * L), m: t.a.m.slice((k - 1) * L, k * L) },
              b: { v: t.b.v.slice((k - 1) * L, k * L), m: t.b.m.slice((k - 1) * L, k * L) },
              c: { v: t.c.v.slice((k - 1) * L, k * L), m: t.c.m.slice((k - 1) * L, k * L) },
            });
      const rb = this.addVec(this.addVec(rk, borrow), this.scale(prod, () => mod(-2n))); // r ⊕ borrow
      // bit = c_k ⊕ rb = c_k + rb − 2·c_k·rb (c_k public)
      planes.push(this.addConst(this.scale(rb, (i) => mod(1n - 2n * ck(i))), ck, alpha));
      if (k + 1 < width) {
        // borrow out: c_k = 0: r ∨ b = r + b − rb; c_k = 1: r ∧ b
        const orv = this.addVec(this.addVec(rk, borrow), prod, -1n);
        borrow = { v: orv.v.map((o, i) => (ck(i) ? prod.v[i] : o)), m: orv.m.map((o, i) => (ck(i) ? prod.m[i] : o)) };
      }
    }
    return cat(planes);
  }

  async ltz(x: Shared, opts: WidthOption = {}): Promise<SharedBits> {
    const w = checkWidth(opts.width);
    const v = val(x);
    const bits = await this.decomposeVec(v, w);
    const L = v.v.length;
    return wrapBits(L, 1, { v: bits.v.slice((w - 1) * L), m: bits.m.slice((w - 1) * L) });
  }
  async lt(x: Shared, y: Shared, opts: WidthOption = {}): Promise<SharedBits> {
    if (opts.width !== undefined) return this.ltz(this.sub(x, y), opts);
    const L = x.length;
    const signs = bitsOf(await this.ltz(this.concat([x, y, this.sub(x, y)]))).x;
    const part = (k: number): AuthVec => ({ v: signs.v.slice(k * L, (k + 1) * L), m: signs.m.slice(k * L, (k + 1) * L) });
    const [t, u, m] = [part(0), part(1), part(2)];
    // lt = m + (t − m)·(t ⊕ u): on overflow (signs differ) the answer is t
    const tu = this.addVec(this.addVec(t, u), this.scale(await this.mulVec(t, u), () => mod(-2n)));
    return wrapBits(L, 1, this.addVec(m, await this.mulVec(this.addVec(t, m, -1n), tu)));
  }
  async eq(x: Shared, y: Shared): Promise<SharedBits> {
    const L = x.length;
    const alpha = await this.alpha();
    const bits = await this.decomposeVec(val(this.sub(x, y)), 64);
    let planes = range(0, 64).map((k) => this.addConst(this.scale({ v: bits.v.slice(k * L, (k + 1) * L), m: bits.m.slice(k * L, (k + 1) * L) }, () => mod(-1n)), () => 1n, alpha));
    while (planes.length > 1) {
      const half = planes.length >>> 1;
      const z = await this.mulVec(cat(planes.slice(0, half)), cat(planes.slice(half, 2 * half)));
      const next = range(0, half).map((j) => ({ v: z.v.slice(j * L, (j + 1) * L), m: z.m.slice(j * L, (j + 1) * L) }));
      if (planes.length & 1) next.push(planes[planes.length - 1]);
      planes = next;
    }
    return wrapBits(L, 1, planes[0]);
  }
  async decompose(x: Shared, width: number): Promise<SharedBits> {
    const w = checkWidth(width);
    return wrapBits(x.length, w, await this.decomposeVec(val(x), w));
  }

  async xor(a: SharedBits, b: SharedBits): Promise<SharedBits> {
    const x = this.sameShape(a, b);
    const p = await this.mulVec(x[0].x, x[1].x);
    return wrapBits(x[0].count, x[0].bits, this.addVec(this.addVec(x[0].x, x[1].x), this.scale(p, () => mod(-2n))));
  }
  xorDisjoint(a: SharedBits, b: SharedBits): SharedBits {
    const x = this.sameShape(a, b);
    return wrapBits(x[0].count, x[0].bits, this.addVec(x[0].x, x[1].x));
  }
  xorSubset(a: SharedBits, b: SharedBits): SharedBits {
    const x = this.sameShape(a, b);
    return wrapBits(x[0].count, x[0].bits, this.addVec(x[0].x, x[1].x, -1n));
  }
  private sameShape(a: SharedBits, b: SharedBits): [StrictBits, StrictBits] {
    const x = bitsOf(a);
    const y = bitsOf(b);
    if (x.count !== y.count || x.bits !== y.bits) throw new MpcError('INVALID_ARGUMENT', `bit shapes differ: ${x.count}×${x.bits} vs ${y.count}×${y.bits}`);
    return [x, y];
  }
  private perElement(a: StrictBits, bits: ArrayLike<number>, what: string): (i: number) => number {
    if (bits.length !== a.count) throw new MpcError('INVALID_ARGUMENT', `${what}: ${bits.length} bits for ${a.count} elements`);
    return (i) => bits[i % a.count] & 1;
  }
  xorPublic(a: SharedBits, bits: ArrayLike<number>): SharedBits {
    const x = bitsOf(a);
    const at = this.perElement(x, bits, 'xorPublic');
    // p = 1: 1 − a
    return wrapBits(x.count, x.bits, this.addConst(this.scale(x.x, (i) => (at(i) ? mod(-1n) : 1n)), (i) => BigInt(at(i)), this.alphaSync()));
  }
  not(a: SharedBits): SharedBits {
    const x = bitsOf(a);
    return this.xorPublic(a, new Uint8Array(x.count).fill(1));
  }
  andPublic(a: SharedBits, bits: ArrayLike<number>): SharedBits {
    const x = bitsOf(a);
    const at = this.perElement(x, bits, 'andPublic');
    return wrapBits(x.count, x.bits, this.scale(x.x, (i) => BigInt(at(i))));
  }
  async and(a: SharedBits, b: SharedBits): Promise<SharedBits> {
    const x = this.sameShape(a, b);
    return wrapBits(x[0].count, x[0].bits, await this.mulVec(x[0].x, x[1].x));
  }
  plane(a: SharedBits, k: number): SharedBits {
    const x = bitsOf(a);
    if (!Number.isInteger(k) || k < 0 || k >= x.bits) throw new MpcError('INVALID_ARGUMENT', `plane ${k} outside 0..${x.bits - 1}`);
    return wrapBits(x.count, 1, pick(x.x, range(k * x.count, (k + 1) * x.count)));
  }
  stackPlanes(planes: readonly SharedBits[]): SharedBits {
    const ps = planes.map(bitsOf);
    if (ps.length === 0) throw new MpcError('INVALID_ARGUMENT', 'stackPlanes needs at least one plane');
    for (const p of ps) if (p.bits !== 1 || p.count !== ps[0].count) throw new MpcError('INVALID_ARGUMENT', 'stackPlanes: planes must be one-plane vectors of equal count');
    return wrapBits(ps[0].count, ps.length, cat(ps.map((p) => p.x)));
  }
  concatBits(xs: readonly SharedBits[]): SharedBits {
    const ps = xs.map(bitsOf);
    if (ps.length === 0) throw new MpcError('INVALID_ARGUMENT', 'concatBits needs at least one vector');
    const bits = ps[0].bits;
    for (const p of ps) if (p.bits !== bits) throw new MpcError('INVALID_ARGUMENT', `concatBits: plane counts differ (${p.bits} vs ${bits})`);
    const count = ps.reduce((a, p) => a + p.count, 0);
    const parts: AuthVec[] = [];
    for (let k = 0; k < bits; k++) for (const p of ps) parts.push(pick(p.x, range(k * p.count, (k + 1) * p.count)));
    return wrapBits(count, bits, cat(parts));
  }
  gatherBits(a: SharedBits, idx: ArrayLike<number>): SharedBits {
    const x = bitsOf(a);
    const all: number[] = [];
    for (let k = 0; k < x.bits; k++) {
      for (let j = 0; j < idx.length; j++) {
        const i = idx[j];
        if (!Number.isInteger(i) || i < 0 || i >= x.count) throw new MpcError('INVALID_ARGUMENT', `gatherBits: index ${i} outside [0, ${x.count})`);
        all.push(k * x.count + i);
      }
    }
    return wrapBits(idx.length, x.bits, pick(x.x, all));
  }
  constantBits(bits: ArrayLike<number>): SharedBits {
    return wrapBits(bits.length, 1, val(this.constant(Array.from(bits, (b) => BigInt(b & 1)))));
  }
  countOnesBits(a: SharedBits, groupSize: number): Promise<SharedBits> {
    return this.countOnes(a, groupSize).then((c) => this.decompose(c, bitLen(BigInt(groupSize))));
  }

  async b2a(a: SharedBits): Promise<Shared> {
    const x = bitsOf(a);
    if (x.bits !== 1) throw new MpcError('INVALID_ARGUMENT', `b2a converts single bits; got ${x.bits} planes`);
    return Promise.resolve(wrap(x.x));
  }
  async countOnes(a: SharedBits, groupSize: number): Promise<Shared> {
    const x = bitsOf(a);
    if (x.bits !== 1) throw new MpcError('INVALID_ARGUMENT', `countOnes needs one plane, got ${x.bits}`);
    return Promise.resolve(this.sumGroups(wrap(x.x), groupSize));
  }
  async randomBits(count: number): Promise<{ arith: Shared; bits: SharedBits }> {
    const r = await this.randomBitVec(count);
    return { arith: wrap(r), bits: wrapBits(count, 1, r) };
  }
  /** Strict bits are authenticated 0/1 ring elements, so the arithmetic twin costs nothing extra. */
  async randomBooleanBits(count: number): Promise<SharedBits> {
    return (await this.randomBits(count)).bits;
  }
  private toBits(v: BigUint64Array): Uint8Array {
    const out = new Uint8Array(v.length);
    for (let i = 0; i < v.length; i++) {
      if (v[i] > 1n) throw deviation();
      out[i] = Number(v[i]);
    }
    return out;
  }
  async openBits(a: SharedBits): Promise<Uint8Array> {
    return this.toBits(await this.openChecked(bitsOf(a).x));
  }
  async openBitsTo(owner: PartyId, a: SharedBits): Promise<Uint8Array | null> {
    const v = await this.openToChecked(owner, bitsOf(a).x);
    return v ? this.toBits(v) : null;
  }
}

export function createStrictBackend(s: Session, prepared?: SessionOt): Backend {
  return new StrictBackend(s, prepared);
}
