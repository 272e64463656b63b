/**
 * Protocols written once on top of the backend interface (types.ts), for backends that
 * have no specialised version: exact truncation and the OR of many shared bits.
 *
 * - truncate(x, f): y = x + 2^(width−1) lies in [0, 2^width) when |x| < 2^(width−1);
 *   decompose y, convert bits f..width−1 to arithmetic shares (b2a) and recombine:
 *   ⌊x / 2^f⌋ = Σ_{k≥f} 2^(k−f)·y_k − 2^(width−1−f). Exact (not the probabilistic
 *   truncation of [CdH10]), cost one width-bit decomposition plus (width − f) b2a per element.
 * - anyOne(bits): OR of all elements by a balanced tree, a ∨ b = a ⊕ (b ∧ ¬a), one
 *   round per level; the result stays shared.
 * - ltPublic(x, k): comparison of shared bits with public numbers (see there).
 *
 * Security: whatever the backend's primitives give (composition of its collective calls).
 *
 * [CdH10] Catrina, de Hoogh. Improved Primitives for Secure Multiparty Integer
 *         Computation. SCN 2010.
 */
import { MpcError } from '../errors.ts';
import type { Backend, Shared, SharedBits } from './types.ts';

export function checkWidth(width: number | undefined, what = 'width'): number {
  const w = width ?? 64;
  if (!Number.isInteger(w) || w < 1 || w > 64) throw new MpcError('INVALID_ARGUMENT', `${what} must be an integer in 1..64, got ${width}`);
  return w;
}

export async function truncateByBits(b: Backend, x: Shared, f: number, width: number): Promise<Shared> {
  const w = checkWidth(width);
  if (!Number.isInteger(f) || f < 0 || f >= w) throw new MpcError('INVALID_ARGUMENT', `truncate: shift must be in 0..${w - 1}, got ${f}`);
  if (f === 0 || x.length === 0) return x;
  const half = 1n << BigInt(w - 1);
  const bits = await b.decompose(b.addPublic(x, half), w);
  const m = w - f;
  const count = x.length;
  const high = await b.b2a(b.concatBits(Array.from({ length: m }, (_, k) => b.plane(bits, f + k))));
  // element kk·count + j is bit f + kk of element j: reorder j-major, weight, sum per element
  const idx = new Array<number>(count * m);
  const weights = new BigUint64Array(count * m);
  for (let j = 0; j < count; j++) {
    for (let kk = 0; kk < m; kk++) {
      idx[j * m + kk] = kk * count + j;
      weights[j * m + kk] = 1n << BigInt(kk);
    }
  }
  const y = b.sumGroups(b.mulPublic(b.gather(high, idx), weights), m);
  return b.addPublic(y, -(half >> BigInt(f)));
}

/** Shared OR of every element of a one-plane vector (a single element; 0 for an empty vector). */
export async function anyOne(b: Backend, bits: SharedBits): Promise<SharedBits> {
  if (bits.bits !== 1) throw new MpcError('INVALID_ARGUMENT', `anyOne needs one plane, got ${bits.bits}`);
  let cur = bits.count === 0 ? b.constantBits([0]) : bits;
  while (cur.count > 1) {
    const half = cur.count >>> 1;
    const lo = b.gatherBits(cur, Array.from({ length: half }, (_, i) => i));
    const hi = b.gatherBits(cur, Array.from({ length: half }, (_, i) => half + i));
    const both = await b.and(lo, hi);
    const or = b.xorDisjoint(lo, b.xorSubset(hi, both)); // a ∨ b = a ⊕ (b ∧ ¬a)
    cur = cur.count & 1 ? b.concatBits([or, b.gatherBits(cur, [cur.count - 1])]) : or;
  }
  return cur;
}

/**
 * [x < k] for unsigned numbers given as shared bits (x.bits planes, least significant
 * first) against one public k per element (0 ≤ k < 2^x.bits). From the top bit down with
 * e = [the higher bits agree]: z = e ∧ ¬x_i; where k_i = 1, [x < k] gains z and e becomes
 * e ⊕ z (= e ∧ x_i); where k_i = 0, e becomes z. One AND per bit (the events are disjoint,
 * so XOR accumulates the OR), x.bits rounds.
 */
export async function ltPublic(b: Backend, x: SharedBits, k: readonly bigint[]): Promise<SharedBits> {
  if (k.length !== x.count) throw new MpcError('INVALID_ARGUMENT', `ltPublic: ${k.length} constants for ${x.count} elements`);
  let e = b.constantBits(new Uint8Array(x.count).fill(1));
  let lt = b.constantBits(new Uint8Array(x.count));
  for (let i = x.bits - 1; i >= 0; i--) {
    const ki = k.map((v) => Number((v >> BigInt(i)) & 1n));
    const z = await b.and(e, b.not(b.plane(x, i)));
    lt = b.xorDisjoint(lt, b.andPublic(z, ki));
    // k_i = 1: e ⊕ z with z ⊆ e; k_i = 0: z
    e = b.xorDisjoint(b.andPublic(z, ki.map((v) => 1 - v)), b.xorSubset(b.andPublic(e, ki), b.andPublic(z, ki)));
  }
  // k ≥ 2^bits: every x is below
  const over = k.map((v) => (v >> BigInt(x.bits) > 0n ? 1 : 0));
  return over.some(Boolean) ? b.xorDisjoint(b.andPublic(lt, over.map((o) => 1 - o)), b.constantBits(over)) : lt;
}
