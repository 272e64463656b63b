import { describe, expect, it } from 'vitest';
import { randomBytes } from '../random.ts';
import type { PartyId } from '../session/channel.ts';
import { Protocol } from '../session/round.ts';
import { runParties, runPartiesSettled } from '../session/simulate.ts';
import { checkedRandomOtAll, deltaOtAll, extendChecked, type DeltaOts } from './checked-extension.ts';
import { randomOtAll, setupOt, type RandomOts } from './ot-setup.ts';

/** The simulation runs every party's base OTs in one thread: under CI load a round can wait minutes. */
const SLOW = { timeoutMs: 600_000 };

const bit = (a: Uint32Array, i: number): number => (a[i >>> 5] >>> (i & 31)) & 1;
const words = (n: number): Uint32Array => new Uint32Array(randomBytes(4 * n).buffer);

describe('checked OT extension (strict mode), honest parties', { timeout: 300_000 }, () => {
  it('N=3, k=2: Δ-OTs satisfy M = K ⊕ b·Δ for every ordered pair; one Δ per party, fixed across calls; fresh keys per call', async () => {
    const n = 3, m = 96;
    const outs = await runParties<DeltaOts[][]>(n, async (s) => {
      const ot = await setupOt(s, { k: 2, security: 'malicious' });
      const calls: DeltaOts[][] = [];
      for (let c = 0; c < 2; c++) {
        const bits = new Map<PartyId, Uint32Array>(s.others.map((p) => [p, words(m / 32)]));
        const got = await deltaOtAll(s, ot, m, (p) => bits.get(p)!);
        calls.push(Array.from({ length: n }, (_, p) => got.get(p as PartyId)!));
      }
      return calls;
    }, SLOW);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        // i holds the keys and Δ for j's bits; j holds bits and MACs.
        expect(outs[i][1][j].delta).toEqual(outs[i][0][j].delta);
        // one global Δ per party toward all peers (multi-party TinyOT)
        for (let l = 0; l < n; l++) if (l !== i) expect(outs[i][0][l].delta).toEqual(outs[i][0][j].delta);
        for (const c of [0, 1]) {
          const snd = outs[i][c][j], rcv = outs[j][c][i];
          for (let r = 0; r < m; r++) {
            for (let w = 0; w < 4; w++) {
              expect(rcv.macs[4 * r + w]).toBe((snd.keys[4 * r + w] ^ (bit(rcv.bits, r) ? snd.delta[w] : 0)) >>> 0);
            }
          }
        }
        expect(outs[i][1][j].keys.subarray(0, 4)).not.toEqual(outs[i][0][j].keys.subarray(0, 4));
      }
    }
  });

  it('N=2, k=1 (IKNP): checked random OTs equal the chosen messages; traffic is the extension plus 192 rows and 96 B; the unchecked extension is refused', async () => {
    const m = 256;
    const sent: number[] = [];
    const outs = await runParties(2, async (s) => {
      const ot = await setupOt(s, { k: 1, security: 'malicious' });
      const before = s.stats.sent[s.others[0]];
      const choice = words(m / 32);
      const ots = await checkedRandomOtAll(s, ot, m, () => choice);
      sent.push(s.stats.sent[s.others[0]] - before);
      // No silent semi-honest use of a malicious setup.
      await expect(randomOtAll(s, ot, 32, () => new Uint32Array(1))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      return { choice, ots: ots.get(s.others[0])! };
    }, SLOW);
    const check = (snd: RandomOts, rcv: RandomOts, r: Uint32Array): void => {
      for (let j = 0; j < m; j++) {
        const want = bit(r, j) ? snd.m1 : snd.m0;
        expect([rcv.mr[2 * j], rcv.mr[2 * j + 1]]).toEqual([want[2 * j], want[2 * j + 1]]);
      }
    };
    check(outs[0].ots, outs[1].ots, outs[1].choice);
    check(outs[1].ots, outs[0].ots, outs[0].choice);
    // k = 1: 128 bits of columns per row; 3 frames of 8-byte headers; commitment, seed, response.
    expect(sent[0]).toBe(((m + 192) * 128) / 8 + 3 * 8 + 32 + 32 + 32);
  });

  it('a forged (x, t) response with consistent columns is MALICIOUS_ABORT naming the receiver', async () => {
    const res = await runPartiesSettled(
      2,
      async (s) => {
        const ot = await setupOt(s, { k: 2, security: 'malicious' });
        return extendChecked(s, ot, 64, () => words(2));
      },
      {
        ...SLOW,
        network: {
          tamper: ({ from, bytes }) => {
            const v = new DataView(bytes.buffer, bytes.byteOffset);
            if (from !== 1 || v.getUint16(0) !== Protocol.OtExt || v.getUint16(6) !== 2) return undefined;
            const forged = bytes.slice();
            forged[8 + 20] ^= 1; // one bit of t
            return [forged];
          },
        },
      },
    );
    expect(res[0].status).toBe('rejected');
    expect((res[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'MALICIOUS_ABORT', party: 1 });
  });

  it('a coin-toss reveal that does not open its commitment is MALICIOUS_ABORT naming the revealer', async () => {
    const res = await runPartiesSettled(
      3,
      async (s) => {
        const ot = await setupOt(s, { k: 2, security: 'malicious' });
        return extendChecked(s, ot, 32, () => words(1));
      },
      {
        ...SLOW,
        network: {
          tamper: ({ from, to, bytes }) => {
            const v = new DataView(bytes.buffer, bytes.byteOffset);
            if (from !== 2 || to !== 0 || v.getUint16(0) !== Protocol.OtExt || v.getUint16(6) !== 1) return undefined;
            const forged = bytes.slice();
            forged[8] ^= 1; // a different seed toward party 0 only (equivocation)
            return [forged];
          },
        },
      },
    );
    expect(res[0].status).toBe('rejected');
    expect((res[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'MALICIOUS_ABORT', party: 2 });
    for (const r of res) expect(r.status).toBe('rejected');
  });
});
