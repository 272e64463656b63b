/**
 * Public surface of preprocessing: the TripleSource the online protocols consume, its
 * OT-based implementation, and the OT layer's tuning knob (SoftSpokenOT k; 1 = IKNP).
 */
export type { ArithTriples, BitTriples, TripleSource } from './types.ts';
export { createTripleSource, type OtTripleSource, type TripleSourceOptions } from './triple-source.ts';
export { DEFAULT_SOFTSPOKEN_K, type SoftSpokenK } from '../ot/ot-setup.ts';
