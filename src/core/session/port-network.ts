/**
 * A Channel over a MessagePort-like object: the engine worker's view of the peer mesh,
 * which lives on the main thread because RTCPeerConnection does not exist in workers
 * (DESIGN §4). Messages, both directions:
 *
 *   { kind: 'frame', peer, bytes: ArrayBuffer }   worker -> main: peer = recipient
 *                                                 main -> worker: peer = sender
 *   { kind: 'closed', peer, reason }              main -> worker: that peer is gone
 *
 * Frame buffers are transferred, not copied. Incoming messages are untrusted shapes
 * (`unknown`): `parsePortMessage` validates them; anything else is ignored and reported
 * through `onInvalid`. A frame from an index outside the roster is passed on so that the
 * Session rejects it as MALFORMED_MESSAGE, its single point of frame validation.
 * Security: none added; the main thread is as trusted as the worker.
 */
import { MpcError } from '../errors.ts';
import type { Channel, ChannelEvents, PartyId } from './channel.ts';

export type PortMessage =
  | { kind: 'frame'; peer: number; bytes: ArrayBuffer }
  | { kind: 'closed'; peer: number; reason: string };

/** The part of MessagePort (DOM or node:worker_threads) that we use. */
export interface PortLike {
  postMessage(message: PortMessage, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (ev: { data: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (ev: { data: unknown }) => void): void;
  start?(): void;
}

export interface PortChannelOptions {
  /** Called with every message that is not a valid PortMessage (default: ignore). */
  onInvalid?: (data: unknown, why: string) => void;
}

/** Validates an incoming message; returns the reason as a string when it is not valid. */
export function parsePortMessage(data: unknown): PortMessage | string {
  if (typeof data !== 'object' || data === null) return 'not an object';
  const m = data as Record<string, unknown>;
  if (typeof m.peer !== 'number' || !Number.isInteger(m.peer)) return 'peer is not an integer';
  if (m.kind === 'frame') {
    if (!(m.bytes instanceof ArrayBuffer)) return 'frame bytes are not an ArrayBuffer';
    return { kind: 'frame', peer: m.peer, bytes: m.bytes };
  }
  if (m.kind === 'closed') {
    if (typeof m.reason !== 'string') return 'closed reason is not a string';
    return { kind: 'closed', peer: m.peer, reason: m.reason.slice(0, 500) };
  }
  return `unknown kind ${JSON.stringify(String(m.kind)).slice(0, 40)}`;
}

/** The bytes as a whole, transferable ArrayBuffer (copying only when it is a view of more). */
export function transferableBuffer(bytes: Uint8Array): ArrayBuffer {
  const whole = bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return whole ? (bytes.buffer as ArrayBuffer) : bytes.slice().buffer;
}

class PortChannel implements Channel {
  private sink: ChannelEvents | undefined;
  private backlog: PortMessage[] = [];
  private closed = false;
  private readonly onMessage = (ev: { data: unknown }): void => this.receive(ev.data);

  constructor(
    private readonly port: PortLike,
    readonly self: PartyId,
    readonly parties: number,
    private readonly opts: PortChannelOptions,
  ) {
    port.addEventListener('message', this.onMessage);
    port.start?.();
  }

  send(to: PartyId, bytes: Uint8Array): void {
    if (!Number.isInteger(to) || to < 0 || to >= this.parties || to === this.self) {
      throw new MpcError('INVALID_ARGUMENT', `no party ${to} to send to`);
    }
    if (this.closed) return;
    const buffer = transferableBuffer(bytes);
    this.port.postMessage({ kind: 'frame', peer: to, bytes: buffer }, [buffer]);
  }

  listen(events: ChannelEvents): void {
    this.sink = events;
    const backlog = this.backlog;
    this.backlog = [];
    for (const m of backlog) this.dispatch(m);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.backlog = [];
    this.port.removeEventListener('message', this.onMessage);
  }

  private receive(data: unknown): void {
    if (this.closed) return;
    const m = parsePortMessage(data);
    if (typeof m === 'string') {
      this.opts.onInvalid?.(data, m);
      return;
    }
    if (this.sink) this.dispatch(m);
    else this.backlog.push(m);
  }

  private dispatch(m: PortMessage): void {
    const sink = this.sink as ChannelEvents;
    if (m.kind === 'frame') sink.frame(m.peer as PartyId, new Uint8Array(m.bytes));
    else sink.closed(m.peer as PartyId, m.reason);
  }
}

/** The worker side: a Channel for party `self` of `parties` over `port`. */
export function createPortChannel(port: PortLike, self: PartyId, parties: number, opts: PortChannelOptions = {}): Channel {
  if (!Number.isInteger(parties) || parties < 1 || !Number.isInteger(self) || self < 0 || self >= parties) {
    throw new MpcError('INVALID_ARGUMENT', `party ${self} of ${parties} is not a valid seat`);
  }
  return new PortChannel(port, self, parties, opts);
}
