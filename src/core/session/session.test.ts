import { describe, expect, it } from 'vitest';
import { MpcError } from '../errors.ts';
import { bytesToU64, u64ToBytes } from '../codec.ts';
import { partyId } from './channel.ts';
import { Protocol, encodeFrame } from './round.ts';
import { runParties, runPartiesSettled } from './simulate.ts';
import type { Session } from './session.ts';

/** A 2-step test protocol: everyone sends [self, step] to everyone, twice. */
async function pingPong(s: Session): Promise<number[]> {
  const inst = s.nextInstance(Protocol.Open);
  const seen: number[] = [];
  for (let step = 0; step < 2; step++) {
    const r = s.round(Protocol.Open, inst, step);
    const got = await s.exchange(r, (p) => u64ToBytes(new BigUint64Array([BigInt(s.self), BigInt(p), BigInt(step)])), 24);
    for (const [p, b] of got) {
      const [from, to, st] = bytesToU64(b, 3);
      expect([Number(from), Number(to), Number(st)]).toEqual([p, s.self, step]);
      seen.push(p);
    }
  }
  return seen;
}

function expectCode(r: PromiseSettledResult<unknown>, code: string, party?: number): void {
  expect(r.status).toBe('rejected');
  const e = (r as PromiseRejectedResult).reason as MpcError;
  expect(e).toBeInstanceOf(MpcError);
  expect(e.code).toBe(code);
  if (party !== undefined) expect(e.party).toBe(party);
}

