/**
 * Differential-privacy noise generated inside the MPC, so that no coalition of up to N−1
 * participants knows it (issue 14): never "each party adds its own noise", which the others
 * of a coalition could subtract.
 *
 * Coins. `Backend.randomBooleanBits` gives uniformly random XOR-shared coins nobody knows:
 * in fast mode every party's share is its own random bits, so the XOR is uniform and
 * independent of the view of any coalition that misses one honest party (one uniform
 * share masks the rest: a one-time pad over GF(2)); in strict mode the coins are
 * authenticated random bits (every party's bit is committed with a MAC before the XOR), so
 * a malicious party can bias no coin. Nobody ever holds a coin in the clear, and no coin
 * is converted to the arithmetic world one by one (that would cost N−1 arithmetic triples
 * per coin).
 *
 * Noise. Sample i is Z_i = Σ_{t<k} U_{i,t} − μ with U_{i,t} = Σ_{j<w} 2^j·coin(i,j,t), a
 * uniform w-bit integer (accounting.ts: for w = 1 the binomial mechanism of Dwork,
 * Kenthapadi, McSherry, Mironov, Naor, EUROCRYPT 2006). Its arithmetic sharing comes from
 * `countOnes` (a popcount in the boolean world, then only its few result bits converted),
 * in one of two layouts, whichever the cost model below says is cheaper (public and
 * deterministic, so every party picks the same):
 * - per weight: one popcount of k coins per (sample, weight), Z_i = Σ_j 2^j·C_{i,j} − μ
 *   (a local linear map): k·w AND gates and w·⌈log₂(k+1)⌉ converted bits per sample;
 * - duplicated: coin (i, j, t) appears 2^j times in one group of M = k·(2^w − 1) bits, so
 *   one popcount is U-weighted already: about M AND gates but only ⌈log₂(M+1)⌉ converted
 *   bits per sample. A conversion costs N−1 arithmetic triples, each about
 *   `ARITH_PER_AND` AND triples of preprocessing (DESIGN §3), so this wins for w ≥ 2.
 *
 * Cost per sample: no round for the coins (fast), one popcount layer stack and one b2a
 * whatever the number of samples (bench/cases/dp.ts).
 *
 * Security: that of the backend (types.ts); the noise is only ever opened added to the
 * value it protects (release.ts), never alone.
 */
import { MpcError } from '../errors.ts';
import type { Backend, Shared } from '../backend/types.ts';
import { type NoiseShape, noiseCentre } from './accounting.ts';

/**
 * Preprocessing cost of one arithmetic triple in AND triples (DESIGN §3 per peer:
 * 64·128/k + 2080 bits vs 128/k + 1 bits with SoftSpokenOT k = 2): only used to choose a
 * layout, so a rough ratio is enough.
 */
export const ARITH_PER_AND = 95;

const bitLength = (v: number): number => v.toString(2).length;

/** Whether the duplicated layout is the cheaper one for this shape with n parties. */
export function duplicatedLayout(shape: NoiseShape, n: number): boolean {
  const { w, k } = shape;
  if (w === 1) return false; // the same circuit
  const perWeight = k * w + w * bitLength(k) * (n - 1) * ARITH_PER_AND;
  const m = k * (2 ** w - 1);
  return m + bitLength(m) * (n - 1) * ARITH_PER_AND < perWeight;
}

/**
 * Collective. `samples` independent centred noise values of `shape`, as arithmetic shares
 * unknown to any N−1 parties. Every party calls it with the same arguments.
 */
export async function jointNoise(b: Backend, samples: number, shape: NoiseShape): Promise<Shared> {
  const { w, k } = shape;
  if (!Number.isInteger(samples) || samples < 1) throw new MpcError('INVALID_ARGUMENT', `jointNoise needs at least one sample, got ${samples}`);
  if (!Number.isInteger(w) || w < 1 || w > 16 || !Number.isInteger(k) || k < 2 || k % 2 !== 0) {
    throw new MpcError('INVALID_ARGUMENT', `noise shape must have 1 ≤ w ≤ 16 and an even k ≥ 2, got w=${w}, k=${k}`);
  }
  // 1. k·w coins per sample; coin (i, j, t) at (i·w + j)·k + t
  const coins = await b.randomBooleanBits(samples * w * k);
  const centre = BigInt.asUintN(64, -BigInt(noiseCentre(shape)));
  if (duplicatedLayout(shape, b.n)) {
    // 2a. one group of k·(2^w − 1) bits per sample: coin (i, j, t) repeated 2^j times
    const m = k * (2 ** w - 1);
    const idx = new Uint32Array(samples * m);
    let at = 0;
    for (let i = 0; i < samples; i++) {
      for (let j = 0; j < w; j++) {
        for (let t = 0; t < k; t++) {
          idx.fill((i * w + j) * k + t, at, at + 2 ** j);
          at += 2 ** j;
        }
      }
    }
    return b.addPublic(await b.countOnes(b.gatherBits(coins, idx), m), centre);
  }
  // 2b. C_{i,j} = popcount of the k coins of weight j, then Z_i = Σ_j 2^j·C_{i,j} − μ
  const counts = await b.countOnes(coins, k);
  const weights = new BigUint64Array(samples * w);
  for (let i = 0; i < weights.length; i++) weights[i] = 1n << BigInt(i % w);
  return b.addPublic(b.sumGroups(b.mulPublic(counts, weights), w), centre);
}
