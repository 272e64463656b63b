/**
 * Message framing over one reliable, ordered data channel: a message of up to
 * `maxMessageBytes` is cut into chunks of at most CHUNK_BYTES (Chrome closes a channel on
 * messages > 256 KiB; 64 KiB is also safe for Firefox) and reassembled by the receiver.
 * Messages are never interleaved on a channel (the sender queues them), so a chunk needs
 * no message id.
 *
 * Chunk layout:
 *   byte 0      channel tag (0 = control JSON, 1 = MPC frames, 2 = identity handshake,
 *               mesh-internal and never delivered to callers)
 *   byte 1      flags: bit 0 FIRST, bit 1 LAST, other bits zero
 *   bytes 2..5  total message length, u32 big-endian (FIRST chunks only)
 *   rest        payload
 *
 * Security assumption: chunks come from a peer who may be buggy or hostile. Every header is
 * checked; anything inconsistent yields an error result (the caller drops the link), never
 * an exception, and memory use is bounded by what actually arrived (no allocation from a
 * claimed length).
 */
import { concatBytes } from '../core/codec.ts';
export const CHUNK_BYTES = 64 * 1024;
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** Channel tags multiplexed on one data channel. */
export const MeshTag = { Control: 0, Mpc: 1 } as const;
export type MeshTag = (typeof MeshTag)[keyof typeof MeshTag];
/** Mesh-internal tag of the identity handshake (identity.ts). */
export const IDENTITY_TAG = 2;
export type FrameTag = MeshTag | typeof IDENTITY_TAG;
const PUBLIC_TAGS: ReadonlySet<number> = new Set(Object.values(MeshTag));
const KNOWN_TAGS: ReadonlySet<number> = new Set([...PUBLIC_TAGS, IDENTITY_TAG]);

const FIRST = 1;
const LAST = 2;
const FIRST_HEADER = 6;
const NEXT_HEADER = 2;

export function isMeshTag(t: number): t is MeshTag {
  return PUBLIC_TAGS.has(t);
}

export function isFrameTag(t: number): t is FrameTag {
  return KNOWN_TAGS.has(t);
}

/** Cut one message into chunks, lazily (a 64 MiB message is not copied all at once). */
export function* chunkMessage(tag: FrameTag, message: Uint8Array, chunkBytes = CHUNK_BYTES): Generator<Uint8Array> {
  if (!isFrameTag(tag)) throw new RangeError(`unknown channel tag ${tag}`);
  if (message.length > 0xffffffff) throw new RangeError('message too large for framing');
  if (chunkBytes < FIRST_HEADER + 1) throw new RangeError('chunk size too small');
  let off = 0;
  let first = true;
  do {
    const header = first ? FIRST_HEADER : NEXT_HEADER;
    const n = Math.min(chunkBytes - header, message.length - off);
    const last = off + n === message.length;
    const chunk = new Uint8Array(header + n);
    chunk[0] = tag;
    chunk[1] = (first ? FIRST : 0) | (last ? LAST : 0);
    if (first) new DataView(chunk.buffer).setUint32(2, message.length);
    chunk.set(message.subarray(off, off + n), header);
    yield chunk;
    off += n;
    first = false;
  } while (off < message.length);
}

export type DecodeResult =
  | { ok: true; message?: { tag: FrameTag; bytes: Uint8Array } }
  | { ok: false; error: string };

/**
 * Reassembles the chunks of one peer. After the first error it stays failed: the stream
 * is out of sync and the link must be dropped.
 */
export class FrameDecoder {
  private parts: Uint8Array[] = [];
  private tag = 0;
  private total = -1; // -1: between messages
  private received = 0;
  private failed: string | undefined;

  constructor(
    private readonly maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES,
    /** Tighter limits per tag (e.g. small control and identity messages). */
    private readonly tagLimits: Partial<Record<FrameTag, number>> = {},
  ) {}

  push(chunk: Uint8Array): DecodeResult {
    if (this.failed !== undefined) return { ok: false, error: this.failed };
    const r = this.step(chunk);
    if (!r.ok) {
      this.failed = r.error;
      this.parts = [];
    }
    return r;
  }

  private step(c: Uint8Array): DecodeResult {
    if (!(c instanceof Uint8Array)) return { ok: false, error: 'chunk is not binary' };
    if (c.length < NEXT_HEADER) return { ok: false, error: `chunk of ${c.length} bytes has no header` };
    if (c.length > CHUNK_BYTES) return { ok: false, error: `chunk of ${c.length} bytes exceeds ${CHUNK_BYTES}` };
    const tag = c[0];
    const flags = c[1];
    if (flags & ~(FIRST | LAST)) return { ok: false, error: `unknown chunk flags ${flags}` };
    let payload: Uint8Array;
    if (flags & FIRST) {
      if (this.total >= 0) return { ok: false, error: 'new message started before the previous one ended' };
      if (!isFrameTag(tag)) return { ok: false, error: `unknown channel tag ${tag}` };
      if (c.length < FIRST_HEADER) return { ok: false, error: 'first chunk shorter than its header' };
      const total = new DataView(c.buffer, c.byteOffset, c.byteLength).getUint32(2);
      const limit = Math.min(this.maxMessageBytes, this.tagLimits[tag] ?? Infinity);
      if (total > limit) return { ok: false, error: `message of ${total} bytes on channel ${tag} exceeds ${limit}` };
      this.tag = tag;
      this.total = total;
      this.received = 0;
      payload = c.subarray(FIRST_HEADER);
    } else {
      if (this.total < 0) return { ok: false, error: 'continuation chunk without a message' };
      if (tag !== this.tag) return { ok: false, error: `continuation chunk tag ${tag}, message tag ${this.tag}` };
      if (c.length === NEXT_HEADER) return { ok: false, error: 'empty continuation chunk' };
      payload = c.subarray(NEXT_HEADER);
    }
    this.received += payload.length;
    if (this.received > this.total) return { ok: false, error: `message longer than its declared ${this.total} bytes` };
    const complete = this.received === this.total;
    if (complete !== Boolean(flags & LAST)) {
      return { ok: false, error: complete ? 'message complete but chunk not marked last' : 'chunk marked last before the declared length' };
    }
    this.parts.push(payload);
    if (!complete) return { ok: true };
    // Always a fresh, tight buffer: the caller may transfer it to the worker.
    const bytes = this.parts.length === 1 ? this.parts[0].slice() : concatBytes(...this.parts);
    this.parts = [];
    this.total = -1;
    return { ok: true, message: { tag: this.tag as FrameTag, bytes } };
  }
}

