import { describe, expect, it } from 'vitest';
import { randomBytes } from '../random.ts';
import type { PartyId } from '../session/channel.ts';
import { runParties, runPartiesSettled } from '../session/simulate.ts';
import { Protocol } from '../session/round.ts';
import { randomOtAll, setupOt, type RandomOts } from './ot-setup.ts';

const bit = (a: Uint32Array, i: number): number => (a[i >>> 5] >>> (i & 31)) & 1;

interface PartyOut {
  choices: Map<PartyId, Uint32Array>;
  ots: Map<PartyId, RandomOts>;
}

describe('OT setup + random OT extension over a session', () => {
  for (const [n, k] of [[2, 1], [2, 2], [3, 4], [2, 8]] as const) {
    it(`N=${n}, k=${k}: every ordered pair gets correct random OTs`, async () => {
      const m = 256;
      const outs = await runParties<PartyOut>(n, async (s) => {
        const ot = await setupOt(s, { k });
        const choices = new Map<PartyId, Uint32Array>();
        for (const p of s.others) choices.set(p, new Uint32Array(randomBytes(m / 8).buffer));
        const ots = await randomOtAll(s, ot, m, (p) => choices.get(p)!);
        return { choices, ots };
      });
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          if (i === j) continue;
          const snd = outs[i].ots.get(j as PartyId)!; // i sends to j
          const rcv = outs[j].ots.get(i as PartyId)!;
          const r = outs[j].choices.get(i as PartyId)!;
          let differ = 0;
          for (let k = 0; k < m; k++) {
            const want = bit(r, k) ? snd.m1 : snd.m0;
            expect([rcv.mr[2 * k], rcv.mr[2 * k + 1]]).toEqual([want[2 * k], want[2 * k + 1]]);
            if (snd.m0[2 * k] !== snd.m1[2 * k]) differ++;
          }
          expect(differ).toBeGreaterThan(m - 3);
        }
      }
    });
  }

  it('a party that leaves during setup makes the others fail with PEER_LEFT, not hang', async () => {
    const results = await runPartiesSettled(
      3,
      async (s, i) => {
        if (i === 2) {
          // Party 2 sends nothing and disappears.
          s.close();
          return 'gone';
        }
        await setupOt(s);
        return 'done';
      },
      { timeoutMs: 5_000 },
    );
    for (const r of results.slice(0, 2)) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'PEER_LEFT', party: 2 });
    }
  });

  it('an invalid base-OT point is MALFORMED_MESSAGE blaming its sender', async () => {
    const results = await runPartiesSettled(
      2,
      async (s) => {
        await setupOt(s);
        return 'done';
      },
      {
        timeoutMs: 5_000,
        network: {
          tamper: ({ from, bytes }) => {
            const protocol = (bytes[0] << 8) | bytes[1];
            const step = (bytes[6] << 8) | bytes[7];
            if (from !== 1 || protocol !== Protocol.BaseOt || step !== 0) return undefined;
            const forged = bytes.slice();
            forged.fill(0xff, 8); // the sender's key: not a canonical X25519 u-coordinate
            return [forged];
          },
        },
      },
    );
    expect(results[0].status).toBe('rejected');
    expect((results[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'MALFORMED_MESSAGE', party: 1 });
  });
});
