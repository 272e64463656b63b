/**
 * A shaped in-memory network for tests and benchmarks: every directed link carries
 * `bytesPerMs`, adds `latencyMs` plus up to `jitterMs` of random delay, and stays FIFO (one
 * timer chain per link). Simulated links transfer while the single thread computes, so
 * overlapping transfer with compute (pipelining) shows up as between browsers, and the
 * parties interleave differently from the microtask-driven memory network.
 *
 * `idle(p)` resolves once all of p's frames are delivered: a party must not close before,
 * or its peers would see it leave ahead of its last frames. No security: a test double.
 */
import { partyId } from '../session/channel.ts';
import type { MemoryNetwork } from '../session/memory-network.ts';
import type { SimulationOptions } from '../session/simulate.ts';

interface Frame {
  at: number;
  from: number;
  to: number;
  bytes: Uint8Array;
}

interface Link {
  busyUntil: number;
  lastAt: number;
  queue: Frame[];
  timer: boolean;
}

export interface ShapedNetwork {
  readonly opts: SimulationOptions;
  idle(p: number): Promise<void>;
}

export function shapedNetwork(bytesPerMs: number, latencyMs: number, jitterMs = 0): ShapedNetwork {
  let net: MemoryNetwork | undefined;
  const links = new Map<number, Link>();
  const inFlight = new Map<number, number>();
  const waiters = new Map<number, (() => void)[]>();

  const settle = (from: number): void => {
    const left = (inFlight.get(from) ?? 1) - 1;
    inFlight.set(from, left);
    if (left === 0) for (const w of waiters.get(from)?.splice(0) ?? []) w();
  };
  const pump = (link: Link): void => {
    const now = performance.now();
    while (link.queue.length && link.queue[0].at <= now) {
      const f = link.queue.shift()!;
      net!.inject(f.from, partyId(f.to), f.bytes);
      settle(f.from);
    }
    link.timer = link.queue.length > 0;
    if (link.timer) setTimeout(() => pump(link), link.queue[0].at - now);
  };

  const opts: SimulationOptions = {
    onNetwork: (x) => (net = x),
    network: {
      tamper: ({ from, to, bytes }) => {
        const key = from * 65536 + to;
        let link = links.get(key);
        if (!link) links.set(key, (link = { busyUntil: 0, lastAt: 0, queue: [], timer: false }));
        const now = performance.now();
        link.busyUntil = Math.max(now, link.busyUntil) + bytes.length / bytesPerMs;
        // Jitter never reorders a link: a frame is never due before the previous one.
        link.lastAt = Math.max(link.lastAt, link.busyUntil + latencyMs + Math.random() * jitterMs);
        link.queue.push({ at: link.lastAt, from, to, bytes });
        inFlight.set(from, (inFlight.get(from) ?? 0) + 1);
        if (!link.timer) {
          link.timer = true;
          setTimeout(() => pump(link), link.lastAt - now);
        }
        return [];
      },
    },
  };
  const idle = (p: number): Promise<void> =>
    (inFlight.get(p) ?? 0) === 0 ? Promise.resolve() : new Promise((resolve) => waiters.set(p, [...(waiters.get(p) ?? []), resolve]));
  return { opts, idle };
}
