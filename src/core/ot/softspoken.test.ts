import { describe, expect, it } from 'vitest';
import { randomBytes } from '../random.ts';
import { softSpokenMessageBytes, softSpokenReceive, softSpokenReceiverSetup, softSpokenSend, softSpokenSenderSetup } from './softspoken.ts';

const bit = (a: Uint32Array, i: number): number => (a[i >>> 5] >>> (i & 31)) & 1;
const words = (n: number): Uint32Array => new Uint32Array(randomBytes(4 * n).buffer);

function idealBaseOts(): { keys0: Uint8Array[]; keys1: Uint8Array[]; delta: Uint32Array; chosen: Uint8Array[] } {
  const keys0 = Array.from({ length: 128 }, () => randomBytes(32));
  const keys1 = Array.from({ length: 128 }, () => randomBytes(32));
  const delta = words(4);
  return { keys0, keys1, delta, chosen: keys0.map((k, i) => (bit(delta, i) ? keys1[i] : k)) };
}

describe('SoftSpokenOT', () => {
  for (const k of [1, 2, 4, 8] as const) {
    it(`k=${k}: sender knows every leaf but Δ_b's, and q_j = t_j ⊕ r_j·Δ`, () => {
      const base = idealBaseOts();
      const r = softSpokenReceiverSetup(k, base.keys0, base.keys1);
      const s = softSpokenSenderSetup(k, base.delta, base.chosen, r.message, 1);
      for (let b = 0; b < 128 / k; b++) {
        let xs = 0;
        for (let i = 0; i < k; i++) xs |= bit(base.delta, b * k + i) << i;
        for (let x = 0; x < 1 << k; x++) {
          if (x === xs) expect(s.leaves[b][x].length).toBe(0);
          else expect(s.leaves[b][x]).toEqual(r.state.leaves[b][x]);
        }
      }
      for (const m of [64, 160]) {
        const choice = words(m / 32);
        const { u, t } = softSpokenReceive(r.state, choice, m);
        expect(u.length).toBe(softSpokenMessageBytes(k, m));
        const { q } = softSpokenSend(s, u, m, 1);
        for (let j = 0; j < m; j++) {
          for (let w = 0; w < 4; w++) expect(q[4 * j + w]).toBe((t[4 * j + w] ^ (bit(choice, j) ? base.delta[w] : 0)) >>> 0);
        }
      }
    });
  }

  it('rejects bad k and malformed messages', () => {
    const base = idealBaseOts();
    expect(() => softSpokenReceiverSetup(3, base.keys0, base.keys1)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => softSpokenSenderSetup(4, base.delta, base.chosen, new Uint8Array(10), 2)).toThrow(expect.objectContaining({ code: 'MALFORMED_MESSAGE', party: 2 }));
    const r = softSpokenReceiverSetup(4, base.keys0, base.keys1);
    const s = softSpokenSenderSetup(4, base.delta, base.chosen, r.message, 2);
    expect(() => softSpokenSend(s, new Uint8Array(12), 32, 2)).toThrow(expect.objectContaining({ code: 'MALFORMED_MESSAGE', party: 2 }));
  });
});
