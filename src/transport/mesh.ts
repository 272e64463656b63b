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
 * Security assumption: signaling is untrusted and authenticated by envelopes
 * (signaling-client.ts); frames from peers are untrusted and validated by FrameDecoder.
 * Member ids are chosen by the server: this layer does not prove who a peer is.
 */
import { MpcError } from '../core/errors.ts';
import type { IceServer } from '../shared/signaling.ts';
import type { SignalData } from './envelope.ts';
import { chunkMessage, DEFAULT_MAX_MESSAGE_BYTES, FrameDecoder, type MeshTag } from './framing.ts';
import { createPeerLink, type CreatePeerLink, type PeerLink } from './peer-link.ts';
import { SignalingClient, type SignalingFailure, type WebSocketLike } from './signaling-client.ts';

export type PeerState = 'connecting' | 'connected' | 'closed';

export type MeshEvent =
  | { type: 'welcome'; self: string; peers: string[] }
  | { type: 'peer-state'; peer: string; state: PeerState }
  /** Once per peer: its data channel closed, it sent garbage, or the server said it left. */
  | { type: 'peer-left'; peer: string; reason: string }
  | { type: 'message'; peer: string; tag: MeshTag; bytes: Uint8Array }
  /** Dropped input that did not cost us a peer (bad envelope or server frame). */
  | { type: 'warning'; peer?: string; message: string }
  /** Signaling failed or closed: no new peers can connect; existing links keep working. */
  | { type: 'error'; code: SignalingFailure['code']; message: string };

export interface MeshOptions {
  roomId: string;
  signalKey: Uint8Array;
  onEvent: (e: MeshEvent) => void;
  /** Default: `/ws` on this page's origin. */
  signalingUrl?: string;
  maxMessageBytes?: number;
  /** A link still not open after this long is dropped (peer-left). Default 45 s. */
  connectTimeoutMs?: number;
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
}

export interface Mesh {
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
  /** `send` to every connected peer. */
  broadcast(tag: MeshTag, bytes: Uint8Array): Promise<void>;
  close(): void;
}

interface PeerRecord {
  id: string;
  /** Unset only while createLink runs. */
  link?: PeerLink;
  state: PeerState;
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
const MAX_EARLY_CHUNKS = 1024;

export function createMesh(options: MeshOptions): Mesh {
  const createLink = options.createLink ?? createPeerLink;
  const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const connectTimeoutMs = options.connectTimeoutMs ?? 45_000;
  const peers = new Map<string, PeerRecord>();
  const early = new Map<string, SignalData[]>();
  let self: string | undefined;
  let iceServers: IceServer[] = [];
  let closed = false;

  const emit = (e: MeshEvent) => {
    if (!closed) options.onEvent(e);
  };

  const drop = (rec: PeerRecord, reason: string) => {
    if (rec.state === 'closed') return;
    rec.state = 'closed';
    clearTimeout(rec.timer);
    rec.link?.destroy();
    emit({ type: 'peer-state', peer: rec.id, state: 'closed' });
    emit({ type: 'peer-left', peer: rec.id, reason });
  };

  const receive = (rec: PeerRecord, chunk: Uint8Array) => {
    if (rec.state !== 'connected') return;
    rec.bytesReceived += chunk.length;
    const r = rec.decoder.push(chunk);
    if (!r.ok) drop(rec, `sent a malformed frame: ${r.error}`);
    else if (r.message) emit({ type: 'message', peer: rec.id, tag: r.message.tag, bytes: r.message.bytes });
  };

  const addPeer = (id: string) => {
    if (!self || id === self) return;
    const existing = peers.get(id);
    if (existing && existing.state !== 'closed') return; // duplicate peer-joined
    const rec: PeerRecord = {
      id,
      state: 'connecting',
      decoder: new FrameDecoder(maxMessageBytes),
      queue: Promise.resolve(),
      early: [],
      bytesSent: 0,
      bytesReceived: 0,
    };
    peers.set(id, rec);
    const link = createLink(
      { initiator: self < id, iceServers },
      {
        signal: (data) => {
          if (rec.state !== 'closed') signaling.sendSignal(id, data);
        },
        connect: () => {
          if (rec.state !== 'connecting') return;
          rec.state = 'connected';
          clearTimeout(rec.timer);
          emit({ type: 'peer-state', peer: id, state: 'connected' });
          const early = rec.early;
          rec.early = [];
          for (const chunk of early) receive(rec, chunk);
        },
        data: (chunk) => {
          // The peer may see its side open and send before our side reports `connect`.
          if (rec.state === 'connecting' && rec.early.length < MAX_EARLY_CHUNKS) rec.early.push(chunk);
          else if (rec.state === 'connecting') drop(rec, 'sent too much before the connection opened');
          else receive(rec, chunk);
        },
        close: (reason) => drop(rec, reason),
      },
    );
    rec.link = link;
    if (rec.state === 'closed') return link.destroy();
    emit({ type: 'peer-state', peer: id, state: 'connecting' });
    // WebRTC may never fail explicitly (e.g. no ICE candidates at all), so give up loudly.
    rec.timer = setTimeout(() => {
      if (rec.state === 'connecting') drop(rec, `no direct connection after ${Math.round(connectTimeoutMs / 1000)} s (network or firewall?)`);
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
        emit({ type: 'welcome', self: w.self, peers: w.peers });
        for (const p of w.peers) addPeer(p);
      },
      peerJoined: (id) => addPeer(id),
      peerLeft: (id) => {
        early.delete(id);
        const rec = peers.get(id);
        if (rec) drop(rec, 'left the room');
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
      warning: (w) => emit({ type: 'warning', peer: w.code === 'BAD_ENVELOPE' ? w.from : undefined, message: `${w.code}: ${w.message}` }),
      error: (e) => emit({ type: 'error', code: e.code, message: e.message }),
    },
  );

  const send = (peer: string, tag: MeshTag, bytes: Uint8Array): Promise<void> => {
    if (bytes.length > maxMessageBytes) return Promise.reject(new MpcError('INVALID_ARGUMENT', `message of ${bytes.length} bytes exceeds ${maxMessageBytes}`));
    const rec = peers.get(peer);
    if (!rec || rec.state !== 'connected') return Promise.reject(new MpcError('PEER_LEFT', `peer ${peer} is not connected`));
    const run = async () => {
      for (const chunk of chunkMessage(tag, bytes)) {
        if (rec.state !== 'connected') throw new MpcError('PEER_LEFT', `peer ${peer} left while sending`);
        await rec.link!.sendChunk(chunk);
        rec.bytesSent += chunk.length;
      }
    };
    // Messages to one peer go strictly one after another; a failed one does not block the next.
    const p = rec.queue.then(run);
    rec.queue = p.catch(() => undefined);
    return p;
  };

  return {
    get self() {
      return self;
    },
    peers: () => [...peers.values()].map(({ id, state, bytesSent, bytesReceived }) => ({ id, state, bytesSent, bytesReceived })),
    send,
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
