import { describe, expect, it } from 'vitest';
import { partyId } from '../session/channel.ts';
import { dealerOts } from './dealer-ot.test-helpers.ts';
import { CODE_WORDS, OUT_WORDS, columnsToRows, hashItems, leaderChunk, leaderOutput, outputKey, receiverSeeds, rowsToColumns, senderChunk, senderOutput, senderSeeds } from './kkrt.ts';

const CONTEXT = new Uint8Array([1, 2, 3]);

describe('KKRT batched OPRF (kkrt.ts)', () => {
  it('transposes 512-bit rows to columns and back, bit for bit', () => {
    const n = 64;
    const rows = Uint32Array.from({ length: n * CODE_WORDS }, (_, i) => Math.imul(i + 1, 0x9e3779b1) >>> 0);
    const cols = rowsToColumns(rows, n);
    // bit (row r, column c) of the rows is bit r of column c
    for (const [r, c] of [[0, 0], [5, 37], [63, 511], [33, 256]]) {
      const rowBit = (rows[r * CODE_WORDS + (c >>> 5)] >>> (c & 31)) & 1;
      const colBit = (cols[c * (n / 32) + (r >>> 5)] >>> (r & 31)) & 1;
      expect(colBit).toBe(rowBit);
    }
    expect(columnsToRows(cols, n)).toEqual(rows);
  });

  it('the leader’s output in bin b equals the sender’s F_b on the leader’s item, and differs on every other item and bin', () => {
    const [otL, otP] = dealerOts(2);
    const L = 0, P = 1;
    const sender = senderSeeds(otP.get(partyId(L))!, P);
    const { seeds0, seeds1 } = receiverSeeds(otL.get(partyId(P))!, L, sender.message);
    const bins = 64;
    const leaderItems = Array.from({ length: 40 }, (_, i) => `item-${i}`);
    const { codes } = hashItems(leaderItems, CONTEXT, bins);
    // leader item i sits in bin i (the OPRF does not care how bins were chosen)
    const codeRows = new Uint32Array(bins * CODE_WORDS);
    codeRows.set(codes);
    const { u, t } = leaderChunk(seeds0, seeds1, rowsToColumns(codeRows, bins), bins, 0);
    const q = senderChunk(sender, u, bins, 0, L);
    const key = outputKey(CONTEXT, P);
    const scratch = new Uint32Array(CODE_WORDS);
    const fL = (b: number) => {
      const out = new Uint32Array(OUT_WORDS);
      leaderOutput(key, t, b, b, out, 0);
      return out;
    };
    const fP = (item: string, b: number) => {
      const { codes: c } = hashItems([item], CONTEXT, bins);
      for (let k = 0; k < CODE_WORDS; k++) c[k] &= sender.s[k];
      const out = new Uint32Array(OUT_WORDS);
      senderOutput(key, q, b, c, 0, b, scratch, out, 0);
      return out;
    };
    for (let b = 0; b < leaderItems.length; b++) {
      expect(fP(leaderItems[b], b)).toEqual(fL(b));
      expect(fP(leaderItems[(b + 1) % leaderItems.length], b)).not.toEqual(fL(b));
      expect(fP('not-an-item', b)).not.toEqual(fL(b));
    }
    // the sender's view: u is not the leader's codes (masked by the PRG)
    expect(new Uint32Array(u.buffer).subarray(0, 16)).not.toEqual(rowsToColumns(codeRows, bins).subarray(0, 16));
  });

  it('hashes items of any length (one block or more) to codes and in-range bins; the context separates', () => {
    const items = ['', 'a', 'x'.repeat(64), 'y'.repeat(65), 'é'.repeat(40)];
    const a = hashItems(items, CONTEXT, 37);
    const b = hashItems(items, new Uint8Array([9]), 37);
    expect(a.cand.every((x) => x < 37)).toBe(true);
    expect(new Set(Array.from({ length: items.length }, (_, i) => a.codes.subarray(16 * i, 16 * i + 16).join())).size).toBe(items.length);
    expect(a.codes).not.toEqual(b.codes);
  });
});
