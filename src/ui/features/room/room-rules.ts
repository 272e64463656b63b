/**
 * Room rules shared by the browser's room controller and the Node party (src/cli), so the two
 * cannot drift: which spec a run uses, how long a round may take, and the fixed words sent to
 * the others when a run fails. DOM-free (no React, store or browser APIs).
 */
import { VECTOR_KINDS } from '../../../core/computations/spec.ts';
import { DEVIATION_MESSAGE } from '../../../core/backend/types.ts';
import { isPsi, type RoomSpec } from './room-protocol';

/** The spec a run uses: for vector kinds the length is fixed to everyone's common count. */
export function specForRun(spec: RoomSpec, counts: readonly number[]): RoomSpec {
  if (!isPsi(spec) && VECTOR_KINDS.has(spec.kind)) return { ...spec, length: counts[0] ?? spec.length };
  return spec;
}

/**
 * How long a party may wait for one message. A party that leaves is detected at once (its
 * connection closes); this only bounds a peer that is silent while still connected. In PSI
 * every party but the leader exponentiates three keys per item before it answers (about
 * 1–3.5k group operations/s per browser), so the wait grows with the largest set.
 */
export function roundTimeout(spec: RoomSpec, counts: readonly number[]): number {
  if (!isPsi(spec)) return 60_000;
  const largest = Math.max(0, ...counts);
  // the OPPRF PSI hashes and exponentiates three keys per item before its first answer
  return 60_000 + largest * (counts.length + 6) * 2;
}

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
