/**
 * Hands the creator's choices from the landing page to the room page across the hash
 * change, in memory only. A room opened from a link (no entry here) is joined as a guest.
 */
import type { HostKey } from '../../../transport';
import type { RoomSpec } from './room-protocol';

const pending = new Map<string, { name: string; spec: RoomSpec; key: HostKey }>();

export const pendingCreation = {
  set(secret: string, v: { name: string; spec: RoomSpec; key: HostKey }) {
    pending.set(secret, v);
  },
  take(secret: string) {
    const v = pending.get(secret);
    pending.delete(secret);
    return v;
  },
};
