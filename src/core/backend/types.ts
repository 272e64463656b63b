/**
 * The one protocol backend interface (issue 11 item 5): computations are written once
 * against this shared-value API, and a backend implements it — `fast` (semi-honest,
 * backend/fast.ts) today, `strict` (authenticated, security with abort) beside it.
 *
 * Values. A `Shared` is a vector of secret-shared elements of Z_2^64, read as signed
 * two's-complement integers (fixed point 10^d, DESIGN §3). A `SharedBits` is a vector of
 * `count` elements with `bits` planes each (bit k of element j), secret-shared over GF(2);
 * most bit results have one plane. Both are opaque and branded: only the backend that made
 * a value can read it (mixing backends, or a `Shared` where `SharedBits` belongs, is a type
 * error, and a runtime INVALID_ARGUMENT). Public vectors are plain `BigUint64Array`s
 * (ring elements) or `bigint`s; opened bits are `Uint8Array`s of 0/1.
 *
 * Rules every backend keeps and every computation may rely on:
 * - Batched: every method takes vectors; one call that communicates is one circuit layer
 *   (usually one round), whatever the length. Put a whole layer in one call
 *   (`concat` / `gather` / `slice` are local and free).
 * - Collective: methods marked "collective" must be called by every party, in the same
 *   order, with the same public arguments (lengths, widths, indices). Round ids come from
 *   that order (STYLE §3); a mismatch aborts the session.
 * - Local methods (linear maps, reshaping, XOR with shared or public bits) never
 *   communicate.
 * - Inputs enter once (`input`): every later value is computed from the committed shares,
 *   never re-derived from a party's plaintext. In strict mode the bounds given to `input`
 *   are enforced inside the MPC; in fast mode each party checks its own (semi-honest).
 * - `open*` reveal exactly the opened value. In strict mode an opened value is MAC-checked
 *   (commit-then-open) before the call returns; a failed check throws ABORTED with
 *   `DEVIATION_MESSAGE` and blames nobody. Only open what the computation declares as
 *   output, or values that are functions of the output alone.
 * - `width` options state a public promise about the plaintext: "|x| < 2^(width−1)". The
 *   backend may then use a `width`-bit circuit instead of a 64-bit one. A computation must
 *   derive the promise from public bounds and counts (after `input` enforced the bounds).
 *
 * Fixed point. `mulPublic` + `truncate` is multiply-with-truncation (x·y / 2^f exact floor
 * for |x·y| < 2^(width−1)); division and square root are written on top (e.g. by the
 * oblivious digit search of computations/search.ts, or Newton steps with `truncate`).
 *
 * Example (everyone's values summed, and party 0 learns only whether its own first value is at least
 * the mean; `counts` public, bounds ±10^6 so |n·x − Σ| < 2^40):
 *   const xs = await b.input(counts, mine, { lower: -10n ** 6n, upper: 10n ** 6n }); // one Shared per party
 *   const all = b.concat(xs);
 *   const total = b.sumGroups(all, all.length);                  // local
 *   const [sum] = await b.open(total);                            // the declared output
 *   const d = b.sub(b.mulPublic(b.slice(xs[0], 0, 1), BigInt(all.length)), total); // T·x₀ − Σx
 *   const above = await b.openBitsTo(partyId(0), b.not(await b.ltz(d, { width: 48 })));
 */
import type { PartyId } from '../session/channel.ts';

/** Protection level, part of the agreed spec: strict = malicious security with abort. */
export type ProtectionLevel = 'strict' | 'fast';
export const PROTECTION_LEVELS: readonly ProtectionLevel[] = ['strict', 'fast'];

/** The fixed text of an abort caused by a failed integrity check (never names a party). */
export const DEVIATION_MESSAGE = 'a participant deviated from the protocol';

declare const sharedBrand: unique symbol;
declare const bitsBrand: unique symbol;

/** A secret-shared vector over Z_2^64 (opaque; made and read by one backend only). */
export interface Shared {
  readonly length: number;
  readonly [sharedBrand]: 'Shared';
}

/** A secret-shared vector of `count` elements × `bits` planes over GF(2) (opaque). */
export interface SharedBits {
  readonly count: number;
  readonly bits: number;
  readonly [bitsBrand]: 'SharedBits';
}

/** Inclusive signed bounds of committed inputs (scaled integers, |bound| < 2^62). */
export interface InputBounds {
  readonly lower: bigint;
  readonly upper: bigint;
}

/** Public promise |x| < 2^(width−1) (1 ≤ width ≤ 64; default 64 = any signed value). */
export interface WidthOption {
  readonly width?: number;
}

/** A public scalar (applied to every element) or one public ring element per element. */
export type PublicOperand = bigint | BigUint64Array;

export interface Backend {
  readonly level: ProtectionLevel;
  readonly n: number;
  readonly self: PartyId;

  // ── inputs ────────────────────────────────────────────────────────────────────────
  /**
   * Collective. Every party commits its own vector: `lengths[p]` is party p's public
   * count, `mine` this party's values (signed). Returns one `Shared` per party, in party
   * order. With `bounds`, every input must lie in [lower, upper], else every party throws
   * INPUT_OUT_OF_RANGE ("some input was out of range", one bit revealed). One round
   * (plus the range check).
   */
  input(lengths: readonly number[], mine: readonly bigint[], bounds?: InputBounds): Promise<Shared[]>;
  /** Local. A public vector as a (trivial) sharing. */
  constant(values: readonly bigint[] | BigUint64Array): Shared;

