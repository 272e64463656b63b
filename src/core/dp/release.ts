/**
 * A differentially private release of shared values: the one function computations (sum,
 * mean, histogram here; tables and models for their outputs) call instead of `open`.
 *
 *   const plan = planRelease({ epsilon, delta, sensitivity, coordinates, bound }, x.length);
 *   const noisy = await openWithNoise(b, x, plan);   // bigint[] in x's units
 *   // plan.halfWidth: the 95 % interval is noisy ± halfWidth (x's units)
 *
 * - `sensitivity`: how far one record can move one coordinate of x (x's scaled units,
 *   replace-one neighbours); `coordinates`: how many coordinates one record can move
 *   (basic composition splits ε and δ evenly; accounting.ts).
 * - Large sensitivities are first coarsened inside the MPC: y = ⌊x / 2^f⌋ (exact
 *   truncation, `Backend.truncate`) with f the least such that ⌊Δ/2^f⌋ + 1 ≤ MAX_SHIFT,
 *   so the noise works on a small integer shift; the result is reported at the centre of
 *   its 2^f-wide bin, and the interval includes that rounding.
 * - `bound`: public |x| ≤ bound (from the declared input bounds), for the truncation's
 *   width promise.
 * The noise (noise.ts) is added to the shared value and only the sum is opened: nobody sees
 * x or the noise alone.
 *
 * Mechanism and accounting: accounting.ts (sum of uniform integers from jointly generated
 * coins, the binomial mechanism of Dwork et al. 2006 being w = 1; exact hockey-stick (ε, δ)).
 */
import { MpcError } from '../errors.ts';
import type { Backend, Shared } from '../backend/types.ts';
import { type NoiseShape, calibrateNoise, noiseHalfWidth, perCoordinate } from './accounting.ts';
import { jointNoise } from './noise.ts';

/** The largest shift (in noise units) a sum is coarsened to before noise is added. */
export const MAX_SUM_SHIFT = 4;

export interface ReleaseRequest {
  epsilon: number;
  delta: number;
  /** Per coordinate, in x's scaled units (≥ 1). */
  sensitivity: bigint;
  /** How many coordinates one record can move (≥ 1). */
  coordinates: number;
  /** Public |x| ≤ bound for every coordinate. */
  bound: bigint;
}

export interface ReleasePlan {
  readonly length: number;
  /** Coarsening: noise is added to ⌊x / 2^f⌋. */
  readonly f: number;
  readonly shift: number;
  readonly shape: NoiseShape;
  /** 95 % interval half-width in x's units (noise and rounding). */
  readonly halfWidth: bigint;
  readonly width: number;
  readonly epsilon: number;
  readonly delta: number;
}

const bitLength = (v: bigint): number => (v <= 0n ? 0 : v.toString(2).length);

/** Public and deterministic: every party derives the same plan from the same spec. */
export function planRelease(req: ReleaseRequest, length: number): ReleasePlan {
  const { sensitivity, coordinates, bound } = req;
  if (sensitivity < 1n || !Number.isInteger(coordinates) || coordinates < 1 || bound < 0n || !Number.isInteger(length) || length < 1) {
    throw new MpcError('INVALID_ARGUMENT', `a private release needs sensitivity ≥ 1, coordinates ≥ 1, bound ≥ 0 and at least one value; got ${sensitivity}, ${coordinates}, ${bound}, ${length}`);
  }
  let f = 0;
  let shift = sensitivity;
  if (sensitivity > BigInt(MAX_SUM_SHIFT)) {
    while ((sensitivity >> BigInt(f)) + 1n > BigInt(MAX_SUM_SHIFT)) f++;
    shift = (sensitivity >> BigInt(f)) + 1n;
  }
  const { epsilon, delta } = perCoordinate(req.epsilon, req.delta, coordinates);
  let shape: NoiseShape;
  try {
    shape = calibrateNoise(epsilon, delta, Number(shift));
  } catch (e) {
    throw new MpcError('INVALID_ARGUMENT', e instanceof Error ? e.message : String(e));
  }
  const step = 1n << BigInt(f);
  const halfWidth = BigInt(noiseHalfWidth(shape)) * step + (f > 0 ? step / 2n : 0n);
  const width = bitLength(bound) + 2 + 1;
  if (width + 12 > 64) throw new MpcError('INVALID_ARGUMENT', 'the values are too large for a private release');
  return { length, f, shift: Number(shift), shape, halfWidth, width, epsilon: req.epsilon, delta: req.delta };
}

/** Collective. ⌊x / 2^f⌋ + Z as shares (Z from `jointNoise`), for callers that compare before opening. */
export async function addNoise(b: Backend, x: Shared, plan: ReleasePlan): Promise<Shared> {
  if (x.length !== plan.length) throw new MpcError('INVALID_ARGUMENT', `release planned for ${plan.length} values, got ${x.length}`);
  const coarse = plan.f > 0 ? await b.truncate(x, plan.f, { width: plan.width }) : x;
  return b.add(coarse, await jointNoise(b, plan.length, plan.shape));
}

/** The opened ⌊x/2^f⌋ + Z back in x's units (bin centre when coarsened). */
export function decodeNoisy(plan: ReleasePlan, opened: ArrayLike<bigint>): bigint[] {
  const step = 1n << BigInt(plan.f);
  const half = plan.f > 0 ? step / 2n : 0n;
  return Array.from(opened, (u) => BigInt.asIntN(64, u) * step + half);
}

/** Collective. Open x with noise added inside the MPC; nothing else is revealed. */
export async function openWithNoise(b: Backend, x: Shared, plan: ReleasePlan): Promise<bigint[]> {
  return decodeNoisy(plan, await b.open(await addNoise(b, x, plan)));
}
