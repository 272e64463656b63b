/**
 * One WebRTC data channel to one peer, wrapping one simple-peer instance. This is the only
 * module that imports simple-peer (lint-enforced, STYLE §10).
 *
 * We import simple-peer's prebuilt bundle (`simple-peer/simplepeer.min.js`, browserify UMD
 * with its own Buffer/stream/events polyfills) rather than its source, which needs Node
 * polyfills under Vite (DESIGN §5). That keeps polyfills and `global` shims out of the rest
 * of the app and vite.config.ts unchanged. Types come from @types/simple-peer.
 *
 * Backpressure: Chrome closes a data channel on messages > 256 KiB and when ~16 MiB are
 * buffered, so callers send chunks of ≤ 64 KiB (framing.ts) through `sendChunk`, whose
 * promise resolves only once the channel's buffer is below HIGH_WATER (it waits for
 * `bufferedamountlow` at LOW_WATER; where the channel has no such event, as in Node's
 * @roamhq/wrtc, it polls `bufferedAmount`).
 *
 * Node: `createPeerLinkWith(wrtc)` runs the same code over a WebRTC implementation for Node
 * (simple-peer's `wrtc` option); src/cli does this with @roamhq/wrtc (libwebrtc).
 *
 * Security assumption: none beyond WebRTC's (DTLS encrypts and authenticates the channel to
 * the fingerprint in the signaled SDP; the SDP itself is protected by envelope.ts). Bytes
 * from the peer are untrusted and go to framing.ts for validation.
 */
import SimplePeerBundle from 'simple-peer/simplepeer.min.js';
import type SimplePeerTypes from 'simple-peer';
import { MpcError } from '../core/errors.ts';
import type { IceServer, IceTransportPolicy } from '../shared/signaling.ts';
import type { SignalData } from './envelope.ts';
import { selectedPath, type PeerPath, type StatsLike } from './ice-path.ts';

export type { PeerPath } from './ice-path.ts';

const SimplePeer = SimplePeerBundle as SimplePeerTypes.SimplePeer;

export const HIGH_WATER = 1024 * 1024;
export const LOW_WATER = 256 * 1024;
/** Buffer polling interval where the channel has no `bufferedamountlow` event. */
const POLL_MS = 2;

export interface PeerLinkOptions {
  initiator: boolean;
  iceServers: IceServer[];
  /** RTCConfiguration.iceTransportPolicy; unset = the browser's default ('all'). */
  iceTransportPolicy?: IceTransportPolicy;
}

export interface PeerLinkEvents {
  /** Signaling data to relay (sealed) to the peer. */
  signal(data: SignalData): void;
  /** The data channel is open. */
  connect(): void;
  data(bytes: Uint8Array): void;
  /** Emitted once, after which nothing else is emitted. */
  close(reason: string): void;
}

export interface PeerLink {
  /** Feed signaling data that arrived (authenticated) from the peer. */
  signal(data: SignalData): void;
  /** Send one chunk (≤ 64 KiB). Resolves when more may be sent; rejects (PEER_LEFT) if the link is closed. */
  sendChunk(chunk: Uint8Array): Promise<void>;
  /** Bytes queued in the data channel, not yet sent. */
  readonly bufferedAmount: number;
  /**
   * DTLS certificate fingerprints (`sha-256 AB:CD:…`) from the local and remote SDP, once
   * both are set; what the identity layer signs (DESIGN §1 step 3).
   */
  fingerprints(): { local: string; remote: string } | undefined;
  /** The selected ICE path (RTCPeerConnection.getStats), once connected. */
  path(): Promise<PeerPath | undefined>;
  destroy(): void;
}

/**
 * The DTLS fingerprint of an SDP (`a=fingerprint:` lines), or undefined if there is none or
 * if several lines disagree: an SDP offering alternative certificates is not one we sign or
 * accept (the identity handshake binds exactly one certificate).
 */
export function sdpFingerprint(sdp: string | undefined): string | undefined {
  if (!sdp) return undefined;
  const found = new Set<string>();
  for (const m of sdp.matchAll(/^a=fingerprint:(\S+) ([0-9A-Fa-f:]+)\s*$/gm)) found.add(`${m[1].toLowerCase()} ${m[2].toUpperCase()}`);
  if (found.size !== 1) return undefined;
  const m = /^a=fingerprint:(\S+ [0-9A-Fa-f:]+)\s*$/m.exec(sdp);
  return m ? m[1] : undefined;
}

export type CreatePeerLink = (options: PeerLinkOptions, events: PeerLinkEvents) => PeerLink;

/**
 * A WebRTC implementation for runtimes without one built in (the Node party passes
 * @roamhq/wrtc): simple-peer's `wrtc` option, `{ RTCPeerConnection, RTCSessionDescription,
 * RTCIceCandidate }`. Browsers use their own (undefined here).
 */
