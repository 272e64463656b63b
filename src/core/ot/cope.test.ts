import { describe, expect, it } from 'vitest';
import { randomBytes } from '../random.ts';
import type { PartyId } from '../session/channel.ts';
import { runParties } from '../session/simulate.ts';
import { COPE_BYTES_PER_VALUE, copeAll, fromBigInts, macShares, setupCope, toBigInts, type CopeShares } from './cope.ts';
import { setupOt } from './ot-setup.ts';

/** The simulation runs every party's base OTs in one thread: under CI load a round can wait minutes. */
const SLOW = { timeoutMs: 600_000 };

const MOD = 1n << 128n;
const rand128 = (): bigint => BigInt('0x' + Buffer.from(randomBytes(16)).toString('hex'));

describe('COPE over Z_2^128 (SPDZ2k MAC correlations)', { timeout: 300_000 }, () => {
  it('N=3: every ordered pair gets additive shares of α_A·x_X; MAC shares sum to (Σα)(Σx); fresh per call', async () => {
    const n = 5;
    const xs = [0, 1, 2].map(() => [0n, 1n, MOD - 1n, rand128(), rand128()]);
    const sent: number[] = [];
    const outs = await runParties(3, async (s, me) => {
      const ot = await setupOt(s, { k: 2, security: 'malicious' });
      const cope = await setupCope(s, ot);
      const x = fromBigInts(xs[me]);
      const before = s.stats.sent[s.others[0]];
      const first = await copeAll(s, cope, x, n);
      sent.push(s.stats.sent[s.others[0]] - before);
      const second = await copeAll(s, cope, x, n);
      return { alpha: cope.alpha, first, second, mac: toBigInts(macShares(cope, x, n, first)) };
    }, SLOW);
    for (let a = 0; a < 3; a++) {
      expect(outs[a].alpha).toBeLessThan(1n << 64n);
      for (let x = 0; x < 3; x++) {
        if (a === x) continue;
        for (const call of ['first', 'second'] as const) {
          const A = toBigInts((outs[a][call].get(x as PartyId) as CopeShares).asA);
          const X = toBigInts((outs[x][call].get(a as PartyId) as CopeShares).asX);
          for (let e = 0; e < n; e++) expect((A[e] + X[e]) % MOD).toBe((outs[a].alpha * xs[x][e]) % MOD);
        }
        expect(outs[a].first.get(x as PartyId)!.asA).not.toEqual(outs[a].second.get(x as PartyId)!.asA);
      }
    }
    const alpha = outs.reduce((acc, o) => acc + o.alpha, 0n);
    for (let e = 0; e < n; e++) {
      const x = xs.reduce((acc, v) => acc + v[e], 0n);
      expect(outs.reduce((acc, o) => acc + o.mac[e], 0n) % MOD).toBe((alpha * x) % MOD);
    }
    expect(sent[0]).toBe(n * COPE_BYTES_PER_VALUE + 8);
  });

  it('limb conversion round-trips, including 0 and 2^128 − 1', () => {
    const v = [0n, 1n, MOD - 1n, rand128()];
    expect(toBigInts(fromBigInts(v))).toEqual(v);
    expect(toBigInts(fromBigInts([-1n]))).toEqual([MOD - 1n]);
  });
});
