/**
 * The room rules of the Node party: the shared ones come from src/ui/features/room/room-rules.ts
 * (the browser uses the same file); only the local explanation of a failure is the CLI's own,
 * worded for a terminal (no "You can start again").
 */
export { publicReason, roundTimeout, specForRun } from '../ui/features/room/room-rules.ts';

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
