/**
 * Order statistics over the multiset union of all parties' committed values: min, max,
 * median and percentile, each revealing only the selected element.
 *
 * The k-th smallest value (1-based) is the smallest v in [lower, upper] with
 * C(v) = #{values ≤ v} ≥ k. Every count is computed inside the MPC from the committed
 * shares (issue 11: a party can no longer shift "its" count): y = x − lower lies in
 * [0, 2^B) (the commit enforced the bounds), and one B-bit decomposition of every y is
 * the only per-value comparison work. The answer is then found digit by digit, most
 * significant first (the bitwise k-th element search of [AMP04], on shares):
 * - E_t = [y_t agrees with the answer on the digits fixed so far] (shared bit per value;
 *   1 at the start).
 * - For the next r-bit digit, the one-hot bits M_{t,v} = E_t ∧ [digit of y_t = v] for all
 *   v < 2^r come from a tree of ANDs over the r digit bits (m ∧ ¬d = m ⊕ (m ∧ d): one AND
 *   per node, 2^r − 1 per value, r rounds).
 * - With below_t = [y_t < prefix] (shared; 0 at the start), [y_t ≤ c_j] at the block ends
 *   c_j = prefix + j·2^rest − 1 is below_t ⊕ ⊕_{v<j} M_{t,v} (disjoint events: local).
 *   C(c_j) is counted inside the MPC in the boolean world (a popcount circuit, no
 *   conversion to arithmetic shares), compared with the public k (one AND per bit), and
 *   only the bits [C(c_j) < k] = 1…10…0 are opened; their number of ones is the digit:
 *   each opened bit is a function of the answer alone.
 * - below ← [y_t ≤ c_digit] and E ← M_{·,digit}, both without communication.
 * Ties need no care: C counts the multiset. Cost per value ≈ B-bit decomposition +
 * (2^r + a popcount share) ANDs per step; rounds do not depend on the number of values.
 *
 * Percentiles use the nearest-rank definition: k = max(1, ⌈p/100 · T⌉); the median is the
 * 50th percentile, i.e. the lower median for an even count (always an actual input value:
 * averaging the two middle values would need both, revealing more).
 *
 * Security: that of the backend; reveals the k-th value, with k a function of public
 * counts and the public spec.
 *
 * [AMP04] Aggarwal, Mishra, Pinkas. Secure Computation of the k-th Ranked Element.
 *         EUROCRYPT 2004.
 */
import { MpcError } from '../errors.ts';
import type { SharedBits } from '../backend/types.ts';
import { ltPublic } from '../backend/generic.ts';
import { allValues } from './aggregates.ts';
import type { ComputationContext } from './context.ts';
import { bitLength, checkSearch, digitOf, stepWidths } from './search.ts';

/** Nearest-rank k for a percentile given ×10^6 (e.g. 50_000_000 for 50%). */
export function nearestRank(pMicro: bigint, total: number): number {
  const t = BigInt(total);
  const k = (pMicro * t + 99_999_999n) / 100_000_000n;
  return Number(k < 1n ? 1n : k > t ? t : k);
}

/** The k-th smallest of all parties' values (1 ≤ k ≤ total), scaled. */
export async function kthSmallest(ctx: ComputationContext, k: number): Promise<bigint> {
  if (!Number.isInteger(k) || k < 1 || k > ctx.total) throw new MpcError('INVALID_ARGUMENT', `rank ${k} is outside 1..${ctx.total}`);
  const { b } = ctx;
  const { lower, upper } = ctx.scaled;
  const T = ctx.total;
  const bits = bitLength(upper - lower);
  const radixBits = checkSearch(bits, ctx.search);
  if (bits === 0) return lower;
  const y = await b.decompose(b.addPublic(allValues(ctx), -lower), bits);
  let agree: SharedBits = b.constantBits(new Uint8Array(T).fill(1)); // E_t
  let below: SharedBits = b.constantBits(new Uint8Array(T)); // [y_t < prefix]
  let prefix = 0n;
  let rest = bits;
  for (const r of stepWidths(bits, radixBits)) {
    rest -= r;
    // one-hot of the digit, masked by `agree`: ms[v] for v < 2^r (high digit bits first)
    let ms: SharedBits[] = [agree];
    for (let k2 = r - 1; k2 >= 0; k2--) {
      const d = b.plane(y, rest + k2);
      const z = await b.and(b.concatBits(ms), b.concatBits(ms.map(() => d)));
      ms = ms.flatMap((m, i) => {
        const hit = b.gatherBits(z, Array.from({ length: T }, (_, t) => i * T + t));
        return [b.xorSubset(m, hit), hit]; // m ∧ ¬d, m ∧ d
      });
    }
    // [y_t ≤ c_j] = below_t ⊕ ⊕_{v<j} ms[v]_t (disjoint events), j = 1..2^r − 1
    const J = (1 << r) - 1;
    const le: SharedBits[] = [];
    let acc = below;
    for (let v = 0; v < J; v++) {
      acc = b.xorDisjoint(acc, ms[v]);
      le.push(acc);
    }
    const counts = await b.countOnesBits(b.concatBits(le), T); // C(c_j), as bits
    const opened = await b.openBits(await ltPublic(b, counts, new Array<bigint>(J).fill(BigInt(k))));
    const digit = digitOf(opened);
    if (digit > 0) below = le[digit - 1];
    agree = ms[digit];
    prefix += BigInt(digit) << BigInt(rest);
  }
  return lower + prefix;
}

/** k for min, max, median, percentile. */
export function orderRank(ctx: ComputationContext): number {
  switch (ctx.spec.kind) {
    case 'min':
      return 1;
    case 'max':
      return ctx.total;
    default:
      return nearestRank(ctx.scaled.pMicro, ctx.total);
  }
}
