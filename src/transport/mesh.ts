/**
 * Full mesh of data channels between all members of one room (DESIGN §1 step 3).
 *
 * Who connects to whom: a joining member learns the others from `welcome.peers`, existing
 * members learn it from `peer-joined`; both sides then create their link at once, and the
 * member with the lower id (string order) is the initiator, so two offers never cross.
 * Races handled here: a signal from a member we do not know yet (queued until the server
 * announces it), `peer-left` while connecting (link destroyed), a duplicate `peer-joined`
 * (ignored), and a malformed frame (peer dropped, reported).
 *
 * Sending: messages to one peer are queued (never interleaved), cut into ≤ 64 KiB chunks
 * (framing.ts) and passed to the link with backpressure (peer-link.ts), so multi-MB
 * messages do not overflow Chrome's data channel buffer.
 *
 * Identity (identity.ts): once a data channel opens, both ends run the identity handshake
 * on the internal tag; the peer is reported `connected` only after it proved that the
 * holder of its Ed25519 key is the other end of this DTLS connection. Until then no
 * message is delivered and `send` refuses; a failed proof drops the link with a warning
 * naming the member. Then the group safety code exchange (safety-exchange.ts) runs on the
 * same tag over every authenticated peer: a new exchange whenever the set of authenticated
 * keys changes, and a peer that violates it is dropped with a warning. The code is what
 * people compare by voice to rule out an insider in the middle.
 *
 * Security assumption: signaling is untrusted and authenticated by envelopes
 * (signaling-client.ts); frames from peers are untrusted and validated by FrameDecoder
 * (sizes per tag), the handshake, and a control-message rate limit. Member ids are chosen
 * by the server; keys are per session and unknown in advance, so who is behind a key is
 * established only by comparing the safety code.
 */
import { MpcError } from '../core/errors.ts';
import type { IceServer, IceTransportPolicy } from '../shared/signaling.ts';
import type { SignalData } from './envelope.ts';
import { chunkMessage, DEFAULT_MAX_MESSAGE_BYTES, FrameDecoder, IDENTITY_TAG, MeshTag, type FrameTag } from './framing.ts';
import { encodePublicKey, IdentityHandshake, newIdentityKey, PROOF_BYTES, type IdentityKey } from './identity.ts';
import { isSafetyMessage, SafetyExchange, type SafetyState } from './safety-exchange.ts';
import { createPeerLink, type CreatePeerLink, type PeerLink, type PeerPath } from './peer-link.ts';
import { SignalingClient, type SignalingFailure, type WebSocketLike } from './signaling-client.ts';

export type PeerState = 'connecting' | 'connected' | 'closed';

/**
 * Why a peer is gone, for code to branch on (the reason is words for people):
 * `LEFT` the server said so; `CLOSED` its channel closed; `UNREACHABLE` no connection within
 * the timeout; `UNAUTHENTICATED` it never proved its identity or broke the safety-code
 * exchange; `MISBEHAVED` it flooded or sent malformed frames.
 */
export type PeerLeftCode = 'LEFT' | 'CLOSED' | 'UNREACHABLE' | 'UNAUTHENTICATED' | 'MISBEHAVED';

export type MeshEvent =
  | { type: 'welcome'; self: string; peers: string[] }
  | { type: 'peer-state'; peer: string; state: PeerState }
  /** The peer proved its key (just before its `connected` state). */
  | { type: 'identity'; peer: string; publicKey: string }
  /** The group safety code started a new exchange (`establishing`) or became final. */
  | { type: 'safety-code'; state: SafetyState }
  /** Once per peer: its data channel closed, it sent garbage, or the server said it left. */
  | { type: 'peer-left'; peer: string; reason: string; code: PeerLeftCode }
  | { type: 'message'; peer: string; tag: MeshTag; bytes: Uint8Array }
  /**
   * Dropped input that did not cost us a peer (bad envelope or server frame), or, with code
   * `REFUSED`, the announcement that we refuse a member's connection (its peer-left follows).
   */
  | { type: 'warning'; peer?: string; message: string; code: string }
  /** Signaling failed or closed: no new peers can connect; existing links keep working. */
  | { type: 'error'; code: SignalingFailure['code']; message: string };

