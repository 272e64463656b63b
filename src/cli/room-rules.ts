/**
 * The room rules the Node party applies exactly as the browser does: which spec a run uses,
 * how long a round may take, and the fixed words sent to others when a run fails. These
 * mirror room-controller.ts (src/ui), which keeps them next to its zustand store, so the
 * CLI cannot import them from there; keep the two in step (a test runs a Node party and
 * browsers in one room, which fails when they drift).
 */
import { VECTOR_KINDS } from '../core/computations/spec.ts';
import { isPsi, type RoomSpec } from '../ui/features/room/room-protocol.ts';

/** The spec a run uses: for vector kinds the length is fixed to everyone's common count. */
export function specForRun(spec: RoomSpec, counts: readonly number[]): RoomSpec {
  if (!isPsi(spec) && VECTOR_KINDS.has(spec.kind)) return { ...spec, length: counts[0] ?? spec.length };
  return spec;
}

/** How long a party may wait for one message (PSI hops blind whole sets, so theirs grows). */
export function roundTimeout(spec: RoomSpec, counts: readonly number[]): number {
  if (!isPsi(spec)) return 60_000;
  const largest = Math.max(0, ...counts);
  return 60_000 + largest * counts.length * 2;
}

/** What we tell the others when our run fails: the kind of failure, never a local message. */
export function publicReason(code: string, blamed: string | undefined): string {
  const who = blamed ?? 'a participant';
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

/** The local explanation of a failed run, for stderr. */
export function describeFailure(code: string, blamed: string | undefined, message: string): string {
  const who = blamed ?? 'A participant';
  switch (code) {
    case 'PEER_LEFT':
      return `${who} left during the computation. No result was revealed.`;
    case 'ROUND_TIMEOUT':
      return `${who} stopped responding. No result was revealed.`;
    case 'MALFORMED_MESSAGE':
      return `${who} sent an invalid message, so the run was stopped. No result was revealed.`;
    case 'SPEC_MISMATCH':
      return `${who} was shown a different computation or participant list, so the run was stopped before any input was used.`;
    case 'INPUT_OUT_OF_RANGE':
      return `Some input was out of range, so nothing else was revealed. (${message})`;
    case 'ABORTED':
      return blamed ? `${blamed} stopped the run: ${message}` : `The computation was stopped: ${message}`;
    default:
      return `The computation was stopped: ${message.replace(/\.?$/, '.')} No result was revealed.`;
  }
}
