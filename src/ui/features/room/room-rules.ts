/**
 * Room rules shared by the browser's room controller and the Node party (src/cli), so the two
 * cannot drift: which spec a run uses, how long a round may take, and the fixed words sent to
 * the others when a run fails. DOM-free (no React, store or browser APIs).
 */
import { DEVIATION_MESSAGE } from '../../../core/backend/types.ts';
import { roundTimeoutOf, specForRun as registrySpecForRun } from '../../../core/computations/registry.ts';
import type { RoomSpec } from './room-protocol';

/** The spec a run uses: element-wise kinds fix their length to everyone's common count (registry). */
export const specForRun = (spec: RoomSpec, counts: readonly number[]): RoomSpec => registrySpecForRun(spec, counts);

/**
 * How long a party may wait for one message (each computation declares it in the registry).
 * A party that leaves is detected at once (its connection closes); this only bounds a peer
 * that is silent while still connected.
 */
export const roundTimeout = (spec: RoomSpec, counts: readonly number[]): number => roundTimeoutOf(spec, counts);

/** What we tell the others when our run fails: the kind of failure, never a local message. */
export function publicReason(code: string, blamed: string | undefined, message = ''): string {
  const who = blamed ?? 'a participant';
  if (isDeviation(code, message)) return `${DEVIATION_MESSAGE[0].toUpperCase()}${DEVIATION_MESSAGE.slice(1)}. No result was revealed.`;
  switch (code) {
    case 'PEER_LEFT':
      return `${who} left during the computation. No result was revealed.`;
    case 'ROUND_TIMEOUT':
      return `${who} stopped responding. No result was revealed.`;
    case 'MALFORMED_MESSAGE':
      return `${who} sent an invalid message. No result was revealed.`;
    case 'SPEC_MISMATCH':
      return 'The participants were shown different computations or participant lists. No input was used.';
    case 'INPUT_OUT_OF_RANGE':
      return 'Some input was out of range. Nothing else was revealed.';
    default:
      return 'The run was stopped. No result was revealed.';
  }
}

/**
 * A failed integrity check of strict mode (MAC check, sacrifice, OT consistency check):
 * shown as DEVIATION_MESSAGE, naming nobody (an honest participant is never blamed).
 */
export function isDeviation(code: string, message: string): boolean {
  return code === 'MALICIOUS_ABORT' || (code === 'ABORTED' && message.toLowerCase().includes(DEVIATION_MESSAGE));
}
