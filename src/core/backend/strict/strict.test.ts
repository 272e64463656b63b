// The strict (SPDZ2k) backend against the backend contract, on checked OT (no dealer).
import { describe } from 'vitest';
import { backendConformance } from '../conformance.test-helpers.ts';
import { createStrictBackend } from './strict.ts';

describe('strict backend', () => {
  // N = 2 only: N = 3 passes too but takes minutes (every method, 64-bit decompositions included)
  backendConformance((s) => createStrictBackend(s), [2], 600_000);
});