  // ── local linear algebra and reshaping ───────────────────────────────────────────
  add(x: Shared, y: Shared): Shared;
  sub(x: Shared, y: Shared): Shared;
  neg(x: Shared): Shared;
  addPublic(x: Shared, c: PublicOperand): Shared;
  mulPublic(x: Shared, c: PublicOperand): Shared;
  /** Elements [start, end). */
  slice(x: Shared, start: number, end: number): Shared;
  concat(xs: readonly Shared[]): Shared;
  /** Element j of the result is element idx[j] of x (indices may repeat). */
  gather(x: Shared, idx: ArrayLike<number>): Shared;
  /** Sums of consecutive groups of `groupSize` elements (length / groupSize results). */
  sumGroups(x: Shared, groupSize: number): Shared;

  // ── arithmetic that communicates ─────────────────────────────────────────────────
  /** Collective. Elementwise product mod 2^64. One round. */
  mul(x: Shared, y: Shared): Promise<Shared>;
  /** Collective. floor(x / 2^f) for signed x with |x| < 2^(width−1) (exact, not probabilistic). */
  truncate(x: Shared, f: number, opts: WidthOption): Promise<Shared>;
  /** Collective. Reveal to every party (strict: MAC-checked before returning). One round (+ check). */
  open(x: Shared): Promise<BigUint64Array>;
  /** Collective. Reveal to `owner` only; the others get null. */
  openTo(owner: PartyId, x: Shared): Promise<BigUint64Array | null>;

  // ── comparisons (results are one-plane SharedBits) ───────────────────────────────
  /** Collective. [x < 0] (signed), using a width-bit circuit when the caller promises one. */
  ltz(x: Shared, opts?: WidthOption): Promise<SharedBits>;
  /** Collective. [x < y]; `width` promises |x − y| < 2^(width−1); default exact on all signed inputs. */
  lt(x: Shared, y: Shared, opts?: WidthOption): Promise<SharedBits>;
  /** Collective. [x = y]. */
  eq(x: Shared, y: Shared): Promise<SharedBits>;
  /** Collective. Bits 0..width−1 of x (i.e. of x mod 2^width): `width` planes. */
  decompose(x: Shared, width: number): Promise<SharedBits>;

  // ── the boolean layer ────────────────────────────────────────────────────────────
  /**
   * Collective. a ⊕ b. Local for XOR-shared bits, one multiplication where bits are
   * arithmetic 0/1 shares (a + b − 2ab): prefer the local forms below when they apply.
   */
  xor(a: SharedBits, b: SharedBits): Promise<SharedBits>;
  /** Local. a ⊕ b for disjoint bits (caller promises a ∧ b = 0 everywhere): = a ∨ b = a + b. */
  xorDisjoint(a: SharedBits, b: SharedBits): SharedBits;
  /** Local. a ⊕ b when b implies a (caller promises b ∧ ¬a = 0): = a ∧ ¬b = a − b. */
  xorSubset(a: SharedBits, b: SharedBits): SharedBits;
  /** Local. XOR with public bits: one 0/1 per element, applied to every plane. */
  xorPublic(a: SharedBits, bits: ArrayLike<number>): SharedBits;
  not(a: SharedBits): SharedBits;
  /** Collective. Elementwise AND of equally shaped vectors. One round. */
  and(a: SharedBits, b: SharedBits): Promise<SharedBits>;
  /** Local. Plane k as a one-plane vector. */
  plane(a: SharedBits, k: number): SharedBits;
  /** Local. One-plane vectors of equal count stacked as planes 0, 1, … */
  stackPlanes(planes: readonly SharedBits[]): SharedBits;
  /** Local. Concatenate element-wise (equal `bits`). */
  concatBits(xs: readonly SharedBits[]): SharedBits;
  /** Local. Element j of the result is element idx[j] of a (every plane). */
  gatherBits(a: SharedBits, idx: ArrayLike<number>): SharedBits;
  /** Local. AND with public bits: one 0/1 per element, applied to every plane. */
  andPublic(a: SharedBits, bits: ArrayLike<number>): SharedBits;
  /** Local. Public bits (one 0/1 per element) as a one-plane sharing. */
  constantBits(bits: ArrayLike<number>): SharedBits;
  /**
   * Collective. Number of ones in each consecutive group of `groupSize` elements of a
   * one-plane vector, as bits: one element per group, bitLength(groupSize) planes (least
   * significant first). Stays in the boolean world (no conversion), unlike `countOnes`.
   */
  countOnesBits(a: SharedBits, groupSize: number): Promise<SharedBits>;

  // ── between the worlds ───────────────────────────────────────────────────────────
  /** Collective. A one-plane bit vector as arithmetic 0/1 shares. */
  b2a(a: SharedBits): Promise<Shared>;
  /** Collective. Number of ones in each consecutive group of `groupSize` elements of a one-plane vector. */
  countOnes(a: SharedBits, groupSize: number): Promise<Shared>;
  /** Collective. `count` uniformly random bits nobody knows, in both worlds (daBits). */
  randomBits(count: number): Promise<{ arith: Shared; bits: SharedBits }>;
  /**
   * Collective. `count` uniformly random one-plane bits nobody knows, in the boolean world
   * only (no arithmetic twin, so no conversion): coins for noise (src/core/dp) that are then
   * counted with `countOnes`. Fast: free, no round (each party's share is its own random
   * bits, so the XOR is uniform unless all N collude). Strict: authenticated random bits.
   */
  randomBooleanBits(count: number): Promise<SharedBits>;
  /** Collective. Reveal bits to everyone: 0/1 per element, plane-major (plane k at [k·count, (k+1)·count)). */
  openBits(a: SharedBits): Promise<Uint8Array>;
  /** Collective. Reveal bits to `owner` only; the others get null. */
  openBitsTo(owner: PartyId, a: SharedBits): Promise<Uint8Array | null>;

  /** Bytes this party has sent so far (for benchmarks and the UI). */
  readonly bytesSent: number;
}
