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

export class MpcError extends Error {
  override readonly name = 'MpcError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** The party to blame, when one is known (index in the session's roster). */
    readonly party?: number,
  ) {
    super(message);
  }
}

/** Plain-object form that survives structured clone (worker → main thread). */
export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  party?: number;
}

export function toErrorInfo(e: unknown): ErrorInfo {
  if (e instanceof MpcError) return { code: e.code, message: e.message, party: e.party };
  if (typeof e === 'object' && e !== null && 'code' in e && typeof (e as { code: unknown }).code === 'string') {
    const o = e as { code: ErrorCode; message?: unknown; party?: unknown };
    return { code: o.code, message: String(o.message ?? o.code), party: typeof o.party === 'number' ? o.party : undefined };
  }
  return { code: 'ABORTED', message: e instanceof Error ? e.message : String(e) };
}
