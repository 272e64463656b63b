/**
 * Browser client of the signaling server (src/shared/signaling.ts): one WebSocket at
 * `/ws` of the app's own origin, joined to one room. It seals every outgoing signal and
 * opens every incoming one (envelope.ts), so the rest of the transport only ever sees
 * authenticated, fresh signals from room members.
 *
 * Freshness handshake: on `welcome` we send a sealed `hello` (carrying our session id) to
 * every member, and to every later `peer-joined`; signals to a peer wait until its hello
 * (or a fresh signal) told us its session id.
 *
 * Security assumption: the server is untrusted. Everything it sends is validated by
 * parseServerMessage; envelopes that fail to open are dropped and reported as `warning`
 * events (never delivered), so a hostile server can only delay, drop or disconnect.
 */
import {
  LIMITS,
  parseServerMessage,
  type ClientMessage,
  type IceServer,
  type IceTransportPolicy,
  type SignalingErrorCode,
} from '../shared/signaling.ts';
import { EnvelopeSession, type EnvelopeRejection, type SignalData } from './envelope.ts';

/** What we need of a WebSocket (the browser's, or `ws` in Node tests). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code?: number; reason?: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export interface Welcome {
  self: string;
  peers: string[];
  iceServers: IceServer[];
  /** 'relay': use TURN relay candidates only (server configuration, like iceServers). */
  iceTransportPolicy?: IceTransportPolicy;
  /** The server's suggested peer connect timeout (already clamped by the parser). */
  connectTimeoutMs?: number;
}

export type SignalingWarning =
  | { code: 'BAD_FRAME'; message: string; count: number }
  | { code: 'BAD_ENVELOPE'; from: string; reason: EnvelopeRejection; message: string; count: number };

export type SignalingFailure = { code: SignalingErrorCode | 'SOCKET_CLOSED'; message: string };

export interface SignalingEvents {
  welcome(w: Welcome): void;
  peerJoined(id: string): void;
  peerLeft(id: string): void;
  /** An authenticated, fresh signal from a room member. */
  signal(from: string, data: SignalData): void;
  /** Something was dropped (malformed frame, envelope that failed to open). */
  warning(w: SignalingWarning): void;
  /** A server error message, or the socket closed (then nothing else is emitted). */
  error(e: SignalingFailure): void;
}

export interface SignalingOptions {
  roomId: string;
  signalKey: Uint8Array;
  /** Default: `/ws` on this page's origin. */
  url?: string;
  createSocket?: (url: string) => WebSocketLike;
}

export function defaultSignalingUrl(): string {
  return `${location.origin.replace(/^http/, 'ws')}/ws`;
}

/** Stay under the server's limit (LIMITS.ratePerSecond, burst 2×) with some margin. */
const SEND_RATE = LIMITS.ratePerSecond * 0.8;
const SEND_BURST = LIMITS.ratePerSecond;
const MAX_PENDING = 512;

export class SignalingClient {
  private readonly socket: WebSocketLike;
  private readonly envelopes: EnvelopeSession;
  private selfId: string | undefined;
  private closed = false;
  private readonly peerSid = new Map<string, string>();
  private readonly pendingSignals = new Map<string, SignalData[]>();
  private earlyRelays: { from: string; data: string }[] = [];
  private readonly outbox: string[] = [];
  private tokens: number = SEND_BURST;
  private lastRefill = Date.now();
  private pumpTimer: ReturnType<typeof setTimeout> | undefined;
  private warnings = 0;

  constructor(
    private readonly options: SignalingOptions,
    private readonly events: SignalingEvents,
  ) {
    this.envelopes = new EnvelopeSession(options.signalKey, options.roomId);
    const url = options.url ?? defaultSignalingUrl();
    this.socket = options.createSocket ? options.createSocket(url) : (new WebSocket(url) as unknown as WebSocketLike);
    this.socket.onopen = () => this.sendNow({ t: 'join', room: options.roomId });
    this.socket.onmessage = (ev) => this.receive(ev.data);
    this.socket.onerror = () => undefined; // the close event that follows carries the outcome
    this.socket.onclose = (ev) => this.fail('SOCKET_CLOSED', `signaling connection closed${ev.code ? ` (${ev.code}${ev.reason ? ` ${ev.reason}` : ''})` : ''}`);
  }

  /** Our member id, once welcomed. */
  get self(): string | undefined {
    return this.selfId;
  }

