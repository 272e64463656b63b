/**
 * TEST ONLY: a trusted-dealer TripleSource for protocol tests, so that online protocols can
 * be tested apart from OT-based preprocessing. Never used by the product (DESIGN §2: no
 * trusted dealer) and not exported from any index.
 *
 * Every party gets its own source; the k-th call on each party derives all N parties'
 * shares from the same seeded PRG stream (ChaCha20 under (seed, k)) and returns its own,
 * so the parties agree without talking.
 */
import { nonceFor, prg } from '../random.ts';
import type { ArithTriples, BitTriples, TripleSource } from '../triples/types.ts';

export interface DealerStats {
  arith: number;
  bitWords: number;
}

export function dealerSources(n: number, seed = 7): { sources: TripleSource[]; stats: DealerStats[] } {
  const key = new Uint8Array(32);
  new DataView(key.buffer).setUint32(0, seed);
  const stats: DealerStats[] = [];
  const sources = Array.from({ length: n }, (_, self): TripleSource => {
    let call = 0;
    const st: DealerStats = { arith: 0, bitWords: 0 };
    stats.push(st);
    return {
      async arith(count: number): Promise<ArithTriples> {
        st.arith += count;
        const r = new BigUint64Array(prg(key, 3 * n * count * 8, nonceFor(1, call++)).buffer);
        const part = (i: number, j: number): BigUint64Array => r.subarray((3 * i + j) * count, (3 * i + j + 1) * count);
        const a = part(self, 0).slice();
        const b = part(self, 1).slice();
        const c = part(self, 2).slice();
        if (self === 0) {
          // c₀ = (Σa)(Σb) − Σ_{i≥1} cᵢ
          for (let k = 0; k < count; k++) {
            let sa = 0n;
            let sb = 0n;
            let sc = 0n;
            for (let i = 0; i < n; i++) {
              sa += part(i, 0)[k];
              sb += part(i, 1)[k];
              if (i > 0) sc += part(i, 2)[k];
            }
            c[k] = BigInt.asUintN(64, sa) * BigInt.asUintN(64, sb) - sc;
          }
        }
        return { a, b, c };
      },
      async bits(words: number): Promise<BitTriples> {
        st.bitWords += words;
        const r = new Uint32Array(prg(key, 3 * n * words * 4, nonceFor(2, call++)).buffer);
        const part = (i: number, j: number): Uint32Array => r.subarray((3 * i + j) * words, (3 * i + j + 1) * words);
        const a = part(self, 0).slice();
        const b = part(self, 1).slice();
        const c = part(self, 2).slice();
        if (self === 0) {
          for (let k = 0; k < words; k++) {
            let xa = 0;
            let xb = 0;
            let xc = 0;
            for (let i = 0; i < n; i++) {
              xa ^= part(i, 0)[k];
              xb ^= part(i, 1)[k];
              if (i > 0) xc ^= part(i, 2)[k];
            }
            c[k] = (xa & xb) ^ xc;
          }
        }
        return { a, b, c };
      },
    };
  });
  return { sources, stats };
}
