// The issue-11 attack suite: a participant running modified code (party 2 of 3). Against
// the strict backend every honest party aborts with "a participant deviated from the
// protocol" and returns no result; against the fast (semi-honest) backend the same attack
// goes through silently — each `fast:` test shows the vulnerability the strict test closes.
// (The OT-extension receiver learning Δ is attacked in src/core/ot/ot-attack.test.ts.)
import { describe, expect, it } from 'vitest';
import { FastBackend } from '../fast.ts';
import { DEVIATION_MESSAGE, type Backend, type InputBounds } from '../types.ts';
import { oracle } from '../../computations/oracle.test-helpers.ts';
import { runComputation } from '../../computations/run.ts';
import type { ComputationSpec } from '../../computations/spec.ts';
import { decodeHeader, Protocol } from '../../session/round.ts';
import type { Session } from '../../session/session.ts';
import { runPartiesSettled } from '../../session/simulate.ts';
import { createTripleSource } from '../../triples/triple-source.ts';
import type { TripleSource } from '../../triples/types.ts';
import { StrictBackend } from './strict.ts';
import { expectHonestAbort } from './attacks.test-helpers.ts';

const SUM: ComputationSpec = { kind: 'sum', decimals: 0, lower: '0', upper: '15', length: 1 };
const STATS: ComputationSpec = { kind: 'stats', decimals: 0, lower: '0', upper: '15', length: 1 };
const MEDIAN: ComputationSpec = { kind: 'median', decimals: 0, lower: '0', upper: '15', length: 1 };
const VALUES = [[3n], [5n], [9n]];
const EVIL = 2;

class AddsToShares extends StrictBackend {
  protected override sharesToSend(v: readonly bigint[]): readonly bigint[] {
    return v.map((x, i) => (i === 0 ? x + 1n : x));
  }
}
class WrongMac extends StrictBackend {
  protected override macShareToSend(sigma: bigint): bigint {
    return sigma + 1n;
  }
}
class CorruptTriple extends StrictBackend {
  protected override tripleShares(t: { a: bigint[]; ah: bigint[]; b: bigint[]; c: bigint[]; ch: bigint[] }): typeof t {
    return { ...t, c: t.c.map((x, i) => (i === 0 ? x + 1n : x)) };
  }
}
class ForgedFlagStrict extends StrictBackend {
  protected override outOfRange(): boolean {
    return false;
  }
}
class ForgedFlagFast extends FastBackend {
  protected override outOfRange(_mine: readonly bigint[], _bounds: InputBounds): boolean {
    return false;
  }
}

async function run(spec: ComputationSpec, values: bigint[][], make: (s: Session, i: number) => Backend, tamper?: Parameters<typeof runPartiesSettled>[2]) {
  return runPartiesSettled(3, (s, i) => runComputation(make(s, i), spec, { values: values[i] }, values.map((v) => v.length)), { timeoutMs: 600_000, ...tamper });
}

const honestOutputs = (results: PromiseSettledResult<unknown>[]) => [0, 1].map((p) => (results[p] as PromiseFulfilledResult<{ value?: unknown; stats?: unknown }>).value);

