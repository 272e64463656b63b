/** The current room's id (the ledger's storage key), from the store's secret. */
import { useMemo } from 'react';
import { deriveRoomKeys, parseRoomSecret } from '../../../transport';
import { useRoomStore } from '../room/room-store';

export function useRoomId(): string | undefined {
  const secret = useRoomStore((s) => s.secret);
  return useMemo(() => {
    const parsed = parseRoomSecret(secret);
    return parsed ? deriveRoomKeys(parsed).roomId : undefined;
  }, [secret]);
}
