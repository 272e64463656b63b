/**
 * Test support (not a test): an in-memory signaling server that speaks
 * src/shared/signaling.ts and can be made hostile, in-memory peer links that "connect"
 * through real signaling, and an event log that tests await instead of sleeping.
 *
 * Security assumption: none; used by Node tests only.
 */
import { randomBytes } from 'node:crypto';
import { parseClientMessage, type ServerMessage } from '../shared/signaling.ts';
import type { SignalData } from './envelope.ts';
import type { CreatePeerLink, PeerLink, PeerLinkEvents, PeerPath } from './peer-link.ts';
import type { WebSocketLike } from './signaling-client.ts';

export const memberId = (): string => randomBytes(16).toString('base64url');

/** Events, and promises for the first event that matches a predicate. */
export class EventLog<E> {
  readonly events: E[] = [];
  private waiters: { pred: (e: E) => boolean; resolve: (e: E) => void }[] = [];

  push = (e: E): void => {
    this.events.push(e);
    this.waiters = this.waiters.filter((w) => (w.pred(e) ? (w.resolve(e), false) : true));
  };

  /** Resolves with the first matching event, already logged or future. */
  waitFor(pred: (e: E) => boolean, label = 'event'): Promise<E> {
    const hit = this.events.find(pred);
    if (hit !== undefined) return Promise.resolve(hit);
    return new Promise((resolve, reject) => {
      const w = { pred, resolve: (e: E) => (clearTimeout(t), resolve(e)) };
      // A deadline, not a synchronisation sleep: it only turns a hang into a clear failure.
      const t = setTimeout(() => reject(new Error(`timed out waiting for ${label}`)), 10_000);
      this.waiters.push(w);
    });
  }
}

export interface RelayedFrame {
  from: string;
  to: string;
  data: string;
}

/**
 * In-memory signaling server. Honest by default; `intercept` may drop relays, and
 * `inject` sends any frame to a member, which is how tests play a hostile server.
 */
export class FakeServer {
  readonly sockets = new Map<string, FakeSocket>();
  readonly relayed: RelayedFrame[] = [];
  /** Every relay the server received (before `intercept`), to await. */
  readonly relayLog = new EventLog<RelayedFrame>();
  private readonly rooms = new Map<string, Set<string>>();
  /** Return false to drop a relay. */
  intercept: (f: RelayedFrame) => boolean = () => true;
  /** Ids handed out, in order; tests may preset them to reuse ids (a hostile server). */
  nextIds: string[] = [];
  /** Announce a joiner to the others before (default) or after its welcome. */
  announceFirst = true;
  /** Sent in `welcome` (the client's connect timeout), when set. */
  connectTimeoutMs: number | undefined;
  /** Withhold peer-joined announcements until `releaseAnnouncements()`. */
  holdAnnouncements = false;
  private held: [string, ServerMessage][] = [];

  releaseAnnouncements(): void {
    for (const [to, m] of this.held) this.inject(to, m);
    this.held = [];
  }

  createSocket = (_url: string): WebSocketLike => {
    const id = this.nextIds.shift() ?? memberId();
    const s = new FakeSocket(this, id);
    this.sockets.set(id, s);
    setTimeout(() => s.onopen?.({}), 0);
    return s;
  };

  inject(to: string, m: ServerMessage | string): void {
    this.sockets.get(to)?.deliver(typeof m === 'string' ? m : JSON.stringify(m));
  }

  /** Deliver a relay frame as if `from` sent it (used to replay or re-address envelopes). */
  relayAs(from: string, to: string, data: string): void {
    this.inject(to, { t: 'relay', from, data });
  }

  members(room: string): string[] {
    return [...(this.rooms.get(room) ?? [])];
  }

  /** @internal */
  onFrame(s: FakeSocket, text: string): void {
    const p = parseClientMessage(text);
    if (!p.ok) return this.inject(s.id, { t: 'error', code: 'BAD_MESSAGE', message: p.error });
    const m = p.value;
    if (m.t === 'join') {
      const room = this.rooms.get(m.room) ?? new Set<string>();
      this.rooms.set(m.room, room);
      const others = [...room];
      s.room = m.room;
      room.add(s.id);
      const ct = this.connectTimeoutMs;
      const welcome = () => this.inject(s.id, { t: 'welcome', self: s.id, peers: others, iceServers: [], ...(ct !== undefined ? { connectTimeoutMs: ct } : {}) });
      if (!this.announceFirst) welcome();
      for (const o of others) {
        if (this.holdAnnouncements) this.held.push([o, { t: 'peer-joined', id: s.id }]);
        else this.inject(o, { t: 'peer-joined', id: s.id });
      }
      if (this.announceFirst) welcome();
      return;
    }
    if (!s.room || !this.rooms.get(s.room)?.has(m.to)) return this.inject(s.id, { t: 'error', code: 'UNKNOWN_PEER', message: 'no such peer' });
    const f = { from: s.id, to: m.to, data: m.data };
    this.relayed.push(f);
    this.relayLog.push(f);
    if (this.intercept(f)) this.relayAs(f.from, f.to, f.data);
  }

