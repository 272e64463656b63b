import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CHUNK_BYTES, chunkMessage, FrameDecoder, MeshTag, type FrameTag } from './framing.ts';

const tagArb = fc.constantFrom(MeshTag.Control, MeshTag.Mpc);

function roundTrip(messages: { tag: MeshTag; bytes: Uint8Array }[], chunkBytes?: number) {
  const d = new FrameDecoder();
  const out: { tag: FrameTag; bytes: Uint8Array }[] = [];
  for (const m of messages) {
    for (const c of chunkMessage(m.tag, m.bytes, chunkBytes)) {
      expect(c.length).toBeLessThanOrEqual(chunkBytes ?? CHUNK_BYTES);
      const r = d.push(c);
      if (!r.ok) throw new Error(r.error);
      if (r.message) out.push(r.message);
    }
  }
  return out;
}

describe('framing', () => {
  it('round-trips sequences of random messages and chunk sizes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ tag: tagArb, bytes: fc.uint8Array({ maxLength: 3000 }) }), { maxLength: 8 }),
        fc.integer({ min: 7, max: 1200 }),
        (msgs, chunkBytes) => {
          const out = roundTrip(msgs, chunkBytes);
          expect(out.length).toBe(msgs.length);
          out.forEach((m, i) => {
            expect(m.tag).toBe(msgs[i].tag);
            expect(Buffer.from(m.bytes).equals(Buffer.from(msgs[i].bytes))).toBe(true);
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('round-trips a multi-megabyte message in 64 KiB chunks, including the boundaries', () => {
    const big = new Uint8Array(3 * 1024 * 1024 + 17).map((_, i) => (i * 31) & 0xff);
    const sizes = [0, 1, CHUNK_BYTES - 6, CHUNK_BYTES - 5, CHUNK_BYTES - 6 + CHUNK_BYTES - 2, big.length];
    const msgs = sizes.map((n) => ({ tag: MeshTag.Mpc, bytes: big.subarray(0, n) }));
    const out = roundTrip(msgs);
    expect(out.map((m) => m.bytes.length)).toEqual(sizes);
    expect(Buffer.from(out[5].bytes).equals(Buffer.from(big))).toBe(true);
    expect([...chunkMessage(MeshTag.Mpc, big)].length).toBe(Math.ceil((big.length + 6 - 2) / (CHUNK_BYTES - 2)));
  });

  it('rejects inconsistent headers, and stays failed', () => {
    const cases: [string, Uint8Array[]][] = [
      ['no header', [Uint8Array.of(0)]],
      ['unknown tag', [Uint8Array.of(9, 3, 0, 0, 0, 0)]],
      ['unknown flags', [Uint8Array.of(0, 7, 0, 0, 0, 0)]],
      ['continuation first', [Uint8Array.of(0, 2, 1)]],
      ['short first header', [Uint8Array.of(0, 1, 0)]],
      ['longer than declared', [Uint8Array.of(0, 3, 0, 0, 0, 1, 5, 6)]],
      ['last too early', [Uint8Array.of(0, 3, 0, 0, 0, 2, 5)]],
      ['complete but not last', [Uint8Array.of(0, 1, 0, 0, 0, 1, 5)]],
      ['tag switch', [Uint8Array.of(0, 1, 0, 0, 0, 2, 5), Uint8Array.of(1, 2, 6)]],
      ['restart mid-message', [Uint8Array.of(0, 1, 0, 0, 0, 2, 5), Uint8Array.of(0, 3, 0, 0, 0, 0)]],
      ['empty continuation', [Uint8Array.of(0, 1, 0, 0, 0, 2, 5), Uint8Array.of(0, 0)]],
      ['oversized chunk', [new Uint8Array(CHUNK_BYTES + 1)]],
    ];
    for (const [name, chunks] of cases) {
      const d = new FrameDecoder();
      const results = chunks.map((c) => d.push(c));
      expect(results.at(-1)!.ok, name).toBe(false);
      // Once out of sync, even a valid message is refused.
      expect(d.push(Uint8Array.of(0, 3, 0, 0, 0, 0)).ok, name).toBe(false);
    }
    const small = new FrameDecoder(10);
    expect(small.push(Uint8Array.of(0, 1, 0, 0, 0, 11, 1))).toMatchObject({ ok: false });
  });

  it('never throws on random chunks (fuzz)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ minLength: 2, maxLength: 8 }).map((b) => ((b[0] &= 1), (b[1] &= 3), b))), { maxLength: 20 }), (chunks) => {
        const d = new FrameDecoder(64);
        for (const c of chunks) {
          const r = d.push(c);
          if (r.ok && r.message) expect(r.message.bytes.length).toBeLessThanOrEqual(64);
        }
      }),
      { numRuns: 5000 },
    );
  });
});
