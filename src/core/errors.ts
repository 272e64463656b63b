/**
 * Typed errors for the whole engine. Across the worker boundary, code branches on `code`
 * (a string), never on `instanceof` (STYLE §6): structured clone drops prototypes.
 */
export type ErrorCode =
  | 'PEER_LEFT'
  | 'MALFORMED_MESSAGE'
  | 'ROUND_TIMEOUT'
  | 'SPEC_MISMATCH'
  | 'INPUT_OUT_OF_RANGE'
  | 'INVALID_ARGUMENT'
  /** A check of an actively secure protocol failed: a participant deviated from the protocol. */
  | 'MALICIOUS_ABORT'
  | 'ABORTED';

const ERROR_CODES: ReadonlySet<string> = new Set<ErrorCode>(['PEER_LEFT', 'MALFORMED_MESSAGE', 'ROUND_TIMEOUT', 'SPEC_MISMATCH', 'INPUT_OUT_OF_RANGE', 'INVALID_ARGUMENT', 'MALICIOUS_ABORT', 'ABORTED']);

/** Codes arrive from peers as strings: accept only the ones defined here. */
export const isErrorCode = (v: unknown): v is ErrorCode => typeof v === 'string' && ERROR_CODES.has(v);

export class MpcError extends Error {
  override readonly name = 'MpcError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** The party to blame, when one is known (index in the session's roster). */
    readonly party?: number,
    /**
     * The party that reported this failure to us (a peer's abort notice), when it is not our
     * own observation: the UI says "X reports: …" instead of parsing the message.
     */
    readonly reporter?: number,
  ) {
    super(message);
  }
}

/** Plain-object form that survives structured clone (worker → main thread). */
export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  party?: number;
  /** See MpcError.reporter. */
  reporter?: number;
}

export function toErrorInfo(e: unknown): ErrorInfo {
  if (e instanceof MpcError) return { code: e.code, message: e.message, party: e.party, ...(e.reporter !== undefined ? { reporter: e.reporter } : {}) };
  if (typeof e === 'object' && e !== null && 'code' in e && typeof (e as { code: unknown }).code === 'string') {
    const o = e as { code: ErrorCode; message?: unknown; party?: unknown; reporter?: unknown };
    return { code: o.code, message: String(o.message ?? o.code), party: typeof o.party === 'number' ? o.party : undefined, ...(typeof o.reporter === 'number' ? { reporter: o.reporter } : {}) };
  }
  return { code: 'ABORTED', message: e instanceof Error ? e.message : String(e) };
}
