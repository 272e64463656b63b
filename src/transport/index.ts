/**
 * Public API of the transport layer for src/ui and src/worker. See mesh.ts for the
 * semantics; `openMesh` is the room-secret convenience the UI uses.
 */
import { MpcError } from '../core/errors.ts';
import type { MeshTag } from './framing.ts';
import { createMesh, type Mesh, type MeshOptions } from './mesh.ts';
import { deriveRoomKeys, parseRoomSecret } from './room-keys.ts';

export { MeshTag, CHUNK_BYTES, DEFAULT_MAX_MESSAGE_BYTES } from './framing.ts';
export { createMesh, type Mesh, type MeshEvent, type MeshOptions, type PeerInfo, type PeerState } from './mesh.ts';
export { deriveRoomKeys, newRoomSecret, parseRoomFragment, parseRoomSecret, roomFragment, type RoomKeys, type RoomSecret } from './room-keys.ts';

export type MeshHandle = Mesh;

/** Callbacks of `openMesh`, one per MeshEvent type. */
export interface MeshHandlers {
  welcome(self: string, peers: string[]): void;
  peerState(id: string, state: 'connecting' | 'connected'): void;
  /** Once per peer, after which nothing more arrives from it. */
  peerLeft(id: string, reason: string): void;
  message(id: string, tag: MeshTag, bytes: Uint8Array): void;
  /** Signaling failed or closed (existing peers stay connected). */
  error(message: string, code: string): void;
  warning?(message: string, peer?: string): void;
}

/**
 * Join the room of `secret` (text from the URL fragment) and connect to its members.
 * Resolves at once (events follow asynchronously); rejects with INVALID_ARGUMENT if the
 * secret is malformed.
 */
export async function openMesh(
  secret: string,
  handlers: MeshHandlers,
  options: Pick<MeshOptions, 'signalingUrl' | 'maxMessageBytes' | 'createSocket' | 'createLink'> = {},
): Promise<Mesh> {
  const parsed = parseRoomSecret(secret);
  if (!parsed) throw new MpcError('INVALID_ARGUMENT', 'the room link is incomplete or malformed');
  const { roomId, signalKey } = deriveRoomKeys(parsed);
  return createMesh({
    ...options,
    roomId,
    signalKey,
    onEvent: (e) => {
      switch (e.type) {
        case 'welcome':
          return handlers.welcome(e.self, e.peers);
        case 'peer-state':
          if (e.state !== 'closed') handlers.peerState(e.peer, e.state);
          return;
        case 'peer-left':
          return handlers.peerLeft(e.peer, e.reason);
        case 'message':
          return handlers.message(e.peer, e.tag, e.bytes);
        case 'warning':
          return handlers.warning?.(e.message, e.peer);
        case 'error':
          return handlers.error(e.message, e.code);
      }
    },
  });
}
