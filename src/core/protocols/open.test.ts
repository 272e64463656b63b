import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { MpcError } from '../errors.ts';
import { partyId } from '../session/channel.ts';
import { runParties, runPartiesSettled } from '../session/simulate.ts';
import { sliceBits, unsliceBits } from './bit-shares.ts';
import { open, openBits, openBitsTo, openTo } from './open.ts';
import { PARTY_COUNTS, int64, shareAll, toU64 } from './protocol.test-helpers.ts';

describe('open', () => {
  for (const n of PARTY_COUNTS) {
    it(`opens to all and to one party (N=${n})`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(int64(), { maxLength: 30 }), fc.nat(n - 1), async (vals, owner) => {
          const x = toU64(vals);
          const xs = shareAll(x, n);
          const out = await runParties(n, async (s, i) => [await open(s, xs[i]), await openTo(s, partyId(owner), xs[i])] as const);
          for (let i = 0; i < n; i++) {
            expect(Array.from(out[i][0])).toEqual(Array.from(x));
            if (i === owner) expect(Array.from(out[i][1] as BigUint64Array)).toEqual(Array.from(x));
            else expect(out[i][1]).toBeNull();
          }
        }),
        { numRuns: 10 },
      );
    });
  }

  it('opens XOR-shared bits to all and to one party', async () => {
    const bits = [1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 1, 0, 0, 0, 1, 1, 0, 1, 0, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 0, 1, 0, 1, 1];
    const n = 3;
    const r1 = bits.map(() => Math.round(Math.random()));
    const r2 = bits.map(() => Math.round(Math.random()));
    const shares = [bits.map((b, j) => b ^ r1[j] ^ r2[j]), r1, r2].map(sliceBits);
    const out = await runParties(n, async (s, i) => [await openBits(s, shares[i]), await openBitsTo(s, partyId(2), shares[i])] as const);
    for (let i = 0; i < n; i++) {
      expect(Array.from(unsliceBits(out[i][0]))).toEqual(bits);
      if (i === 2) expect(Array.from(unsliceBits(out[i][1]!))).toEqual(bits);
      else expect(out[i][1]).toBeNull();
    }
  });

  it('a peer sending the wrong length is MALFORMED_MESSAGE blaming it', async () => {
    const res = await runPartiesSettled(3, (s, i) => open(s, new BigUint64Array(i === 1 ? 3 : 4)));
    for (const p of [0, 2]) {
      expect(res[p].status).toBe('rejected');
      const e = (res[p] as PromiseRejectedResult).reason as MpcError;
      expect(e.code).toBe('MALFORMED_MESSAGE');
      expect(e.party).toBe(1);
    }
  });

  it('rejects an owner outside the roster', async () => {
    const res = await runPartiesSettled(2, (s) => openTo(s, partyId(5), new BigUint64Array(1)));
    expect(res.map((r) => r.status === 'rejected' && (r.reason as MpcError).code)).toEqual(['INVALID_ARGUMENT', 'INVALID_ARGUMENT']);
  });
});
