// The strict (SPDZ2k) backend against the backend contract, on checked OT (no dealer).
import { describe } from 'vitest';
import { backendConformance } from '../conformance.test-helpers.ts';
import { createStrictBackend } from './strict.ts';

describe('strict backend', () => {
  backendConformance((s) => createStrictBackend(s), [2, 3], 300_000);
});
