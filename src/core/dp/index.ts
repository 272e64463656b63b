/** Differential privacy inside the MPC (issue 14): accounting, joint noise, private releases. */
export { MAX_COINS_PER_SAMPLE, type NoiseShape, calibrateNoise, noiseCentre, noiseDelta, noiseHalfWidth, noisePmf, noiseVariance } from './accounting.ts';
export { jointNoise } from './noise.ts';
export { MAX_SUM_SHIFT, type ReleasePlan, type ReleaseRequest, addNoise, decodeNoisy, openWithNoise, planRelease } from './release.ts';
export { DEFAULT_DELTA, DP_KINDS, MAX_EPSILON, MIN_GROUP_KINDS, type DpParams, checkDpFields, dpOf } from './params.ts';
