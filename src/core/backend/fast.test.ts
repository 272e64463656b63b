// The fast (semi-honest) backend against the backend contract, on OT-generated triples.
import { describe } from 'vitest';
import { createTripleSource } from '../triples/triple-source.ts';
import { backendConformance } from './conformance.test-helpers.ts';
import { createFastBackend } from './fast.ts';

describe('fast backend', () => {
  backendConformance((s) => createFastBackend(s, createTripleSource(s)));
});
