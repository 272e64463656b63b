/**
 * Secure sum (src/core/protocols/sum.ts): elements per second for the whole group, bytes
 * each party sends per element against the DESIGN §3 model 8·(N−1), and the plaintext
 * baseline (one party adding N vectors).
 */
import { addInto } from '../../src/core/ring.ts';
import { randomU64 } from '../../src/core/random.ts';
import { pairwiseSeeds } from '../../src/core/sharing.ts';
import { secureSum } from '../../src/core/protocols/sum.ts';
import { type BenchCase, timeParties, timeSync } from '../harness.ts';

function sumCase(n: number): BenchCase {
  return {
    name: `secure sum N=${n}`,
    parties: n,
    unit: 'elements',
    costModelBytes: 8 * (n - 1),
    async prepare(quick) {
      const len = quick ? 1 << 12 : n > 5 ? 1 << 15 : 1 << 18;
      const inputs = Array.from({ length: n }, () => randomU64(len));
      return {
        ops: len,
        // seed agreement is once per session, so it happens in the untimed warm-up
        run: () => timeParties(n, (s) => pairwiseSeeds(s), (s) => secureSum(s, inputs[s.self])),
        plaintext: () =>
          timeSync(() => {
            const acc = inputs[0].slice();
            for (let i = 1; i < n; i++) addInto(acc, inputs[i]);
          }),
      };
    },
  };
}

export const cases: BenchCase[] = [2, 3, 5, 16].map(sumCase);
