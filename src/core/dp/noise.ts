/**
 * Differential-privacy noise generated inside the MPC, so that no coalition of up to N−1
 * participants knows it (issue 14): never "each party adds its own noise", which the others
 * of a coalition could subtract.
 *
 * Coins. Every party commits ⌈coins/64⌉ uniformly random 64-bit words through
 * `Backend.input`; their sum R mod 2^64 is uniform and independent of the view of any
 * coalition that misses one honest party (one uniform summand masks the rest: a one-time
 * pad over Z_2^64). `decompose(R, 64)` turns every word into 64 XOR-shared coins; nobody
 * ever holds a coin in the clear. In strict mode the words are committed with MACs and the
 * decomposition is checked like every other operation, so a malicious party can bias no
 * coin (it commits its word before anything depends on it and cannot change it afterwards).
 *
 * Noise. Sample i is Z_i = Σ_{t<k} U_{i,t} − μ with U_{i,t} = Σ_{j<w} 2^j·coin(i,j,t), a
 * uniform w-bit integer (accounting.ts: for w = 1 the binomial mechanism of Dwork,
 * Kenthapadi, McSherry, Mironov, Naor, EUROCRYPT 2006). Its arithmetic sharing comes from
 * `countOnes` over the k coins of each weight j (popcount in the boolean world, then only
 * the few count bits converted): Z_i = Σ_j 2^j·C_{i,j} − μ, a local linear map.
 *
 * Cost per sample: k·w coins, i.e. ⌈k·w/64⌉ committed words per party, one 64-bit
 * decomposition per word and one popcount over k·w bits; three batched layers whatever
 * the number of samples (bench/cases/dp.ts).
 *
 * Security: that of the backend (types.ts); the noise is only ever opened added to the
 * value it protects (release.ts), never alone.
 */
import { MpcError } from '../errors.ts';
import { randomU64 } from '../random.ts';
import type { Backend, Shared } from '../backend/types.ts';
import { type NoiseShape, noiseCentre } from './accounting.ts';

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
  const coins = samples * w * k;
  const words = Math.ceil(coins / 64);
  // 1. every party commits its random words; R = Σ_p r_p is uniform to any coalition of N−1
  const mine = Array.from(randomU64(words), (u) => BigInt.asIntN(64, u));
  const committed = await b.input(new Array<number>(b.n).fill(words), mine);
  const r = committed.reduce((acc, x) => b.add(acc, x));
  // 2. R's bits as XOR-shared coins; coin c = bit (c mod 64) of word ⌊c/64⌋
  const bits = await b.decompose(r, 64);
  const flat = b.concatBits(Array.from({ length: 64 }, (_, j) => b.plane(bits, j))); // index j·words + word
  // 3. group the coins by (sample, weight): k coins per group, counted in one layer
  const idx = new Uint32Array(coins);
  for (let c = 0; c < coins; c++) idx[c] = (c % 64) * words + Math.floor(c / 64);
  const counts = await b.countOnes(b.gatherBits(flat, idx), k); // C_{i,j} at i·w + j
  const weights = new BigUint64Array(samples * w);
  for (let i = 0; i < weights.length; i++) weights[i] = 1n << BigInt(i % w);
  const z = b.sumGroups(b.mulPublic(counts, weights), w);
  return b.addPublic(z, BigInt.asUintN(64, -BigInt(noiseCentre(shape))));
}