describe('attacks against strict mode abort every honest party (and succeed against fast mode)', () => {
  it('strict: an additive error on a share at every opening', { timeout: 600_000 }, async () => {
    expectHonestAbort(await run(SUM, VALUES, (s, i) => (i === EVIL ? new AddsToShares(s) : new StrictBackend(s))));
  });
  it('fast: the same additive error shifts the sum silently', { timeout: 600_000 }, async () => {
    const tamper = {
      network: {
        tamper: (f: { from: number; bytes: Uint8Array }) => {
          if (f.from !== EVIL || decodeHeader(f.bytes).protocol !== Protocol.Open) return undefined;
          const b = f.bytes.slice();
          b[8] += 1; // +1 on the low byte of the first opened share
          return [b];
        },
      },
    };
    const out = honestOutputs(await run(SUM, VALUES, (s) => new FastBackend(s, createTripleSource(s)), tamper));
    for (const o of out) expect(o.value).toBe('18'); // 3 + 5 + 9 = 17
  });

  it('strict: a wrong MAC share in the MAC check', { timeout: 600_000 }, async () => {
    expectHonestAbort(await run(SUM, VALUES, (s, i) => (i === EVIL ? new WrongMac(s) : new StrictBackend(s))));
  });

  it('strict: a corrupted triple (c ≠ a·b) is caught by the sacrifice', { timeout: 600_000 }, async () => {
    expectHonestAbort(await run(STATS, VALUES, (s, i) => (i === EVIL ? new CorruptTriple(s) : new StrictBackend(s))));
  });
  it('fast: a corrupted triple changes the statistics silently', { timeout: 600_000 }, async () => {
    const corrupt = (t: TripleSource): TripleSource => ({
      arith: async (n) => {
        const x = await t.arith(n);
        if (x.c.length > 0) x.c[0] += 1n;
        return x;
      },
      bits: (w) => t.bits(w),
    });
    const results = await run(STATS, VALUES, (s, i) => new FastBackend(s, i === EVIL ? corrupt(createTripleSource(s)) : createTripleSource(s)));
    const right = oracle({ spec: STATS, values: VALUES }, 0).stats?.variance;
    expect(right).toBe('6.22'); // 56/9
    for (const o of honestOutputs(results)) expect((o.stats as { variance: string }).variance).not.toBe(right);
  });

  it('strict: an out-of-range input with a forged range flag', { timeout: 600_000 }, async () => {
    const bad = [[3n], [5n], [99n]];
    expectHonestAbort(await run(SUM, bad, (s, i) => (i === EVIL ? new ForgedFlagStrict(s) : new StrictBackend(s))));
  });
  it('fast: the forged flag lets the out-of-range value into the sum', { timeout: 600_000 }, async () => {
    const bad = [[3n], [5n], [99n]];
    const out = honestOutputs(await run(SUM, bad, (s, i) => (i === EVIL ? new ForgedFlagFast(s, createTripleSource(s)) : new FastBackend(s, createTripleSource(s)))));
    for (const o of out) expect(o.value).toBe('107');
  });

  it('strict: shifted shares in the order-statistics search (the shifted-count attack)', { timeout: 600_000 }, async () => {
    expectHonestAbort(await run(MEDIAN, VALUES, (s, i) => (i === EVIL ? new AddsToShares(s) : new StrictBackend(s))));
  });
});

// A party that commits a non-bit as its share of the random bits behind every
// decomposition (ltz, lt, eq, truncate and the search). Before the r² − r check the
// honest parties got wrong bits of their own value without any abort.
class NonBitContribution extends StrictBackend {
  protected override randomBitContribution(count: number): bigint[] {
    return new Array<bigint>(count).fill(2n);
  }
}
describe('random bits: a committed non-bit contribution', () => {
  it('strict: every honest party aborts before a wrong decomposition is used', { timeout: 600_000 }, async () => {
    const results = await runPartiesSettled(
      3,
      async (s, i) => {
        const b = i === EVIL ? new NonBitContribution(s) : new StrictBackend(s);
        const [x] = await b.input([1, 0, 0], i === 0 ? [5n] : [], { lower: 0n, upper: 15n });
        const bits = await b.decompose(x, 4);
        const planes = await Promise.all([0, 1, 2, 3].map((k) => b.b2a(b.plane(bits, k))));
        const recomposed = b.sumGroups(b.mulPublic(b.concat(planes), BigUint64Array.from([1n, 2n, 4n, 8n])), 4);
        return (await b.open(recomposed))[0];
      },
      { timeoutMs: 600_000 },
    );
    expectHonestAbort(results);
  });
});

// An error of high 2-adic valuation in a triple: c + 2^63 flips only the top bit of the
// product mod 2^64. A sacrifice that checks t·c − ĉ − ρ·b ≡ 0 only mod 2^64 lets it through
// whenever the coin-tossed t is even (probability 1/2 per run, so ROUNDS runs all abort on
// such code with probability 2^−ROUNDS ≈ 0.1%); the mod-2^128 check catches it except with
// probability ≈ 2^−57 (triples.ts, step 3).
class HighValuationTriple extends StrictBackend {
  protected override tripleShares(t: { a: bigint[]; ah: bigint[]; b: bigint[]; c: bigint[]; ch: bigint[] }): typeof t {
    return { ...t, c: t.c.map((x, i) => (i === 0 ? x + (1n << 63n) : x)) };
  }
}
describe('triples: an error of 2-adic valuation 63 in c', () => {
  const ROUNDS = 10;
  it(`strict: every honest party aborts in each of ${ROUNDS} runs (never accepts x·y + 2^63)`, { timeout: 600_000 }, async () => {
    const accepted: bigint[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const results = await runPartiesSettled(
        2,
        async (s, i) => {
          const b = i === 1 ? new HighValuationTriple(s) : new StrictBackend(s);
          const [x, y] = await b.input([1, 1], [i === 0 ? 6n : 7n]);
          return (await b.open(await b.mul(x, y)))[0];
        },
        { timeoutMs: 600_000 },
      );
      const honest = results[0];
      if (honest.status === 'fulfilled') accepted.push(honest.value);
      else expect((honest.reason as { message: string }).message).toContain(DEVIATION_MESSAGE);
    }
    expect(accepted, 'an honest party accepted a product with a flipped top bit').toEqual([]);
  });
});
