/**
 * Structured, deterministic round ids (STYLE §3) and the 8-byte frame header that carries
 * them: u16 protocol, u32 instance, u16 step, big endian, then the payload.
 *
 * A round id names one message exchange of one protocol invocation: `protocol` is a tag
 * from `Protocol`, `instance` counts invocations of that protocol in the session (every
 * party calls protocols in the same order, so the k-th call gets the same number
 * everywhere), `step` numbers the rounds inside the invocation.
 */
import { MpcError } from '../errors.ts';

/** Protocol tags. Append only: the numbers are on the wire. 0 is reserved for control frames. */
export const Protocol = {
  Control: 0,
  Sum: 1,
  Share: 2,
  Open: 3,
  BaseOt: 4,
  OtExt: 5,
  ArithTriples: 6,
  BoolTriples: 7,
  Multiply: 8,
  And: 9,
  A2B: 10,
  B2A: 11,
  Compare: 12,
  PairwiseSeeds: 13,
  Psi: 14,
  /** Strict backend (backend/strict): MAC authentication, authenticated triples, checked openings. */
  Spdz2k: 15,
  /** Which prepared OT setup a run uses (ot/prepared-ot.ts). */
  Prep: 16,
} as const;

export type ProtocolTag = (typeof Protocol)[keyof typeof Protocol];

export interface RoundId {
  readonly protocol: number;
  readonly instance: number;
  readonly step: number;
}

export const HEADER_BYTES = 8;
export const MAX_INSTANCE = 0xffff_ffff;
export const MAX_STEP = 0xffff;

export function makeRound(protocol: number, instance: number, step: number): RoundId {
  if (!Number.isInteger(protocol) || protocol < 1 || protocol > 0xffff) {
    throw new MpcError('INVALID_ARGUMENT', `protocol tag must be an integer in [1, 65535], got ${protocol}`);
  }
  if (!Number.isInteger(instance) || instance < 0 || instance > MAX_INSTANCE) {
    throw new MpcError('INVALID_ARGUMENT', `instance must be a u32, got ${instance}`);
  }
  if (!Number.isInteger(step) || step < 0 || step > MAX_STEP) {
    throw new MpcError('INVALID_ARGUMENT', `step must be a u16, got ${step}`);
  }
  return { protocol, instance, step };
}

export const sameRound = (a: RoundId, b: RoundId): boolean =>
  a.protocol === b.protocol && a.instance === b.instance && a.step === b.step;

/** For error messages: "protocol 8 (Multiply) instance 3 step 1". */
export function describeRound(r: RoundId): string {
  const name = Object.entries(Protocol).find(([, v]) => v === r.protocol)?.[0];
  return `protocol ${r.protocol}${name ? ` (${name})` : ''} instance ${r.instance} step ${r.step}`;
}

/** Header + payload in one new buffer (the payload is copied once here). */
export function encodeFrame(r: RoundId, payload: Uint8Array): Uint8Array {
  const frame = new Uint8Array(HEADER_BYTES + payload.length);
  const v = new DataView(frame.buffer);
  v.setUint16(0, r.protocol);
  v.setUint32(2, r.instance);
  v.setUint16(6, r.step);
  frame.set(payload, HEADER_BYTES);
  return frame;
}

/** Reads the header; the caller has checked `frame.length >= HEADER_BYTES`. */
export function decodeHeader(frame: Uint8Array): RoundId {
  const v = new DataView(frame.buffer, frame.byteOffset, HEADER_BYTES);
  return { protocol: v.getUint16(0), instance: v.getUint32(2), step: v.getUint16(6) };
}
