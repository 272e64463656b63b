/**
 * The backplane: where room membership, relayed frames and per-address limits live, so that
 * one signaling process (the local backplane below) or several behind a load balancer
 * (server/redis-backplane.ts) run the same connection code in server/signaling.ts.
 *
 * Contract. `join` is atomic with respect to every other `join`/`leave` of the same room:
 * there is one order of membership changes per room, `join` returns the members before it
 * in that order, and every member already present is announced the newcomer (and later its
 * leaving) through `BackplaneEvents`. Frames relayed from one sender to one recipient
 * arrive in the order they were relayed, and after the announcement that made the sender
 * known to the recipient's server. Announcements and frames may reach a member whose own
 * join is still in flight; server/signaling.ts holds them until its welcome is sent.
 *
 * Security assumption: the backplane sees what the signaling server sees (opaque room ids,
 * member ids, sealed envelopes, client addresses) and nothing more; it is as untrusted as
 * the server itself (DESIGN §2).
 */
import { TokenBucket } from './rate-limit.ts';

export type MaybePromise<T> = T | Promise<T>;

export interface BackplaneEvents {
  /** A serialized ServerMessage for the member `to` of `room`, connected to this process. */
  deliver(room: string, to: string, frame: string): void;
  /** `about` joined or left `room`: tell this process's other members of the room. */
  announce(room: string, about: string, kind: 'joined' | 'left'): void;
  /** This process is no longer part of the backplane (presumed dead by the others). */
  lost(reason: string): void;
}

export type JoinResult = { ok: true; peers: string[] } | { ok: false; reason: 'full' | 'duplicate-id' };

export interface Backplane {
  /** Called once by the signaling server before anything else. */
  attach(events: BackplaneEvents): void;
  /** Count one more socket for `address` unless it already holds `max`. */
  acquireSocket(address: string, max: number): MaybePromise<boolean>;
  releaseSocket(address: string): void;
  /** Spend one join token of `address` (token bucket: `perMinute` refill, `burst` stored). */
  takeJoin(address: string, perMinute: number, burst: number): MaybePromise<boolean>;
  join(room: string, id: string, maxRoomSize: number): MaybePromise<JoinResult>;
  leave(room: string, id: string): void;
  /** Hand `frame` to `to` in `room`; false if there is no such member. */
  relay(room: string, to: string, frame: string): MaybePromise<boolean>;
  /** Forget state that no longer affects any decision (called on the heartbeat). */
  sweep(): void;
  close(): Promise<void>;
}

/** One process: rooms and counters in memory. */
export function createLocalBackplane(now: () => number = () => performance.now()): Backplane {
  let events: BackplaneEvents | undefined;
  const rooms = new Map<string, Set<string>>();
  const sockets = new Map<string, number>();
  const joinBuckets = new Map<string, TokenBucket>();
  const ev = (): BackplaneEvents => {
    if (!events) throw new Error('backplane used before attach');
    return events;
  };

  return {
    attach(e) {
      events = e;
    },
    acquireSocket(address, max) {
      const n = sockets.get(address) ?? 0;
      if (n >= max) return false;
      sockets.set(address, n + 1);
      return true;
    },
    releaseSocket(address) {
      const n = (sockets.get(address) ?? 0) - 1;
      if (n > 0) sockets.set(address, n);
      else sockets.delete(address);
    },
    takeJoin(address, perMinute, burst) {
      let bucket = joinBuckets.get(address);
      if (!bucket) {
        bucket = new TokenBucket(perMinute / 60, burst, now);
        joinBuckets.set(address, bucket);
      }
      return bucket.take();
    },
    join(room, id, maxRoomSize) {
      let members = rooms.get(room);
      if (members && members.size >= maxRoomSize) return { ok: false, reason: 'full' };
      if (members?.has(id)) return { ok: false, reason: 'duplicate-id' };
      if (!members) {
        members = new Set();
        rooms.set(room, members);
      }
      const peers = [...members];
      members.add(id);
      ev().announce(room, id, 'joined');
      return { ok: true, peers };
    },
    leave(room, id) {
      const members = rooms.get(room);
      if (!members?.delete(id)) return;
      if (members.size === 0) rooms.delete(room);
      ev().announce(room, id, 'left');
    },
    relay(room, to, frame) {
      if (!rooms.get(room)?.has(to)) return false;
      ev().deliver(room, to, frame);
      return true;
    },
    sweep() {
      // A full bucket decides like a fresh one, so it can go; a draining one must stay, or
      // closing every socket would reset an address's join allowance.
      for (const [address, bucket] of joinBuckets) if (bucket.full()) joinBuckets.delete(address);
    },
    close: async () => undefined,
  };
}
