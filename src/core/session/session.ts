/**
 * The engine session: a round router over a Channel (DESIGN §3, STYLE §3–4). Protocols
 * send and receive payloads tagged with a structured RoundId; the session checks every
 * incoming frame in one place (`onFrame`) before any protocol sees it, and turns every
 * failure into one typed MpcError that aborts the whole session:
 *
 * - peer closed with nothing left to read from it -> PEER_LEFT (party = that peer);
 * - no frame within `timeoutMs` -> ROUND_TIMEOUT (party = the awaited peer);
 * - truncated or oversize frame, wrong round (frames from one peer are consumed strictly
 *   in the order sent), wrong length, frame from a non-member -> MALFORMED_MESSAGE.
 *
 * When a session fails on its own it tells the other parties (a control frame, protocol
 * tag 0) so that every party reports the same root cause instead of timing out, then
 * closes its channel. Promises handed out by `receive` are marked handled, so an abort
 * never produces an unhandled rejection; callers still see the rejection when they await.
 *
 * Security: semi-honest. Validation here protects the engine from malformed input, it
 * does not authenticate peers (the transport does that).
 */
import { MpcError, isErrorCode } from '../errors.ts';
import { utf8Decode, utf8Encode } from '../codec.ts';
import { type Channel, type PartyId, partyId } from './channel.ts';
import { HEADER_BYTES, Protocol, type RoundId, decodeHeader, describeRound, encodeFrame, makeRound, sameRound } from './round.ts';

export interface SessionOptions {
  /** Longest wait for one frame; default 30 s. `Infinity` disables the timer. */
  timeoutMs?: number;
  /** Largest accepted payload (header excluded); default 128 MiB. */
  maxFrameBytes?: number;
  /**
   * Most bytes (and frames) from one peer waiting for a receive; default 256 MiB and 65,536
   * frames. A peer that floods frames for rounds nobody asked for yet aborts the session
   * (MALFORMED_MESSAGE naming it) instead of exhausting memory.
   */
  maxQueuedBytes?: number;
  maxQueuedFrames?: number;
}

export interface SessionStats {
  /** Bytes (header + payload) sent to / received from each party, indexed by PartyId. */
  readonly sent: number[];
  readonly received: number[];
  /** Number of sends whose round differs from the previous send's: communication rounds. */
  rounds: number;
}

interface Incoming {
  readonly round: RoundId;
  readonly payload: Uint8Array;
}

interface Waiter {
  readonly round: RoundId;
  readonly expectedBytes: number | undefined;
  resolve(payload: Uint8Array): void;
  reject(e: MpcError): void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

const ABORT_ROUND: RoundId = { protocol: Protocol.Control, instance: 0, step: 0 };
const MAX_NOTICE_CHARS = 500;
const noop = (): void => {};

/**
 * FIFO with O(1) shift (frames can pile up by the thousand in batched protocols). Consumed
 * slots are cleared at once so that large payloads are not retained until compaction.
 */
class Queue<T> {
  private items: (T | undefined)[] = [];
  private head = 0;
  get length(): number {
    return this.items.length - this.head;
  }
  push(x: T): void {
    this.items.push(x);
  }
  peek(): T | undefined {
    return this.items[this.head];
  }
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const x = this.items[this.head];
    this.items[this.head] = undefined;
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return x;
  }
  drain(): T[] {
    const rest = this.items.slice(this.head) as T[];
    this.items = [];
    this.head = 0;
    return rest;
  }
}

export class Session {
  readonly self: PartyId;
  readonly n: number;
  readonly others: readonly PartyId[];
  readonly stats: SessionStats;
  /** Resolves (never rejects) with the error that ended the session, or ABORTED on close(). */
  readonly ended: Promise<MpcError>;

  private readonly timeoutMs: number;
  private readonly maxFrameBytes: number;
  private readonly maxQueuedBytes: number;
  private readonly maxQueuedFrames: number;
  private readonly queuedBytes: number[] = [];
  private readonly inbox: Queue<Incoming>[] = [];
  private readonly waiters: Queue<Waiter>[] = [];
  private readonly peerGone: (string | undefined)[] = [];
  private readonly instances = new Map<number, number>();
  private lastSent: RoundId | undefined;
  private failure: MpcError | undefined;
  private markEnded: (e: MpcError) => void = noop;

  constructor(
    private readonly channel: Channel,
    opts: SessionOptions = {},
  ) {
    const n = channel.parties;
    if (!Number.isInteger(n) || n < 1 || !Number.isInteger(channel.self) || channel.self < 0 || channel.self >= n) {
      throw new MpcError('INVALID_ARGUMENT', `channel reports party ${channel.self} of ${n}`);
    }
    this.self = channel.self;
    this.n = n;
    this.others = Array.from({ length: n }, (_, i) => partyId(i)).filter((p) => p !== this.self);
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.maxFrameBytes = opts.maxFrameBytes ?? 128 * 1024 * 1024;
    this.maxQueuedBytes = opts.maxQueuedBytes ?? 256 * 1024 * 1024;
    this.maxQueuedFrames = opts.maxQueuedFrames ?? 65_536;
    this.stats = { sent: new Array<number>(n).fill(0), received: new Array<number>(n).fill(0), rounds: 0 };
    for (let i = 0; i < n; i++) {
      this.inbox.push(new Queue());
      this.waiters.push(new Queue());
      this.peerGone.push(undefined);
      this.queuedBytes.push(0);
    }
    this.ended = new Promise((resolve) => (this.markEnded = resolve));
    channel.listen({
      frame: (from, bytes) => this.onFrame(from, bytes),
      closed: (peer, reason) => this.onClosed(peer, reason),
    });
  }