export type WebRtcImplementation = object;

/** simple-peer keeps its RTCDataChannel in a private field; we need it for backpressure. */
const channelOf = (p: SimplePeerTypes.Instance): RTCDataChannel | null =>
  (p as unknown as { _channel: RTCDataChannel | null })._channel ?? null;
const connectionOf = (p: SimplePeerTypes.Instance): RTCPeerConnection | null =>
  (p as unknown as { _pc: RTCPeerConnection | null })._pc ?? null;

/** Links over `wrtc` (or the browser's WebRTC when undefined). */
export const createPeerLinkWith = (wrtc?: WebRtcImplementation): CreatePeerLink => (options, events) => {
  let closed = false;
  /** Whether the channel fires `bufferedamountlow` (browsers do; Node's wrtc does not, so we poll). */
  let lowEvent = true;
  let lastError = '';
  const waiters = new Set<() => void>();

  const peer = new SimplePeer({
    initiator: options.initiator,
    trickle: true,
    ...(wrtc ? { wrtc: wrtc as SimplePeerTypes.Options['wrtc'] } : {}),
    // Never simple-peer's default public STUN servers: only what our server configured.
    config: {
      iceServers: options.iceServers.map((s) => ({ ...s })),
      ...(options.iceTransportPolicy ? { iceTransportPolicy: options.iceTransportPolicy } : {}),
    },
    channelConfig: { ordered: true },
  });

  const finish = (reason: string) => {
    if (closed) return;
    closed = true;
    for (const w of waiters) w();
    waiters.clear();
    events.close(reason);
  };

  peer.on('signal', (data: SimplePeerTypes.SignalData) => {
    if (!closed) events.signal(data as SignalData);
  });
  peer.on('connect', () => {
    const ch = channelOf(peer);
    if (ch) {
      lowEvent = typeof ch.bufferedAmountLowThreshold === 'number';
      ch.bufferedAmountLowThreshold = LOW_WATER;
    }
    if (!closed) events.connect();
  });
  peer.on('data', (d: unknown) => {
    if (closed) return;
    if (d instanceof Uint8Array) events.data(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
    else if (typeof d === 'string') events.data(new TextEncoder().encode(d));
  });
  peer.on('error', (e: unknown) => {
    const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
    lastError = `${code ? code + ': ' : ''}${e instanceof Error ? e.message : String(e)}`;
  });
  peer.on('close', () => finish(lastError || 'data channel closed'));

  const waitForLow = (ch: RTCDataChannel) =>
    new Promise<void>((resolve) => {
      let poll: ReturnType<typeof setTimeout> | undefined;
      const done = () => {
        clearTimeout(poll);
        ch.removeEventListener('bufferedamountlow', done);
        waiters.delete(done);
        resolve();
      };
      ch.addEventListener('bufferedamountlow', done);
      waiters.add(done);
      if (!lowEvent) {
        const check = () => {
          if (ch.bufferedAmount <= LOW_WATER) done();
          else poll = setTimeout(check, POLL_MS);
        };
        poll = setTimeout(check, POLL_MS);
      }
    });

  return {
    signal(data) {
      if (closed) return;
      try {
        peer.signal(data as SimplePeerTypes.SignalData);
      } catch (e) {
        lastError = `bad signal: ${e instanceof Error ? e.message : String(e)}`;
        peer.destroy();
      }
    },
    async sendChunk(chunk) {
      const ch = channelOf(peer);
      if (closed || !ch || ch.readyState !== 'open') throw new MpcError('PEER_LEFT', 'data channel is not open');
      try {
        ch.send(chunk as Uint8Array<ArrayBuffer>);
      } catch (e) {
        throw new MpcError('PEER_LEFT', `data channel send failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      while (ch.bufferedAmount > HIGH_WATER) {
        await waitForLow(ch);
        if (closed) throw new MpcError('PEER_LEFT', 'data channel closed while sending');
      }
    },
    get bufferedAmount() {
      return channelOf(peer)?.bufferedAmount ?? 0;
    },
    fingerprints() {
      const pc = connectionOf(peer);
      const local = sdpFingerprint(pc?.localDescription?.sdp);
      const remote = sdpFingerprint(pc?.remoteDescription?.sdp);
      return local && remote ? { local, remote } : undefined;
    },
    async path() {
      const pc = connectionOf(peer);
      if (closed || !pc) return undefined;
      try {
        const report = await pc.getStats();
        return selectedPath(report as unknown as StatsLike);
      } catch {
        return undefined;
      }
    },
    destroy() {
      if (closed) return;
      peer.destroy();
      finish('closed locally');
    },
  };
};

export const createPeerLink: CreatePeerLink = createPeerLinkWith();