  /** @internal */
  onClose(s: FakeSocket): void {
    const room = s.room ? this.rooms.get(s.room) : undefined;
    if (!room?.delete(s.id)) return;
    for (const o of room) this.inject(o, { t: 'peer-left', id: s.id });
  }
}

class FakeSocket implements WebSocketLike {
  readyState = 1;
  room: string | undefined;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code?: number; reason?: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;

  constructor(
    private readonly server: FakeServer,
    readonly id: string,
  ) {}

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('socket closed');
    // Asynchronous like a network, order preserved (timers fire in order).
    setTimeout(() => this.server.onFrame(this, data), 0);
  }

  /** Server → this client. */
  deliver(text: string): void {
    setTimeout(() => {
      if (this.readyState === 1) this.onmessage?.({ data: text });
    }, 0);
  }

  close(code = 1000, reason = ''): void {
    if (this.readyState !== 1) return;
    this.readyState = 3;
    setTimeout(() => {
      this.server.onClose(this);
      this.onclose?.({ code, reason });
    }, 0);
  }

  /** The server drops us. */
  kill(): void {
    this.close(1006, 'gone');
  }
}

/**
 * In-memory peer links: the initiator "offers" a token, the answerer looks it up and the
 * two are wired together. Chunks are delivered asynchronously and in order.
 */
export class FakeLinkNet {
  private readonly byToken = new Map<string, FakeLink>();
  readonly links: FakeLink[] = [];
  /** If set, the answering side reports `connect` only when this resolves. */
  answererOpens: Promise<void> | undefined;

  createLink: CreatePeerLink = (options, events) => {
    const link = new FakeLink(this, options.initiator, events);
    this.byToken.set(link.token, link);
    this.links.push(link);
    return link;
  };

  /** @internal */
  find(token: string): FakeLink | undefined {
    return this.byToken.get(token);
  }
}

/** A well-formed `sha-256 AB:…` fingerprint derived from a link token. */
export function fakeFingerprint(token: string): string {
  const hex = Buffer.from(token, 'base64url').toString('hex').toUpperCase().padEnd(64, '0');
  return `sha-256 ${hex.match(/../g)!.join(':')}`;
}

export class FakeLink implements PeerLink {
  readonly token = memberId();
  remote: FakeLink | undefined;
  closed = false;
  connected = false;
  bufferedAmount = 0;

  constructor(
    private readonly net: FakeLinkNet,
    readonly initiator: boolean,
    readonly events: PeerLinkEvents,
  ) {
    if (initiator) setTimeout(() => this.emitSignal({ type: 'offer', sdp: this.token }), 0);
  }

  private emitSignal(d: SignalData): void {
    if (this.closed) return;
    this.events.signal(d);
    this.events.signal({ type: 'candidate', candidate: { candidate: `candidate:${this.token}`, sdpMid: '0', sdpMLineIndex: 0 } });
  }

  signal(d: SignalData): void {
    if (this.closed || d.type === 'candidate') return;
    const other = d.type === 'offer' || d.type === 'answer' ? this.net.find(d.sdp) : undefined;
    if (!other || other.closed) return;
    this.remote = other;
    if (d.type === 'offer' && !this.initiator) this.emitSignal({ type: 'answer', sdp: this.token });
    if (d.type === 'answer' && this.initiator) {
      other.remote = this;
      setTimeout(() => this.open(), 0);
      void (this.net.answererOpens ?? Promise.resolve()).then(() => setTimeout(() => other.open(), 0));
    }
  }

  private open(): void {
    if (this.closed || this.connected) return;
    this.connected = true;
    this.events.connect();
  }

  /** The channel is open from this end (the remote may not have reported `connect` yet). */
  private get channelOpen(): boolean {
    return this.connected || (this.remote?.connected ?? false);
  }

  async sendChunk(chunk: Uint8Array): Promise<void> {
    const r = this.remote;
    if (this.closed || !this.channelOpen || !r) throw new Error('fake link not open');
    const copy = chunk.slice();
    setTimeout(() => {
      if (!r.closed) r.events.data(copy);
    }, 0);
  }

  /**
   * A MITM relaying this link would terminate DTLS with its own certificate: tests set
   * `seenRemoteFingerprint` to what this end then sees in its remote SDP.
   */
  seenRemoteFingerprint: string | undefined;

  fingerprints(): { local: string; remote: string } | undefined {
    if (!this.remote) return undefined;
    return { local: fakeFingerprint(this.token), remote: this.seenRemoteFingerprint ?? fakeFingerprint(this.remote.token) };
  }

  async path(): Promise<PeerPath | undefined> {
    return this.connected ? { kind: 'direct', local: 'host', remote: 'host' } : undefined;
  }

  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    setTimeout(() => this.events.close('closed locally'), 0);
    const r = this.remote;
    if (r && !r.closed) {
      r.closed = true;
      setTimeout(() => r.events.close('remote closed'), 0);
    }
  }
}
