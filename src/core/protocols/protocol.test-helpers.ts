/**
 * TEST ONLY: plaintext oracles and input sharing for the protocol tests. Not exported from
 * any index; the product shares inputs with src/core/sharing.ts.
 */
import fc from 'fast-check';
import { randomU64 } from '../random.ts';
import type { PartyId } from '../session/channel.ts';
import type { Session } from '../session/session.ts';
import { type SimulationOptions, runParties } from '../session/simulate.ts';
import type { TripleSource } from '../triples/types.ts';
import type { BitShares } from './bit-shares.ts';
import { dealerSources } from './dealer.test-helpers.ts';

export const PARTY_COUNTS = [2, 3, 5] as const;
export const INT64_MIN = -(1n << 63n);
export const INT64_MAX = (1n << 63n) - 1n;

/** Signed 64-bit values with the edges over-represented. */
export const int64 = (): fc.Arbitrary<bigint> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.bigInt({ min: INT64_MIN, max: INT64_MAX }) },
    { weight: 1, arbitrary: fc.bigInt({ min: -1000n, max: 1000n }) },
    { weight: 2, arbitrary: fc.constantFrom(0n, 1n, -1n, INT64_MIN, INT64_MAX, INT64_MIN + 1n, INT64_MAX - 1n, 1n << 62n, -(1n << 62n)) },
  );

export const toU64 = (v: readonly bigint[]): BigUint64Array => BigUint64Array.from(v, (x) => BigInt.asUintN(64, x));
export const toSigned = (v: BigUint64Array): bigint[] => Array.from(v, (x) => BigInt.asIntN(64, x));

/** Random additive shares of `values` for n parties (shares[i] is party i's vector). */
export function shareAll(values: BigUint64Array, n: number): BigUint64Array[] {
  const shares = Array.from({ length: n - 1 }, () => randomU64(values.length));
  const last = values.slice();
  for (const sh of shares) for (let i = 0; i < last.length; i++) last[i] -= sh[i];
  return [...shares, last];
}

export function reconstruct(shares: readonly BigUint64Array[]): BigUint64Array {
  const out = new BigUint64Array(shares[0].length);
  for (const sh of shares) for (let i = 0; i < out.length; i++) out[i] += sh[i];
  return out;
}

/** ⊕ of every party's one-plane shares, as 0/1 per element (padding ignored). */
export function reconstructBits(shares: readonly BitShares[]): number[] {
  const { count } = shares[0];
  const out: number[] = [];
  for (let j = 0; j < count; j++) {
    let b = 0;
    for (const sh of shares) b ^= (sh.words[j >>> 5] >>> (j & 31)) & 1;
    out.push(b);
  }
  return out;
}

/** Run one function per party with the test dealer as triple source. */
export async function runWithDealer<T>(
  n: number,
  fn: (s: Session, self: PartyId, triples: TripleSource) => Promise<T>,
  opts: SimulationOptions = {},
): Promise<T[]> {
  const { sources } = dealerSources(n);
  return runParties(n, (s, i) => fn(s, i, sources[i]), opts);
}
