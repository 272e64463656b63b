// The issue-11 attacks that change an operand inside the MPC (party 2 of 3 runs modified
// code): inconsistent rank operands and a moved threshold. Each
// `fast:` case shows what the attack buys against the semi-honest backend — it goes through,
// no honest party notices, and the deviating party learns a bit of its own choosing about
// an honest value or total; each `strict:` case runs the very same deviation (same class,
// same lanes) on the SPDZ2k backend, where every honest party aborts with "a participant
// deviated from the protocol" before any result. The deviation edits only the deviating
// party's own share (its MAC share is left as is, since it cannot compute a matching one).
import { describe, expect, it } from 'vitest';
import { FastBackend } from '../fast.ts';
import type { Backend, Shared, SharedBits, WidthOption } from '../types.ts';
import { runComputation } from '../../computations/run.ts';
import type { ComputationOutput } from '../../computations/context.ts';
import type { ComputationSpec } from '../../computations/spec.ts';
import type { Session } from '../../session/session.ts';
import { runPartiesSettled } from '../../session/simulate.ts';
import { createTripleSource } from '../../triples/triple-source.ts';
import { StrictBackend } from './strict.ts';
import { expectHonestAbort } from './attacks.test-helpers.ts';

const EVIL = 2;
const BOUNDS = { decimals: 0, lower: '0', upper: '15', length: 1 } as const;
const RANK: ComputationSpec = { kind: 'rank', ...BOUNDS };
const THRESHOLD: ComputationSpec = { kind: 'threshold', ...BOUNDS, threshold: '20' };
const VALUES = [[3n], [5n], [9n]];

/** `x` with δ added to this party's own share of element `lane` (no MAC change). */
function shifted(x: Shared, lane: number, delta: bigint): Shared {
  const o = x as unknown as { v?: BigUint64Array; x?: { v: bigint[]; m: bigint[] } };
  const make = (arg: unknown): Shared => new (x.constructor as new (a: unknown) => Shared)(arg);
  if (o.v) {
    const v = o.v.slice();
    v[lane] += delta; // BigUint64Array wraps mod 2^64
    return make(v);
  }
  const v = [...o.x!.v];
  v[lane] = BigInt.asUintN(128, v[lane] + delta);
  return make({ v, m: o.x!.m });
}

/**
 * Inconsistent rank operands: in rank's left-operand gather (lane i·(N−1) + k compares party
 * i with its k-th other), the deviating party P2 uses `probe` against P0 (lane 4) and the
 * upper bound 15 against P1 (lane 5), instead of its committed 9 in both. Its "rank" is then
 * 1 + [probe < x_0]: a yes/no question about P0's value of its own choosing.
 */
function inconsistentRank<B extends new (...a: never[]) => Backend>(Base: B, probe: bigint) {
  return class extends (Base as unknown as new (...a: unknown[]) => Backend) {
    private gathers = 0;
    override gather(x: Shared, idx: ArrayLike<number>): Shared {
      const out = super.gather(x, idx);
      if (idx.length !== 6 || this.gathers++ > 0) return out; // the first N(N−1)-lane gather: the left operands
      return shifted(shifted(out, 4, probe - 9n), 5, 15n - 9n);
    }
  };
}

/**
 * A shifted comparison operand: P2 adds δ to its own share of lane 0 of every `ltz` (`first`:
 * only the first one). In threshold that operand is X − total, so the threshold moves by δ.
 */
function shiftedLtz<B extends new (...a: never[]) => Backend>(Base: B, delta: bigint, first: boolean) {
  return class extends (Base as unknown as new (...a: unknown[]) => Backend) {
    private calls = 0;
    override ltz(x: Shared, opts?: WidthOption): Promise<SharedBits> {
      return super.ltz(first && this.calls++ > 0 ? x : shifted(x, 0, delta), opts);
    }
  };
}

const fast = (s: Session): Backend => new FastBackend(s, createTripleSource(s));
const strict = (s: Session): Backend => new StrictBackend(s);

async function run(spec: ComputationSpec, make: (s: Session, i: number) => Backend, tamper?: Parameters<typeof runPartiesSettled>[2]) {
  return runPartiesSettled(3, (s, i) => runComputation(make(s, i), spec, { values: VALUES[i] }, VALUES.map((v) => v.length)), { timeoutMs: 600_000, ...tamper });
}

const outputs = (results: PromiseSettledResult<ComputationOutput>[]): ComputationOutput[] =>
  results.map((r, p) => {
    expect(r.status, `party ${p} aborted: the fast attack should go unnoticed`).toBe('fulfilled');
    return (r as PromiseFulfilledResult<ComputationOutput>).value;
  });

describe('operand attacks: strict aborts every honest party, fast lets them through', () => {
  it('fast: inconsistent rank operands tell the deviating party whether P0\u2019s value is above a probe of its choice', { timeout: 600_000 }, async () => {
    // Honestly P2 (value 9, the largest) always gets rank 1. With probes 2 and 4 it learns 2 < x_0 ≤ 4, i.e. x_0 = 3 here.
    const rankWith = async (probe: bigint) => {
      const Evil = inconsistentRank(FastBackend, probe);
      const out = outputs(await run(RANK, (s, i) => (i === EVIL ? new Evil(s, createTripleSource(s)) : fast(s))));
      expect(out[0].rank?.rank, 'the honest parties see nothing wrong').toBe(3);
      return out[EVIL].rank?.rank;
    };
    expect(await rankWith(2n)).toBe(2); // [2 < x_0] = 1
    expect(await rankWith(4n)).toBe(1); // [4 < x_0] = 0
  });
  it('strict: the same inconsistent rank operands abort every honest party', { timeout: 600_000 }, async () => {
    const Evil = inconsistentRank(StrictBackend, 2n);
    expectHonestAbort(await run(RANK, (s, i) => (i === EVIL ? new Evil(s) : strict(s))));
  });

  it('fast: a moved threshold answers "is the total above 10?" instead of the declared 20', { timeout: 600_000 }, async () => {
    const honest = outputs(await run(THRESHOLD, fast));
    const Evil = shiftedLtz(FastBackend, -10n, true);
    const moved = outputs(await run(THRESHOLD, (s, i) => (i === EVIL ? new Evil(s, createTripleSource(s)) : fast(s))));
    expect(honest[0].above).toBe(false); // 17 > 20 is false
    expect(moved[0].above).toBe(true); // 17 > 10: the honest parties accept it
  });
  it('strict: the same moved threshold aborts every honest party', { timeout: 600_000 }, async () => {
    const Evil = shiftedLtz(StrictBackend, -10n, true);
    expectHonestAbort(await run(THRESHOLD, (s, i) => (i === EVIL ? new Evil(s) : strict(s))));
  });
});
