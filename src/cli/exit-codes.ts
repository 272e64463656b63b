/**
 * Exit codes of `parley join` / `parley host` (documented in README and `parley --help`).
 * Scripts branch on these; the message on stderr says what happened in words.
 */
export const EXIT = {
  /** The result was printed to stdout as JSON. */
  OK: 0,
  /** Unexpected internal failure (a bug: please report the message). */
  INTERNAL: 1,
  /** Bad command line: unknown option, missing file or column. */
  USAGE: 2,
  /** The private input does not fit the room's computation (bounds, decimals, count, format). */
  INPUT: 3,
  /** Could not join: malformed link, signaling server unreachable or closed, no peer reachable, wait timed out. */
  CONNECT: 4,
  /** The run was aborted: a participant left, stopped responding, sent garbage, or stopped it. */
  ABORTED: 5,
  /** Refused: the host started a different computation or group than agreed, or the spec/roster check failed. */
  REFUSED: 6,
  /** The host left before starting; nobody can start a run. */
  HOST_LEFT: 7,
  /** Interrupted (Ctrl-C / SIGTERM); others were told the run stopped. */
  INTERRUPTED: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The exit code for a failed run, by the engine's error code (STYLE §6). */
export function exitForError(code: string): ExitCode {
  switch (code) {
    case 'SPEC_MISMATCH':
      return EXIT.REFUSED;
    case 'INPUT_OUT_OF_RANGE':
    case 'INVALID_ARGUMENT':
      return EXIT.INPUT;
    default: // PEER_LEFT, ROUND_TIMEOUT, MALFORMED_MESSAGE, ABORTED
      return EXIT.ABORTED;
  }
}

/** A failure that ends the process with `exit` and `message` on stderr. */
export class CliExit extends Error {
  constructor(
    readonly exit: ExitCode,
    message: string,
  ) {
    super(message);
  }
}