  /** The error that ended the session, if it has ended. */
  get error(): MpcError | undefined {
    return this.failure;
  }

  nextInstance(protocol: number): number {
    const k = this.instances.get(protocol) ?? 0;
    this.instances.set(protocol, k + 1);
    return k;
  }

  round(protocol: number, instance: number, step: number): RoundId {
    return makeRound(protocol, instance, step);
  }

  send(to: PartyId, round: RoundId, payload: Uint8Array): void {
    if (this.failure) throw this.failure;
    this.checkPeer(to);
    if (payload.length > this.maxFrameBytes) {
      throw new MpcError('INVALID_ARGUMENT', `payload of ${payload.length} bytes exceeds the ${this.maxFrameBytes}-byte frame limit (${describeRound(round)})`);
    }
    if (!this.lastSent || !sameRound(this.lastSent, round)) {
      this.stats.rounds++;
      this.lastSent = round;
    }
    // A peer that already left gets nothing; the loss surfaces when we wait on it.
    if (this.peerGone[to] !== undefined) return;
    const frame = encodeFrame(round, payload);
    this.stats.sent[to] += frame.length;
    try {
      this.channel.send(to, frame);
    } catch (e) {
      const err = new MpcError('PEER_LEFT', `sending to party ${to} failed: ${e instanceof Error ? e.message : String(e)}`, to);
      this.fail(err, true);
      throw err;
    }
  }

  /** Same payload to every other party. */
  broadcast(round: RoundId, payload: Uint8Array): void {
    for (const p of this.others) this.send(p, round, payload);
  }

  receive(from: PartyId, round: RoundId, expectedBytes?: number): Promise<Uint8Array> {
    let waiter: Waiter | undefined;
    const promise = new Promise<Uint8Array>((resolve, reject) => {
      waiter = { round, expectedBytes, resolve, reject, timer: undefined };
    });
    promise.catch(noop); // handled here; the caller still sees the rejection when awaiting
    const w = waiter as Waiter;
    if (this.failure) {
      w.reject(this.failure);
      return promise;
    }
    if (!this.isPeer(from)) {
      w.reject(new MpcError('INVALID_ARGUMENT', `cannot receive from party ${from} (self ${this.self}, ${this.n} parties)`));
      return promise;
    }
    this.waiters[from].push(w);
    if (Number.isFinite(this.timeoutMs)) {
      w.timer = setTimeout(() => {
        this.fail(new MpcError('ROUND_TIMEOUT', `no message from party ${from} for ${describeRound(round)} within ${this.timeoutMs} ms`, from), true);
      }, this.timeoutMs);
    }
    this.pump(from);
    return promise;
  }

  /** One frame from every other party for `round`. */
  async receiveAll(round: RoundId, expectedBytes?: number): Promise<Map<PartyId, Uint8Array>> {
    const got = await Promise.all(this.others.map((p) => this.receive(p, round, expectedBytes)));
    return new Map(this.others.map((p, i) => [p, got[i]]));
  }

  /** Send payloadFor(p) to every other party p, then receive one frame from each. */
  exchange(round: RoundId, payloadFor: (p: PartyId) => Uint8Array, expectedBytes?: number): Promise<Map<PartyId, Uint8Array>> {
    try {
      for (const p of this.others) this.send(p, round, payloadFor(p));
    } catch (e) {
      return Promise.reject(e);
    }
    return this.receiveAll(round, expectedBytes);
  }

  /** Ends the session with `error`: pending and future receives reject; peers are told. Idempotent. */
  abort(error: MpcError): void {
    this.fail(error, true);
  }

  /** Normal end: pending receives reject with ABORTED, the channel closes, peers are not alarmed. */
  close(): void {
    this.fail(new MpcError('ABORTED', 'session closed'), false);
  }

  // --- incoming frames: the single validation point ---