  /** Envelopes and frames dropped so far. */
  get droppedCount(): number {
    return this.warnings;
  }

  /** Seal and relay a signal to a member (queued until we know its session id). */
  sendSignal(to: string, data: SignalData): void {
    if (this.closed || !this.selfId) return;
    const sid = this.peerSid.get(to);
    if (sid === undefined) {
      const q = this.pendingSignals.get(to) ?? [];
      if (q.length < MAX_PENDING) q.push(data);
      this.pendingSignals.set(to, q);
      return;
    }
    this.relay(to, this.envelopes.seal(this.selfId, to, { kind: 'signal', to: sid, data }));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.pumpTimer);
    this.socket.onclose = null;
    this.socket.close(1000, 'bye');
  }

  // Feeding a frame here is what the socket does; tests use it to play a hostile server.
  /** @internal */
  receive(text: unknown): void {
    if (this.closed) return;
    const parsed = parseServerMessage(text);
    if (!parsed.ok) return this.warn({ code: 'BAD_FRAME', message: parsed.error, count: 0 });
    const m = parsed.value;
    switch (m.t) {
      case 'welcome':
        if (this.selfId) return this.warn({ code: 'BAD_FRAME', message: 'second welcome', count: 0 });
        this.selfId = m.self;
        this.events.welcome({ self: m.self, peers: m.peers.filter((p) => p !== m.self), iceServers: m.iceServers, iceTransportPolicy: m.iceTransportPolicy, connectTimeoutMs: m.connectTimeoutMs });
        for (const p of m.peers) if (p !== m.self) this.hello(p);
        for (const r of this.earlyRelays) this.openRelay(r.from, r.data);
        this.earlyRelays = [];
        return;
      case 'peer-joined':
        if (!this.selfId || m.id === this.selfId) return;
        this.hello(m.id);
        this.events.peerJoined(m.id);
        return;
      case 'peer-left':
        this.peerSid.delete(m.id);
        this.pendingSignals.delete(m.id);
        this.events.peerLeft(m.id);
        return;
      case 'relay':
        if (!this.selfId) {
          if (this.earlyRelays.length < MAX_PENDING) this.earlyRelays.push({ from: m.from, data: m.data });
          return;
        }
        return this.openRelay(m.from, m.data);
      case 'error':
        this.events.error({ code: m.code, message: m.message });
        return;
    }
  }

  private openRelay(from: string, data: string): void {
    const self = this.selfId;
    if (!self) return;
    const r = this.envelopes.open(from, self, data);
    if (!r.ok) return this.warn({ code: 'BAD_ENVELOPE', from, reason: r.reason, message: r.message, count: 0 });
    // A hello, or a signal that named our current session, tells us the sender's session id.
    if (!this.peerSid.has(from)) {
      this.peerSid.set(from, r.value.sid);
      const q = this.pendingSignals.get(from);
      this.pendingSignals.delete(from);
      for (const d of q ?? []) this.sendSignal(from, d);
    }
    if (r.value.kind === 'signal') this.events.signal(from, r.value.data);
  }

  private hello(to: string): void {
    if (this.selfId) this.relay(to, this.envelopes.seal(this.selfId, to, { kind: 'hello' }));
  }

  private warn(w: SignalingWarning): void {
    this.warnings++;
    this.events.warning({ ...w, count: this.warnings });
  }

  private fail(code: SignalingFailure['code'], message: string): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.pumpTimer);
    this.events.error({ code, message });
  }

  private relay(to: string, data: string): void {
    this.outbox.push(JSON.stringify({ t: 'relay', to, data } satisfies ClientMessage));
    this.pump();
  }

  private sendNow(m: ClientMessage): void {
    if (!this.closed) this.socket.send(JSON.stringify(m));
  }

  /** Token bucket, so a burst of ICE candidates to many peers is not rate-limited by the server. */
  private pump(): void {
    if (this.pumpTimer !== undefined || this.closed) return;
    const now = Date.now();
    this.tokens = Math.min(SEND_BURST, this.tokens + ((now - this.lastRefill) / 1000) * SEND_RATE);
    this.lastRefill = now;
    while (this.outbox.length && this.tokens >= 1) {
      this.tokens--;
      this.socket.send(this.outbox.shift()!);
    }
    if (this.outbox.length) {
      this.pumpTimer = setTimeout(() => {
        this.pumpTimer = undefined;
        this.pump();
      }, Math.ceil(1000 / SEND_RATE));
    }
  }
}
