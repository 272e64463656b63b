/**
 * Room rules shared by the browser's room controller and the Node party (src/cli), so the two
 * cannot drift: which spec a run uses, how long a round may take, and the fixed words sent to
 * the others when a run fails. DOM-free (no React, store or browser APIs).
 */
import { DEVIATION_MESSAGE } from '../../../core/backend/types.ts';
import { roundTimeoutOf, specForRun as registrySpecForRun } from '../../../core/computations/registry.ts';
import type { RoomSpec } from './room-protocol';
import type { ErrorCode, ErrorInfo } from '../../../core/errors.ts';
import type { PeerLeftCode } from '../../../transport/index.ts';

/**
 * A peer whose connection never became trustworthy (unreachable, or never proved its key) was
 * refused, not a participant who left: both parties say so with the transport's reason.
 */
export const isRefusal = (code: PeerLeftCode): boolean => code === 'UNREACHABLE' || code === 'UNAUTHENTICATED';

/** The spec a run uses: element-wise kinds fix their length to everyone's common count (registry). */
export const specForRun = (spec: RoomSpec, counts: readonly number[]): RoomSpec => registrySpecForRun(spec, counts);

/**
 * How long a party may wait for one message (each computation declares it in the registry).
 * A party that leaves is detected at once (its connection closes); this only bounds a peer
 * that is silent while still connected.
 */
export const roundTimeout = (spec: RoomSpec, counts: readonly number[]): number => roundTimeoutOf(spec, counts);

/** What we tell the others when our run fails: the kind of failure, never a local message. */
export function publicReason(code: ErrorCode, blamed: string | undefined): string {
  const who = blamed ?? 'a participant';
  switch (code) {
    case 'MALICIOUS_ABORT':
      // A failed integrity check of strict mode names nobody (an honest party is never blamed).
      return `${DEVIATION_MESSAGE[0].toUpperCase()}${DEVIATION_MESSAGE.slice(1)}. No result was revealed.`;
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

export interface RunFailure {
  /** The kind of failure after taking the aborting member's own code into account. */
  code: ErrorCode;
  /** Shown in this tab. */
  text: string;
  /** Sent to the others (fixed words, no local message). */
  publicReason: string;
}

/**
 * The words for a failed run. `abortCodeOf(party)`: the code that party's abort message
 * carried, if it sent one — the worker only sees "party p aborted" (ABORTED), the control
 * message says which kind (a deviation must stay a deviation, naming nobody).
 */
export function describeRunFailure(error: ErrorInfo, names: readonly string[], abortCodeOf: (party: number) => ErrorCode | undefined = () => undefined): RunFailure {
  const peerCode = error.code === 'ABORTED' && error.party !== undefined ? abortCodeOf(error.party) : undefined;
  const code: ErrorCode = peerCode === 'MALICIOUS_ABORT' ? peerCode : error.code;
  const blamed = error.party !== undefined ? names[error.party] : undefined;
  // A failure another party reported to our session is its claim, not our observation:
  // say who claims it, so nobody can silently pin the blame on someone else.
  const claimedBy = error.reporter !== undefined ? names[error.reporter] : undefined;
  const deviation = code === 'MALICIOUS_ABORT';
  const text = (claimedBy && !deviation ? `${claimedBy} reports: ` : '') + describeFailure(code, blamed, error.message);
  return { code, text, publicReason: publicReason(code, deviation ? undefined : blamed) };
}

/**
 * The local explanation of a failed run, one sentence per code. The Node party uses it too
 * (`terminal`: worded for a process that exits, so no "You can start again").
 */
export function describeFailure(code: ErrorCode, blamed: string | undefined, message: string, { terminal = false } = {}): string {
  const who = blamed ?? 'A participant';
  const again = terminal ? '' : ' You can start again.';
  switch (code) {
    case 'MALICIOUS_ABORT':
      // A failed integrity check (strict mode) names nobody: the fixed sentence, as is.
      return `The computation was stopped: ${DEVIATION_MESSAGE}. No result was revealed.`;
    case 'PEER_LEFT':
      return `${who} left during the computation. No result was revealed.${again}`;
    case 'ROUND_TIMEOUT':
      return `${who} stopped responding. No result was revealed.${again}`;
    case 'MALFORMED_MESSAGE':
      return `${who} sent an invalid message, so the run was stopped. No result was revealed.`;
    case 'SPEC_MISMATCH':
      return `${who} was shown a different computation or participant list, so the run was stopped before any input was used.`;
    case 'INPUT_OUT_OF_RANGE':
      return `Some input was out of range, so nothing else was revealed. (${message})`;
    case 'ABORTED':
      // A peer's abort message (already a sentence) or a local failure.
      return blamed ? `${blamed} stopped the run: ${message}` : `The computation was stopped: ${message}`;
    default:
      return `The computation was stopped: ${message.replace(/\.?$/, '.')} No result was revealed.`;
  }
}
