// Inputs outside the declared bounds are caught inside the MPC: every party fails with
// INPUT_OUT_OF_RANGE "some input was out of range", and nothing but the range check's
// secure sum (and the pairwise seeds it needs) ever went over the wire.
import { describe, expect, it } from 'vitest';
import { Protocol, decodeHeader } from '../session/round.ts';
import { runParties, runPartiesSettled } from '../session/simulate.ts';
import { createTripleSource } from '../triples/triple-source.ts';
import { OUT_OF_RANGE_MESSAGE, createFastBackend, secureAny } from '../backend/fast.ts';
import { type ComputationInput, runComputation } from './run.ts';
import type { ComputationSpec } from './spec.ts';

const BASE = { decimals: 2, lower: '-10', upper: '10', length: 3 } as const;

async function runWithBadInput(spec: ComputationSpec, inputs: ComputationInput[]): Promise<{ results: PromiseSettledResult<unknown>[]; protocols: Set<number> }> {
  const protocols = new Set<number>();
  const results = await runPartiesSettled(
    inputs.length,
    (s, i) => runComputation(createFastBackend(s, createTripleSource(s)), spec, inputs[i], inputs.map((x) => x.values.length)),
    {
      timeoutMs: 20_000,
      network: {
        tamper: (f) => {
          protocols.add(decodeHeader(f.bytes).protocol);
          return undefined;
        },
      },
    },
  );
  return { results, protocols };
}

function expectOnlyOutOfRange(results: PromiseSettledResult<unknown>[], protocols: Set<number>): void {
  for (const r of results) {
    expect(r.status).toBe('rejected');
    const e = (r as PromiseRejectedResult).reason as { code: string; message: string };
    expect(e.code).toBe('INPUT_OUT_OF_RANGE');
    expect(e.message).toContain(OUT_OF_RANGE_MESSAGE);
  }
  // Only the range check's traffic (and abort notices, and the input sharing of values
  // committed before a bad weight was caught): no comparison, triple or opening.
  for (const p of protocols) expect([Protocol.Control, Protocol.Sum, Protocol.PairwiseSeeds, Protocol.Share]).toContain(p);
  expect(protocols.has(Protocol.Sum)).toBe(true);
}

describe('range check inside the MPC', () => {
  const kinds: ComputationSpec[] = [
    { ...BASE, kind: 'median' },
    { ...BASE, kind: 'sum', length: 1 },
    { ...BASE, kind: 'rank', length: 1 },
    { ...BASE, kind: 'threshold', threshold: '0' },
  ];
  for (const spec of kinds) {
    for (const n of [2, 3, 5]) {
      it(`${spec.kind}, N=${n}: one value just above upper aborts everyone, revealing one bit`, async () => {
        const inputs = Array.from({ length: n }, (_, i) => ({ values: [i === n - 1 ? 1001n : -1000n] }));
        const { results, protocols } = await runWithBadInput(spec, inputs);
        expectOnlyOutOfRange(results, protocols);
      });
    }
  }

  it('catches values below lower, beyond 64 bits, and bad weights', async () => {
    for (const [spec, bad] of [
      [{ ...BASE, kind: 'min' }, { values: [-1001n] }],
      [{ ...BASE, kind: 'max' }, { values: [1n << 70n] }],
      [{ ...BASE, kind: 'weighted-mean', maxWeight: '5' }, { values: [1n], weights: [0n] }],
      [{ ...BASE, kind: 'weighted-mean', maxWeight: '5' }, { values: [1n], weights: [501n] }],
    ] as [ComputationSpec, ComputationInput][]) {
      const good: ComputationInput = { values: [0n], weights: [1n] };
      const { results, protocols } = await runWithBadInput(spec, [good, bad, good]);
      expectOnlyOutOfRange(results, protocols);
    }
  });

  it('accepts values exactly at the bounds', async () => {
    const spec: ComputationSpec = { ...BASE, kind: 'sum', length: 1 };
    const out = await runParties(3, (s, i) => runComputation(createFastBackend(s, createTripleSource(s)), spec, { values: [[-1000n], [1000n], [1000n]][i] }, [1, 1, 1]));
    expect(out.map((o) => o.value)).toEqual(['10.00', '10.00', '10.00']);
  });

  it('secureAny is the OR of the flags', async () => {
    for (const flags of [[false, false, false], [true, false, false], [false, true, true], [true, true, true]]) {
      const out = await runParties(3, (s, i) => secureAny(s, flags[i]));
      expect(out).toEqual(flags.map(() => flags.some(Boolean)));
    }
  });
});

describe('public parameters are checked before any traffic', () => {
  it('rejects counts that do not match the spec', async () => {
    const spec: ComputationSpec = { ...BASE, kind: 'sum', length: 2 };
    const results = await runPartiesSettled(2, (s, i) => runComputation(createFastBackend(s, createTripleSource(s)), spec, { values: [[1n, 2n], [1n]][i] }, [2, 1]));
    for (const r of results) expect(((r as PromiseRejectedResult).reason as { code: string }).code).toBe('INVALID_ARGUMENT');
  });

  it('rejects rank with more than one value per party', async () => {
    const spec: ComputationSpec = { ...BASE, kind: 'rank', length: 1 };
    const results = await runPartiesSettled(2, (s) => runComputation(createFastBackend(s, createTripleSource(s)), spec, { values: [1n, 2n] }, [2, 2]));
    for (const r of results) expect(((r as PromiseRejectedResult).reason as { code: string }).code).toBe('INVALID_ARGUMENT');
  });

  it('rejects sums that could wrap before any traffic', async () => {
    const spec: ComputationSpec = { kind: 'sum', decimals: 0, lower: '0', upper: '4611686018427387000', length: 1 };
    const results = await runPartiesSettled(3, (s) => runComputation(createFastBackend(s, createTripleSource(s)), spec, { values: [0n] }, [1, 1, 1]));
    for (const r of results) expect(((r as PromiseRejectedResult).reason as { code: string }).code).toBe('INVALID_ARGUMENT');
  });

  it('rejects statistics whose sums could wrap', async () => {
    const spec: ComputationSpec = { kind: 'stats', decimals: 6, lower: '-4000000000', upper: '4000000000', length: 10 };
    const results = await runPartiesSettled(2, (s) => runComputation(createFastBackend(s, createTripleSource(s)), spec, { values: [0n] }, [1, 1]));
    for (const r of results) expect(((r as PromiseRejectedResult).reason as { message: string }).message).toMatch(/too wide/);
  });
});