  private onFrame(from: PartyId, bytes: Uint8Array): void {
    if (this.failure) return;
    if (!this.isPeer(from)) {
      this.fail(new MpcError('MALFORMED_MESSAGE', `frame from party ${String(from)}, which is not another member of this ${this.n}-party session`), true);
      return;
    }
    if (this.peerGone[from] !== undefined) return;
    if (!(bytes instanceof Uint8Array)) {
      this.fail(new MpcError('MALFORMED_MESSAGE', `frame from party ${from} is not bytes`, from), true);
      return;
    }
    if (bytes.length < HEADER_BYTES) {
      this.fail(new MpcError('MALFORMED_MESSAGE', `truncated frame from party ${from}: ${bytes.length} bytes, header needs ${HEADER_BYTES}`, from), true);
      return;
    }
    if (bytes.length - HEADER_BYTES > this.maxFrameBytes) {
      this.fail(new MpcError('MALFORMED_MESSAGE', `oversize frame from party ${from}: ${bytes.length - HEADER_BYTES} payload bytes, limit ${this.maxFrameBytes}`, from), true);
      return;
    }
    this.stats.received[from] += bytes.length;
    const round = decodeHeader(bytes);
    const payload = bytes.subarray(HEADER_BYTES);
    if (round.protocol === Protocol.Control) {
      this.onControl(from, round, payload);
      return;
    }
    this.queuedBytes[from] += payload.length;
    this.inbox[from].push({ round, payload });
    this.pump(from);
    if (!this.failure && (this.queuedBytes[from] > this.maxQueuedBytes || this.inbox[from].length > this.maxQueuedFrames)) {
      this.fail(
        new MpcError('MALFORMED_MESSAGE', `party ${from} flooded the session: ${this.inbox[from].length} frames (${this.queuedBytes[from]} bytes) ahead of the protocol, limit ${this.maxQueuedFrames} frames / ${this.maxQueuedBytes} bytes`, from),
        true,
      );
    }
  }

  private onControl(from: PartyId, round: RoundId, payload: Uint8Array): void {
    const bad = (why: string): void =>
      this.fail(new MpcError('MALFORMED_MESSAGE', `bad control frame from party ${from}: ${why}`, from), true);
    if (!sameRound(round, ABORT_ROUND)) return bad(`unknown control ${describeRound(round)}`);
    let notice: unknown;
    try {
      notice = JSON.parse(utf8Decode(payload, from));
    } catch {
      return bad('not JSON');
    }
    if (typeof notice !== 'object' || notice === null) return bad('not an object');
    const { code, message, party } = notice as Record<string, unknown>;
    if (!isErrorCode(code)) return bad('unknown error code');
    if (typeof message !== 'string' || message.length > MAX_NOTICE_CHARS) return bad('bad message');
    if (party !== undefined && (typeof party !== 'number' || !Number.isInteger(party) || party < 0 || party >= this.n)) return bad('bad party');
    this.fail(new MpcError(code, `party ${from} aborted: ${message}`, party, from), false);
  }

  private onClosed(peer: PartyId, reason: string): void {
    if (this.failure || !this.isPeer(peer) || this.peerGone[peer] !== undefined) return;
    this.peerGone[peer] = String(reason);
    this.pump(peer);
  }

  /** Match queued frames from `from` with waiting receives, strictly in order. */
  private pump(from: PartyId): void {
    const inbox = this.inbox[from];
    const waiters = this.waiters[from];
    while (!this.failure && waiters.length > 0 && inbox.length > 0) {
      const w = waiters.peek() as Waiter;
      const f = inbox.peek() as Incoming;
      if (!sameRound(w.round, f.round)) {
        this.fail(new MpcError('MALFORMED_MESSAGE', `party ${from} sent ${describeRound(f.round)} while ${describeRound(w.round)} was expected`, from), true);
        return;
      }
      if (w.expectedBytes !== undefined && f.payload.length !== w.expectedBytes) {
        this.fail(new MpcError('MALFORMED_MESSAGE', `party ${from} sent ${f.payload.length} bytes for ${describeRound(w.round)}, expected ${w.expectedBytes}`, from), true);
        return;
      }
      waiters.shift();
      inbox.shift();
      this.queuedBytes[from] -= f.payload.length;
      if (w.timer !== undefined) clearTimeout(w.timer);
      w.resolve(f.payload);
    }
    if (!this.failure && waiters.length > 0 && this.peerGone[from] !== undefined) {
      this.fail(new MpcError('PEER_LEFT', `party ${from} left (${this.peerGone[from]})`, from), true);
    }
  }

  private fail(error: MpcError, notify: boolean): void {
    if (this.failure) return;
    this.failure = error;
    if (notify) {
      const notice = utf8Encode(JSON.stringify({ code: error.code, message: error.message.slice(0, MAX_NOTICE_CHARS), party: error.party }));
      for (const p of this.others) {
        if (this.peerGone[p] !== undefined) continue;
        try {
          this.channel.send(p, encodeFrame(ABORT_ROUND, notice));
        } catch {
          // best effort: the peer will see our channel close instead
        }
      }
    }
    for (const q of this.waiters) {
      for (const w of q.drain()) {
        if (w.timer !== undefined) clearTimeout(w.timer);
        w.reject(error);
      }
    }
    for (const q of this.inbox) q.drain();
    try {
      this.channel.close();
    } catch {
      // closing a broken transport must not mask the original error
    }
    this.markEnded(error);
  }

  private isPeer(p: number): p is PartyId {
    return Number.isInteger(p) && p >= 0 && p < this.n && p !== this.self;
  }

  private checkPeer(p: PartyId): void {
    if (!this.isPeer(p)) throw new MpcError('INVALID_ARGUMENT', `party ${p} is not another member (self ${this.self}, ${this.n} parties)`);
  }
}