export interface MeshOptions {
  roomId: string;
  signalKey: Uint8Array;
  onEvent: (e: MeshEvent) => void;
  /** Default: `/ws` on this page's origin. */
  signalingUrl?: string;
  maxMessageBytes?: number;
  /**
   * A link not open and authenticated after this long is dropped (peer-left). Default: the
   * server's `welcome.connectTimeoutMs`, else 45 s.
   */
  connectTimeoutMs?: number;
  /** Largest control message accepted from a peer. Default 64 KiB. */
  maxControlBytes?: number;
  /** Control messages per second per peer (burst 4×) before the peer is dropped as a flood. Default 100. */
  controlRatePerSecond?: number;
  /** This session's identity key; default a fresh one (tests inject keys). */
  identity?: IdentityKey;
  /** Test seams. */
  createSocket?: (url: string) => WebSocketLike;
  createLink?: CreatePeerLink;
}

export interface PeerInfo {
  id: string;
  state: PeerState;
  /** Bytes on the data channel, framing headers included. */
  bytesSent: number;
  bytesReceived: number;
  /** Bytes handed to the data channel but not yet sent (a process about to exit waits for 0). */
  buffered: number;
  /** base64url Ed25519 public key, once the peer proved it (state `connected`). */
  publicKey?: string;
}

export interface Mesh {
  readonly roomId: string;
  /** Our base64url Ed25519 public key for this session. */
  readonly publicKey: string;
  /** Our member id once the server welcomed us. */
  readonly self: string | undefined;
  peers(): PeerInfo[];
  /**
   * Queue a message to a connected peer. Resolves once its last chunk is handed to the data
   * channel; rejects with MpcError PEER_LEFT if the peer is not connected or leaves.
   * The caller must not modify `bytes` afterwards.
   */
  send(peer: string, tag: MeshTag, bytes: Uint8Array): Promise<void>;
  /** DTLS fingerprints of the link to `peer` (see PeerLink.fingerprints). */
  fingerprints(peer: string): { local: string; remote: string } | undefined;
  /** Whether the selected ICE path to `peer` is direct or via TURN (undefined if unknown). */
  path(peer: string): Promise<PeerPath | undefined>;
  /** The group safety code over our key and every connected peer's key (safety-exchange.ts). */
  safetyCode(): SafetyState;
  /** `send` to every connected peer. */
  broadcast(tag: MeshTag, bytes: Uint8Array): Promise<void>;
  close(): void;
}

interface PeerRecord {
  id: string;
  /** Unset only while createLink runs. */
  link?: PeerLink;
  state: PeerState;
  /** The data channel is open (the identity handshake may still be running). */
  open: boolean;
  handshake?: IdentityHandshake;
  /** The proven identity key, raw and base64url. */
  key?: Uint8Array;
  publicKey?: string;
  /** Control-message token bucket. */
  tokens: number;
  refilled: number;
  /** Until the peer is authenticated, messages above PROOF_BYTES fail on their first chunk. */
  decoder: FrameDecoder;
  queue: Promise<void>;
  timer?: ReturnType<typeof setTimeout>;
  /** Chunks that arrived before our `connect` (simple-peer emits it only after a getStats round). */
  early: Uint8Array[];
  bytesSent: number;
  bytesReceived: number;
}

const MAX_EARLY_PEERS = 64;
const MAX_EARLY_SIGNALS = 64;
/** Before our side opens, an honest peer can only have sent its identity offer (one chunk). */
const MAX_EARLY_CHUNKS = 8;

