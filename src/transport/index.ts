/**
 * Public API of the transport layer for src/ui and src/worker. See mesh.ts for the
 * semantics; `openMesh` is the room-secret convenience the UI uses.
 */
import { MpcError } from '../core/errors.ts';
import type { MeshTag } from './framing.ts';
import { createMesh, type Mesh, type MeshOptions, type PeerLeftCode } from './mesh.ts';
import type { PeerPath } from './ice-path.ts';
import { deriveRoomKeys, parseRoomSecret } from './room-keys.ts';

/** getStats polls for the selected path after `connected`: tries × interval. */
const PATH_TRIES = 10;
const PATH_INTERVAL_MS = 300;

export { MeshTag, CHUNK_BYTES, DEFAULT_MAX_MESSAGE_BYTES } from './framing.ts';
export { createMesh, type Mesh, type MeshEvent, type MeshOptions, type PeerInfo, type PeerLeftCode, type PeerState } from './mesh.ts';
export { SAFETY_CODE_WORDS, type SafetyState } from './safety-exchange.ts';
import type { SafetyState } from './safety-exchange.ts';
export type { PeerPath } from './ice-path.ts';
export { decodeBase64url, encodeBase64url } from './base64url.ts';
export {
  hostFingerprint,
  hostKeyFromSecret,
  newHostKey,
  parseHostStatement,
  parseRoomLinkPath,
  roomLinkPath,
  signHostStatement,
  verifyHostStatement,
  type HostFingerprint,
  type HostKey,
  type HostStatement,
  type RoomLink,
} from './host-key.ts';
export { deriveRoomKeys, newRoomSecret, parseRoomFragment, parseRoomSecret, roomFragment, type RoomKeys, type RoomSecret } from './room-keys.ts';

export type MeshHandle = Mesh;

/** Callbacks of `openMesh`, one per MeshEvent type. */
export interface MeshHandlers {
  welcome(self: string, peers: string[]): void;
  peerState(id: string, state: 'connecting' | 'connected'): void;
  /** Once per peer, after which nothing more arrives from it; branch on `code`, show `reason`. */
  peerLeft(id: string, reason: string, code: PeerLeftCode): void;
  message(id: string, tag: MeshTag, bytes: Uint8Array): void;
  /** Signaling failed or closed (existing peers stay connected). */
  error(message: string, code: string): void;
  /** `code` REFUSED: we refuse this member's connection (shown to people); others are log-only. */
  warning?(message: string, peer: string | undefined, code: string): void;
  /**
   * The set of authenticated keys changed (a peer proved its key, or an authenticated peer
   * left). Called before the matching `peerState(id, 'connected')` and after `peerLeft`.
   */
  identities?(info: IdentitiesInfo): void;
  /**
   * The group safety code (safety-exchange.ts): `establishing` as soon as the set of keys
   * changes (show that it is being established, and no words), then `final` with the six
   * words over `self` and every key in the last `identities` (show them as `safety-code`).
   * A roster change after `final` starts a new exchange: the words will change.
   */
  safetyCode?(state: SafetyState): void;
  /**
   * The network path to a connected peer: `direct` (host/srflx) or `relayed` (TURN), once
   * the browser has selected a candidate pair (shortly after `connected`). For the lobby's
   * connectivity pre-flight; not called if the browser never reports one.
   */
  path?(id: string, path: PeerPath): void;
}

export interface IdentitiesInfo {
  /** Our base64url Ed25519 public key. */
  self: string;
  /** Member id → base64url public key, for every connected (authenticated) peer. */
  peers: Record<string, string>;
}

/**
 * Join the room of `secret` (text from the URL fragment) and connect to its members.
 * Resolves at once (events follow asynchronously); rejects with INVALID_ARGUMENT if the
 * secret is malformed.
 */
export async function openMesh(
  secret: string,
  handlers: MeshHandlers,
  options: Pick<MeshOptions, 'signalingUrl' | 'maxMessageBytes' | 'createSocket' | 'createLink' | 'connectTimeoutMs' | 'identity'> = {},
): Promise<Mesh> {
  const parsed = parseRoomSecret(secret);
  if (!parsed) throw new MpcError('INVALID_ARGUMENT', 'the room link is incomplete or malformed');
  const { roomId, signalKey } = deriveRoomKeys(parsed);
  const keys = new Map<string, string>();
  const reportPath = async (peer: string) => {
    for (let i = 0; i < PATH_TRIES; i++) {
      const path = await mesh.path(peer);
      if (path) return handlers.path?.(peer, path);
      if (!mesh.peers().some((p) => p.id === peer && p.state === 'connected')) return;
      await new Promise((resolve) => setTimeout(resolve, PATH_INTERVAL_MS));
    }
  };
  // Events are asynchronous, so `mesh` is assigned before the first one arrives.
  const identitiesChanged = () => {
    if (handlers.identities) handlers.identities({ self: mesh.publicKey, peers: Object.fromEntries(keys) });
  };
  const mesh: Mesh = createMesh({
    ...options,
    roomId,
    signalKey,
    onEvent: (e) => {
      switch (e.type) {
        case 'welcome':
          return handlers.welcome(e.self, e.peers);
        case 'identity':
          keys.set(e.peer, e.publicKey);
          return identitiesChanged();
        case 'peer-state':
          if (e.state !== 'closed') handlers.peerState(e.peer, e.state);
          if (e.state === 'connected' && handlers.path) void reportPath(e.peer);
          return;
        case 'peer-left':
          handlers.peerLeft(e.peer, e.reason, e.code);
          if (keys.delete(e.peer)) identitiesChanged();
          return;
        case 'safety-code':
          return handlers.safetyCode?.(e.state);
        case 'message':
          return handlers.message(e.peer, e.tag, e.bytes);
        case 'warning':
          return handlers.warning?.(e.message, e.peer, e.code);
        case 'error':
          return handlers.error(e.message, e.code);
      }
    },
  });
  return mesh;
}
