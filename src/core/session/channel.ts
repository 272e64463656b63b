/**
 * The transport seen by the engine: opaque byte frames to and from the other parties of one
 * session. Implementations: the in-memory network (tests, benchmarks) and the worker's
 * MessagePort network (browser). Parties are numbered 0..n-1 in roster order.
 *
 * Contract:
 * - frames between a pair of parties are delivered reliably and in order, or the channel
 *   reports the peer closed;
 * - `send` never blocks; the caller may not reuse the buffer after sending (it may be
 *   transferred);
 * - after `closed` is reported for a peer, no more frames arrive from it.
 */
export type PartyId = number & { readonly __brand: 'PartyId' };

export const partyId = (i: number): PartyId => i as PartyId;

export interface ChannelEvents {
  frame(from: PartyId, bytes: Uint8Array): void;
  /** The peer is gone (tab closed, connection dropped). `reason` is for humans. */
  closed(peer: PartyId, reason: string): void;
}

export interface Channel {
  readonly self: PartyId;
  readonly parties: number;
  send(to: PartyId, bytes: Uint8Array): void;
  /** Install the single sink for incoming frames; frames that arrived earlier are replayed. */
  listen(events: ChannelEvents): void;
  close(): void;
}