export function createMesh(options: MeshOptions): Mesh {
  const createLink = options.createLink ?? createPeerLink;
  const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  let connectTimeoutMs = options.connectTimeoutMs ?? 45_000;
  const controlRate = options.controlRatePerSecond ?? 100;
  const identity = options.identity ?? newIdentityKey();
  const publicKey = encodePublicKey(identity.publicKey);
  const tagLimits = { [MeshTag.Control]: options.maxControlBytes ?? 64 * 1024, [IDENTITY_TAG]: PROOF_BYTES };
  const peers = new Map<string, PeerRecord>();
  const early = new Map<string, SignalData[]>();
  let self: string | undefined;
  let iceServers: IceServer[] = [];
  let iceTransportPolicy: IceTransportPolicy | undefined;
  let closed = false;

  const emit = (e: MeshEvent) => {
    if (!closed) options.onEvent(e);
  };

  const safety = new SafetyExchange({
    roomId: options.roomId,
    publicKey: identity.publicKey,
    send: (peer, bytes) => {
      const rec = peers.get(peer);
      if (rec?.state === 'connected') void enqueue(rec, IDENTITY_TAG, bytes).catch(() => undefined);
    },
    onState: (state) => emit({ type: 'safety-code', state }),
  });
  /** The set of authenticated keys changed: the safety code needs the exchange of the new set. */
  const rosterChanged = () => {
    if (closed) return;
    safety.setPeers(new Map([...peers.values()].filter((r) => r.state === 'connected' && r.key).map((r) => [r.id, r.key!])));
  };

  const drop = (rec: PeerRecord, code: PeerLeftCode, reason: string) => {
    if (rec.state === 'closed') return;
    const wasConnected = rec.state === 'connected';
    rec.state = 'closed';
    clearTimeout(rec.timer);
    rec.link?.destroy();
    emit({ type: 'peer-state', peer: rec.id, state: 'closed' });
    emit({ type: 'peer-left', peer: rec.id, reason, code });
    if (wasConnected) rosterChanged();
  };

  /** Refused to authenticate: the UI hears a warning naming the member, then peer-left. */
  const refuse = (rec: PeerRecord, why: string) => {
    emit({ type: 'warning', peer: rec.id, code: 'REFUSED', message: `refused the connection to ${rec.id}: ${why}` });
    drop(rec, 'UNAUTHENTICATED', `could not prove its identity (${why})`);
  };

  const authenticated = (rec: PeerRecord, key: Uint8Array) => {
    rec.key = key;
    rec.publicKey = encodePublicKey(key);
    rec.state = 'connected';
    // The proof just completed, so the stream is between messages: switch to full limits.
    rec.decoder = new FrameDecoder(maxMessageBytes, tagLimits);
    clearTimeout(rec.timer);
    emit({ type: 'identity', peer: rec.id, publicKey: rec.publicKey });
    emit({ type: 'peer-state', peer: rec.id, state: 'connected' });
    rosterChanged();
  };

  const onIdentityFrame = (rec: PeerRecord, bytes: Uint8Array) => {
    if (isSafetyMessage(bytes)) {
      if (rec.state !== 'connected' || !rec.key) return refuse(rec, 'safety-code message before proving its identity');
      if (!takeControlToken(rec)) return drop(rec, 'MISBEHAVED', `flooded safety-code messages (more than ${controlRate} per second)`);
      const error = safety.receive(rec.id, rec.key, bytes);
      if (error) {
        emit({ type: 'warning', peer: rec.id, code: 'REFUSED', message: `refused the connection to ${rec.id}: the safety code exchange failed: ${error}` });
        return drop(rec, 'UNAUTHENTICATED', `broke the safety code exchange (${error})`);
      }
      return;
    }
    if (!rec.handshake) return refuse(rec, 'identity message before the channel opened');
    const r = rec.handshake.receive(bytes);
    if (!r.ok) return refuse(rec, r.error);
    if (r.reply) void enqueue(rec, IDENTITY_TAG, r.reply).catch(() => undefined);
    if (r.verified) authenticated(rec, r.verified);
  };

  /** Token bucket: a peer flooding control messages is dropped, never buffered without bound. */
  const takeControlToken = (rec: PeerRecord): boolean => {
    const now = Date.now();
    rec.tokens = Math.min(4 * controlRate, rec.tokens + ((now - rec.refilled) / 1000) * controlRate);
    rec.refilled = now;
    if (rec.tokens < 1) return false;
    rec.tokens--;
    return true;
  };

  const receive = (rec: PeerRecord, chunk: Uint8Array) => {
    if (rec.state === 'closed' || !rec.open) return;
    rec.bytesReceived += chunk.length;
    const r = rec.decoder.push(chunk);
    if (!r.ok && rec.state !== 'connected') return refuse(rec, `malformed frame before proving its identity: ${r.error}`);
    if (!r.ok) return drop(rec, 'MISBEHAVED', `sent a malformed frame: ${r.error}`);
    if (!r.message) return;
    const { tag, bytes } = r.message;
    if (tag === IDENTITY_TAG) return onIdentityFrame(rec, bytes);
    if (rec.state !== 'connected') return refuse(rec, 'sent data before proving its identity');
    if (tag === MeshTag.Control && !takeControlToken(rec)) return drop(rec, 'MISBEHAVED', `flooded control messages (more than ${controlRate} per second)`);
    emit({ type: 'message', peer: rec.id, tag, bytes });
  };

  const addPeer = (id: string) => {
    if (!self || id === self) return;
    const existing = peers.get(id);
    if (existing && existing.state !== 'closed') return; // duplicate peer-joined
    const rec: PeerRecord = {
      id,
      state: 'connecting',
      open: false,
      tokens: 4 * controlRate,
      refilled: Date.now(),
      decoder: new FrameDecoder(PROOF_BYTES),
      queue: Promise.resolve(),
      early: [],
      bytesSent: 0,
      bytesReceived: 0,
    };
    peers.set(id, rec);
    const link = createLink(
      { initiator: self < id, iceServers, ...(iceTransportPolicy ? { iceTransportPolicy } : {}) },
      {
        signal: (data) => {
          if (rec.state !== 'closed') signaling.sendSignal(id, data);
        },
        connect: () => {
          if (rec.state !== 'connecting' || rec.open) return;
          rec.open = true;
          // The handshake reads the fingerprints only when the peer's messages arrive.
          rec.handshake = new IdentityHandshake(identity, options.roomId, () => rec.link?.fingerprints());
          void enqueue(rec, IDENTITY_TAG, rec.handshake.start()).catch(() => undefined);
          const early = rec.early;
          rec.early = [];
          for (const chunk of early) receive(rec, chunk);
        },
        data: (chunk) => {
          // The peer may see its side open and send before our side reports `connect`.
          if (rec.state === 'connecting' && !rec.open && rec.early.length < MAX_EARLY_CHUNKS) rec.early.push(chunk);
          else if (rec.state === 'connecting' && !rec.open) drop(rec, 'MISBEHAVED', 'sent too much before the connection opened');
          else receive(rec, chunk);
        },
        close: (reason) => drop(rec, 'CLOSED', reason),
      },
    );
    rec.link = link;
    if (rec.state === 'closed') return link.destroy();
    emit({ type: 'peer-state', peer: id, state: 'connecting' });
    // WebRTC may never fail explicitly (e.g. no ICE candidates at all), so give up loudly.
    rec.timer = setTimeout(() => {
      if (rec.state !== 'connecting') return;
      if (rec.open) refuse(rec, `no identity proof within ${Math.round(connectTimeoutMs / 1000)} s`);
      else drop(rec, 'UNREACHABLE', `could not connect to ${id}: no direct connection after ${Math.round(connectTimeoutMs / 1000)} s (network or firewall?)`);
    }, connectTimeoutMs);
    const queued = early.get(id);
    early.delete(id);
    for (const s of queued ?? []) link.signal(s);
  };

  const signaling = new SignalingClient(
    { roomId: options.roomId, signalKey: options.signalKey, url: options.signalingUrl, createSocket: options.createSocket },
    {
      welcome: (w) => {
        self = w.self;
        iceServers = w.iceServers;
        iceTransportPolicy = w.iceTransportPolicy;
        if (options.connectTimeoutMs === undefined && w.connectTimeoutMs !== undefined) connectTimeoutMs = w.connectTimeoutMs;
        emit({ type: 'welcome', self: w.self, peers: w.peers });
        for (const p of w.peers) addPeer(p);
      },
      peerJoined: (id) => addPeer(id),
      peerLeft: (id) => {
        early.delete(id);
        const rec = peers.get(id);
        if (rec) drop(rec, 'LEFT', 'left the room');
      },
      signal: (from, data) => {
        const rec = peers.get(from);
        if (rec) {
          if (rec.state !== 'closed') rec.link?.signal(data);
          return;
        }
        // Not announced yet (the server may order a relay before peer-joined): hold it.
        const q = early.get(from) ?? [];
        if (q.length >= MAX_EARLY_SIGNALS || (!early.has(from) && early.size >= MAX_EARLY_PEERS)) return;
        q.push(data);
        early.set(from, q);
      },
      warning: (w) => emit({ type: 'warning', peer: w.code === 'BAD_ENVELOPE' ? w.from : undefined, code: w.code, message: `${w.code}: ${w.message}` }),
      error: (e) => emit({ type: 'error', code: e.code, message: e.message }),
    },
  );

  /** Queue a frame on an open channel (handshake frames go before `connected`). */
  const enqueue = (rec: PeerRecord, tag: FrameTag, bytes: Uint8Array): Promise<void> => {
    const peer = rec.id;
    const run = async () => {
      for (const chunk of chunkMessage(tag, bytes)) {
        if (rec.state === 'closed') throw new MpcError('PEER_LEFT', `peer ${peer} left while sending`);
        await rec.link!.sendChunk(chunk);
        rec.bytesSent += chunk.length;
      }
    };
    // Messages to one peer go strictly one after another; a failed one does not block the next.
    const p = rec.queue.then(run);
    rec.queue = p.catch(() => undefined);
    return p;
  };

  const send = (peer: string, tag: MeshTag, bytes: Uint8Array): Promise<void> => {
    if (bytes.length > maxMessageBytes) return Promise.reject(new MpcError('INVALID_ARGUMENT', `message of ${bytes.length} bytes exceeds ${maxMessageBytes}`));
    const rec = peers.get(peer);
    if (!rec || rec.state !== 'connected') return Promise.reject(new MpcError('PEER_LEFT', `peer ${peer} is not connected`));
    return enqueue(rec, tag, bytes);
  };

  return {
    get self() {
      return self;
    },
    roomId: options.roomId,
    publicKey,
    peers: () =>
      [...peers.values()].map(({ id, state, bytesSent, bytesReceived, publicKey: key, link }) => ({
        id,
        state,
        bytesSent,
        bytesReceived,
        buffered: state === 'closed' ? 0 : (link?.bufferedAmount ?? 0),
        ...(key && state === 'connected' ? { publicKey: key } : {}),
      })),
    send,
    path: async (peer) => {
      const rec = peers.get(peer);
      return rec?.state === 'connected' ? rec.link?.path() : undefined;
    },
    safetyCode: () => safety.state,
    fingerprints: (peer) => {
      const rec = peers.get(peer);
      return rec && rec.state !== 'closed' ? rec.link?.fingerprints() : undefined;
    },
    broadcast: async (tag, bytes) => {
      const targets = [...peers.values()].filter((r) => r.state === 'connected');
      await Promise.all(targets.map((r) => send(r.id, tag, bytes)));
    },
    close: () => {
      if (closed) return;
      closed = true;
      signaling.close();
      for (const rec of peers.values()) {
        rec.state = 'closed';
        clearTimeout(rec.timer);
        rec.link?.destroy();
      }
      early.clear();
    },
  };
}