describe('Session', () => {
  it('routes rounds between 3 parties and counts bytes', async () => {
    let sessions: readonly Session[] = [];
    const out = await runParties(3, pingPong, { onSessions: (ss) => (sessions = ss) });
    expect(out.map((o) => o.length)).toEqual([4, 4, 4]);
    // 2 steps x 2 peers x (8 header + 24 payload)
    for (const s of sessions) {
      expect(s.stats.sent.reduce((a, b) => a + b, 0)).toBe(2 * 2 * 32);
      expect(s.stats.received.reduce((a, b) => a + b, 0)).toBe(2 * 2 * 32);
      expect(s.stats.rounds).toBe(2);
    }
  });

  it('gives deterministic instance numbers per protocol', async () => {
    const out = await runParties(2, async (s) => [s.nextInstance(1), s.nextInstance(1), s.nextInstance(2)]);
    expect(out).toEqual([[0, 1, 0], [0, 1, 0]]);
  });

  it('PEER_LEFT when a party drops, on every other party', async () => {
    // party 2's link goes down after its first-step frames are on the wire
    const res = await runPartiesSettled(3, pingPong, { onNetwork: (net) => queueMicrotask(() => net.drop(partyId(2))) });
    expectCode(res[0], 'PEER_LEFT', 2);
    expectCode(res[1], 'PEER_LEFT', 2);
    expectCode(res[2], 'PEER_LEFT');
  });

  it('ROUND_TIMEOUT when a peer is silent', async () => {
    const res = await runPartiesSettled(2, async (s, i) => {
      if (i === 1) {
        await s.ended; // stays connected, never answers
        throw s.error;
      }
      return pingPong(s);
    }, { timeoutMs: 30 });
    expectCode(res[0], 'ROUND_TIMEOUT', 1);
    expectCode(res[1], 'ROUND_TIMEOUT', 1);
  });

  it('MALFORMED_MESSAGE for a frame from a non-member', async () => {
    const res = await runPartiesSettled(3, pingPong, {
      onNetwork: (net) => net.inject(7, partyId(0), encodeFrame({ protocol: Protocol.Open, instance: 0, step: 0 }, new Uint8Array(24))),
    });
    for (const r of res) expectCode(r, 'MALFORMED_MESSAGE');
  });

  it('MALFORMED_MESSAGE naming a peer that floods frames ahead of the protocol', async () => {
    // Party 1 waits on party 2 (silent), so party 0's frames pile up unconsumed.
    const res = await runPartiesSettled(
      3,
      async (s) => {
        if (s.self === 0) {
          for (let i = 0; i < 40; i++) s.send(partyId(1), s.round(Protocol.Open, 0, i), new Uint8Array(1024));
          return s.receive(partyId(1), s.round(Protocol.Open, 0, 0), 1);
        }
        if (s.self === 1) return s.receive(partyId(2), s.round(Protocol.Open, 0, 0), 1);
        return s.receive(partyId(1), s.round(Protocol.Open, 0, 0), 1);
      },
      { maxQueuedBytes: 16 * 1024, timeoutMs: 10_000 },
    );
    expectCode(res[1], 'MALFORMED_MESSAGE', 0);
    expect((res[1] as PromiseRejectedResult).reason.message).toMatch(/flooded/);
    expectCode(res[2], 'MALFORMED_MESSAGE', 0);
  });

  it('rejects receive after abort without unhandled rejections', async () => {
    await runParties(2, async (s) => {
      s.abort(new MpcError('ABORTED', 'test'));
      await expect(s.receive(s.others[0], s.round(1, 0, 0))).rejects.toMatchObject({ code: 'ABORTED' });
      expect(() => s.send(s.others[0], s.round(1, 0, 0), new Uint8Array(1))).toThrow(MpcError);
    }).catch(() => undefined);
  });

  it('MALFORMED_MESSAGE for a wrong round or a wrong length, blaming the sender', async () => {
    const wrongStep = await runPartiesSettled(2, async (s) => {
      const r0 = s.round(Protocol.Open, 0, 0);
      s.send(s.others[0], s.self === 0 ? s.round(Protocol.Open, 0, 1) : r0, new Uint8Array(4));
      return s.receive(s.others[0], r0, 4);
    });
    expectCode(wrongStep[1], 'MALFORMED_MESSAGE', 0);
    const wrongLength = await runPartiesSettled(2, async (s) => {
      const r0 = s.round(Protocol.Open, 0, 0);
      s.send(s.others[0], r0, new Uint8Array(s.self === 0 ? 5 : 4));
      return s.receive(s.others[0], r0, 4);
    });
    expectCode(wrongLength[1], 'MALFORMED_MESSAGE', 0);
    expect((wrongLength[1] as PromiseRejectedResult).reason.message).toMatch(/5 bytes .* expected 4/);
  });

  it('rejects unknown or malformed control frames', async () => {
    for (const payload of [new Uint8Array([0xff]), new TextEncoder().encode('{"code":"NOPE","message":"x"}')]) {
      const res = await runPartiesSettled(2, (s) => s.receive(s.others[0], s.round(Protocol.Open, 0, 0)), {
        onNetwork: (net) => net.inject(1, partyId(0), encodeFrame({ protocol: Protocol.Control, instance: 0, step: 0 }, payload)),
      });
      expectCode(res[0], 'MALFORMED_MESSAGE', 1);
    }
  });

  it('frames sent before a peer closes normally are still delivered', async () => {
    let sessions: readonly Session[] = [];
    const out = await runParties(
      2,
      async (s) => {
        const r = s.round(Protocol.Open, 0, 0);
        if (s.self === 0) {
          s.send(partyId(1), r, new Uint8Array([42]));
          return 0; // runParties closes party 0's session right away
        }
        await sessions[0].ended; // party 0's close event has reached us by now
        return (await s.receive(partyId(0), r, 1))[0];
      },
      { onSessions: (ss) => (sessions = ss) },
    );
    expect(out).toEqual([0, 42]);
  });

  it('an abort with receives nobody awaits raises no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown): void => void unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      await runPartiesSettled(2, async (s) => {
        void s.receive(s.others[0], s.round(Protocol.Open, 0, 0));
        void s.receive(s.others[0], s.round(Protocol.Open, 0, 1));
        s.abort(new MpcError('ABORTED', 'stop'));
        return s.error;
      });
      await new Promise<void>((resolve) => setImmediate(resolve)); // let Node's rejection tracker run
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('validates round ids and arguments', async () => {
    await runParties(2, async (s) => {
      expect(() => s.round(0, 0, 0)).toThrow(/protocol tag/);
      expect(() => s.round(1, -1, 0)).toThrow(/u32/);
      expect(() => s.round(1, 0, 70000)).toThrow(/u16/);
      expect(() => s.send(s.self, s.round(1, 0, 0), new Uint8Array(1))).toThrow(/not another member/);
      await expect(s.receive(partyId(9), s.round(1, 0, 0))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    });
  });

  it('keeps order across thousands of queued frames (queue compaction)', async () => {
    const K = 3000;
    const out = await runParties(2, async (s) => {
      if (s.self === 0) {
        for (let k = 0; k < K; k++) s.send(partyId(1), s.round(Protocol.Open, k, 0), Uint8Array.of(k & 255));
        return 0;
      }
      let ok = 0;
      for (let k = 0; k < K; k++) if ((await s.receive(partyId(0), s.round(Protocol.Open, k, 0), 1))[0] === (k & 255)) ok++;
      return ok;
    });
    expect(out).toEqual([0, K]);
  });
});
