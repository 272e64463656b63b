/**
 * In-memory network of n Channels for tests and benchmarks (DESIGN §4: the same protocol
 * code runs here and in the browser). Delivery is reliable and FIFO per ordered pair, one
 * microtask per frame, so it behaves like an asynchronous transport without timers.
 *
 * Fault injection: `tamper` sees every frame in flight and returns what to deliver instead
 * (drop, truncate, duplicate, hold back and release later = reorder); `drop(p)` cuts a
 * party off as if its tab closed; `inject` delivers a forged frame, even from an index
 * outside the roster. No security: it is a test double.
 */
import { MpcError } from '../errors.ts';
import { type Channel, type ChannelEvents, type PartyId, partyId } from './channel.ts';

export interface FrameInFlight {
  readonly from: PartyId;
  readonly to: PartyId;
  readonly bytes: Uint8Array;
  /** Index of this frame among those sent from `from` to `to` (0-based). */
  readonly seq: number;
}

export interface MemoryNetworkOptions {
  /** Return the frames to deliver now in place of this one (`undefined`: deliver unchanged). */
  tamper?: (frame: FrameInFlight) => readonly Uint8Array[] | undefined;
}

export interface MemoryNetwork {
  readonly channels: readonly Channel[];
  /** Party p vanishes: every peer sees `closed(p)` after frames already in flight, and p sees all peers close. */
  drop(p: PartyId, reason?: string): void;
  /** Deliver `bytes` to `to` as if sent by `from` (which may be outside 0..n-1). */
  inject(from: number, to: PartyId, bytes: Uint8Array): void;
  /** Total payload bytes accepted by `send`, per sender. */
  readonly bytesSent: readonly number[];
  /**
   * Lamport message depth per party: a frame sent by p carries depth[p] + 1, and its receiver's
   * depth becomes at least that on delivery. The growth of max(depth) over a phase is the length
   * of its longest chain of dependent messages, i.e. its sequential rounds (bench: rounds per run).
   */
  readonly depth: readonly number[];
}

type Event = { kind: 'frame'; from: PartyId; bytes: Uint8Array; depth?: number } | { kind: 'closed'; peer: PartyId; reason: string };

class MemoryChannel implements Channel {
  private sink: ChannelEvents | undefined;
  private backlog: Event[] = [];
  closedSelf = false;
  linkDown = false;

  constructor(
    readonly self: PartyId,
    readonly parties: number,
    private readonly net: Net,
  ) {}

  send(to: PartyId, bytes: Uint8Array): void {
    if (!Number.isInteger(to) || to < 0 || to >= this.parties || to === this.self) {
      throw new MpcError('INVALID_ARGUMENT', `no party ${to} to send to`);
    }
    if (this.closedSelf || this.linkDown) return;
    this.net.transmit(this.self, to, bytes);
  }

  listen(events: ChannelEvents): void {
    this.sink = events;
    const backlog = this.backlog;
    this.backlog = [];
    for (const e of backlog) this.dispatch(e);
  }

  close(): void {
    if (this.closedSelf) return;
    this.closedSelf = true;
    this.net.announceGone(this.self, 'closed its session');
  }

  dispatch(e: Event): void {
    if (this.closedSelf) return;
    if (!this.sink) {
      this.backlog.push(e);
      return;
    }
    if (e.kind === 'frame') {
      if (e.depth !== undefined) this.net.depth[this.self] = Math.max(this.net.depth[this.self], e.depth);
      this.sink.frame(e.from, e.bytes);
    }
    else this.sink.closed(e.peer, e.reason);
  }
}

class Net implements MemoryNetwork {
  readonly channels: MemoryChannel[];
  readonly bytesSent: number[];
  readonly depth: number[];
  private readonly seq: number[][];
  private readonly gone: boolean[][]; // gone[to][from]: `to` was told `from` closed

  constructor(
    readonly n: number,
    private readonly opts: MemoryNetworkOptions,
  ) {
    this.channels = Array.from({ length: n }, (_, i) => new MemoryChannel(partyId(i), n, this));
    this.bytesSent = new Array<number>(n).fill(0);
    this.depth = new Array<number>(n).fill(0);
    this.seq = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    this.gone = Array.from({ length: n }, () => new Array<boolean>(n).fill(false));
  }

  transmit(from: PartyId, to: PartyId, bytes: Uint8Array): void {
    const target = this.channels[to];
    if (target.closedSelf || target.linkDown || this.gone[to][from]) return;
    this.bytesSent[from] += bytes.length;
    const seq = this.seq[from][to]++;
    const out = this.opts.tamper?.({ from, to, bytes, seq }) ?? [bytes];
    const depth = this.depth[from] + 1;
    for (const b of out) this.post(to, { kind: 'frame', from, bytes: b, depth });
  }

  announceGone(p: PartyId, reason: string): void {
    for (let q = 0; q < this.n; q++) {
      if (q === p || this.gone[q][p]) continue;
      this.gone[q][p] = true;
      this.post(partyId(q), { kind: 'closed', peer: p, reason });
    }
  }

  drop(p: PartyId, reason = 'connection lost'): void {
    const ch = this.channels[p];
    if (ch.linkDown) return;
    ch.linkDown = true;
    this.announceGone(p, reason);
    for (let q = 0; q < this.n; q++) {
      if (q === p || this.gone[p][q]) continue;
      this.gone[p][q] = true;
      this.post(p, { kind: 'closed', peer: partyId(q), reason });
    }
  }

  inject(from: number, to: PartyId, bytes: Uint8Array): void {
    this.post(to, { kind: 'frame', from: from as PartyId, bytes });
  }

  private post(to: PartyId, e: Event): void {
    queueMicrotask(() => this.channels[to].dispatch(e));
  }
}

export function createMemoryNetwork(n: number, opts: MemoryNetworkOptions = {}): MemoryNetwork {
  if (!Number.isInteger(n) || n < 1) throw new MpcError('INVALID_ARGUMENT', `network needs a positive party count, got ${n}`);
  return new Net(n, opts);
}
