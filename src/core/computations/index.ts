/**
 * Public surface of the computations people come for (issue 4): the spec and its
 * validator, the plain-words output description, input parsing, and one entry point
 * `runComputation` for the worker. Pure TypeScript over a Session and a TripleSource.
 */
export {
  COMPUTATION_KINDS,
  type ComputationKind,
  type ComputationSpec,
  type ScaledSpec,
  type SpecResult,
  SPEC_MAX_DECIMALS,
  MAX_EDGES,
  MAX_PARTIES,
  MAX_VALUES_PER_PARTY,
  VECTOR_KINDS,
  parseComputationSpec,
  protectionOf,
  scaleSpec,
} from './spec.ts';
export { type OutputDescription, describeOutput } from './describe.ts';
export { parseInputs } from './inputs.ts';
export { type ComputationInput, type RunOptions, runComputation } from './run.ts';
export type { ComputationOutput } from './context.ts';
export { OUT_OF_RANGE_MESSAGE } from '../backend/fast.ts';
export { EXTRA_DECIMALS } from './rounding.ts';
export { DEFAULT_RADIX_BITS, type SearchOptions } from './search.ts';
