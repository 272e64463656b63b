import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MpcError } from '../errors.ts';
import { type PartyId, partyId } from '../session/channel.ts';
import type { MemoryNetwork } from '../session/memory-network.ts';
import { HEADER_BYTES, Protocol, decodeHeader } from '../session/round.ts';
import { runPartiesSettled } from '../session/simulate.ts';
import type { ArithTriples, BitTriples, TripleSource } from '../triples/types.ts';
import { dealerSources } from './dealer.test-helpers.ts';
import { multiply, multiplyMany } from './multiply.ts';
import { PARTY_COUNTS, int64, reconstruct, runWithDealer, shareAll, toU64 } from './protocol.test-helpers.ts';

describe('multiply (Beaver)', () => {
  for (const n of PARTY_COUNTS) {
    it(`equals the plaintext product mod 2^64 for N=${n}`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(int64(), int64()), { minLength: 1, maxLength: 40 }), async (pairs) => {
          const x = toU64(pairs.map((p) => p[0]));
          const y = toU64(pairs.map((p) => p[1]));
          const xs = shareAll(x, n);
          const ys = shareAll(y, n);
          const z = reconstruct(await runWithDealer(n, (s, i, t) => multiply(s, xs[i], ys[i], t)));
          expect(Array.from(z)).toEqual(pairs.map(([a, b]) => BigInt.asUintN(64, a * b)));
        }),
        { numRuns: 15 },
      );
    });
  }

  it('multiplyMany does several products in one round', async () => {
    const n = 3;
    const a = toU64([3n, -4n]);
    const b = toU64([5n]);
    const [as, bs] = [shareAll(a, n), shareAll(b, n)];
    const rounds: number[] = [];
    const out = await runWithDealer(n, async (s, i, t) => {
      const r = await multiplyMany(s, [as[i], bs[i]], [as[i], bs[i]], t);
      rounds.push(s.stats.rounds);
      return r;
    });
    expect(Array.from(reconstruct(out.map((o) => o[0])))).toEqual([9n, 16n]);
    expect(Array.from(reconstruct(out.map((o) => o[1])))).toEqual([25n]);
    expect(rounds).toEqual([1, 1, 1]);
  });

  it('rejects mismatched lengths', async () => {
    const { sources } = dealerSources(2);
    const res = await runPartiesSettled(2, (s, i) => multiply(s, new BigUint64Array(2), new BigUint64Array(3), sources[i]));
    for (const r of res) expect(r.status === 'rejected' && (r.reason as MpcError).code).toBe('INVALID_ARGUMENT');
  });
});

/** χ² statistic of the byte histogram against the uniform distribution (255 degrees of freedom). */
function chiSquareBytes(bytes: Uint8Array): number {
  const hist = new Array<number>(256).fill(0);
  for (const b of bytes) hist[b]++;
  const e = bytes.length / 256;
  return hist.reduce((acc, o) => acc + ((o - e) * (o - e)) / e, 0);
}
// χ²(255): mean 255, sd √510 ≈ 22.6; 400 is ≈ 6.4 sd above the mean (false alarm < 1e-6),
// and the inputs are deterministic for a given seed anyway.
const CHI2_LIMIT = 400;

describe('multiply privacy', () => {
  /** Frames party 1 sends to party 0 during a 3-party multiplication of fixed, structured inputs. */
  async function observedByParty0(source: (self: number) => TripleSource): Promise<Uint8Array> {
    const n = 3;
    const len = 4096;
    // Party 0 holds all of x = 12345 and y = −1; parties 1, 2 hold zero shares, so without
    // masking their messages would be all zeros.
    const x = (i: number): BigUint64Array => new BigUint64Array(len).fill(i === 0 ? 12345n : 0n);
    const y = (i: number): BigUint64Array => new BigUint64Array(len).fill(i === 0 ? BigInt.asUintN(64, -1n) : 0n);
    const seen: Uint8Array[] = [];
    const res = await runPartiesSettled(n, (s, i) => multiply(s, x(i), y(i), source(i)), {
      network: {
        tamper: (f) => {
          if (f.from === 1 && f.to === 0 && decodeHeader(f.bytes).protocol === Protocol.Multiply) seen.push(f.bytes.slice(HEADER_BYTES));
          return undefined;
        },
      },
    });
    expect(res.every((r) => r.status === 'fulfilled')).toBe(true);
    expect(seen.length).toBe(1);
    expect(seen[0].length).toBe(16 * len);
    return seen[0];
  }

  it('the opened d = x − a, e = y − b look uniform to the receiver', async () => {
    const { sources } = dealerSources(3, 2024);
    const payload = await observedByParty0((i) => sources[i]);
    expect(chiSquareBytes(payload)).toBeLessThan(CHI2_LIMIT);
    // every bit position of the 64-bit words is balanced (|ones − n/2| < 6 sd)
    const words = new BigUint64Array(payload.slice().buffer);
    for (let k = 0n; k < 64n; k++) {
      let ones = 0;
      for (const w of words) ones += Number((w >> k) & 1n);
      expect(Math.abs(ones - words.length / 2)).toBeLessThan(6 * Math.sqrt(words.length / 4));
    }
  });

  it('the statistic does catch unmasked messages (negative control: all-zero triples)', async () => {
    const zero: TripleSource = {
      arith: async (count): Promise<ArithTriples> => ({ a: new BigUint64Array(count), b: new BigUint64Array(count), c: new BigUint64Array(count) }),
      bits: async (words): Promise<BitTriples> => ({ a: new Uint32Array(words), b: new Uint32Array(words), c: new Uint32Array(words) }),
    };
    const payload = await observedByParty0(() => zero);
    expect(chiSquareBytes(payload)).toBeGreaterThan(CHI2_LIMIT);
  });
});

describe('multiply faults', () => {
  it('a party dropping between rounds gives PEER_LEFT (blaming it) to the others', async () => {
    const n = 3;
    const { sources } = dealerSources(n);
    const x = shareAll(toU64([5n, 6n]), n);
    let net: MemoryNetwork | undefined;
    const res = await runPartiesSettled(
      n,
      async (s, i) => {
        const z = await multiply(s, x[i], x[i], sources[i]);
        if (i === 2) (net as MemoryNetwork).drop(partyId(2));
        return multiply(s, z, x[i], sources[i]);
      },
      { onNetwork: (m) => (net = m), timeoutMs: 5000 },
    );
    for (const p of [0, 1] as PartyId[]) {
      const r = res[p];
      expect(r.status).toBe('rejected');
      const e = (r as PromiseRejectedResult).reason as MpcError;
      expect(e.code).toBe('PEER_LEFT');
      expect(e.party).toBe(2);
    }
  });
});
