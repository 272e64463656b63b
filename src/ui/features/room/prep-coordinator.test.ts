/**
 * The room's preparation before Start (prep-coordinator.ts) against a fake engine client:
 * which bridges open, when they are cancelled, what is discarded, which prep id a run names,
 * and that a run never shares the engine with an unfinished prep. The worker side (prepared
 * material used once, mismatches set up afresh) is src/worker/prep-lifecycle.test.ts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunBridge } from '../../../worker/engine-client';
import type { PrepJob, PrepResult } from '../../../worker/jobs';
import { PrepCoordinator } from './prep-coordinator';
import { encodeControlMessage, parseControlMessage } from './room-protocol';

const id = (n: string) => n.padEnd(22, 'x');
const A = id('a');
const B = id('b');
const C = id('c');

interface FakeBridge {
  runId: string;
  roster: string[];
  job?: PrepJob;
  cancelled?: string;
  settle(r: PrepResult): void;
}

function harness(self: string, host: boolean) {
  const bridges: FakeBridge[] = [];
  const sent: { to: string[]; msg: { prepId: string; roster: string[] } }[] = [];
  const shown: string[] = [];
  let discards = 0;
  let timer: (() => void) | undefined;
  let openPreps = 0;
  let ids = 0;
  const coordinator = new PrepCoordinator({
    engine: {
      bridge(runId, roster) {
        let settle: (r: PrepResult) => void = () => undefined;
        const done = new Promise<PrepResult>((r) => (settle = r));
        const fake: FakeBridge = { runId, roster, settle: (r) => settle(r) };
        bridges.push(fake);
        return {
          prepare: async (job) => {
            fake.job = job;
            openPreps++;
            try {
              return await done;
            } finally {
              openPreps--;
            }
          },
          cancel: (reason) => {
            fake.cancelled = reason;
          },
        } as Partial<RunBridge> as RunBridge;
      },
      async discardPrepared() {
        discards++;
      },
    },
    selfId: () => self,
    isHost: () => host,
    hostId: () => (host ? undefined : A),
    keys: () => ({ self: `key-${self}`, peers: { [A]: 'key-a', [B]: 'key-b', [C]: 'key-c' } }),
    sendMpc: async () => undefined,
    sendPrep: (to, msg) => sent.push({ to, msg }),
    newId: () => `prep${++ids}`.padEnd(12, 'p'),
    onState: (p) => shown.push(p),
    schedule: (fn) => {
      timer = fn;
      return () => (timer = undefined);
    },
  });
  const settled = () => new Promise((r) => setTimeout(r, 0));
  return {
    coordinator,
    bridges,
    sent,
    shown,
    discards: () => discards,
    openPreps: () => openPreps,
    fireTimer: () => {
      const t = timer;
      timer = undefined;
      t?.();
    },
    hasTimer: () => timer !== undefined,
    settled,
  };
}

afterEach(() => vi.restoreAllMocks());

describe('PrepCoordinator (host)', () => {
  it('announces a prep for the settled group, prepares it, and a run names it once', async () => {
    const h = harness(A, true);
    h.coordinator.groupChanged([A]);
    expect(h.hasTimer()).toBe(false); // alone: nothing to prepare
    h.coordinator.groupChanged([A, B]);
    h.fireTimer();
    expect(h.sent).toEqual([{ to: [B], msg: { t: 'prep', prepId: 'prep1ppppppp', roster: [A, B] } }]);
    await h.settled();
    expect(h.bridges.map((b) => [b.runId, b.roster])).toEqual([['prep1ppppppp', [A, B]]]);
    expect(h.bridges[0].job).toMatchObject({ prepId: 'prep1ppppppp', self: 0, roster: [{ id: A, publicKey: `key-${A}` }, { id: B, publicKey: 'key-b' }] });
    expect(h.shown).toEqual(['preparing']);
    h.bridges[0].settle({ ok: true, millis: 5 });
    await h.settled();
    expect(h.shown).toEqual(['preparing', 'ready']);
    expect(await h.coordinator.beforeRun([A, B])).toBe('prep1ppppppp');
    expect(h.shown.at(-1)).toBe('none');
    h.coordinator.afterRun();
    // used up: the next run must not name it again; the host prepares a new one instead
    expect(await h.coordinator.beforeRun([A, B])).toBeUndefined();
    h.coordinator.afterRun();
    h.fireTimer();
    expect(h.sent.at(-1)?.msg.prepId).toBe('prep2ppppppp');
  });

  it('a group change cancels the prep and discards what was prepared; the new group gets a new id', async () => {
    const h = harness(A, true);
    h.coordinator.groupChanged([A, B]);
    h.fireTimer();
    await h.settled();
    h.bridges[0].settle({ ok: true, millis: 5 });
    await h.settled();
    h.coordinator.groupChanged([A, B, C]);
    await h.settled();
    expect(h.discards()).toBe(1);
    h.fireTimer();
    await h.settled();
    expect(h.bridges[1]).toMatchObject({ runId: 'prep2ppppppp', roster: [A, B, C] });
    // C leaves while the second prep runs: cancelled, discarded again
    h.coordinator.groupChanged([A, B]);
    expect(h.bridges[1].cancelled).toMatch(/group changed/);
    h.bridges[1].settle({ ok: false, error: { code: 'PEER_LEFT', message: 'closed' } });
    await h.settled();
    expect(h.discards()).toBe(2);
    // the earlier prep for [A, B] was discarded: a run of [A, B] must not name it
    expect(await h.coordinator.beforeRun([A, B])).toBeUndefined();
  });

  it('Start during a prep cancels it and the run waits until the prep has left the engine', async () => {
    const h = harness(A, true);
    h.coordinator.groupChanged([A, B]);
    h.fireTimer();
    await h.settled();
    expect(h.openPreps()).toBe(1);
    let named: string | undefined | 'pending' = 'pending';
    const run = h.coordinator.beforeRun([A, B]).then((p) => (named = p));
    await h.settled();
    expect(h.bridges[0].cancelled).toMatch(/run started/);
    expect(h.shown.at(-1)).toBe('none'); // no "preparing" once the run has the screen
    expect(named).toBe('pending'); // the prep still holds the engine client
    // even if the worker reports success after the cancel, the run does not name it
    h.bridges[0].settle({ ok: true, millis: 5 });
    await run;
    expect(h.openPreps()).toBe(0);
    expect(named).toBeUndefined();
    // no new prep during the run, even on a group change
    h.coordinator.groupChanged([A, B, C]);
    expect(h.hasTimer()).toBe(false);
  });
});

describe('PrepCoordinator (guest)', () => {
  it('follows only the host, only for its own connected group, and each prep id once', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const h = harness(B, false);
    h.coordinator.groupChanged([A, B]);
    h.coordinator.onPrep(C, { prepId: 'fromcppppppp', roster: [A, B] });
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/not come from the host/));
    // the host already sees C; this tab's link to C is still connecting: wait for it
    h.coordinator.onPrep(A, { prepId: 'prep1ppppppp', roster: [A, B, C] });
    await h.settled();
    expect(h.bridges).toHaveLength(0);
    h.coordinator.groupChanged([A, B, C]);
    await h.settled();
    expect(h.bridges.map((b) => b.runId)).toEqual(['prep1ppppppp']);
    expect(h.bridges[0].job?.self).toBe(1);
    h.bridges[0].settle({ ok: true, millis: 5 });
    await h.settled();
    // a replayed announcement is not prepared twice
    h.coordinator.onPrep(A, { prepId: 'prep1ppppppp', roster: [A, B, C] });
    await h.settled();
    expect(h.bridges).toHaveLength(1);
    // a run with another party order or roster does not name it
    expect(await h.coordinator.beforeRun([A, B])).toBeUndefined();
  });
});

describe('prep control message', () => {
  it('parses a well-formed one; a malformed one is ignored with a warning, never a crash', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const bytes = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));
    expect(parseControlMessage(encodeControlMessage({ t: 'prep', prepId: 'prep1ppppppp', roster: [A, B] }))).toEqual({ t: 'prep', prepId: 'prep1ppppppp', roster: [A, B] });
    for (const bad of [
      { t: 'prep', prepId: 'short', roster: [A, B] },
      { t: 'prep', prepId: 'prep1ppppppp', roster: [A] },
      { t: 'prep', prepId: 'prep1ppppppp', roster: [A, A] },
      { t: 'prep', prepId: 'prep1ppppppp', roster: [A, 7] },
      { t: 'prep', prepId: 'prep1ppppppp', roster: 'everyone' },
      { t: 'prep', prepId: 12, roster: [A, B] },
    ]) {
      expect(parseControlMessage(bytes(bad))).toBeUndefined();
    }
    expect(warn).toHaveBeenCalledTimes(6);
  });
});
