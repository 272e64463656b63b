/**
 * Additive secret sharing over Z_2^64 (DESIGN §3): x = Σᵢ xᵢ mod 2^64, batched on
 * BigUint64Array vectors. Plain math first (`shareVector`, `reconstruct`), then the two
 * small protocols built on it:
 *
 * - `inputShares`: the owner of a private vector deals shares of it. Share compression:
 *   the owner sends each other party a fresh 32-byte PRG seed and that party's share is
 *   the seed's ChaCha20 expansion; the owner keeps x − Σ expansions. Cost (N−1)·32 bytes
 *   instead of (N−1)·8·L (the standard seed trick, e.g. SPDZ2k/MP-SPDZ input sharing).
 * - `pairwiseSeeds` / `zeroShares`: every pair {i, j} holds a common seed s_ij (the lower
 *   index picks it and sends it, once per session); party i's zero share is
 *   Σ_{j>i} PRG(s_ij) − Σ_{j<i} PRG(s_ij), so the N zero shares sum to 0. This is the
 *   pairwise masking of secure aggregation [BIK+17, Bonawitz et al., CCS'17] and of
 *   pseudo-random zero sharing [CDI05, Cramer–Damgård–Ishai, TCC'05].
 *
 * Security: semi-honest, any coalition of up to N−1 parties. Any N−1 of the shares from
 * `shareVector` are independent and uniform (CSPRNG); PRG-expanded shares and masks are
 * pseudo-random under the ChaCha20 PRF assumption. Seeds travel over the peer channels,
 * which the transport encrypts and authenticates.
 */
import { MpcError } from './errors.ts';
import { addInto, subInto } from './ring.ts';
import { SEED_BYTES, nonceFor, prgU64, randomBytes, randomU64 } from './random.ts';
import type { PartyId } from './session/channel.ts';
import { Protocol } from './session/round.ts';
import type { Session } from './session/session.ts';

/**
 * n additive shares of x: n−1 uniformly random vectors and x minus their sum. `random`
 * defaults to the CSPRNG; tests pass a seeded PRG to be reproducible.
 */
export function shareVector(x: BigUint64Array, n: number, random: (length: number) => BigUint64Array = randomU64): BigUint64Array[] {
  if (!Number.isInteger(n) || n < 1) throw new MpcError('INVALID_ARGUMENT', `share count must be a positive integer, got ${n}`);
  const shares: BigUint64Array[] = [];
  const last = x.slice();
  for (let i = 0; i < n - 1; i++) {
    const r = random(x.length);
    subInto(last, r);
    shares.push(r);
  }
  shares.push(last);
  return shares;
}

/** Σ shares mod 2^64, elementwise. */
export function reconstruct(shares: readonly BigUint64Array[]): BigUint64Array {
  if (shares.length === 0) throw new MpcError('INVALID_ARGUMENT', 'reconstruct needs at least one share');
  const out = shares[0].slice();
  for (let i = 1; i < shares.length; i++) addInto(out, shares[i]);
  return out;
}

/**
 * `owner` deals additive shares of its private vector (`values`, length `length`; other
 * parties pass `undefined`). Returns this party's share. One round, (N−1)·32 bytes.
 */
export async function inputShares(s: Session, owner: PartyId, values: BigUint64Array | undefined, length: number): Promise<BigUint64Array> {
  if (!Number.isInteger(length) || length < 0) throw new MpcError('INVALID_ARGUMENT', `length must be a non-negative integer, got ${length}`);
  if (!Number.isInteger(owner) || owner < 0 || owner >= s.n) throw new MpcError('INVALID_ARGUMENT', `owner ${owner} is not a party`);
  const instance = s.nextInstance(Protocol.Share);
  const round = s.round(Protocol.Share, instance, 0);
  const nonce = nonceFor(Protocol.Share, instance);
  if (s.self === owner) {
    if (!values || values.length !== length) {
      throw new MpcError('INVALID_ARGUMENT', `owner must supply ${length} values, got ${values ? values.length : 'none'}`);
    }
    const mine = values.slice();
    for (const p of s.others) {
      const seed = randomBytes(SEED_BYTES);
      subInto(mine, prgU64(seed, length, nonce));
      s.send(p, round, seed);
    }
    return mine;
  }
  const seed = await s.receive(owner, round, SEED_BYTES);
  return prgU64(seed, length, nonce);
}

const seedCache = new WeakMap<Session, Promise<ReadonlyMap<PartyId, Uint8Array>>>();

/**
 * A common 32-byte seed with every other party, agreed once per session (later calls
 * return the cached seeds without communicating). The lower index of each pair picks.
 * All parties must make their first call at the same point of the protocol sequence,
 * which holds because every party runs the same program.
 */
export function pairwiseSeeds(s: Session): Promise<ReadonlyMap<PartyId, Uint8Array>> {
  let seeds = seedCache.get(s);
  if (!seeds) {
    seeds = agreeSeeds(s);
    seedCache.set(s, seeds);
  }
  return seeds;
}

async function agreeSeeds(s: Session): Promise<ReadonlyMap<PartyId, Uint8Array>> {
  const round = s.round(Protocol.PairwiseSeeds, s.nextInstance(Protocol.PairwiseSeeds), 0);
  const seeds = new Map<PartyId, Uint8Array>();
  for (const p of s.others) {
    if (p > s.self) {
      const seed = randomBytes(SEED_BYTES);
      seeds.set(p, seed);
      s.send(p, round, seed);
    }
  }
  const lower = s.others.filter((p) => p < s.self);
  const got = await Promise.all(lower.map((p) => s.receive(p, round, SEED_BYTES)));
  lower.forEach((p, i) => seeds.set(p, got[i]));
  return seeds;
}

/**
 * This party's share of a pseudo-random sharing of zero of the given length. `nonce` must
 * be unique per use within the session (derive it from the caller's round id with
 * `nonceFor(protocol, instance, purpose)`); all parties must pass the same nonce.
 */
export function zeroShares(s: Session, seeds: ReadonlyMap<PartyId, Uint8Array>, nonce: Uint8Array, length: number): BigUint64Array {
  const z = new BigUint64Array(length);
  for (const p of s.others) {
    const seed = seeds.get(p);
    if (!seed) throw new MpcError('INVALID_ARGUMENT', `no pairwise seed with party ${p}`);
    const m = prgU64(seed, length, nonce);
    if (p > s.self) addInto(z, m);
    else subInto(z, m);
  }
  return z;
}

